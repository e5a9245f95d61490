/**
 * The page as a kiosk on a wall nobody touches: marks <html> `kiosk`, so wall.css hides every
 * scroll bar and sizes type from the screen times `--type-scale`; hides the mouse cursor after
 * IDLE_CURSOR_MS without movement (class `idle`) and shows it again at the next move or press.
 * Other pages (sign-in, administration) are not kiosks and keep their scroll bars.
 */
export const IDLE_CURSOR_MS = 5_000;

/** Starts the kiosk; returns the stop, for onMount. */
export function startKiosk(root: HTMLElement = document.documentElement): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const moved = () => {
    root.classList.remove('idle');
    clearTimeout(timer);
    timer = setTimeout(() => root.classList.add('idle'), IDLE_CURSOR_MS);
  };
  root.classList.add('kiosk');
  moved();
  window.addEventListener('pointermove', moved, { passive: true });
  window.addEventListener('pointerdown', moved, { passive: true });
  return () => {
    clearTimeout(timer);
    window.removeEventListener('pointermove', moved);
    window.removeEventListener('pointerdown', moved);
    root.classList.remove('kiosk', 'idle');
    root.style.removeProperty('--type-scale');
  };
}

/** Multiplies the kiosk's type size (the address's `scale`, and the layout's own). */
export function setTypeScale(scale: number, root: HTMLElement = document.documentElement): void {
  root.style.setProperty('--type-scale', String(scale));
}

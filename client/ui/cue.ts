/**
 * An attention cue: short beeps made with WebAudio (no sound file to fetch) and, on a phone, a
 * vibration. Browsers let a page make sound only after a person touched it (or a kiosk browser
 * started with an autoplay policy that allows it): `unlock()` from any click prepares the
 * sound, `armed` says whether it can be heard, and until then a cue is silent, never an error.
 * Where neither sound nor vibration is allowed the cue does nothing; the page shows what
 * happened in any case.
 */

/** The default cue: a falling two-tone (a dispatch alert, a new offer). */
const TWO_TONE_HZ = [880, 660];
const TONE_S = 0.18;

export class Cue {
  private audio: AudioContext | null = null;

  /** Call from a user gesture; later cues can then be heard. */
  unlock(): void {
    if (typeof AudioContext === 'undefined') return;
    this.audio ??= new AudioContext();
    if (this.audio.state === 'suspended') void this.audio.resume().catch(() => undefined);
  }

  /** Sound can be heard now (a kiosk browser may allow it without a gesture). */
  get armed(): boolean {
    if (typeof AudioContext === 'undefined') return false;
    this.audio ??= new AudioContext();
    return this.audio.state === 'running';
  }

  /** Beeps `tonesHz` one after another, and vibrates in `vibration`'s pattern (ms on, off …). */
  play(vibration?: number[], tonesHz: readonly number[] = TWO_TONE_HZ): void {
    if (vibration) navigator.vibrate?.(vibration);
    const audio = this.audio;
    if (!audio || audio.state !== 'running') return;
    const start = audio.currentTime;
    tonesHz.forEach((hz, i) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = hz;
      gain.gain.setValueAtTime(0.2, start + i * TONE_S);
      gain.gain.exponentialRampToValueAtTime(0.001, start + (i + 1) * TONE_S);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + i * TONE_S);
      oscillator.stop(start + (i + 1) * TONE_S);
    });
  }

  close(): void {
    void this.audio?.close().catch(() => undefined);
    this.audio = null;
  }
}

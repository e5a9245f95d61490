/**
 * An attention cue for a dispatch alert or a new offer: a short two-tone beep made with
 * WebAudio (no sound file to fetch) and, on a phone, a vibration. Browsers let a page make sound
 * only after a person touched it: `unlock()` from any click prepares the sound, and until then
 * the cue is silent, never an error. Where neither sound nor vibration is allowed the cue does
 * nothing; the page shows what happened in any case.
 */

const TONES_HZ = [880, 660];
const TONE_S = 0.18;

export class Cue {
  private audio: AudioContext | null = null;

  /** Call from a user gesture; later cues can then be heard. */
  unlock(): void {
    if (typeof AudioContext === 'undefined') return;
    this.audio ??= new AudioContext();
    if (this.audio.state === 'suspended') void this.audio.resume().catch(() => undefined);
  }

  /** Beeps, and vibrates in `vibration`'s pattern (ms on, off, on …) when one is given. */
  play(vibration?: number[]): void {
    if (vibration) navigator.vibrate?.(vibration);
    const audio = this.audio;
    if (!audio || audio.state !== 'running') return;
    const start = audio.currentTime;
    TONES_HZ.forEach((hz, i) => {
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

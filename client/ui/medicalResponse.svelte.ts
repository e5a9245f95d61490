/**
 * The measured medical response over 30 days (the plan's indicator 11), fetched from
 * `/api/v1/indicators/response-times` when started and every POLL_MS after. `current` is null
 * when nothing is measured or the answer failed: an old figure would pass for a current one.
 * `start()` returns its stop, to be returned from onMount.
 */
import type { ResponseTimes } from '../../server/contract/dispatch.ts';
import { api } from '../api.ts';
import { medicalResponse, type MeasuredResponse } from './clocks.ts';

const POLL_MS = 5 * 60_000;
const PATH = '/api/v1/indicators/response-times?days=30';

export class MedicalResponse {
  current = $state.raw<MeasuredResponse | null>(null);

  start(): () => void {
    void this.load();
    const poll = setInterval(() => void this.load(), POLL_MS);
    return () => clearInterval(poll);
  }

  private async load(): Promise<void> {
    try {
      this.current = medicalResponse(await api.get<ResponseTimes>(PATH));
    } catch (error) {
      console.warn('response times unavailable:', error);
      this.current = null;
    }
  }
}

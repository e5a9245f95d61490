/**
 * One admin section's requests: `busy` while one runs, the last `problem` in the dictionary's
 * words. `run` resolves with `{ value }`, or null when the request failed; a session that ended
 * or must first set its password sends the browser to sign in instead, coming back here.
 */
import { errorText, type Dictionary } from '../i18n/index.ts';
import { loginUrl, mustSignIn } from '../session.ts';

export class Attempt {
  busy = $state(false);
  problem = $state<string | null>(null);

  constructor(private readonly dict: () => Dictionary) {}

  async run<T>(action: () => Promise<T>): Promise<{ value: T } | null> {
    this.busy = true;
    this.problem = null;
    try {
      return { value: await action() };
    } catch (error) {
      if (mustSignIn(error)) window.location.assign(loginUrl(window.location));
      else this.problem = errorText(error, this.dict());
      return null;
    } finally {
      this.busy = false;
    }
  }
}

/**
 * The server's time for clocks that run on screen (response clocks, countdowns): read once a
 * second while started, so what counts is the server's stamps, whatever this screen's clock
 * says. `start()` returns its stop, to be returned from onMount.
 */
const TICK_MS = 1_000;

export class ServerClock {
  now = $state(0);

  constructor(private readonly read: () => number) {}

  start(): () => void {
    const tick = () => (this.now = this.read());
    tick();
    const timer = setInterval(tick, TICK_MS);
    return () => clearInterval(timer);
  }
}

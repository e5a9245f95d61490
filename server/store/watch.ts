/**
 * Whether the store answers, checked every PROBE_MS with a trivial query: the live status
 * carries it to every wall (which shows that new data has stopped), and /healthz reads it. A
 * store that comes back is noticed by the next probe; nothing needs restarting, as the pool
 * opens new connections by itself.
 */
const PROBE_MS = 2_000;

export class StoreWatch {
  #available = true;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly probe: () => Promise<unknown>,
    private readonly changed: (available: boolean) => void,
    private readonly intervalMs = PROBE_MS,
  ) {}

  get available(): boolean {
    return this.#available;
  }

  start(): void {
    this.#timer = setInterval(() => void this.check(), this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Probes now; tells `changed` when the answer differs from the last one. */
  async check(): Promise<boolean> {
    const available = await this.probe().then(
      () => true,
      () => false,
    );
    if (available !== this.#available) {
      this.#available = available;
      this.changed(available);
    }
    return available;
  }
}

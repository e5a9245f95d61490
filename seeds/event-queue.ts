/**
 * A priority queue of timed simulation events: a binary min-heap ordered by time, and by
 * insertion order among events at the same time, so that processing order (and with it every
 * random draw) is fully determined by what was scheduled.
 */
interface Entry<T> {
  at: number;
  order: number;
  value: T;
}

export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private inserted = 0;

  push(at: number, value: T): void {
    this.heap.push({ at, order: this.inserted++, value });
    this.siftUp(this.heap.length - 1);
  }

  /** Time of the earliest event, Infinity when empty. */
  nextAt(): number {
    return this.heap[0]?.at ?? Infinity;
  }

  pop(): { at: number; value: T } | undefined {
    const first = this.heap[0];
    const last = this.heap.pop();
    if (!first || !last) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return { at: first.at, value: first.value };
  }

  private siftUp(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(index: number): void {
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let first = index;
      if (left < this.heap.length && this.before(left, first)) first = left;
      if (right < this.heap.length && this.before(right, first)) first = right;
      if (first === index) return;
      this.swap(index, first);
      index = first;
    }
  }

  private before(i: number, j: number): boolean {
    const a = this.heap[i] as Entry<T>;
    const b = this.heap[j] as Entry<T>;
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private swap(i: number, j: number): void {
    [this.heap[i], this.heap[j]] = [this.heap[j] as Entry<T>, this.heap[i] as Entry<T>];
  }
}

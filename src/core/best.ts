/**
 * The first `limit` items in an order, of however many are added: a binary heap that keeps only
 * those, so a table of 200 lines over a million cases holds 200. Without a limit it keeps all.
 */
export class Best<T> {
  private readonly heap: T[] = [];
  private added = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly limit: number | undefined,
  ) {}

  /** How many items were added in all. */
  get count(): number {
    return this.added;
  }

  add(item: T): void {
    this.added++;
    if (this.limit === undefined) {
      this.heap.push(item);
      return;
    }
    if (this.limit <= 0) return;
    if (this.heap.length < this.limit) {
      this.heap.push(item);
      this.up(this.heap.length - 1);
      return;
    }
    // The root is the worst of those kept: a better item takes its place.
    const worst = this.heap[0];
    if (worst === undefined || this.compare(item, worst) >= 0) return;
    this.heap[0] = item;
    this.down(0);
  }

  /** The items kept, in order. */
  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }

  // A max-heap by `compare`: every parent sorts after its children.
  private up(at: number): void {
    const heap = this.heap;
    for (let i = at; i > 0; ) {
      const parent = (i - 1) >> 1;
      const item = heap[i];
      const above = heap[parent];
      if (item === undefined || above === undefined || this.compare(item, above) <= 0) return;
      heap[i] = above;
      heap[parent] = item;
      i = parent;
    }
  }

  private down(at: number): void {
    const heap = this.heap;
    for (let i = at; ; ) {
      let largest = i;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        const c = heap[child];
        const l = heap[largest];
        if (c !== undefined && l !== undefined && this.compare(c, l) > 0) largest = child;
      }
      if (largest === i) return;
      const a = heap[i];
      const b = heap[largest];
      if (a === undefined || b === undefined) return;
      heap[i] = b;
      heap[largest] = a;
      i = largest;
    }
  }
}

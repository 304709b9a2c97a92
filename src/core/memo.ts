/**
 * A pure function of a string that remembers its answers, up to `limit` keys and then all dropped
 * at once: an export repeats a few due dates, products and names over a million rows, and a cell
 * read once need not be read again; the cap keeps memory flat when cells never repeat.
 */
export class Memo<T> {
  private readonly known = new Map<string, T>();

  constructor(
    private readonly make: (key: string) => T,
    private readonly limit = 4096,
  ) {}

  /** What `make(key)` returns, computed once per key while remembered. */
  get(key: string): T {
    let value = this.known.get(key);
    if (value === undefined) {
      if (this.known.size >= this.limit) this.known.clear();
      value = this.make(key);
      this.known.set(key, value);
    }
    return value;
  }
}

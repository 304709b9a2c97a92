/**
 * Answers of a pure function, remembered by key up to `limit` keys and then dropped all at once:
 * a run meets the same few due dates, products, amounts and locales over and over, and the cap
 * keeps memory flat when keys never repeat.
 */
export class Memo<T, K = string> {
  private readonly known = new Map<K, T>();

  constructor(private readonly limit = 10_000) {}

  /** The value remembered under `key`, or what `make(key)` returns, remembered from now on. */
  get(key: K, make: (key: K) => T): T {
    let value = this.known.get(key);
    if (value === undefined) {
      if (this.known.size >= this.limit) this.known.clear();
      value = make(key);
      this.known.set(key, value);
    }
    return value;
  }
}

/**
 * The (order ID, due date) keys an import run has read, as a Bloom filter shared by the threads
 * that read its files. It answers "maybe read before" for every key that was (never a false "no"),
 * and for a few that were not: with 4 MiB and two probes, about 0.3% of a 1M-row file's keys.
 *
 * Why: a row read again is refused, and the rejects file gets the row's cells as the file wrote
 * them. Sending every row's cells across threads just in case cost a tenth of a 1M-row import; a
 * parsing thread sends them only for the rows this filter flags.
 */
export class RepeatFilter {
  private readonly words: Int32Array;

  /** A new filter, or one that shares the memory of a filter made in another thread. */
  constructor(readonly memory: SharedArrayBuffer = new SharedArrayBuffer(FILTER_BYTES)) {
    this.words = new Int32Array(memory);
  }

  /** Records a key as read; true when it may have been read before in this run. */
  markRead(orderId: string, dueDate: string): boolean {
    let h = 0x811c9dc5;
    for (let i = 0; i < orderId.length; i++) h = Math.imul(h ^ orderId.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
    for (let i = 0; i < dueDate.length; i++) h = Math.imul(h ^ dueDate.charCodeAt(i), 0x01000193);
    // Two probes from one hash (Kirsch-Mitzenmacher); the second is made odd so it never repeats the first.
    const second = Math.imul(h ^ (h >>> 16), 0x85ebca6b) | 1;
    const first = this.set(h);
    return this.set(h + second) && first;
  }

  /** Sets one bit; true when it was set already. Atomics, so another thread's marks are seen. */
  private set(hash: number): boolean {
    const bit = hash & (FILTER_BITS - 1);
    const mask = 1 << (bit & 31);
    return (Atomics.or(this.words, bit >>> 5, mask) & mask) !== 0;
  }
}

const FILTER_BYTES = 4 << 20;
const FILTER_BITS = FILTER_BYTES * 8;

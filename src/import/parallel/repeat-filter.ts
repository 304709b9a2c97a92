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

  /**
   * Orders this thread's marks against another's: call it when a thread starts and ends its file.
   * Marks are plain writes (an atomic one per probe cost 0.45 s of a 1M-row import); one atomic
   * read-modify-write of a shared word on each side makes the marks before it visible after it.
   */
  sync(): void {
    Atomics.add(this.words, SYNC_WORD, 1);
  }

  /** Sets one bit; true when it was set already. */
  private set(hash: number): boolean {
    const bit = hash & (FILTER_BITS - 1);
    const mask = 1 << (bit & 31);
    const word = this.words[bit >>> 5] ?? 0;
    this.words[bit >>> 5] = word | mask;
    return (word & mask) !== 0;
  }
}

// The filter's bits, and one word after them for sync().
const FILTER_BITS = (4 << 20) * 8;
const SYNC_WORD = FILTER_BITS / 32;
const FILTER_BYTES = (SYNC_WORD + 1) * 4;

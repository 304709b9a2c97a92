import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import type pg from 'pg';
import type { NewCase } from '../../app/ports.js';

// The order of the values each line of the COPY carries.
const COPY_CASES = `COPY cases (id, source, order_id, due_date, due_at, email, email_key, first_name, last_name, product, currency, open_minor, paid_minor,
  first_open_minor, token, locale_hint, extra, pay_link, customer_type, status, opened_at, first_import_id, updated_import_id) FROM STDIN`;

// A COPY is ended and a new one begun after this many rows, so that a row the server refuses can
// be named from the keys kept of the open one (a few MB at most) rather than of the whole file.
const ROWS_PER_COPY = 50_000;

/**
 * New cases written by one COPY that stays open across batches: the server writes one batch while
 * this process reads the next, where an INSERT per batch made each wait for the other. The ids
 * are the caller's (taken from the sequence beforehand), since COPY returns none.
 *
 * COPY cannot skip a taken key, and a row it refuses undoes the whole transaction, so the caller
 * sends only cases whose keys cannot be taken (a source that had no cases, a key not added
 * before). Any statement on the connection must wait for `end()`: it is the COPY's until then.
 */
export class CaseCopy {
  private stream: ReturnType<typeof copyStreams.from> | undefined;
  private done: Promise<void> | undefined;
  private keys: { orderId: string; dueDate: string }[] = [];

  constructor(private readonly client: pg.PoolClient) {}

  /** Adds cases to the open COPY (beginning one if none is open); waits only when the server is behind. */
  async write(source: string, cases: readonly NewCase[], ids: readonly number[], importId: number, at: string): Promise<void> {
    if (this.stream === undefined || this.done === undefined) {
      this.stream = this.client.query(copyStreams.from(COPY_CASES));
      this.done = finished(this.stream);
      // Seen by end(); without a listener now, a refusal before then would end the process.
      this.done.catch(() => undefined);
    }
    for (const { order } of cases) this.keys.push({ orderId: order.orderId, dueDate: order.dueDate });
    if (!this.stream.write(copyLines(source, cases, ids, importId, at))) {
      // A refusal while waiting: end() names the row.
      await Promise.race([once(this.stream, 'drain'), this.done]).catch(() => this.end());
    }
    if (this.keys.length >= ROWS_PER_COPY) await this.end();
  }

  /** Ends the open COPY, if any, once the server has every row; a refused row is named. */
  async end(): Promise<void> {
    const { stream, done, keys } = this;
    if (stream === undefined || done === undefined) return;
    this.stream = undefined;
    this.done = undefined;
    this.keys = [];
    if (stream.writable) stream.end();
    try {
      await done;
    } catch (error) {
      const line = /line (\d+)/.exec(error instanceof Error && 'where' in error ? String(error.where) : '');
      const key = line === null ? undefined : keys[Number(line[1]) - 1];
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(key === undefined ? `new cases were not written: ${reason}` : `the case of order "${key.orderId}" due ${key.dueDate} was not written: ${reason}`, {
        cause: error,
      });
    }
  }
}

/** Cases as lines of COPY's text format, in the column order of COPY_CASES. */
function copyLines(source: string, cases: readonly NewCase[], ids: readonly number[], importId: number, at: string): string {
  const head = `${text(source)}\t`;
  const tail = `\topen\t${text(at)}\t${importId}\t${importId}\n`;
  let lines = '';
  cases.forEach(({ order: o, extraJson }, i) => {
    lines +=
      `${ids[i]}\t${head}${text(o.orderId)}\t${text(o.dueDate)}\t${text(o.dueAt)}\t${text(o.email)}\t${text(o.emailKey)}\t${text(o.firstName)}\t` +
      `${text(o.lastName)}\t${text(o.product)}\t${text(o.currency)}\t${o.openMinor}\t${o.paidMinor}\t${o.openMinor}\t${text(o.token)}\t` +
      `${text(o.localeHint)}\t${text(extraJson)}\t${text(o.payLink ?? null)}\t${text(o.customerType ?? null)}${tail}`;
  });
  return lines;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: null as \N; a backslash, tab or line break escaped. */
function text(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPED[c] ?? c) : value;
}

/** A 53-bit hash of a case's key (two 32-bit FNV-1a with different primes): equal keys, equal hashes. */
export function keyHash(orderId: string, dueDate: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  const mix = (code: number): void => {
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  };
  for (let i = 0; i < orderId.length; i++) mix(orderId.charCodeAt(i));
  mix(0);
  for (let i = 0; i < dueDate.length; i++) mix(dueDate.charCodeAt(i));
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/**
 * A set of key hashes in one typed array (open addressing). A Set of a million numbers cost the
 * import 1 s of its main thread and as much again in garbage collection (`npm run bench:pg`); this
 * holds them in 16-32 MB and makes no garbage.
 */
export class KeyHashes {
  private slots = new Float64Array(1 << 12);
  private count = 0;

  /** Adds a hash; false when it was there already. */
  add(hash: number): boolean {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const added = put(this.slots, hash === 0 ? 1 : hash);
    if (added) this.count++;
    return added;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const hash of old) if (hash !== 0) put(this.slots, hash);
  }
}

/** Puts a (non-zero) hash into its slot, or finds it there; 0 marks an empty slot. */
function put(slots: Float64Array, hash: number): boolean {
  const mask = slots.length - 1;
  // The low 32 bits of the hash (`&` takes them) are well mixed: the low 21 are the second FNV-1a.
  for (let i = hash & mask; ; i = (i + 1) & mask) {
    const there = slots[i];
    if (there === hash) return false;
    if (there === 0) {
      slots[i] = hash;
      return true;
    }
  }
}

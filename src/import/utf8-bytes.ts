import { isUtf8 } from 'node:buffer';

/**
 * UTF-8 as a decoder sees it, byte by byte: which sequences are whole characters and which bytes it
 * cannot read. It follows the WHATWG rule a decoder replaces by (one U+FFFD for each maximal invalid
 * subpart), so the bytes found here line up, one for one, with the U+FFFD marks in the decoded text.
 */

/** How many bytes a lead byte starts, and the range its second byte must fall in; null: no lead byte. */
function leadOf(byte: number): { length: number; low: number; high: number } | null {
  if (byte >= 0xc2 && byte <= 0xdf) return { length: 2, low: 0x80, high: 0xbf };
  if (byte === 0xe0) return { length: 3, low: 0xa0, high: 0xbf };
  if (byte === 0xed) return { length: 3, low: 0x80, high: 0x9f };
  if (byte >= 0xe1 && byte <= 0xef) return { length: 3, low: 0x80, high: 0xbf };
  if (byte === 0xf0) return { length: 4, low: 0x90, high: 0xbf };
  if (byte === 0xf4) return { length: 4, low: 0x80, high: 0x8f };
  if (byte >= 0xf1 && byte <= 0xf3) return { length: 4, low: 0x80, high: 0xbf };
  return null;
}

/** What one step of the scan found at a position. */
type Step = { kind: 'ascii' | 'char' | 'replacement'; length: number } | { kind: 'invalid'; length: number; byte: number } | { kind: 'incomplete' };

/** Reads one character (or one invalid subpart) at `i`; `incomplete` when the bytes end inside a character. */
function stepAt(bytes: Uint8Array, i: number): Step {
  const byte = bytes[i] ?? 0;
  if (byte < 0x80) return { kind: 'ascii', length: 1 };
  const lead = leadOf(byte);
  if (lead === null) return { kind: 'invalid', length: 1, byte };
  for (let k = 1; k < lead.length; k++) {
    if (i + k >= bytes.length) return { kind: 'incomplete' };
    const next = bytes[i + k] ?? 0;
    const [low, high] = k === 1 ? [lead.low, lead.high] : [0x80, 0xbf];
    if (next < low || next > high) return { kind: 'invalid', length: k, byte };
  }
  // U+FFFD itself, written in the file: the decoded text holds it too, and it must not be taken for a bad byte.
  if (byte === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) return { kind: 'replacement', length: 3 };
  return { kind: 'char', length: lead.length };
}

/** Evidence for and against UTF-8 in a sample: whole multi-byte characters, and bytes a decoder cannot read. */
export function utf8Evidence(sample: Uint8Array): { characters: number; invalid: number } {
  let characters = 0;
  let invalid = 0;
  for (let i = 0; i < sample.length; ) {
    const step = stepAt(sample, i);
    if (step.kind === 'incomplete') break;
    if (step.kind === 'invalid') invalid++;
    else if (step.kind !== 'ascii') characters++;
    i += step.length;
  }
  return { characters, invalid };
}

/** What stands behind one U+FFFD of the decoded text: a byte the decoder could not read, or U+FFFD as the file wrote it. */
export type Replaced = { byte: number } | { written: true };

/**
 * Watches the bytes of a UTF-8 file go by and remembers, in order, what each U+FFFD of the decoded
 * text stands for, so a rejected row can name the byte. A chunk that is valid UTF-8 (nearly all of
 * them) costs one native check.
 */
export class Utf8Watch {
  private carry: Uint8Array = new Uint8Array(0);
  private readonly found: Replaced[] = [];

  /** Looks at the next bytes of the file. */
  feed(chunk: Uint8Array): void {
    const bytes = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = new Uint8Array(0);
    if (isUtf8(bytes) && !includesReplacement(bytes)) return;
    for (let i = 0; i < bytes.length; ) {
      const step = stepAt(bytes, i);
      if (step.kind === 'incomplete') {
        this.carry = bytes.slice(i);
        return;
      }
      if (step.kind === 'invalid') this.found.push({ byte: step.byte });
      else if (step.kind === 'replacement') this.found.push({ written: true });
      i += step.length;
    }
  }

  /** The file ended: a character cut off at its end is one more unreadable byte. */
  end(): void {
    const first = this.carry[0];
    if (first !== undefined) this.found.push({ byte: first });
    this.carry = new Uint8Array(0);
  }

  /** What the next `count` U+FFFD marks of the text stand for, in order. */
  take(count: number): Replaced[] {
    return this.found.splice(0, count);
  }
}

function includesReplacement(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(REPLACEMENT);
}

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

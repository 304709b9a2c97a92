import type { Delimiter, Encoding } from '../config/schema.js';
import { isAscii } from 'node:buffer';
import { utf8Evidence } from './utf8-bytes.js';

export type { Delimiter, Encoding } from '../config/schema.js';

/** What the first bytes of a file say about it. */
export type Sniffed =
  | { kind: 'empty' }
  | { kind: 'binary'; reason: string }
  | { kind: 'text'; encoding: Encoding; bom: boolean };

/**
 * Decides the encoding from the first bytes: a BOM if there is one, else by the evidence of the
 * bytes above 0x7f (of `later`, a window from the first such byte, when the head has none): UTF-8
 * when its whole characters are at least as many as the bytes it cannot read (so one stray byte in
 * a UTF-8 file is that row's error, not the file's encoding), else Windows-1252 (what German Excel
 * saves). NUL bytes without a UTF-16 BOM mean binary.
 */
export function sniffEncoding(head: Buffer, later?: Buffer): Sniffed {
  if (head.length === 0) return { kind: 'empty' };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return head.length === 3 ? { kind: 'empty' } : { kind: 'text', encoding: 'utf8', bom: true };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { kind: 'text', encoding: 'utf16le', bom: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { kind: 'binary', reason: 'it is UTF-16 big-endian; save it as UTF-8' };
  if (head.includes(0)) return { kind: 'binary', reason: 'it contains NUL bytes (a spreadsheet, an archive or another binary file?)' };
  if (/^\s*$/.test(head.toString('latin1'))) return { kind: 'empty' };
  const magic = head.subarray(0, 4).toString('latin1');
  if (magic.startsWith('PK\u0003\u0004')) return { kind: 'binary', reason: 'it is a ZIP file (an .xlsx workbook?); export it as CSV' };
  if (magic.startsWith('%PDF')) return { kind: 'binary', reason: 'it is a PDF; export the orders as CSV' };
  const sample = !isAscii(head) || later === undefined ? head : later;
  const { characters, invalid } = utf8Evidence(sample);
  return { kind: 'text', encoding: invalid === 0 || characters >= invalid ? 'utf8' : 'windows-1252', bom: false };
}

/** Picks the delimiter that splits the header line into the most cells, counting outside quotes. */
export function sniffDelimiter(firstLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0];
  return best !== undefined && counts[best] > 0 ? best : ',';
}

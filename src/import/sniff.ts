import type { Delimiter, Encoding } from '../config/schema.js';

export type { Delimiter, Encoding } from '../config/schema.js';

/** What the first bytes of a file say about it. */
export type Sniffed =
  | { kind: 'empty' }
  | { kind: 'binary'; reason: string }
  | { kind: 'text'; encoding: Encoding; bom: boolean };

/**
 * Decides the encoding from the first bytes: a BOM if there is one, else UTF-8 if they decode
 * as UTF-8, else Windows-1252 (what German Excel saves). NUL bytes without a UTF-16 BOM mean binary.
 */
export function sniffEncoding(head: Buffer): Sniffed {
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
  return { kind: 'text', encoding: isUtf8(head) ? 'utf8' : 'windows-1252', bom: false };
}

function isUtf8(head: Buffer): boolean {
  // The sample may end inside a multi-byte character; drop an incomplete tail before checking.
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = head[end - back] ?? 0;
    if ((byte & 0xc0) === 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (back < needed) end -= back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
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

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { DunningError } from '../core/errors.js';
import type { Delimiter, Encoding } from './sniff.js';
import { Utf8Watch } from './utf8-bytes.js';

/** One record of a CSV file and the line it starts on (1-based, as editors count). */
export interface CsvRecord {
  line: number;
  /** The line it ends on: later than `line` when a quoted cell holds line breaks (or a stray quote swallowed rows). */
  endLine: number;
  cells: string[];
  /** A quote in the record is malformed; its cells may be cut wrongly. */
  malformed: boolean;
  /** The first U+FFFD of the record (the mark a decoder leaves for bytes it could not read), or null: where, and what stands behind it. */
  undecodable: Undecodable | null;
}

/** Where a record holds U+FFFD: the column in the line (1-based), and the byte the decoder could not read, or null when the file itself wrote U+FFFD. */
export interface Undecodable {
  column: number;
  byte: number | null;
}

export interface ReadCsvOptions {
  encoding: Encoding;
  delimiter: Delimiter;
  /** Called for each record, header first; may throw to stop reading. */
  onRecord: (record: CsvRecord) => void;
  /** Called with the bytes read so far, for progress. */
  onBytes?: (bytes: number) => void;
  /** Called once with a control to pause and resume reading, for a reader that must not run too far ahead. */
  onParser?: (control: { pause(): void; resume(): void }) => void;
}

/** What reading the whole file established. */
export interface ReadCsvResult {
  sha256: string;
  bytes: number;
}

/**
 * Bytes read (and decoded, and parsed) at a time. A 1 MiB chunk decodes to a string of up to 2 MB,
 * which V8 puts in its large-object space: it outlives the parsing of a few thousand rows, is
 * promoted to the old generation, and only a full collection frees it. Over a 1M-row import that
 * was 229 MB promoted (--trace-gc-nvp) and a 25-30 MB sawtooth in the parsing thread's heap; with
 * 64 KiB chunks the strings die young, and peak memory fell from 182-189 MiB to 142-146 at the same
 * speed (4 alternating imports; callgrind: 9.6 against 9.8 G instructions for 100k rows).
 */
const READ_CHUNK_BYTES = 1 << 16;

/**
 * Streams a CSV file record by record (memory stays flat however long the file is), decoding it
 * and hashing its bytes on the way. PapaParse is used because it parses our 1M-row benchmark
 * export about 3.5x faster than csv-parse, which is what keeps `import` near sqlite3's speed.
 */
export function readCsv(path: string, options: ReadCsvOptions): Promise<ReadCsvResult> {
  return new Promise((resolve, reject) => {
    const hash: Hash = createHash('sha256');
    let bytes = 0;
    const raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
    // What each U+FFFD of a UTF-8 file's text stands for; fed before the decoder sees the same bytes.
    const watch = options.encoding === 'utf8' ? new Utf8Watch() : null;
    raw.on('data', (chunk) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(buffer);
      watch?.feed(buffer);
      bytes += buffer.length;
      options.onBytes?.(bytes);
    });
    raw.on('end', () => watch?.end());
    raw.on('error', (error) => reject(new DunningError(`${path}: cannot read the file: ${error.message}`)));
    const text = raw.pipe(iconv.decodeStream(options.encoding === 'utf16le' ? 'utf-16le' : options.encoding));
    // Cells are searched for U+FFFD only once the decoded text has one (20 ns a cell, 0.1 s per 1M
    // rows otherwise). Listening before PapaParse does: it parses a chunk inside its own listener.
    const decoded = { replaced: false };
    text.on('data', (chunk: string) => {
      if (!decoded.replaced && chunk.includes('\ufffd')) decoded.replaced = true;
    });
    const records = recordStepper(path, options, text, { decoded, watch });
    Papa.parse<string[]>(text, {
      delimiter: options.delimiter,
      quoteChar: '"',
      skipEmptyLines: false,
      step: records.step,
      complete: () => {
        if (records.failure !== undefined) {
          raw.destroy();
          reject(records.failure instanceof Error ? records.failure : new Error('reading stopped'));
        } else {
          resolve({ sha256: hash.digest('hex'), bytes });
        }
      },
      error: (error: Error) => reject(new DunningError(`${path}: cannot read the file: ${error.message}`)),
    });
  });
}

/** PapaParse's step callback for one file: counts lines, hands each record on, and keeps why reading stopped. */
function recordStepper(path: string, options: ReadCsvOptions, text: NodeJS.ReadableStream, marks: { decoded: { replaced: boolean }; watch: Utf8Watch | null }) {
  let line = 1;
  const state: { failure: unknown; step: (result: Papa.ParseStepResult<string[]>, parser: Papa.Parser) => void } = {
    failure: undefined,
    step: (result, parser) => {
      // Pausing the parser alone lets PapaParse queue the rest of the stream in memory; hold the stream too.
      if (line === 1) {
        options.onParser?.({
          pause: () => {
            parser.pause();
            text.pause();
          },
          resume: () => {
            text.resume();
            parser.resume();
          },
        });
      }
      const start = line;
      const cells = result.data;
      // A file that mixes CRLF and LF (rows pasted from elsewhere) leaves a CR at the end of some rows.
      const last = cells.length - 1;
      if (last >= 0 && cells[last]?.endsWith('\r') === true) cells[last] = cells[last].slice(0, -1);
      // A quoted cell may span lines; count them so the next record's line is right.
      for (const cell of cells) if (cell.includes('\n')) line += cell.split('\n').length - 1;
      line += 1;
      if (cells.length === 1 && cells[0] === '') return;
      const malformed = result.errors.length > 0;
      if (malformed && result.errors.some((e) => e.code === 'MissingQuotes')) {
        state.failure = new DunningError(`${path}:${start}: a quoted cell that starts in this row is never closed`, {
          hint: 'a cell begins with " but has no closing "; fix the quote (inside a quoted cell, write "" for one ")',
        });
        parser.abort();
        return;
      }
      try {
        const undecodable = marks.decoded.replaced && cells.some((c) => c.includes('\ufffd')) ? firstUndecodable(cells, options.delimiter, marks.watch) : null;
        options.onRecord({ line: start, endLine: line - 1, cells, malformed, undecodable });
      } catch (error) {
        state.failure = error;
        parser.abort();
      }
    },
  };
  return state;
}

/**
 * The first U+FFFD of a record: its column as the file wrote the line (a cell holding the delimiter,
 * a quote or a line break was quoted; in a cell across lines, the column on its own line), and the
 * byte behind it. Takes the marks of every U+FFFD of the record, so the next record's line up.
 */
function firstUndecodable(cells: readonly string[], delimiter: Delimiter, watch: Utf8Watch | null): Undecodable | null {
  let written = '';
  let first: Undecodable | null = null;
  for (const [i, cell] of cells.entries()) {
    const quoted = cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r');
    const text = quoted ? `"${cell.replaceAll('"', '""')}"` : cell;
    const marks = watch?.take(countOf(cell, '\ufffd')) ?? [];
    const at = text.indexOf('\ufffd');
    if (i > 0) written += delimiter;
    if (first === null && at >= 0) {
      const before = written + text.slice(0, at);
      const mark = marks[0];
      first = { column: before.length - before.lastIndexOf('\n'), byte: mark !== undefined && 'byte' in mark ? mark.byte : null };
    }
    written += text;
  }
  return first;
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/** The SHA-256 of a file, to recognise an export imported before. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    // One reused buffer: a stream's fresh 1 MiB chunks pile up until the GC runs (~80 MB for 112 MB).
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

import { isAscii } from 'node:buffer';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { Config, PresetName } from '../config/schema.js';
import type { DateOrder } from '../core/dates.js';
import { DunningError } from '../core/errors.js';
import type { NumberFormat } from '../core/money.js';
import type { ReadingRules } from '../core/order-line.js';
import { GENERIC_STATUS, mapColumns, type ColumnMapping } from './presets/index.js';
import { sniffDelimiter, sniffEncoding, type Delimiter, type Encoding } from './sniff.js';

const HEAD_BYTES = 64 * 1024;
const LATER_SEARCH_BYTES = 16 * 1024 * 1024;
// Bump when reading rules change, so an unchanged file is read again rather than skipped.
const READER_VERSION = 2;

/** What the command line says about how to read the files. */
export interface ReadOverrides {
  preset: PresetName | 'auto';
  encoding: Encoding | 'auto';
  delimiter: Delimiter | 'auto';
  mode: 'snapshot' | 'partial' | undefined;
  source: string | undefined;
}

/** An export file, looked at but not yet read: its layout, source and the rules to read it by. */
export interface OpenedExport {
  path: string;
  size: number;
  encoding: Encoding;
  delimiter: Delimiter;
  headers: string[];
  mapping: ColumnMapping;
  source: string;
  mode: 'snapshot' | 'partial';
  rules: ReadingRules;
  /** Changes when anything that decides how rows are read changes. */
  settingsHash: string;
}

/**
 * Looks at the start of an export: refuses what cannot be one (missing, empty, binary, no
 * required columns) and decides encoding, delimiter, preset, source and mode.
 */
export function openExport(path: string, config: Config & { timeZone: string }, overrides: ReadOverrides): OpenedExport {
  const { head, size, later } = readHead(path);
  const sniffed = sniffEncoding(head, later);
  if (sniffed.kind === 'empty') throw new DunningError(`${path}: the file is empty`, { hint: 'export the pending payments again; the file has no header row' });
  if (sniffed.kind === 'binary') throw new DunningError(`${path}: not a CSV export: ${sniffed.reason}`);
  const encoding = pick(overrides.encoding, config.import.encoding, sniffed.encoding);
  const text = iconv.decode(head, encoding === 'utf16le' ? 'utf-16le' : encoding);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = pick(overrides.delimiter, config.import.delimiter, sniffDelimiter(firstLine));
  const headers = parseHeader(path, text, delimiter, head.length < size);
  const mapping = mapColumns(path, headers, overrides.preset === 'auto' ? config.import.preset : overrides.preset, config.import.columns, { dueAfterDays: config.import.dueAfterDays });
  const source = overrides.source ?? config.import.source ?? mapping.preset?.name ?? 'custom';
  const mode = overrides.mode ?? config.import.mode ?? (mapping.preset?.snapshot === true ? 'snapshot' : 'partial');
  const rules: ReadingRules = {
    numberFormat: pick<NumberFormat>('auto', config.import.numberFormat, mapping.preset?.numberFormat ?? 'auto'),
    dateOrder: pick<DateOrder>('auto', config.import.dateOrder, mapping.preset?.dateOrder ?? 'auto'),
    timeZone: config.timeZone,
    currency: config.currency,
    wallZone: mapping.preset?.wallZone,
    // A status column mapped by the config alone reads the generic status values.
    status: mapping.fields.has('status') ? (mapping.preset?.status ?? GENERIC_STATUS) : undefined,
    dueAfterDays: config.import.dueAfterDays ?? mapping.preset?.dueAfterDays ?? null,
  };
  const settings = { READER_VERSION, encoding, delimiter, mapping: [...mapping.fields.entries()], extra: mapping.extra, source, mode, rules };
  const settingsHash = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
  return { path, size, encoding, delimiter, headers, mapping, source, mode, rules, settingsHash };
}

/** The first bytes of a file, its size, and (when the head is plain ASCII) a window from the first byte above 0x7f. */
function readHead(path: string): { head: Buffer; size: number; later: Buffer | undefined } {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new DunningError(`${path}: not a file`);
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
      const read = readSync(fd, head, 0, head.length, 0);
      const later = read < stat.size && isAscii(head.subarray(0, read)) ? windowAtFirstHighByte(fd, read) : undefined;
      return { head: head.subarray(0, read), size: stat.size, later };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof DunningError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DunningError(`${path}: no such file`, { hint: 'check the path of the export' });
    throw new DunningError(`${path}: cannot read the file (${code ?? String(error)})`);
  }
}

/**
 * The encoding of a file whose head is ASCII shows where its first other byte is: a window from
 * there, searched for in at most LATER_SEARCH_BYTES (past that, UTF-8 is assumed and a stray byte
 * is its row's error).
 */
function windowAtFirstHighByte(fd: number, from: number): Buffer | undefined {
  const chunk = Buffer.alloc(HEAD_BYTES);
  for (let position = from; position < from + LATER_SEARCH_BYTES; ) {
    const read = readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) return undefined;
    const bytes = chunk.subarray(0, read);
    if (!isAscii(bytes)) {
      const first = bytes.findIndex((byte) => byte > 0x7f);
      const window = Buffer.alloc(HEAD_BYTES);
      return window.subarray(0, readSync(fd, window, 0, window.length, position + first));
    }
    position += read;
  }
  return undefined;
}

/** The command line wins over the config, which wins over what was detected. */
function pick<T extends string>(option: T | 'auto', configured: T | 'auto', detected: T): T {
  if (option !== 'auto') return option;
  if (configured !== 'auto') return configured;
  return detected;
}

function parseHeader(path: string, text: string, delimiter: Delimiter, truncated: boolean): string[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { delimiter, preview: 1 });
  const headers = parsed.data[0] ?? [];
  if (truncated && !/\r?\n/.test(text)) {
    throw new DunningError(`${path}: the first line is longer than ${HEAD_BYTES / 1024} KiB; this is not a header row of an export`);
  }
  if (headers.every((h) => h.trim() === '')) throw new DunningError(`${path}: the first line is empty; an export starts with its header row`);
  return headers;
}

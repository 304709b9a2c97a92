import { Worker } from 'node:worker_threads';
import { DunningError, type ExitCodeValue } from '../core/errors.js';
import { PARSE_WORKER_FILE } from '../paths.js';
import { readCsv } from './csv-reader.js';
import { readRow, type ReadRow, type RowLayout } from './read-rows.js';
import { readBatch, type RowBatch } from './row-batch.js';
import type { RepeatFilter } from './repeat-filter.js';

/**
 * Rows per message between the threads: big enough to make messaging cheap, small enough to keep
 * memory flat (a batch is one string and a few typed arrays, ~80 KB for 500 rows).
 */
export const BATCH_ROWS = 500;
/**
 * Batches the parsing thread may run ahead of the writing one. With 2 the threads stalled each
 * other on every hiccup (each was idle ~15% of a 1M-row import); with 8 the same CPU time took
 * 6-8% less wall-clock time (wall/CPU 0.58-0.59 against 0.60-0.63, 7 alternating pairs), at the
 * same peak memory (171-182 MiB either way; 16 ahead was no better).
 */
export const BATCHES_AHEAD = 8;
/** From this size a file is parsed in a worker thread while the main thread writes; below, a thread costs more than it saves. */
export const WORKER_FROM_BYTES = 8 << 20;
/**
 * The parsing thread's young generation: it makes a row's worth of short-lived garbage per row, and
 * a bigger space means fewer collections (684 of them for a 1M-row import with 8 MiB). Once the
 * file is read in small chunks (csv-reader.ts), 32 MiB against 8: 4% fewer instructions (callgrind,
 * 100k rows: 9.38 against 9.79 G), 5% less wall-clock time over 4 alternating 1M-row imports, and
 * peak memory 161-167 MiB against 142-145 (the limit is 200).
 */
const YOUNG_MB = 32;

/** What the parsing thread says: a batch of rows, the end, or why it stopped. */
export type ParserMessage =
  | { kind: 'rows'; rows: RowBatch; bytes: number }
  | { kind: 'done'; sha256: string; bytes: number }
  | { kind: 'error'; message: string; hint: string | undefined; details: readonly string[]; exitCode: ExitCodeValue };

/** What a parsing thread starts with: how to read the file, and the memory of the run's RepeatFilter. */
export interface ParserData {
  layout: RowLayout;
  repeatMemory: SharedArrayBuffer;
}

export interface StreamRowsOptions {
  /** Called with each batch of rows, in file order; may throw to stop reading. */
  onRows: (rows: readonly ReadRow[]) => void;
  onBytes?: (bytes: number) => void;
  inWorker: boolean;
  /** The keys the run has read so far: every good row's key is marked. */
  repeats: RepeatFilter;
}

/** Reads every data row of an export in file order, in this thread or a worker; resolves with the file's hash and size. */
export function streamRows(layout: RowLayout, options: StreamRowsOptions): Promise<{ sha256: string; bytes: number }> {
  options.repeats.sync();
  const streamed = options.inWorker ? streamInWorker(layout, options) : streamHere(layout, options);
  return streamed.then((result) => {
    options.repeats.sync();
    return result;
  });
}

function streamHere(layout: RowLayout, options: StreamRowsOptions): Promise<{ sha256: string; bytes: number }> {
  let isHeader = true;
  return readCsv(layout.path, {
    encoding: layout.encoding,
    delimiter: layout.delimiter,
    onBytes: options.onBytes,
    onRecord: (record) => {
      if (isHeader) isHeader = false;
      else {
        const row = readRow(record, layout);
        // This thread keeps every row's cells; the mark is for the files a worker reads after this one.
        if (row.ok) options.repeats.markRead(row.order.orderId, row.order.dueDate);
        options.onRows([row]);
      }
    },
  });
}

function streamInWorker(layout: RowLayout, options: StreamRowsOptions): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(PARSE_WORKER_FILE, { workerData: { layout, repeatMemory: options.repeats.memory } satisfies ParserData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      outcome();
    };
    worker.on('message', (message: ParserMessage) => {
      if (settled) return;
      if (message.kind === 'rows') {
        try {
          options.onRows(readBatch(message.rows));
          options.onBytes?.(message.bytes);
          worker.postMessage('ack');
        } catch (error) {
          settle(() => reject(error instanceof Error ? error : new Error(String(error))));
        }
      } else if (message.kind === 'done') {
        settle(() => resolve({ sha256: message.sha256, bytes: message.bytes }));
      } else {
        const { hint, details, exitCode } = message;
        settle(() => reject(new DunningError(message.message, { hint, details, exitCode })));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the parsing thread stopped early (exit code ${code})`))));
  });
}

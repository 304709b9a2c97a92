import { Worker } from 'node:worker_threads';
import { DunningError, type ExitCodeValue } from '../../core/errors.js';
import { PARSE_WORKER_FILE } from '../../paths.js';
import { readCsv, type CsvRecord } from '../csv-reader.js';
import { LineItemJoiner } from '../line-items.js';
import { readRow, type ReadRow, type RowLayout } from '../read-rows.js';
import type { RepeatFilter } from './repeat-filter.js';
import { readBatch, type RowBatch } from './row-batch.js';

/**
 * Rows per message between the threads: big enough to make messaging cheap, small enough to keep
 * memory flat (a batch is one string and a few typed arrays, ~80 KB for 500 rows).
 */
export const BATCH_ROWS = 500;
/**
 * Batches the parsing thread may run ahead of the writing one. With 2 the threads stalled each
 * other on every hiccup (each was idle ~15% of a 1M-row import); with 8 the same CPU time took
 * 6-8% less wall-clock time (wall/CPU 0.58-0.59 against 0.60-0.63, 7 alternating pairs of
 * npm run bench:import), at the same peak memory.
 */
export const BATCHES_AHEAD = 8;
/** From this size a file is parsed in a worker thread while the main thread writes; below, a thread costs more than it saves. */
export const WORKER_FROM_BYTES = 8 << 20;
/**
 * The parsing thread's young generation: it makes a row's worth of short-lived garbage per row, and
 * a bigger space means fewer collections (684 of them per 1M rows with V8's default of 8 MiB). Four
 * alternating pairs of 1M-row imports (2026-12-04): 6.28 s against 6.54 s without it (4%), the same
 * peak memory (170-172 MiB); measured with the import of npm run bench:import.
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

/** The rows of one file as they are read, and, once they all were, the file's hash and size. */
export interface RowStream {
  rows: AsyncIterable<ReadRow[]>;
  result: Promise<{ sha256: string; bytes: number }>;
}

/** Batches handed from a reader to the loop that applies them; `taken` tells the reader one was taken. */
class Handover {
  private readonly batches: ReadRow[][] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;

  constructor(private readonly taken: () => void) {}

  get backlog(): number {
    return this.batches.length;
  }

  push(batch: ReadRow[]): void {
    this.batches.push(batch);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.wake?.();
  }

  async *drain(): AsyncGenerator<ReadRow[]> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure.error;
      const batch = this.batches.shift();
      if (batch !== undefined) {
        this.taken();
        yield batch;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/** Reads every data row of an export in file order, in this thread or a worker. */
export function streamRows(layout: RowLayout, options: { inWorker: boolean; repeats: RepeatFilter; onBytes?: ((bytes: number) => void) | undefined }): RowStream {
  options.repeats.sync();
  const stream = options.inWorker ? streamInWorker(layout, options) : streamHere(layout, options);
  const result = stream.result.then((done) => {
    options.repeats.sync();
    return done;
  });
  // A failure reaches the loop over the rows first; whoever waits on the result afterwards sees it too.
  result.catch(() => undefined);
  return { rows: stream.rows, result };
}

function streamHere(layout: RowLayout, options: { repeats: RepeatFilter; onBytes?: ((bytes: number) => void) | undefined }): RowStream {
  let parser: { pause(): void; resume(): void } | undefined;
  let paused = false;
  const handover = new Handover(() => {
    if (paused && handover.backlog < BATCHES_AHEAD) {
      paused = false;
      parser?.resume();
    }
  });
  let isHeader = true;
  let batch: ReadRow[] = [];
  const take = (record: CsvRecord): void => {
      const row = readRow(record, layout);
      // This thread keeps every row's cells; the mark is for the files a worker reads after this one.
      if (row.ok) options.repeats.markRead(row.order.orderId, row.order.dueDate);
      batch.push(row);
      if (batch.length < BATCH_ROWS) return;
      handover.push(batch);
      batch = [];
      if (handover.backlog >= BATCHES_AHEAD && parser !== undefined) {
        paused = true;
        parser.pause();
      }
  };
  const joiner = LineItemJoiner.applies(layout) ? new LineItemJoiner(layout, take) : undefined;
  const result = readCsv(layout.path, {
    encoding: layout.encoding,
    delimiter: layout.delimiter,
    onBytes: options.onBytes,
    onParser: (control) => (parser = control),
    onRecord: (record) => {
      if (isHeader) {
        isHeader = false;
        return;
      }
      if (joiner !== undefined) joiner.push(record);
      else take(record);
    },
  }).then(
    (done) => {
      joiner?.end();
      if (batch.length > 0) handover.push(batch);
      handover.end();
      return done;
    },
    (error: unknown) => {
      handover.fail(error);
      throw error;
    },
  );
  return { rows: handover.drain(), result };
}

function streamInWorker(layout: RowLayout, options: { repeats: RepeatFilter; onBytes?: ((bytes: number) => void) | undefined }): RowStream {
  const worker = new Worker(PARSE_WORKER_FILE, { workerData: { layout, repeatMemory: options.repeats.memory } satisfies ParserData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
  // The writer acknowledges each batch it takes; the parsing thread waits while it is BATCHES_AHEAD behind.
  const handover = new Handover(() => worker.postMessage('ack'));
  const result = new Promise<{ sha256: string; bytes: number }>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      outcome();
    };
    const fail = (error: unknown): void =>
      settle(() => {
        handover.fail(error);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    worker.on('message', (message: ParserMessage) => {
      if (settled) return;
      if (message.kind === 'rows') {
        handover.push(readBatch(message.rows));
        options.onBytes?.(message.bytes);
      } else if (message.kind === 'done') {
        settle(() => {
          handover.end();
          resolve({ sha256: message.sha256, bytes: message.bytes });
        });
      } else {
        fail(new DunningError(message.message, { hint: message.hint, details: message.details, exitCode: message.exitCode }));
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the parsing thread stopped early (exit code ${code})`)));
  });
  return {
    rows: (async function* () {
      try {
        yield* handover.drain();
      } finally {
        // The loop stopped early (an error while applying the rows): the thread has nothing more to do.
        void worker.terminate();
      }
    })(),
    result,
  };
}

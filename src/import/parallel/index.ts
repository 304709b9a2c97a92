import type { RowLayout, ReadRow } from '../read-rows.js';
import { RepeatFilter } from './repeat-filter.js';
import { streamRows, WORKER_FROM_BYTES, type RowStream } from './stream-rows.js';

export type { RowStream } from './stream-rows.js';

/**
 * The one door to the import's speed machinery. Reads the rows of a run's exports, checked, in file
 * order: a file from 8 MiB on in a worker thread that reads and checks while this thread writes
 * (packed batches, and a Bloom filter of the run's keys so that a row's cells cross threads only
 * when the row may repeat an earlier one). What each part buys is measured by `npm run bench:import`
 * on 1,000,000 rows and written beside it and in bench/README.md (the thread and the packed batches:
 * 2.6 s of the parsing thread and 1.4 s of the writing one; the filter: 16.1-16.3 s -> 14.1-15.3 s).
 */
export class ExportReader {
  // One filter for every file of the run: a row may repeat a row of another file.
  private readonly repeats = new RepeatFilter();

  /** The checked rows of one file, in batches, and its hash and size once read. */
  read(layout: RowLayout & { size: number }, onBytes?: (bytes: number) => void): RowStream {
    return streamRows(layout, { inWorker: layout.size >= WORKER_FROM_BYTES, repeats: this.repeats, onBytes });
  }
}

/** A row the reader read. */
export type { ReadRow };

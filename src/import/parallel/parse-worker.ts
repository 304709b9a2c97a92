// The parsing thread of a large import: it reads and checks rows while the main thread writes them.
import { parentPort, workerData } from 'node:worker_threads';
import { DunningError, ExitCode } from '../../core/errors.js';
import { readCsv, type CsvRecord } from '../csv-reader.js';
import { LineItemJoiner } from '../line-items.js';
import { readRow } from '../read-rows.js';
import { RowBatchWriter } from './row-batch.js';
import { RepeatFilter } from './repeat-filter.js';
import { BATCHES_AHEAD, BATCH_ROWS, type ParserMessage, type ParserData } from './stream-rows.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker runs as a worker thread only');
const { layout, repeatMemory } = workerData as ParserData;
const repeats = new RepeatFilter(repeatMemory);
repeats.sync();

const batch = new RowBatchWriter(BATCH_ROWS);
let count = 0;
let bytes = 0;
let ahead = 0;
let parser: { pause(): void; resume(): void } | undefined;
let paused = false;
let isHeader = true;

const post = (message: ParserMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

function postRows(read: number): void {
  const { batch: rows, transfer } = batch.take();
  post({ kind: 'rows', rows, bytes: read }, transfer);
}

// The writer acknowledges each batch; reading waits while it is BATCHES_AHEAD behind, so memory stays flat.
port.on('message', () => {
  ahead--;
  if (paused && ahead < BATCHES_AHEAD) {
    paused = false;
    parser?.resume();
  }
});

function flush(): void {
  postRows(bytes);
  count = 0;
  ahead++;
  if (ahead >= BATCHES_AHEAD && parser !== undefined) {
    paused = true;
    parser.pause();
  }
}

function take(record: CsvRecord): void {
  const row = readRow(record, layout);
  batch.add(row, row.ok && repeats.markRead(row.order.orderId, row.order.dueDate));
  if (++count >= BATCH_ROWS) flush();
}
const joiner = LineItemJoiner.applies(layout) ? new LineItemJoiner(layout, take) : undefined;

readCsv(layout.path, {
  encoding: layout.encoding,
  delimiter: layout.delimiter,
  onParser: (control) => (parser = control),
  onBytes: (read) => (bytes = read),
  onRecord: (record) => {
    if (isHeader) {
      isHeader = false;
      return;
    }
    if (joiner !== undefined) joiner.push(record);
    else take(record);
  },
}).then(
  (result) => {
    joiner?.end();
    if (!batch.isEmpty) postRows(result.bytes);
    repeats.sync();
    post({ kind: 'done', sha256: result.sha256, bytes: result.bytes });
  },
  (error: unknown) => {
    const known = error instanceof DunningError;
    post({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
      hint: known ? error.hint : undefined,
      details: known ? error.details : [],
      exitCode: known ? error.exitCode : ExitCode.internal,
    });
  },
);

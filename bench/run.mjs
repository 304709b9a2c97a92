// npm run bench: times `dunning import` of a seeded 1M-row elopage export into a fresh database (by turns with sqlite3, medians),
// the unchanged re-import, next week's file, `dunning status`, `dunning export` and `dunning send --dry-run` over the result, and sqlite3's own .import of the same file, as whole processes.
// Usage: node bench/run.mjs [ROWS]   (data under bench/data/, git-ignored; BENCH_RUNS=N first imports, default 3)
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateExport } from './generate-export.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = `${root}bench/data/`;
const rows = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const exportFile = `${data}export-${rows}.csv`;
const dbFile = `${data}bench.db`;
const sqliteFile = `${data}sqlite3-import.db`;
const changedFile = `${data}changed-${rows}.csv`;

/** Runs a command to its end; returns wall seconds, exit code, output and (for dunning) peak RSS. */
function timed(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: data, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let peak = '';
    child.stdout.on('data', (s) => (stdout += s));
    child.stderr.on('data', (s) => (stderr += s));
    child.stdio[3].on('data', (s) => (peak += s));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0 && !options.mayFail) reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stdout}\n${stderr}`));
      resolve({ seconds, code, stdout, stderr, maxRssBytes: peak === '' ? undefined : JSON.parse(peak).maxRssBytes });
    });
  });
}

/** Next week's export: the same rows, with every 100th order's open amount lowered to 10,00 (a partial payment). */
async function writeChanged(from, to) {
  // Open amount, paid amount and due date sit side by side; quoted product names may hold ";" but never this run.
  const amounts = /;\d[\d.]*,\d\d;(\d[\d.]*,\d\d;\d\d\.\d\d\.\d{4};)/;
  const out = createWriteStream(to);
  let n = 0;
  let chunk = '';
  for await (const line of createInterface({ input: createReadStream(from), crlfDelay: Infinity })) {
    n++;
    chunk += `${n > 1 && n % 100 === 0 ? line.replace(amounts, ';10,00;$1') : line}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

function removeDb(path) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

const dunning = (...args) => timed(process.execPath, [`${root}bench/with-peak-rss.mjs`, '--now', '2026-11-23T09:00:00+01:00', '--db', dbFile, ...args]);

mkdirSync(data, { recursive: true });
// A merchant's config: the pay links of the seller's elopage shop, and a sender for the dry run's messages.
writeFileSync(`${data}dunning.config.json`, JSON.stringify({
  timeZone: 'Europe/Berlin',
  seller: 'yoga-sonnenschein',
  sender: { name: 'Yoga-Akademie Sonnenschein', email: 'buchhaltung@yoga-sonnenschein.example', company: 'Yoga-Akademie Sonnenschein GmbH' },
}));
if (!existsSync(`${root}dist/cli.js`)) throw new Error('dist/ is missing: run "npm run build" (npm run bench does)');
if (!existsSync(exportFile)) {
  console.log(`generating ${exportFile} (${rows} rows, seed 42) ...`);
  await generateExport(rows, exportFile);
}
const bytes = statSync(exportFile).size;

const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;
// The machine's speed drifts by a third from minute to minute: sqlite3 and dunning run by turns,
// RUNS times, and the medians are compared.
const firsts = [];
const sqlites = [];
for (let run = 0; run < RUNS; run++) {
  if (hasSqlite3) {
    removeDb(sqliteFile);
    sqlites.push(await timed('sqlite3', [sqliteFile, '.mode csv', '.separator ;', `.import ${exportFile} orders`]));
    removeDb(sqliteFile);
  }
  removeDb(dbFile);
  firsts.push(await dunning('import', exportFile));
}
const median = (runs) => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
const first = { ...median(firsts), maxRssBytes: Math.max(...firsts.map((r) => r.maxRssBytes)) };
const sqlite = hasSqlite3 ? median(sqlites) : undefined;
const again = await dunning('import', exportFile);
if (!/identical to import/.test(again.stdout)) throw new Error(`the re-import was not recognised as unchanged:\n${again.stdout}`);
await writeChanged(exportFile, changedFile);
const changed = await dunning('import', changedFile);
if (!new RegExp(`${Math.floor((rows + 1) / 100)} partial payments recorded`).test(changed.stdout)) throw new Error(`unexpected result of the changed import:\n${changed.stdout}`);
rmSync(changedFile, { force: true });
// The database now holds every row as an open case: what `status` costs the morning after.
const status = await dunning('status');
if (!new RegExp(`in ${rows} cases`).test(status.stdout)) throw new Error(`unexpected status:\n${status.stdout.slice(-500)}`);
const exportOut = `${data}merge-fields.csv`;
const exported = await dunning('export', '--out', exportOut);
const customers = Number(/Wrote (\d+) customers/.exec(exported.stderr)?.[1] ?? NaN);
if (!(customers > 0)) throw new Error(`unexpected export:\n${exported.stderr}`);
rmSync(exportOut, { force: true });
// The plan, rendered message by message, of everyone due: what a cron line's dry run costs.
const dryRun = await dunning('send', '--dry-run', '--allow-stale');
if (!/Dry run: [\d,]+ messages would be sent/.test(dryRun.stdout)) throw new Error(`unexpected dry run:\n${dryRun.stdout.slice(-500)}\n${dryRun.stderr.slice(-500)}`);

const mb = (n) => (n / 1024 / 1024).toFixed(0);
const result = {
  rows,
  fileMB: Number(mb(bytes)),
  cpus: cpus().length,
  node: process.version,
  runs: RUNS,
  importSeconds: Number(first.seconds.toFixed(2)),
  importSecondsEach: firsts.map((r) => Number(r.seconds.toFixed(2))),
  importRowsPerSecond: Math.round(rows / first.seconds),
  importPeakRssMB: Number(mb(first.maxRssBytes)),
  reimportSeconds: Number(again.seconds.toFixed(2)),
  reimportPeakRssMB: Number(mb(again.maxRssBytes)),
  reimportShare: Number((again.seconds / first.seconds).toFixed(3)),
  changedSeconds: Number(changed.seconds.toFixed(2)),
  changedPeakRssMB: Number(mb(changed.maxRssBytes)),
  statusSeconds: Number(status.seconds.toFixed(2)),
  statusPeakRssMB: Number(mb(status.maxRssBytes)),
  exportCustomers: customers,
  exportSeconds: Number(exported.seconds.toFixed(2)),
  exportPeakRssMB: Number(mb(exported.maxRssBytes)),
  dryRunSeconds: Number(dryRun.seconds.toFixed(2)),
  dryRunPeakRssMB: Number(mb(dryRun.maxRssBytes)),
  sqlite3Seconds: sqlite ? Number(sqlite.seconds.toFixed(2)) : null,
  sqlite3SecondsEach: sqlites.map((r) => Number(r.seconds.toFixed(2))),
  ratioToSqlite3: sqlite ? Number((first.seconds / sqlite.seconds).toFixed(2)) : null,
};

const table = [
  ['what', 'seconds', 'rows/s', 'peak RSS'],
  [`dunning import (${rows} rows, ${result.fileMB} MB), median of ${RUNS}`, result.importSeconds, result.importRowsPerSecond, `${result.importPeakRssMB} MB`],
  ['dunning import, same file again', result.reimportSeconds, '', `${result.reimportPeakRssMB} MB`],
  ['dunning import, 1% of amounts lowered', result.changedSeconds, Math.round(rows / changed.seconds), `${result.changedPeakRssMB} MB`],
  [`dunning status over the ${rows} open cases`, result.statusSeconds, '', `${result.statusPeakRssMB} MB`],
  [`dunning export --out of the ${customers} customers due`, result.exportSeconds, '', `${result.exportPeakRssMB} MB`],
  ['dunning send --dry-run (every message rendered)', result.dryRunSeconds, '', `${result.dryRunPeakRssMB} MB`],
  sqlite ? [`sqlite3 .import into a plain table, median of ${RUNS}`, result.sqlite3Seconds, Math.round(rows / sqlite.seconds), ''] : ['sqlite3 .import', 'skipped: no sqlite3 on PATH', '', ''],
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
for (const r of table) console.log(r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
console.log(`re-import / import: ${result.reimportShare} (target < 0.25)`);
console.log(sqlite ? `dunning / sqlite3: ${result.ratioToSqlite3}x (target <= 2x); peak RSS target < 200 MB` : 'dunning / sqlite3: skipped (install sqlite3 to compare)');
console.log(JSON.stringify(result));
removeDb(dbFile);

// npm run bench:pg: times `dunning import` of the seeded 1M-row export into PostgreSQL, by turns with
// `psql \copy` of the same file into a plain table (the floor the issue names), `psql \copy` of the rows
// dunning wrote into an empty table like `cases` (its columns, indexes and checks: the floor for this
// schema) and `dunning import` into a SQLite file, as whole processes, RUNS times each; medians compared.
// Usage: node bench/pg-import.mjs [ROWS]   (BENCH_RUNS=N, default 3; DUNNING_BENCH_PG=postgres://... to use a
// server of your own, a database you may create and drop databases in; else a throwaway cluster on 127.0.0.1)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateExport } from './generate-export.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = `${root}bench/data/`;
const rows = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const exportFile = `${data}export-${rows}.csv`;
const sqliteDb = `${data}bench-pg-compare.db`;

/** Runs a command to its end; returns its wall seconds, or throws with its output. */
function timed(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: data, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
    let out = '';
    child.stdout.on('data', (s) => (out += s));
    child.stderr.on('data', (s) => (out += s));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${out.slice(-2000)}`));
      else resolve({ seconds, out });
    });
  });
}

/** A throwaway cluster from scripts/pg-test-server.sh, or the server DUNNING_BENCH_PG names. */
function server() {
  if (process.env.DUNNING_BENCH_PG) return { url: process.env.DUNNING_BENCH_PG, stop: () => {} };
  const started = spawnSync('bash', [`${root}scripts/pg-test-server.sh`, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (started.status !== 0) return undefined;
  const url = /DUNNING_TEST_PG='([^']+)'/.exec(started.stdout)[1];
  const dir = /PG_TEST_DIR='([^']+)'/.exec(started.stdout)[1];
  return { url, stop: () => spawnSync('bash', [`${root}scripts/pg-test-server.sh`, 'stop', dir], { stdio: 'inherit' }) };
}

const inDatabase = (url, name) => Object.assign(new URL(url), { pathname: `/${name}` }).href;
const psql = (url, sql) => timed('psql', ['-v', 'ON_ERROR_STOP=1', '-q', url, '-c', sql]);
const fresh = async (admin, name) => {
  await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  await psql(admin, `CREATE DATABASE ${name}`);
  return inDatabase(admin, name);
};

mkdirSync(data, { recursive: true });
writeFileSync(`${data}dunning.config.json`, JSON.stringify({
  timeZone: 'Europe/Berlin',
  seller: 'yoga-sonnenschein',
  sender: { name: 'Yoga-Akademie Sonnenschein', email: 'buchhaltung@yoga-sonnenschein.example', company: 'Yoga-Akademie Sonnenschein GmbH' },
}));
if (!existsSync(`${root}dist/cli.js`)) throw new Error('dist/ is missing: run "npm run build" (npm run bench does)');
if (spawnSync('psql', ['--version']).status !== 0) {
  console.log('PostgreSQL import: skipped (no psql on PATH; apt-get install postgresql)');
  process.exit(0);
}
const pg = server();
if (pg === undefined) {
  console.log('PostgreSQL import: skipped (no PostgreSQL server could be started; set DUNNING_BENCH_PG)');
  process.exit(0);
}
if (!existsSync(exportFile)) {
  console.log(`generating ${exportFile} (${rows} rows, seed 42) ...`);
  await generateExport(rows, exportFile);
}
// The plain table \copy fills: one text column per header of the export.
const headerCount = readFileSync(exportFile, 'utf8').slice(0, 4096).split('\n')[0].split(';').length;
const plainTable = `CREATE TABLE orders (${Array.from({ length: headerCount }, (_, i) => `c${i} text`).join(', ')})`;
const dunning = (db) => timed(process.execPath, [`${root}bin/dunning`, '--now', '2026-11-23T09:00:00+01:00', '--db', db, 'import', exportFile]);

const copies = [];
const caseCopies = [];
const pgImports = [];
const casesFile = `${data}cases-${rows}.copy`;
const sqliteImports = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const floor = await fresh(pg.url, 'bench_copy');
    await psql(floor, plainTable);
    copies.push(await psql(floor, `\\copy orders FROM '${exportFile}' WITH (FORMAT csv, DELIMITER ';', HEADER true)`));
    const target = await fresh(pg.url, 'bench_dunning');
    const imported = await dunning(target);
    if (!new RegExp(`${rows.toLocaleString('en-US')} new|${rows} new`).test(imported.out)) throw new Error(`unexpected import:\n${imported.out.slice(-1000)}`);
    pgImports.push(imported);
    await psql(target, `\\copy cases TO '${casesFile}'`);
    await psql(target, 'CREATE TABLE cases_again (LIKE cases INCLUDING ALL)');
    caseCopies.push(await psql(target, `\\copy cases_again FROM '${casesFile}'`));
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${sqliteDb}${suffix}`, { force: true });
    sqliteImports.push(await dunning(sqliteDb));
  }
  await psql(pg.url, 'DROP DATABASE IF EXISTS bench_copy');
  await psql(pg.url, 'DROP DATABASE IF EXISTS bench_dunning');
} finally {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${sqliteDb}${suffix}`, { force: true });
  rmSync(casesFile, { force: true });
  pg.stop();
}

const median = (runs) => [...runs].map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
const each = (runs) => runs.map((r) => Number(r.seconds.toFixed(2)));
const result = {
  rows,
  cpus: cpus().length,
  node: process.version,
  runs: RUNS,
  pgImportSeconds: Number(median(pgImports).toFixed(2)),
  pgImportSecondsEach: each(pgImports),
  psqlCopySeconds: Number(median(copies).toFixed(2)),
  psqlCopySecondsEach: each(copies),
  casesCopySeconds: Number(median(caseCopies).toFixed(2)),
  casesCopySecondsEach: each(caseCopies),
  sqliteImportSeconds: Number(median(sqliteImports).toFixed(2)),
  sqliteImportSecondsEach: each(sqliteImports),
  ratioToCopy: Number((median(pgImports) / median(copies)).toFixed(2)),
  ratioToCasesCopy: Number((median(pgImports) / median(caseCopies)).toFixed(2)),
};
console.log(`dunning import into PostgreSQL (${rows} rows), median of ${RUNS}: ${result.pgImportSeconds} s ${JSON.stringify(result.pgImportSecondsEach)}`);
console.log(`psql \\copy into a plain table:                 ${result.psqlCopySeconds} s ${JSON.stringify(result.psqlCopySecondsEach)}`);
console.log(`psql \\copy of dunning's rows into a cases table: ${result.casesCopySeconds} s ${JSON.stringify(result.casesCopySecondsEach)}`);
console.log(`dunning import into a SQLite file:              ${result.sqliteImportSeconds} s ${JSON.stringify(result.sqliteImportSecondsEach)}`);
console.log(`dunning (PostgreSQL) / psql \\copy of the export: ${result.ratioToCopy}x (target <= 2x); / \\copy of its rows into cases: ${result.ratioToCasesCopy}x`);
console.log(JSON.stringify(result));

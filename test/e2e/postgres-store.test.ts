import { afterEach, beforeEach, expect, it } from 'vitest';
import { MORNING } from '../support/exports.js';
import { createPgDatabase, databaseUrl, describePg, pgQuery, PG_SERVER, waitFor, type PgTestDatabase } from '../support/pg.js';
import { unusedPort } from '../support/smtp-sink.js';
import { lines } from '../support/run-cli.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// import, report, db migrate and db copy against PostgreSQL (issue 25), through the built CLI.

let world: Workspace;
let pg: PgTestDatabase;

function onPg(...args: string[]): ReturnType<Workspace['dunning']> {
  return world.dunning('--db', pg.url, ...args);
}

async function count(table: string): Promise<number> {
  return (await pgQuery<{ n: number }>(pg.url, `SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0;
}

describePg('the store through the CLI', () => {
  beforeEach(async () => {
    pg = await createPgDatabase();
    world = createWorld();
  });

  afterEach(async () => {
    world.cleanup();
    await pg.drop();
  });

  it('imports, closes what a later snapshot no longer lists, and reports as the SQLite store does', async () => {
    const first = world.writeExport(MORNING, 'morning.csv');
    const later = world.writeExport(MORNING.filter((o) => o.order !== '4712'), 'later.csv');
    for (const db of [pg.url, world.db]) {
      expect((await world.dunning('--db', db, 'import', first)).code).toBe(0);
      const closing = await world.dunning('--db', db, 'import', later);
      expect(closing.code).toBe(0);
      expect(closing.stdout).toContain('1 closed as paid');
    }
    expect(await pgQuery(pg.url, "SELECT status, closed_reason FROM cases WHERE order_id = '4712'")).toEqual([{ status: 'paid', closed_reason: 'missing_from_snapshot' }]);
    expect(await pgQuery(pg.url, "SELECT kind, amount_minor FROM payments")).toEqual([{ kind: 'missing_from_snapshot', amount_minor: 123456 }]);
    for (const command of [['status'], ['report'], ['customer', 'anna.mueller@example.de']]) {
      const [fromPg, fromFile] = [await onPg(...command), await world.dunning('--db', world.db, ...command)];
      expect(fromPg.code).toBe(0);
      expect(fromPg.stdout).toBe(fromFile.stdout);
    }
  });

  it('--strict with one bad row imports nothing: the import is one transaction', async () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => ({ email: `kunde${i}@example.de`, order: String(10_000 + i), open: '10,00', due: '16.11.2026' }));
    const file = world.writeExport([...rows, { email: 'not an address', order: '99999', open: '10,00', due: '16.11.2026' }]);
    const result = await onPg('import', '--strict', file);
    expect(result.code).toBe(2);
    expect(await count('cases')).toBe(0);
    expect(await count('imports')).toBe(0);
  });

  it('a large first import with rows listed twice keeps each first listing and refuses the repeats, as SQLite does', { timeout: 60_000 }, async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ email: `kunde${i}@example.de`, order: String(100_000 + i), open: '10,00', due: '16.11.2026' }));
    // Repeats right after their first listing, within one batch, and 55,000 rows later (past the first COPY).
    const repeats = [rows[3]!, rows[10]!, rows[1_000]!].map((r) => ({ ...r, email: 'later@example.de' }));
    const file = world.writeExport([...rows.slice(0, 4), repeats[0]!, ...rows.slice(4, 11), repeats[1]!, ...rows.slice(11), repeats[2]!]);
    const [onServer, onFile] = [await onPg('import', file), await world.dunning('--db', world.db, 'import', file)];
    expect(onServer.code).toBe(1);
    expect(onServer.stdout).toBe(onFile.stdout);
    expect(onServer.stderr).toBe(onFile.stderr);
    expect(onServer.stdout).toContain('60003 rows read: 60000 new');
    expect(onServer.stderr).toContain('listed twice');
    expect(await count('cases')).toBe(60_000);
    expect(await pgQuery(pg.url, "SELECT count(*)::int AS n FROM cases WHERE email = 'later@example.de'")).toEqual([{ n: 0 }]);
    expect((await onPg('status', '--all')).stdout).toBe((await world.dunning('--db', world.db, 'status', '--all')).stdout);
  });

  it('an import killed while it writes leaves nothing, and a later import works', { timeout: 120_000 }, async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ email: `kunde${i}@example.de`, order: String(100_000 + i), open: '10,00', due: '16.11.2026' }));
    const file = world.writeExport(rows);
    const killed = world.start(['--db', pg.url, 'import', file]);
    const writing = async (): Promise<boolean> =>
      (await pgQuery<{ n: number }>(PG_SERVER, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ? AND (query LIKE 'INSERT INTO cases%' OR query LIKE 'COPY cases%')", pg.name))[0]?.n !== 0;
    await waitFor(writing, 'the import to write cases', 4_000, 5);
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    await waitFor(async () => !(await writing()), 'the server to end the killed session');
    expect(await count('cases')).toBe(0);
    const again = await onPg('import', file);
    expect(again.code).toBe(0);
    expect(await count('cases')).toBe(60_000);
  });

  it('takes the database from DUNNING_DATABASE_URL when --db is not given, and prints no password', async () => {
    const file = world.writeExport(MORNING);
    const result = await world.run(['import', file], { DUNNING_DATABASE_URL: pg.url });
    expect(result.code).toBe(0);
    expect(await count('cases')).toBe(5);
    const password = new URL(pg.url).password;
    const runs = await world.run(['runs', '--json'], { DUNNING_DATABASE_URL: pg.url });
    expect(runs.stdout).not.toContain(password);
    // A URL given with --db is kept in the run log with its password masked; sslmode as the URL says.
    expect((await world.run(['--db', `${pg.url}?sslmode=disable`, 'status'])).code).toBe(0);
    const logged = await world.run(['--db', pg.url, 'runs', '--json']);
    expect(logged.stdout).not.toContain(password);
    expect(logged.stdout).toContain('postgres://postgres:***@');
  });

  it('says in one line why the server cannot be reached, the password was refused or the database is missing (exit 2)', async () => {
    const refused = `postgres://dunning:secret-pw@127.0.0.1:${await unusedPort()}/shop`;
    const wrong = new URL(pg.url);
    wrong.password = 'wrong-password';
    const cases: [string, RegExp][] = [
      [refused, /cannot open the database: the server refused the connection/],
      [wrong.toString(), /cannot open the database: the password was refused/],
      [databaseUrl('dunning_no_such_database'), /cannot open the database: the database does not exist/],
    ];
    for (const [url, message] of cases) {
      const result = await world.dunning('--db', url, 'status');
      expect(result.code).toBe(2);
      const [error, hint, ...rest] = lines(result.stderr);
      expect(error).toMatch(message);
      expect(hint).toMatch(/^hint: /);
      expect(rest).toEqual([]);
      expect(result.stderr).not.toContain('secret-pw');
      expect(result.stderr).not.toContain('wrong-password');
      expect(result.stderr).not.toContain(new URL(pg.url).password);
    }
  });

  it('db migrate brings a new database up to date, then finds it so', async () => {
    const first = await onPg('db', 'migrate');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/the schema was brought from version 0 to \d+\.$/m);
    const again = await onPg('db', 'migrate');
    expect(again.stdout).toMatch(/the schema is up to date \(version \d+\)\.$/m);
  });

  it('db copy moves a SQLite history into PostgreSQL (ids, counts, the same report) and refuses a target that is not empty', async () => {
    expect((await world.dunning('import', world.writeExport(MORNING))).code).toBe(0);
    expect((await world.dunning('customer', 'ben.schaefer@example.de', '--note', 'called him')).code).toBe(0);
    const copy = await world.dunning('db', 'copy', '--from', 'dunning.db', '--to', pg.url);
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.stdout).toMatch(/^cases +5$/m);
    expect(copy.stdout).toContain('every table\'s count matches the source');
    expect((await world.dunning('report')).stdout).toBe((await onPg('report')).stdout);
    // New rows are numbered after the copied ones.
    const runs = await pgQuery<{ id: number }>(pg.url, 'SELECT id FROM runs ORDER BY id');
    expect(runs.map((r) => r.id)).toEqual(runs.map((_, i) => i + 1));
    const before = await count('runs');
    const refused = await world.dunning('db', 'copy', '--from', 'dunning.db', '--to', pg.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already holds data: db copy writes only into an empty database/);
    expect(await count('cases')).toBe(5);
    expect(await count('runs')).toBe(before);
  });
});

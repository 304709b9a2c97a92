import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { typeParser } from '../../src/store/postgres/connection.js';

/**
 * A URL of a PostgreSQL server where the tests may create and drop databases
 * (scripts/pg-test-server.sh starts one and sets it). Unset outside CI, the PostgreSQL tests skip
 * and say so; unset in CI, they fail: CI must run both adapters.
 */
export const PG_SERVER = process.env.DUNNING_TEST_PG ?? '';
export const HAS_PG = PG_SERVER !== '';
const IN_CI = (process.env.CI ?? '') !== '' && process.env.CI !== 'false';

/** The adapters the store's tests run against. */
export type Adapter = 'sqlite' | 'postgres';
export const ADAPTERS: readonly Adapter[] = ['sqlite', 'postgres'];

/**
 * A describe block that needs PostgreSQL: run when DUNNING_TEST_PG is set, skipped (named so it
 * says why) when not, and failing in CI without it.
 */
export function describePg(name: string, body: () => void): void {
  if (HAS_PG) describe(`PostgreSQL: ${name}`, body);
  else if (IN_CI) describe(`PostgreSQL: ${name}`, () => it('needs DUNNING_TEST_PG in CI (scripts/pg-test-server.sh start)', () => {
    throw new Error('DUNNING_TEST_PG is not set: CI must run the PostgreSQL tests');
  }));
  else describe.skip(`PostgreSQL: set DUNNING_TEST_PG to run "${name}"`, body);
}

/** The same tests against each adapter: `body` gets the adapter; PostgreSQL's as describePg says. */
export function describeEachAdapter(name: string, body: (adapter: Adapter) => void): void {
  describe(`SQLite: ${name}`, () => body('sqlite'));
  describePg(name, () => body('postgres'));
}

/** A fresh, empty database on the test server: its URL, and drop() for after the tests. */
export interface PgTestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The URL of another database on the same server as `server`. */
export function databaseUrl(name: string, server = PG_SERVER): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates dunning_test_<random> on the test server. */
export async function createPgDatabase(): Promise<PgTestDatabase> {
  const name = `dunning_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  return {
    url: databaseUrl(name),
    name,
    // WITH (FORCE): a connection a killed CLI left behind does not keep the database.
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs one query against a database URL: `?` placeholders, as the SQLite helpers take them. */
export async function pgQuery<T>(url: string, sql: string, ...params: unknown[]): Promise<T[]> {
  // The adapter's own parsers: numbers for bigints, ISO text for instants, as the SQLite helpers give them.
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: typeParser } });
  await client.connect();
  try {
    let n = 0;
    return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Waits, in bounded steps, until an asynchronous `check` holds; fails when it never does. */
export async function waitFor(check: () => Promise<boolean>, what: string, steps = 600, stepMs = 25): Promise<void> {
  for (let i = 0; i < steps; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** How many messages of a PostgreSQL store are in each state. */
export async function pgStates(url: string): Promise<Record<string, number>> {
  const rows = await pgQuery<{ state: string; n: number }>(url, 'SELECT state, count(*) AS n FROM messages GROUP BY state ORDER BY state');
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

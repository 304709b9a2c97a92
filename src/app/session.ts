import { maskSecrets } from '../core/text.js';
import type { OpenStoreOptions, Store, StoreOpener } from './ports.js';

/** An open store with the run row of this invocation: every command invocation is one row in the run log. */
export interface Session {
  store: Store;
  runId: number;
}

/** Who is running: the command and its arguments as given. */
export interface Invocation {
  command: string;
  argv: readonly string[];
}

/** Opens the store and writes the start of this invocation's run, its arguments with secrets masked. */
export async function openSession(openStore: StoreOpener, location: string, options: OpenStoreOptions, run: Invocation, at: Date): Promise<Session> {
  const store = await openStore(location, options);
  try {
    const runId = await store.runs.start(run.command, run.argv.map(maskSecrets), at);
    return { store, runId };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Writes how the run ended and what it counted, and closes the store. */
export async function endSession(session: Session, at: Date, exitCode: number, summary: Record<string, unknown>): Promise<void> {
  try {
    await session.store.runs.finish(session.runId, at, exitCode, summary);
  } finally {
    await session.store.close();
  }
}

/**
 * Writes the run row of an invocation refused before it opened the store (a config or usage error),
 * so the run log shows every command. Only into a database that exists: a typo creates no file, and
 * a database that cannot be opened (newer schema, another program's) takes no run row.
 */
export async function recordRefusedRun(openStore: StoreOpener, location: string, run: Invocation, at: Date, exitCode: number, summary: Record<string, unknown>): Promise<void> {
  let session: Session;
  try {
    session = await openSession(openStore, location, { mustExist: true }, run, at);
  } catch {
    return;
  }
  await endSession(session, at, exitCode, summary);
}

import { afterEach } from 'vitest';
import { snapshot, type StoreSnapshot } from './db.js';
import { TEST_CONFIG } from './exports.js';
import { cliIn, type CliResult } from './run-cli.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

/** A merchant's folder: dunning.config.json, dunning.db, export files, and the CLI run inside it. */
export interface Workspace extends TempDir {
  db: string;
  dunning: (...args: string[]) => Promise<CliResult>;
  /** cases, imports and payments of ./dunning.db (null when there is none). */
  store: () => StoreSnapshot | null;
}

const open: TempDir[] = [];
afterEach(() => {
  for (const dir of open.splice(0)) dir.remove();
});

/** A fresh temp folder with the test config, removed after the test. */
export function workspace(config: Record<string, unknown> | null = TEST_CONFIG): Workspace {
  const dir = makeTempDir('e2e');
  open.push(dir);
  if (config !== null) dir.write('dunning.config.json', JSON.stringify(config, null, 2));
  const db = dir.file('dunning.db');
  return { ...dir, db, dunning: cliIn(dir.path), store: () => snapshot(db) };
}

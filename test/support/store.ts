import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema, type Config } from '../../src/config/schema.js';
import { importFiles } from '../../src/import/importer.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { startRun } from '../../src/store/runs.js';
import { elopageCsv } from './exports.js';
import { csvRow, type ExportRow } from './world.js';

/** A real SQLite database in a temp folder, with a config like a merchant's. */
export interface TestStore {
  dir: string;
  db: Db;
  config: Config & { timeZone: string };
  /** Imports rows through the real importer at `now`; returns the import's run id. */
  importRows(rows: readonly ExportRow[], now: Date): Promise<number>;
  /** A run row, as every command writes one. */
  newRun(command: string, now: Date): number;
  close(): void;
}

/** Opens a fresh store; `config` is merged over a valid config with a real-looking manage link. */
export function openTestStore(config: Record<string, unknown> = {}): TestStore {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-store-'));
  const db = openDatabase(join(dir, 'dunning.db'));
  const parsed = ConfigSchema.parse({
    timeZone: 'Europe/Berlin',
    manageLink: 'https://pay.yoga-sonne.de/payment/{token}/manage',
    sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
    ...config,
  });
  const full = { ...parsed, timeZone: parsed.timeZone ?? 'Europe/Berlin' };
  let files = 0;
  return {
    dir,
    db,
    config: full,
    newRun: (command, now) => startRun(db, command, [command], now),
    async importRows(rows, now) {
      const path = join(dir, `export-${++files}.csv`);
      writeFileSync(path, elopageCsv(rows.map(csvRow)));
      const runId = startRun(db, 'import', ['import'], now);
      await importFiles(
        db,
        runId,
        full,
        { files: [path], preset: 'auto', encoding: 'auto', delimiter: 'auto', mode: undefined, source: undefined, strict: true, dryRun: false, force: true, rejectsPath: undefined },
        now,
        { onProblems: () => undefined },
      );
      return runId;
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

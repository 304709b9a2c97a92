import { basename, dirname, extname, join } from 'node:path';
import type { Config } from '../config/schema.js';
import { snapshotNeedsForce } from '../core/cases.js';
import { DunningError } from '../core/errors.js';
import { CaseWriter, type PastImport } from '../store/case-writer.js';
import { withJournalWhileEmpty, type Db } from '../store/database.js';
import { hashFile } from './csv-reader.js';
import { IdSet } from './id-set.js';
import { RepeatFilter } from './repeat-filter.js';
import { importRows, type FileCounts, type RowProblem } from './import-file.js';
import { openExport, type OpenedExport, type ReadOverrides } from './open-export.js';
import { RejectsWriter, removeOldRejects } from './rejects.js';

export interface ImportOptions extends ReadOverrides {
  files: readonly string[];
  strict: boolean;
  dryRun: boolean;
  force: boolean;
  rejectsPath: string | undefined;
}

/** What happened to one file. */
export interface FileReport extends FileCounts {
  file: string;
  preset: string;
  chosenBy: string;
  source: string;
  mode: 'snapshot' | 'partial';
  encoding: string;
  delimiter: string;
  /** Set when the file is byte for byte the last one imported for its source. */
  identicalTo: { importId: number; importedAt: string } | null;
  rejectsFile: string | null;
  /** A rejects file of an earlier import, removed because this import of the file had no bad rows. */
  oldRejectsRemoved: string | null;
}

/** What an import did (or, with --dry-run, would do). */
export interface ImportReport {
  files: FileReport[];
  /** Per source: open cases a snapshot closed as paid because the export no longer lists them. */
  closedMissing: Record<string, number>;
  /** Per source: open cases the export does not list that stay open because rows were rejected (theirs may be among them). */
  closingHeld: Record<string, { cases: number; rejectedRows: number }>;
  totals: FileCounts;
  dryRun: boolean;
  strictFailed: boolean;
}

export interface ImportHooks {
  onStart?: (file: OpenedExport) => void;
  onProblems: (problems: readonly RowProblem[]) => void;
  onBytes?: (file: OpenedExport, bytes: number) => void;
}

/**
 * Imports export files into the store in ONE transaction: all of it lands, or none of it (also
 * when the process is killed). A dry run does the same work and rolls back.
 */
export async function importFiles(db: Db, runId: number, config: Config & { timeZone: string }, options: ImportOptions, now: Date, hooks: ImportHooks): Promise<ImportReport> {
  if (options.rejectsPath !== undefined && options.files.length > 1) {
    throw new DunningError('--rejects takes one file, but several exports were given', { hint: 'import the files one at a time, or leave out --rejects' });
  }
  const opened = options.files.map((file) => openExport(file, config, options));
  return withJournalWhileEmpty(db, () => importOpened(db, runId, opened, options, now, hooks));
}

async function importOpened(db: Db, runId: number, opened: readonly OpenedExport[], options: ImportOptions, now: Date, hooks: ImportHooks): Promise<ImportReport> {
  const writer = new CaseWriter(db);
  const seen = new IdSet();
  const repeats = new RepeatFilter();
  const report: ImportReport = { files: [], closedMissing: {}, closingHeld: {}, totals: emptyCounts(), dryRun: options.dryRun, strictFailed: false };
  db.exec('BEGIN IMMEDIATE');
  try {
    const identical = new Map<OpenedExport, PastImport>();
    for (const file of opened) {
      const past = await findIdentical(file, opened, writer);
      if (past !== undefined) identical.set(file, past);
    }
    // Only a snapshot that is read needs the count; an identical re-import must stay cheap.
    const openBefore = new Map<string, number>();
    for (const file of opened) {
      if (file.mode === 'snapshot' && !identical.has(file) && !openBefore.has(file.source)) openBefore.set(file.source, writer.countOpenCases(file.source));
    }
    const fresh = new Set(opened.map((f) => f.source).filter((source) => !writer.hasCases(source)));
    for (const file of opened) report.files.push(await importOne(file, identical.get(file), { writer, seen, repeats, fresh: fresh.has(file.source) }, runId, options, now, hooks));
    closeMissingCases(report, opened, openBefore, writer, seen, options, now);
    for (const file of report.files) addCounts(report.totals, file);
    report.strictFailed = options.strict && report.totals.rejected > 0;
    if (options.dryRun || report.strictFailed) db.exec('ROLLBACK');
    else db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  if (!options.dryRun && !report.strictFailed && options.rejectsPath === undefined) removeFixedRejects(report);
  return report;
}

async function importOne(
  file: OpenedExport,
  identical: PastImport | undefined,
  { writer, seen, repeats, fresh }: { writer: CaseWriter; seen: IdSet; repeats: RepeatFilter; fresh: boolean },
  runId: number,
  options: ImportOptions,
  now: Date,
  hooks: ImportHooks,
): Promise<FileReport> {
  hooks.onStart?.(file);
  const stamp = now.toISOString();
  const importId = writer.startImport(runId, file.source, file.path, file.mode, file.settingsHash, stamp);
  const base = describeFile(file);
  if (identical !== undefined) {
    writer.finishImport(importId, file.size, identical.sha256, { ...emptyCounts(), rows: identical.rows, unchanged: identical.rows });
    return { ...base, ...emptyCounts(), rows: identical.rows, unchanged: identical.rows, identicalTo: { importId: identical.id, importedAt: identical.importedAt } };
  }
  const rejects = options.dryRun ? undefined : new RejectsWriter(options.rejectsPath ?? rejectsPathFor(file.path), file.headers, file.delimiter);
  try {
    const { counts, sha256, bytes } = await importRows(file, {
      writer,
      importId,
      now: stamp,
      seen,
      repeats,
      fresh,
      onProblems: (problems, line, cells) => {
        hooks.onProblems(problems);
        rejects?.add(line, cells, problems.map((p) => (p.column === null ? p.message : `column "${p.column}": ${p.message}`)).join('; '));
      },
      onBytes: hooks.onBytes && ((bytes) => hooks.onBytes?.(file, bytes)),
    });
    writer.finishImport(importId, bytes, sha256, counts);
    return { ...base, ...counts, identicalTo: null, rejectsFile: rejects && rejects.count > 0 ? rejects.path : null };
  } finally {
    rejects?.close();
  }
}

/** Once the import landed: a file without bad rows leaves no rejects of an earlier import beside it. */
function removeFixedRejects(report: ImportReport): void {
  for (const file of report.files) {
    if (file.rejected > 0) continue;
    const path = rejectsPathFor(file.file);
    if (removeOldRejects(path)) file.oldRejectsRemoved = path;
  }
}

/** The last import of the same source, when this file is byte for byte that one and read the same way. */
async function findIdentical(file: OpenedExport, all: readonly OpenedExport[], writer: CaseWriter): Promise<PastImport | undefined> {
  // With several files of one source, every file must be read for the snapshot to know all cases.
  if (all.filter((f) => f.source === file.source).length > 1) return undefined;
  const last = writer.latestImport(file.source);
  if (last === undefined || last.fileSize !== file.size || last.settingsHash !== file.settingsHash || last.rejected > 0) return undefined;
  const sha256 = await hashFile(file.path);
  return sha256 === last.sha256 ? last : undefined;
}

function closeMissingCases(
  report: ImportReport,
  opened: readonly OpenedExport[],
  openBefore: Map<string, number>,
  writer: CaseWriter,
  seen: IdSet,
  options: ImportOptions,
  now: Date,
): void {
  for (const [source, open] of openBefore) {
    const files = report.files.filter((f) => f.source === source);
    if (files.some((f) => f.mode !== 'snapshot' || f.identicalTo !== null)) continue;
    // Every case this import added or touched is in `seen`, so an open case not in it was open before and is missing.
    const missing = open === 0 ? [] : writer.openCaseIdsNotIn(source, seen);
    // A rejected row's case counts as missing, but the export lists it: closing it as paid would be wrong.
    const rejectedRows = files.reduce((sum, f) => sum + f.rejected, 0);
    if (rejectedRows > 0) {
      if (missing.length > 0 && !options.strict) report.closingHeld[source] = { cases: missing.length, rejectedRows };
      continue;
    }
    if (snapshotNeedsForce(open, missing.length) && !options.force) {
      throw new DunningError(
        `this export would close ${missing.length} of ${open} open cases of "${source}" as paid, because it does not list them; nothing was imported`,
        { hint: 'if this really is the complete, current export, run again with --force; if it lists only some orders, use --partial' },
      );
    }
    const lastFile = opened.filter((f) => f.source === source).at(-1);
    const importId = writer.latestImport(source)?.id;
    if (lastFile === undefined || importId === undefined) continue;
    writer.closeMissing(missing, importId, now.toISOString());
    report.closedMissing[source] = missing.length;
    const fileReport = report.files.find((f) => f.file === lastFile.path && f.source === source);
    if (fileReport) fileReport.closed += missing.length;
  }
}

function describeFile(file: OpenedExport): Omit<FileReport, keyof FileCounts | 'identicalTo' | 'rejectsFile' | 'oldRejectsRemoved'> & { rejectsFile: null; oldRejectsRemoved: null } {
  return {
    file: file.path,
    preset: file.mapping.name,
    chosenBy: file.mapping.chosenBy,
    source: file.source,
    mode: file.mode,
    encoding: file.encoding,
    delimiter: file.delimiter,
    rejectsFile: null,
    oldRejectsRemoved: null,
  };
}

/** `orders.csv` -> `orders.rejects.csv`, beside the input. */
export function rejectsPathFor(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.rejects${ext === '' ? '.csv' : ext}`);
}

function emptyCounts(): FileCounts {
  return { rows: 0, new: 0, updated: 0, closed: 0, unchanged: 0, rejected: 0, partialPayments: 0, reopened: 0, alreadyPaid: 0 };
}

function addCounts(into: FileCounts, from: FileCounts): void {
  for (const key of Object.keys(into) as (keyof FileCounts)[]) into[key] += from[key];
}

import { snapshotClosing } from '../core/cases.js';
import { DunningError } from '../core/errors.js';
import { IdSet } from '../core/id-set.js';
import { hashFile } from '../import/csv-reader.js';
import { openExport, type OpenedExport, type ReadOverrides } from '../import/open-export.js';
import { ExportReader } from '../import/parallel/index.js';
import { RejectsWriter, rejectsPathFor, removeOldRejects } from '../import/rejects.js';
import { emptyCounts, importRows, type FileCounts, type RowProblem } from './import-rows.js';
import type { AppConfig } from './plan.js';
import type { ImportSession, PastImport, Store } from './ports.js';

export type { FileCounts, FollowUpEntry, RowProblem } from './import-rows.js';
export type { OpenedExport } from '../import/open-export.js';

/** What `dunning import` was asked to do. */
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

/** What the import tells as it goes. */
export interface ImportHooks {
  onStart?: (file: OpenedExport) => void;
  onProblems: (problems: readonly RowProblem[]) => void;
  onBytes?: (file: OpenedExport, bytes: number) => void;
}

/** What an import needs. */
export interface ImportDeps {
  store: Store;
  config: AppConfig;
  runId: number;
  now: Date;
}

/**
 * Imports export files into the store in ONE transaction: all of it lands, or none of it (also
 * when the process is killed). A dry run does the same work and rolls back.
 */
export async function importExports(deps: ImportDeps, options: ImportOptions, hooks: ImportHooks): Promise<ImportReport> {
  if (options.rejectsPath !== undefined && options.files.length > 1) {
    throw new DunningError('--rejects takes one file, but several exports were given', { hint: 'import the files one at a time, or leave out --rejects' });
  }
  const opened = options.files.map((file) => openExport(file, deps.config, options));
  const session = await deps.store.imports.begin({ bulk: !options.dryRun });
  let report: ImportReport;
  try {
    report = await importOpened(session, deps, opened, options, hooks);
    if (options.dryRun || report.strictFailed) await session.rollback();
    else await session.commit();
  } catch (error) {
    await session.rollback();
    throw error;
  }
  if (!options.dryRun && !report.strictFailed && options.rejectsPath === undefined) removeFixedRejects(report);
  return report;
}

async function importOpened(session: ImportSession, deps: ImportDeps, opened: readonly OpenedExport[], options: ImportOptions, hooks: ImportHooks): Promise<ImportReport> {
  const report: ImportReport = { files: [], closedMissing: {}, closingHeld: {}, totals: emptyCounts(), dryRun: options.dryRun, strictFailed: false };
  const identical = new Map<OpenedExport, PastImport>();
  for (const file of opened) {
    const past = await findIdentical(file, opened, session);
    if (past !== undefined) identical.set(file, past);
  }
  // Only a snapshot that is read needs the count; an identical re-import must stay cheap.
  const openBefore = new Map<string, number>();
  for (const file of opened) {
    if (file.mode === 'snapshot' && !identical.has(file) && !openBefore.has(file.source)) openBefore.set(file.source, await session.countOpen(file.source));
  }
  const fresh = new Set<string>();
  for (const source of new Set(opened.map((f) => f.source))) if (!(await session.hasCases(source))) fresh.add(source);
  const run: ImportRun = { session, deps, options, hooks, seen: new IdSet(), reader: new ExportReader() };
  for (const file of opened) report.files.push(await importOne(run, file, identical.get(file), fresh.has(file.source)));
  await closeMissingCases(run, report, opened, openBefore);
  for (const file of report.files) addCounts(report.totals, file);
  report.strictFailed = options.strict && report.totals.rejected > 0;
  return report;
}

/** What every file of one import shares. */
interface ImportRun {
  session: ImportSession;
  deps: ImportDeps;
  options: ImportOptions;
  hooks: ImportHooks;
  /** Cases listed by this import so far (all files): snapshot closing and duplicates. */
  seen: IdSet;
  reader: ExportReader;
}

async function importOne(run: ImportRun, file: OpenedExport, identical: PastImport | undefined, fresh: boolean): Promise<FileReport> {
  const { session, deps, options, hooks } = run;
  hooks.onStart?.(file);
  const stamp = deps.now.toISOString();
  const importId = await session.startImport(deps.runId, file.source, file.path, file.mode, file.settingsHash, stamp);
  const base = describeFile(file);
  if (identical !== undefined) {
    await session.finishImport(importId, file.size, identical.sha256, { ...emptyCounts(), rows: identical.rows, unchanged: identical.rows });
    return { ...base, ...emptyCounts(), rows: identical.rows, unchanged: identical.rows, identicalTo: { importId: identical.id, importedAt: identical.importedAt } };
  }
  const rejects = options.dryRun ? undefined : new RejectsWriter(options.rejectsPath ?? rejectsPathFor(file.path), file.headers, file.delimiter);
  try {
    const { counts, sha256, bytes } = await importRows(file, {
      session, reader: run.reader, importId, now: stamp, seen: run.seen, fresh,
      onProblems: (problems, line, cells) => {
        hooks.onProblems(problems);
        rejects?.add(line, cells, problems.map((p) => (p.column === null ? p.message : `column "${p.column}": ${p.message}`)).join('; '));
      },
      onBytes: hooks.onBytes && ((bytes) => hooks.onBytes?.(file, bytes)),
    });
    await session.finishImport(importId, bytes, sha256, counts);
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
async function findIdentical(file: OpenedExport, all: readonly OpenedExport[], session: ImportSession): Promise<PastImport | undefined> {
  // With several files of one source, every file must be read for the snapshot to know all cases.
  if (all.filter((f) => f.source === file.source).length > 1) return undefined;
  const last = await session.latestImport(file.source);
  if (last === undefined || last.fileSize !== file.size || last.settingsHash !== file.settingsHash || last.rejected > 0) return undefined;
  const sha256 = await hashFile(file.path);
  return sha256 === last.sha256 ? last : undefined;
}

/** The snapshot rule (core/cases.ts) for each source whose files were all read as snapshots. */
async function closeMissingCases(run: ImportRun, report: ImportReport, opened: readonly OpenedExport[], openBefore: Map<string, number>): Promise<void> {
  const { session, options } = run;
  for (const [source, open] of openBefore) {
    const files = report.files.filter((f) => f.source === source);
    if (files.some((f) => f.mode !== 'snapshot' || f.identicalTo !== null)) continue;
    // Every case this import added or touched is in `seen`, so an open case not in it was open before and is missing.
    const missing = open === 0 ? [] : await session.openCasesNotIn(source, run.seen);
    const rejectedRows = files.reduce((sum, f) => sum + f.rejected, 0);
    const closing = snapshotClosing({ openBefore: open, missing: missing.length, rejectedRows, force: options.force });
    if (closing.kind === 'hold') {
      if (missing.length > 0 && !options.strict) report.closingHeld[source] = { cases: missing.length, rejectedRows };
      continue;
    }
    if (closing.kind === 'needs_force') {
      throw new DunningError(
        `this export would close ${missing.length} of ${open} open cases of "${source}" as paid, because it does not list them; nothing was imported`,
        { hint: 'if this really is the complete, current export, run again with --force; if it lists only some orders, use --partial' },
      );
    }
    const lastFile = opened.filter((f) => f.source === source).at(-1);
    const importId = (await session.latestImport(source))?.id;
    if (lastFile === undefined || importId === undefined) continue;
    await session.closeMissing(missing, importId, run.deps.now.toISOString());
    report.closedMissing[source] = missing.length;
    const fileReport = report.files.find((f) => f.file === lastFile.path && f.source === source);
    if (fileReport) fileReport.closed += missing.length;
  }
}

function describeFile(file: OpenedExport): Omit<FileReport, keyof FileCounts | 'identicalTo'> {
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

function addCounts(into: FileCounts, from: FileCounts): void {
  for (const key of Object.keys(into) as (keyof FileCounts)[]) {
    if (key === 'notOpenByStatus') for (const [status, n] of Object.entries(from.notOpenByStatus)) into.notOpenByStatus[status] = (into.notOpenByStatus[status] ?? 0) + n;
    else if (key === 'followUp') into.followUp.push(...from.followUp);
    else into[key] += from[key];
  }
}

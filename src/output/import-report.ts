import type { FileReport, FollowUpEntry, ImportReport, OpenedExport, RowProblem } from '../app/import.js';
import { toDecimalString } from '../core/money.js';
import type { Terminal } from './terminal.js';

const SHOWN_PROBLEMS = 50;

/** Prints bad rows as `FILE:LINE: column "Header": what is wrong` on stderr, up to a limit. */
export function createProblemPrinter(terminal: Terminal): { print(problems: readonly RowProblem[]): void; hidden(): number } {
  let shown = 0;
  let hidden = 0;
  return {
    print(problems) {
      for (const p of problems) {
        if (shown >= SHOWN_PROBLEMS) {
          hidden++;
          continue;
        }
        shown++;
        terminal.warn(`${p.file}:${p.line}: ${p.column === null ? '' : `column "${p.column}": `}${p.message}`);
      }
    },
    hidden: () => hidden,
  };
}

/** Says how a file will be read, before reading it. */
export function printFileStart(terminal: Terminal, file: OpenedExport): void {
  const how = file.mapping.chosenBy === 'config' ? 'columns from dunning.config.json' : `preset ${file.mapping.name} (from ${file.mapping.chosenBy === 'option' ? '--preset' : 'the header row'})`;
  const delimiter = file.delimiter === '\t' ? 'tab' : `"${file.delimiter}"`;
  terminal.info(`${file.path}: ${how}, ${file.encoding}, delimiter ${delimiter}, ${file.mode} of source "${file.source}"`);
}

/** Prints the summary of an import, or the JSON document. */
export function printImportReport(terminal: Terminal, report: ImportReport, hiddenProblems: number): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  if (hiddenProblems > 0) terminal.warn(`… and ${hiddenProblems} more problems; every bad row is in the rejects file`);
  for (const file of report.files) printFile(terminal, file, report.dryRun);
  for (const [source, closed] of Object.entries(report.closedMissing)) {
    if (closed > 0) terminal.info(`${closed} open case${closed === 1 ? '' : 's'} of "${source}" closed as paid: the export no longer lists them`);
  }
  for (const [source, held] of Object.entries(report.closingHeld)) {
    terminal.warn(
      `${held.cases} open case${held.cases === 1 ? '' : 's'} of "${source}" missing from the export stay${held.cases === 1 ? 's' : ''} open: ${held.rejectedRows} rejected row${held.rejectedRows === 1 ? '' : 's'} may be theirs; fix the rows and import again`,
    );
  }
  if (report.files.length > 1) terminal.info(`Total: ${counts(report.totals)}`);
  if (report.dryRun && !report.strictFailed) {
    terminal.info('Dry run: nothing was written.');
  }
}

function printFile(terminal: Terminal, file: FileReport, dryRun: boolean): void {
  if (file.identicalTo !== null) {
    terminal.info(`${file.file}: identical to import #${file.identicalTo.importId} (${file.identicalTo.importedAt}); nothing changed (${file.rows} rows)`);
    printOldRejects(terminal, file);
    return;
  }
  terminal.info(`${file.file}: ${counts(file)}`);
  const notes: string[] = [];
  const recorded = dryRun ? 'would be recorded' : 'recorded';
  if (file.partialPayments > 0) notes.push(`${file.partialPayments} partial payment${file.partialPayments === 1 ? '' : 's'} ${recorded}`);
  if (file.reopened > 0) notes.push(`${file.reopened} case${file.reopened === 1 ? '' : 's'} reopened`);
  if (file.alreadyPaid > 0) notes.push(`${file.alreadyPaid} new row${file.alreadyPaid === 1 ? '' : 's'} already paid (skipped)`);
  if (file.cancelled > 0) notes.push(`${file.cancelled} case${file.cancelled === 1 ? '' : 's'} closed as cancelled (refunded, cancelled or voided)`);
  if (file.notOpen > 0) notes.push(`${file.notOpen} not open (${notOpenByStatus(file.notOpenByStatus)})`);
  if (notes.length > 0) terminal.info(`  ${notes.join(', ')}`);
  printFollowUp(terminal, file.followUp);
  if (file.rejectsFile !== null) terminal.warn(`  bad rows written to ${file.rejectsFile}`);
  printOldRejects(terminal, file);
}

/** Orders the platform gave up on (Stripe's `uncollectible`): listed one a line, for the merchant to follow up by hand. */
function printFollowUp(terminal: Terminal, followUp: readonly FollowUpEntry[]): void {
  if (followUp.length === 0) return;
  terminal.info(`  ${followUp.length} order${followUp.length === 1 ? '' : 's'} for manual follow-up, not mailed:`);
  for (const f of followUp) {
    const who = f.name === '' ? f.email : `${f.name} <${f.email}>`;
    const amount = f.openMinor === null ? '' : `, ${toDecimalString(f.openMinor, f.currency)} ${f.currency}`;
    const closed = f.closedCases > 0 ? `; its open case${f.closedCases === 1 ? '' : 's'} closed, no more reminders` : '';
    terminal.info(`    ${f.orderId ?? '(no order ID)'}: ${who}${amount} (${f.status}${closed})`);
  }
}

/** `paid 3, refunded 1`: the not-open rows per status value, most first. */
function notOpenByStatus(byStatus: Record<string, number>): string {
  return Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
}

function printOldRejects(terminal: Terminal, file: FileReport): void {
  if (file.oldRejectsRemoved !== null) terminal.info(`  no bad rows: removed ${file.oldRejectsRemoved}, left by an earlier import`);
}

function counts(c: { rows: number; new: number; updated: number; closed: number; unchanged: number; rejected: number }): string {
  return `${c.rows} rows read: ${c.new} new, ${c.updated} updated, ${c.closed} closed as paid, ${c.unchanged} unchanged, ${c.rejected} rejected`;
}

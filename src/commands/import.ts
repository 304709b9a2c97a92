import { Option, type Command } from 'commander';
import { importExports } from '../app/import.js';
import { DELIMITERS, ENCODINGS, PRESET_NAMES, type Encoding } from '../config/schema.js';
import { DunningError } from '../core/errors.js';
import { createProblemPrinter, printFileStart, printImportReport } from '../output/import-report.js';
import { createProgress, type Progress } from '../output/progress.js';
import type { Wrap } from './context.js';
import { parseSourceName } from './parse.js';

interface ImportCommandOptions {
  preset: (typeof PRESET_NAMES)[number];
  snapshot?: boolean;
  partial?: boolean;
  strict?: boolean;
  dryRun?: boolean;
  force?: boolean;
  rejects?: string;
  encoding: Encoding | 'auto';
  delimiter: string;
  source?: string;
}

/** `dunning import FILE...`: read exports into the database. */
export function registerImport(program: Command, wrap: Wrap): Command {
  return program
    .command('import')
    .description('read order exports (CSV) into the database')
    .argument('<files...>', 'export files')
    .addOption(new Option('--preset <name>', 'which export this is').choices(PRESET_NAMES).default('auto'))
    .addOption(new Option('--snapshot', 'the file lists every pending order: cases missing from it are paid').conflicts('partial'))
    .option('--partial', 'the file lists some orders: only add and update')
    .option('--strict', 'any bad row imports nothing (exit 2)')
    .option('--dry-run', 'check the file and report what would change, writing nothing')
    .option('--force', 'let a snapshot close more than half of the open cases')
    .option('--rejects <path>', 'where to write bad rows (default: FILE.rejects.csv beside the input)')
    .addOption(new Option('--encoding <name>', 'file encoding').choices(['auto', ...ENCODINGS]).default('auto'))
    .addOption(new Option('--delimiter <char>', 'cell delimiter').choices(Object.keys(DELIMITERS)).default('auto'))
    .option('--source <name>', 'name of the shop the cases come from (default: the preset name)', parseSourceName)
    .action(
      wrap<ImportCommandOptions>('import', async (ctx, files, options) => {
        const dryRun = options.dryRun === true;
        ctx.config();
        const { store, config, runId } = await ctx.open({ memoryOnly: dryRun && !ctx.dbExists() });
        const problems = createProblemPrinter(ctx.terminal);
        let progress: Progress | undefined;
        const report = await importExports(
          { store, config, runId, now: ctx.clock.now() },
          {
            files, preset: options.preset, encoding: options.encoding, delimiter: DELIMITERS[options.delimiter] ?? 'auto',
            mode: options.snapshot ? 'snapshot' : options.partial ? 'partial' : undefined, source: options.source,
            strict: options.strict === true, dryRun, force: options.force === true, rejectsPath: options.rejects,
          },
          {
            onStart: (file) => {
              progress?.stop();
              printFileStart(ctx.terminal, file);
              progress = createProgress(ctx.terminal, file.size, 'importing', 'bytes');
            },
            onProblems: (list) => problems.print(list),
            onBytes: (_file, bytes) => progress?.update(bytes),
          },
        ).finally(() => progress?.stop());
        printImportReport(ctx.terminal, report, problems.hidden());
        const { totals } = report;
        if (report.strictFailed) {
          throw new DunningError(`--strict: ${totals.rejected} bad row${totals.rejected === 1 ? '' : 's'}, so nothing was imported`, {
            hint: 'fix the rows listed above (they are in the rejects file) and import again',
          });
        }
        // Every row rejected: nothing was imported, so the run is an input error (exit 2), as the README says.
        const nothingImported = totals.rejected > 0 && totals.rejected === totals.rows;
        return { exitCode: nothingImported ? 2 : totals.rejected > 0 ? 1 : 0, summary: { ...totals, dryRun, files: report.files.length } };
      }),
    );
}


import type { Command } from 'commander';
import { copyStore, migrated } from '../app/db.js';
import { databaseLocation } from '../app/database-location.js';
import { printCopy, printMigrate } from '../output/db.js';
import type { Wrap } from './context.js';

interface CopyOptions {
  from: string;
  to: string;
}

/** `dunning db …`: bring a database's schema up to date, or move a shop's history to another database. */
export function registerDb(program: Command, wrap: Wrap): Command {
  const db = program.command('db').description('the database: bring its schema up to date, or copy it to another (e.g. SQLite to PostgreSQL)');
  db.command('migrate')
    .description('bring the schema of the database (--db, DUNNING_DATABASE_URL or ./dunning.db) up to date')
    .action(
      wrap<Record<string, never>>('db migrate', async (ctx) => {
        const { store } = await ctx.open();
        const report = migrated(store);
        printMigrate(ctx.terminal, report);
        return { exitCode: 0, summary: { before: report.before, now: report.now } };
      }),
    );
  db.command('copy')
    .description('copy every table of one database into another, empty one (counts checked after)')
    .requiredOption('--from <db>', 'the database to copy: a SQLite file or a postgres:// URL')
    .requiredOption('--to <db>', 'the empty database to copy into: a postgres:// URL or a SQLite file')
    .action(
      wrap<CopyOptions>('db copy', async (ctx, _args, options) => {
        const report = await copyStore(ctx.adapters.openStore, databaseLocation(ctx.cwd, options.from, {}), databaseLocation(ctx.cwd, options.to, {}));
        printCopy(ctx.terminal, report);
        return { exitCode: 0, summary: { tables: report.tables.length, rows: report.tables.reduce((sum, t) => sum + t.rows, 0) } };
      }),
    );
  return db;
}

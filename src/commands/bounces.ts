import type { Command } from 'commander';
import { syncBounces } from '../app/bounce-sync.js';
import { importBounces } from '../app/bounces.js';
import { printBounceSummary, printSyncSummary } from '../output/bounces.js';
import type { Wrap } from './context.js';

/** `dunning bounces import FILE...`: bounces and complaints stop the reminders (issue 23). */
export function registerBounces(program: Command, wrap: Wrap): Command {
  const group = program.command('bounces').description('bounces and complaints stop the reminders');
  group
    .command('import')
    .description('read delivery status notifications and abuse reports (mbox files, Maildir folders, .eml files)')
    .argument('<file...>', 'mbox files, Maildir folders or .eml files')
    .action(
      wrap<Record<string, never>>('bounces import', async (ctx, files) => {
        const { store, runId, config } = await ctx.open({ mustExist: true });
        const summary = await importBounces(
          { store, runId, now: ctx.clock.now(), timeZone: config.timeZone, readReports: await ctx.adapters.reportReader() },
          files.map((file) => ({ path: ctx.resolve(file), shown: file })),
        );
        printBounceSummary(ctx.terminal, summary);
        const { read, permanent, temporary, complaints, otherMail, already } = summary;
        return { exitCode: 0, summary: { read, permanent, temporary, complaints, otherMail, already, stopped: summary.stopped.length } };
      }),
    );
  group
    .command('sync')
    .description('read what Mailjet or Mailchimp learned of the messages we sent: bounces, spam complaints, opt-outs')
    .requiredOption('--channel <name>', 'mailjet or mailchimp')
    .action(
      wrap<{ channel: string }>('bounces sync', async (ctx, _args, options) => {
        const { store, runId, config, baseDir } = await ctx.open({ mustExist: true });
        const summary = await syncBounces({ store, config, baseDir, runId, env: ctx.env, now: ctx.clock.now(), channels: await ctx.adapters.channels() }, options.channel);
        printSyncSummary(ctx.terminal, summary);
        const { asked, permanent, temporary, complaints, optedOut, already } = summary;
        return { exitCode: 0, summary: { channel: summary.channel, asked, permanent, temporary, complaints, optedOut, already, stopped: summary.stopped.length } };
      }),
    );
  return group;
}

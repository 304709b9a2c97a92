import { linkNotes } from '../app/plan.js';
import { Option, type Command } from 'commander';
import { retryPolicyFrom } from '../app/send/deliver.js';
import { sendExitCode, sendSummary } from '../app/send/report.js';
import { sendReminders } from '../app/send/send.js';
import { CHANNEL_NAMES, type ChannelName } from '../config/schema.js';
import { createProgress, type Progress } from '../output/progress.js';
import { printLockTakenOver, printSendReport, SHOWN_MESSAGES } from '../output/send-report.js';
import type { Wrap } from './context.js';
import { parsePositiveInt } from './parse.js';

interface SendCommandOptions {
  dryRun?: boolean;
  channel?: ChannelName;
  stage?: string;
  limit?: number;
  email?: string;
  nowDue?: boolean;
  to?: string;
  retryUnknown?: boolean;
  allowStale?: boolean;
}

/** `dunning send`: the reminders that are due now, through the configured channel. */
export function registerSend(program: Command, wrap: Wrap): Command {
  return program
    .command('send')
    .description('send the reminders that are due (safe to run from cron)')
    .option('--dry-run', 'plan, render and build every message; send and record nothing')
    .addOption(new Option('--channel <name>', 'where messages go (default: "channel" in the config)').choices(CHANNEL_NAMES))
    .option('--stage <name>', 'only messages of this stage')
    .option('--limit <n>', 'at most this many messages', parsePositiveInt)
    .option('--email <address>', 'only this customer')
    .option('--now-due', 'with --email and --stage: send that stage to that customer now, although its moment has not come (never twice, never to a paid, stopped or snoozed customer)')
    .option('--to <address>', 'a rehearsal: every message goes to this address, nothing is recorded as sent')
    .option('--retry-unknown', 'after you checked: let messages in state unknown be sent again')
    .option('--allow-stale', 'send even though the newest import is older than maxImportAgeHours')
    .action(
      wrap<SendCommandOptions>('send', async (ctx, _args, options) => {
        const { store, config, baseDir, runId } = await ctx.open({ mustExist: true });
        const [renderer, channels] = await Promise.all([ctx.adapters.renderer(), ctx.adapters.channels()]);
        const abort = new AbortController();
        // cron's timeout and Ctrl-C end the run after the batch in flight, with its outcomes recorded.
        const stop = (): void => abort.abort();
        process.once('SIGINT', stop).once('SIGTERM', stop);
        let progress: Progress | undefined;
        try {
          const report = await sendReminders(
            {
              store, config, baseDir, runId, env: ctx.env, clock: () => ctx.clock.now(), renderer: renderer(config, baseDir), channels,
              ...(config.sequence.stages.some((s) => s.attachPdf) ? { printLetter: await ctx.adapters.letterPrinter() } : {}),
              retry: retryPolicyFrom(ctx.env),
              signal: abort.signal,
              onProgress: (done, total) => {
                if (options.dryRun !== true) progress ??= createProgress(ctx.terminal, total, 'sending', 'items');
                progress?.update(done);
              },
              onLockTakenOver: (holder) => printLockTakenOver(ctx.terminal, holder),
            },
            {
              dryRun: options.dryRun === true, channel: options.channel, stage: options.stage, limit: options.limit, email: options.email, nowDue: options.nowDue === true,
              to: options.to, retryUnknown: options.retryUnknown === true, allowStale: options.allowStale === true,
              lines: { all: ctx.terminal.json, planned: SHOWN_MESSAGES },
            },
          );
          progress?.stop();
          progress = undefined;
          printSendReport(ctx.terminal, report);
          if (report.dryRun) for (const note of linkNotes(config)) ctx.terminal.warn(`note: ${note}`);
          return { exitCode: sendExitCode(report), summary: sendSummary(report) };
        } finally {
          progress?.stop();
          process.off('SIGINT', stop).off('SIGTERM', stop);
        }
      }),
    );
}

import type { Command } from 'commander';
import { ChannelStopError } from '../channels/channel.js';
import { ProviderUnavailableError } from '../channels/mailchimp-errors.js';
import type { FieldSetup } from '../channels/mailchimp-fields.js';
import { DunningError, ExitCode } from '../core/errors.js';
import { printMailchimpSetup } from '../output/mailchimp-setup.js';
import type { ActionFactory } from '../program.js';

/** `dunning mailchimp setup`: creates the merge fields the push needs and shows the Journey to build. */
export function registerMailchimp(program: Command, wrap: ActionFactory): Command {
  const group = program.command('mailchimp').description('Mailchimp audience setup for the mailchimp channel');
  group
    .command('setup')
    .description('create the merge fields the Mailchimp push needs (says which exist) and show what to configure in the Customer Journey')
    .action(
      wrap<Record<string, never>>('mailchimp setup', async (ctx) => {
        const { createMailchimpChannel, stageTag } = await import('../channels/mailchimp.js');
        const { loaded, runId } = ctx.begin();
        const { config } = loaded;
        const channel = createMailchimpChannel({ config, env: ctx.env, baseDir: loaded.baseDir, runId });
        const fields = await setup(() => channel.setupMergeFields());
        const stages = config.sequence.stages.map((s) => ({ name: s.name, afterDays: s.afterDays, tag: stageTag(s) }));
        printMailchimpSetup(ctx.terminal, { listId: config.mailchimp.listId ?? '', fields, stages });
        const conflicts = fields.filter((f) => f.state === 'conflict').length;
        return {
          exitCode: conflicts > 0 ? 1 : 0,
          summary: { created: fields.filter((f) => f.state === 'created').length, existed: fields.filter((f) => f.state === 'exists').length, conflicts },
        };
      }),
    );
  return group;
}

async function setup(run: () => Promise<FieldSetup[]>): Promise<FieldSetup[]> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ChannelStopError) throw new DunningError(error.message, { hint: error.hint });
    if (error instanceof ProviderUnavailableError) {
      throw new DunningError(`Mailchimp is not reachable: ${error.message}`, { exitCode: ExitCode.failures, hint: 'nothing is wrong with your setup; run "dunning mailchimp setup" again later' });
    }
    throw error;
  }
}

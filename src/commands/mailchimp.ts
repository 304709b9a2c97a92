import type { Command } from 'commander';
import { setUpChannel } from '../app/channel-setup.js';
import { printMailchimpSetup } from '../output/mailchimp-setup.js';
import type { Wrap } from './context.js';

/** `dunning mailchimp setup`: creates the merge fields the push needs and shows the Journey to build. */
export function registerMailchimp(program: Command, wrap: Wrap): Command {
  const group = program.command('mailchimp').description('Mailchimp audience setup for the mailchimp channel');
  group
    .command('setup')
    .description('create the merge fields the Mailchimp push needs (says which exist) and show what to configure in the Customer Journey')
    .action(
      wrap<Record<string, never>>('mailchimp setup', async (ctx) => {
        const { config, baseDir, runId } = await ctx.open();
        const setup = await setUpChannel({ channels: await ctx.adapters.channels(), config, env: ctx.env, baseDir, runId }, 'mailchimp');
        printMailchimpSetup(ctx.terminal, setup);
        const count = (state: string): number => setup.fields.filter((f) => f.state === state).length;
        return { exitCode: count('conflict') > 0 ? 1 : 0, summary: { created: count('created'), existed: count('exists'), conflicts: count('conflict') } };
      }),
    );
  return group;
}

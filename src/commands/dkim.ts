import type { Command } from 'commander';
import { dkimRecord, loadDkimKey } from '../config/dkim-key.js';
import { DunningError } from '../core/errors.js';
import { printDkimRecord } from '../output/dkim.js';
import type { Wrap } from './context.js';

/** `dunning dkim check`: the DNS TXT record for the key of smtp.dkim (issue 23). */
export function registerDkim(program: Command, wrap: Wrap): Command {
  const group = program.command('dkim').description('DKIM signing of the smtp and outbox channels');
  group
    .command('check')
    .description('check the key of smtp.dkim and print the DNS TXT record to publish; refuses keys under 1024 bits')
    .action(
      wrap<Record<string, never>>('dkim check', (ctx) => {
        const { config, baseDir, path } = ctx.config();
        const settings = config.smtp.dkim;
        if (settings === undefined) {
          throw new DunningError(`${path ?? 'dunning.config.json'}: smtp.dkim is not set, so nothing is signed`, {
            hint: 'add "smtp": {"dkim": {"domainName": "example.de", "keySelector": "dunning", "privateKeyFile": "dkim.key"}} (see the README, "Deliverability")',
          });
        }
        const record = dkimRecord(loadDkimKey(settings, baseDir));
        printDkimRecord(ctx.terminal, { ...record, domainName: settings.domainName });
        return { exitCode: 0, summary: { record: record.name, bits: record.bits } };
      }),
    );
  return group;
}

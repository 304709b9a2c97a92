import type { Command } from 'commander';
import { DunningError } from '../core/errors.js';
import { MERGE_FIELD_DESCRIPTIONS, MERGE_FIELD_NAMES, mergeFields, orderFields, sampleMergeInput } from '../core/merge-fields.js';
import { printMailjetVars } from '../output/mailjet-vars.js';
import type { ActionFactory } from '../program.js';

interface MailjetVarsOptions {
  locale?: string;
}

/** `dunning templates …`: a group; `mailjet-vars` here, `check` beside it. */
export function registerTemplates(program: Command, wrap: ActionFactory): Command {
  const group = program.command('templates').description('message templates: the variables of provider templates (and checks)');
  addMailjetVars(group, wrap);
  return group;
}

/** `dunning templates mailjet-vars`: every variable a Mailjet template can use, with an example value. */
function addMailjetVars(group: Command, wrap: ActionFactory): void {
  group
    .command('mailjet-vars')
    .description('list every variable a Mailjet template can use ({{var:name:""}}), with an example value')
    .option('--locale <lang>', 'language of the example values (default: "locale" of the config)')
    .action(
      wrap<MailjetVarsOptions>('templates mailjet-vars', (ctx, _args, options) => {
        const locale = checkLocale(options.locale ?? ctx.config().config.locale);
        const sample = sampleMergeInput(locale);
        printMailjetVars(ctx.terminal, {
          locale,
          names: MERGE_FIELD_NAMES,
          descriptions: MERGE_FIELD_DESCRIPTIONS,
          example: mergeFields(sample),
          orders: orderFields(sample),
        });
        return { exitCode: 0, summary: { variables: MERGE_FIELD_NAMES.length } };
      }),
    );
}

function checkLocale(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical !== undefined) return canonical;
  } catch {
    // Reported below.
  }
  throw new DunningError(`"${locale}" is not a language tag`, { hint: 'use a tag such as de, en or de-AT' });
}

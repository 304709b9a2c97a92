import type { Command } from 'commander';
import { calendarDateIn } from '../core/dates.js';
import { DunningError } from '../core/errors.js';
import { MERGE_FIELD_DESCRIPTIONS, MERGE_FIELD_NAMES, mergeFields, orderFields, sampleMergeInput } from '../core/merge-fields.js';
import { printMailjetVars } from '../output/mailjet-vars.js';
import { printTemplateCheck } from '../output/preview.js';
import type { ActionFactory } from '../program.js';
import { extraColumnNames } from '../store/cases.js';
import { openDatabase } from '../store/database.js';
import { existsSync } from 'node:fs';

/** `dunning templates …`: work with the message templates. */
export function registerTemplates(program: Command, wrap: ActionFactory): Command {
  const templates = program.command('templates').description('check and inspect message templates');
  templates
    .command('check')
    .description('render every template in every locale; fail on any problem')
    .action(
      wrap<Record<string, never>>('templates check', async (ctx) => {
        const [{ TemplateSet }, { checkTemplates }] = await Promise.all([import('../templates/render.js'), import('../templates/check.js')]);
        const loaded = ctx.config();
        const now = ctx.clock.now();
        // Real extra columns (from the last import) make templates that use `extra` checkable.
        const dbPath = ctx.dbPath();
        let extra: string[] = [];
        if (existsSync(dbPath)) {
          const db = openDatabase(dbPath, { readonly: true });
          extra = extraColumnNames(db);
          db.close();
        }
        // Links are not what is checked here: sample orders use a stand-in pattern and token rules.
        const config = { ...loaded.config, tokenPattern: undefined, manageLink: 'https://pay.example/{token}' };
        const set = TemplateSet.load({ ...loaded, config });
        const stages = loaded.config.sequence.stages.map((s, i) => ({ template: s.template, number: i + 1 }));
        const report = checkTemplates(set, stages, calendarDateIn(now, loaded.config.timeZone), now, extra);
        printTemplateCheck(ctx.terminal, report);
        if (report.problems.length > 0) {
          throw new DunningError(`${report.problems.length} template problem${report.problems.length === 1 ? '' : 's'} (listed above); nothing is sent until they are fixed`);
        }
        return { exitCode: 0, summary: { variants: report.checked.length } };
      }),
    );
  addMailjetVars(templates, wrap);
  return templates;
}

interface MailjetVarsOptions {
  locale?: string;
}

/** `dunning templates mailjet-vars`: every variable a Mailjet template can use, with an example value. */
function addMailjetVars(templates: Command, wrap: ActionFactory): void {
  templates
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

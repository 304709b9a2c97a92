import type { Command } from 'commander';
import { checkTemplates, mailjetVariables, templateProblems } from '../app/templates.js';
import { printMailjetVars } from '../output/mailjet-vars.js';
import { printTemplateCheck } from '../output/preview.js';
import type { Wrap } from './context.js';

/** `dunning templates …`: work with the message templates. */
export function registerTemplates(program: Command, wrap: Wrap): Command {
  const templates = program.command('templates').description('check and inspect message templates');
  templates
    .command('check')
    .description('render every template in every locale; fail on any problem')
    .action(
      wrap<Record<string, never>>('templates check', async (ctx) => {
        const { config, baseDir } = ctx.config();
        const store = ctx.dbExists() ? (await ctx.open({ mustExist: true })).store : undefined;
        const report = await checkTemplates({ config, baseDir, store, renderer: await ctx.adapters.renderer(), now: ctx.clock.now() });
        printTemplateCheck(ctx.terminal, report);
        const refusal = templateProblems(report);
        if (refusal !== null) throw refusal;
        return { exitCode: 0, summary: { variants: report.checked.length } };
      }),
    );
  templates
    .command('mailjet-vars')
    .description('list every variable a Mailjet template can use ({{var:name:""}}), with an example value')
    .option('--locale <lang>', 'language of the example values (default: "locale" of the config)')
    .action(
      wrap<{ locale?: string }>('templates mailjet-vars', (ctx, _args, options) => {
        const variables = mailjetVariables(options.locale ?? ctx.config().config.locale);
        printMailjetVars(ctx.terminal, variables);
        return { exitCode: 0, summary: { variables: variables.names.length } };
      }),
    );
  return templates;
}

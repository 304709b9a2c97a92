import { Option, type Command } from 'commander';
import { channelOf } from '../config/channels.js';
import type { LoadedConfig } from '../config/load.js';
import { calendarDateIn, daysBetween } from '../core/dates.js';
import { addressOption } from '../core/email.js';
import { DunningError } from '../core/errors.js';
import { linkPatternFor, linkPatternProblem } from '../core/links.js';
import { compileTokenPattern, tokenProblem } from '../core/token.js';
import { ChannelStopError, type DeliveryOutcome, type OutgoingMessage } from '../channels/channel.js';
import type { ChannelName } from '../config/schema.js';
import type { PlannedMessage } from '../core/plan.js';
import type { CommandContext } from './context.js';
import type { Terminal } from '../output/terminal.js';
import type { ActionFactory } from '../program.js';
import { casesOfOrder, mostOverdueCustomer, openCasesOfCustomer, type CaseForMessage } from '../store/cases.js';
import type { Db } from '../store/database.js';
import { messageRequestFor, previewPromo, stageForTemplate } from '../templates/message-request.js';

interface PreviewOptions {
  template: string;
  order?: string;
  email?: string;
  locale?: string;
  format: 'text' | 'html' | 'eml';
  to?: string;
}

/** `dunning preview`: the message one customer would get, rendered. */
export function registerPreview(program: Command, wrap: ActionFactory): Command {
  return program
    .command('preview')
    .description('render the message for one customer (without sending it)')
    .requiredOption('--template <name>', 'template to render (e.g. reminder, second, final)')
    .option('--order <id>', 'the customer of this order ID')
    .option('--email <address>', 'this customer')
    .option('--locale <lang>', 'render in this language instead of the customer\'s')
    .addOption(new Option('--format <format>', 'what to print').choices(['text', 'html', 'eml']).default('text'))
    .option('--to <address>', 'send this rendered message to one address (a test send), touching no case')
    .action(
      wrap<PreviewOptions>('preview', async (ctx, _args, options) => {
        const [{ TemplateSet }, { composeMime }, { printPreview, printRaw, printTestSend }, { buildOutgoing }] = await Promise.all([
          import('../templates/render.js'), import('../mail/mime.js'), import('../output/preview.js'), import('../send/build-message.js'),
        ]);
        const { db, loaded, runId } = ctx.begin({ mustExist: true });
        const now = ctx.clock.now();
        const today = calendarDateIn(now, loaded.config.timeZone);
        const templates = TemplateSet.load(loaded);
        const stage = stageForTemplate(loaded.config.sequence.stages, options.template);
        templates.variantFor(options.template, options.locale ?? loaded.config.locale);
        const cases = usableCases(ctx.terminal, loaded, selectCases(db, options, today));
        const request = { ...messageRequestFor(cases, stage, today, now), locale: options.locale, promo: previewPromo(stage.config, now, cases[0]?.currency ?? loaded.config.currency) };
        const rendered = templates.render(request);
        const redirect = options.to === undefined ? undefined : addressOption('--to', options.to).address;
        // The same builder send uses, so --format eml is byte for byte what send would hand the channel.
        const planned: PlannedMessage = { ...request, cases: request.cases.map((c) => ({ ...c, stage: stage.name })), attempt: 1 };
        const outgoing = buildOutgoing(planned, rendered, loaded.config, request.promo, redirect);
        const summary = { template: rendered.template, locale: rendered.locale, cases: cases.length, to: options.to ?? '' };
        if (redirect !== undefined) {
          const outcome = await testSend(ctx, outgoing, channelOf(loaded.config, stage.config), runId);
          printTestSend(ctx.terminal, outgoing, outcome);
          return { exitCode: outcome.state === 'sent' ? 0 : 1, summary: { ...summary, outcome: outcome.state } };
        }
        if (options.format === 'eml') printRaw(ctx.terminal, (await composeMime(outgoing)).toString('utf8'));
        else printPreview(ctx.terminal, rendered, outgoing.to, options.format);
        return { exitCode: 0, summary };
      }),
    );
}

/** Sends one rendered message to the --to address through the configured channel; no case's state changes. */
async function testSend(ctx: CommandContext, message: OutgoingMessage, channelName: ChannelName, runId: number): Promise<DeliveryOutcome> {
  const { config, baseDir } = ctx.config();
  const { CHANNELS } = await import('../channels/index.js');
  const channel = CHANNELS[channelName]({ config, env: ctx.env, baseDir, runId });
  try {
    const [outcome] = await channel.send([message]);
    if (outcome === undefined) throw new Error('the channel gave no outcome');
    return outcome;
  } catch (error) {
    if (error instanceof ChannelStopError) throw new DunningError(error.message, { hint: error.hint });
    throw error;
  } finally {
    await channel.close();
  }
}

/** The cases a preview shows: the customer's overdue open cases (and the named order's). */
function selectCases(db: Db, options: PreviewOptions, today: string): CaseForMessage[] {
  let emailKey: string | undefined;
  let named: CaseForMessage[] = [];
  if (options.order !== undefined) {
    const all = casesOfOrder(db, options.order);
    if (all.length === 0) throw new DunningError(`no order "${options.order}" in the database`, { hint: '"dunning status" lists the open cases and their order IDs' });
    named = all.filter((c) => c.status === 'open');
    if (named.length === 0) throw new DunningError(`order "${options.order}" has no open case (it is ${all[0]?.status ?? 'closed'})`, { hint: 'only open cases get reminders' });
    emailKey = named[0]?.emailKey;
  } else if (options.email !== undefined) {
    emailKey = addressOption('--email', options.email).key;
  } else {
    emailKey = mostOverdueCustomer(db, today);
    if (emailKey === undefined) throw new DunningError('no overdue case to preview', { hint: 'name one with --order or --email' });
  }
  const open = openCasesOfCustomer(db, emailKey ?? '');
  if (open.length === 0) throw new DunningError(`no open case for ${options.email ?? emailKey ?? ''}`, { hint: '"dunning status" lists the open cases' });
  const overdue = open.filter((c) => daysBetween(c.dueDate, today) > 0 || named.some((n) => n.id === c.id));
  return overdue.length > 0 ? overdue : open;
}

/** Drops cases that cannot get a message, saying why; refuses when none is left. */
function usableCases(terminal: Terminal, loaded: LoadedConfig, cases: CaseForMessage[]): CaseForMessage[] {
  const pattern = compileTokenPattern(loaded.config.tokenPattern);
  const usable = cases.filter((c) => {
    const problem = tokenProblem(c.token, pattern);
    if (problem !== null) terminal.warn(`order ${c.orderId}: no link and no message: ${problem}`);
    return problem === null;
  });
  const first = usable[0];
  if (first === undefined) throw new DunningError('none of this customer\'s cases can get a message (see above)', { hint: 'fix the token in the export and import it again' });
  const linkProblem = linkPatternProblem(linkPatternFor(loaded.config.manageLink, first.source));
  if (linkProblem !== null) terminal.warn(`warning: ${linkProblem}; send will refuse until it is fixed`);
  return usable;
}

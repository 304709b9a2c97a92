import { channelOf } from '../config/channels.js';
import type { StageConfig } from '../config/schema.js';
import { addressOption } from '../core/email.js';
import { DunningError } from '../core/errors.js';
import { linkPatternFor, linkPatternProblem } from '../core/links.js';
import type { CaseDecision, CustomerPlan, PlannedMessage } from '../core/plan.js';
import { offerWithoutIssuing } from '../core/promo.js';
import type { RenderedMessage } from './message.js';
import { loadPlan, planOneCustomer, type AppConfig } from './plan.js';
import { sendOneMessage } from './send/one-message.js';
import type { ChannelTable, LetterPrinter, DeliveryOutcome, OutgoingMessage, Renderer, Store } from './ports.js';
import { buildOutgoing, requestFor } from './send/outgoing.js';
import { checkBaseRatesCover, claimFor } from './late-charges.js';
import { printedLetter, withLetter } from './send/letter.js';

/** What `dunning preview` renders, and for whom. */
export interface PreviewOptions {
  template: string;
  order?: string | undefined;
  email?: string | undefined;
  locale?: string | undefined;
  /** Test-send the message to this address, touching no case. */
  to?: string | undefined;
  /** Compose the whole MIME message too (--format eml). */
  mime: boolean;
  /** Print the message as a PDF letter (--format pdf). */
  pdf?: boolean | undefined;
}

/** What preview needs besides the store. */
export interface PreviewDeps {
  store: Store;
  config: AppConfig;
  baseDir: string;
  runId: number;
  env: NodeJS.ProcessEnv;
  now: Date;
  renderer: Renderer;
  channels: () => Promise<ChannelTable>;
  /** The MIME message a channel would write or send for an outgoing message. */
  composeMime: (message: OutgoingMessage) => Promise<Buffer>;
  /** Prints the PDF letter of --format pdf and of a stage with `attachPdf` (its .eml carries it). */
  printLetter?: LetterPrinter | undefined;
  /** Says something about the customer's cases on the way (a case without a link, a link pattern send refuses). */
  note: (line: string) => void;
}

/** The rendered message, and what became of a test send or the MIME message asked for. */
export interface PreviewResult {
  rendered: RenderedMessage;
  outgoing: OutgoingMessage;
  mime: string | null;
  testSend: DeliveryOutcome | null;
  /** The PDF letter of --format pdf, or null. */
  letter: { fileName: string; pdf: Buffer } | null;
}

/**
 * Renders the message send would send one customer now, with a given template: by default the
 * customer send would mail first. It starts from the same plan as send, so stops, snoozes and stage
 * timing hold here too: a customer who gets no message now is told why, not previewed.
 */
export async function previewMessage(deps: PreviewDeps, options: PreviewOptions): Promise<PreviewResult> {
  const { config } = deps;
  const stage = stageForTemplate(config.sequence.stages, options.template);
  deps.renderer.checkTemplate(options.template, options.locale ?? config.locale);
  const redirect = options.to === undefined ? undefined : addressOption('--to', options.to).address;
  const plan = await customerToPreview(deps, options);
  const message = messageOf(plan, options, deps.note);
  const first = message.cases[0];
  const linkProblem = first === undefined ? null : linkPatternProblem(linkPatternFor(config.manageLink, first.source));
  if (linkProblem !== null) deps.note(`warning: ${linkProblem}; send will refuse until it is fixed`);
  const promo = stage.config?.promo === undefined ? undefined : offerWithoutIssuing(stage.name, stage.config.promo, first?.currency ?? config.currency, deps.now);
  // The planned message as this template's stage would send it, so --format eml is byte for byte what send would hand the channel.
  const repeat = message.stage.name === stage.name ? message.stage.repeat : 0;
  const planned: PlannedMessage = {
    ...message, stage: { name: stage.name, number: stage.number, template: options.template, repeat, payWithin: stage.config?.payWithin }, cases: message.cases.map((c) => ({ ...c, stage: stage.name, repeat })), attempt: 1,
  };
  checkBaseRatesCover(config, planned.today);
  const claim = await claimFor(deps.store, config, planned);
  const rendered = deps.renderer.render({ ...requestFor(planned, promo, claim), locale: options.locale });
  const letter = options.pdf === true ? await printedLetter(deps, planned, rendered, promo) : null;
  const outgoing = await withLetter(buildOutgoing(planned, rendered, config, promo, redirect, claim), planned, rendered, promo, deps);
  const testSend = redirect === undefined ? null : await sendTest(deps, outgoing, channelOf(config, stage.config));
  const mime = options.mime && redirect === undefined ? (await deps.composeMime(outgoing)).toString('utf8') : null;
  return { rendered, outgoing, mime, testSend, letter: redirect === undefined ? letter : null };
}

/** The stage a template belongs to in the sequence, or a stand-in numbered 1. */
function stageForTemplate(stages: readonly StageConfig[], template: string): { name: string; number: number; config: StageConfig | undefined } {
  const index = stages.findIndex((s) => s.template === template);
  const config = stages[index];
  return config === undefined ? { name: template, number: 1, config: undefined } : { name: config.name, number: index + 1, config };
}

/** The plan of the customer named by --order or --email, or of the first customer send would mail. */
async function customerToPreview(deps: PreviewDeps, options: PreviewOptions): Promise<CustomerPlan & { named?: string }> {
  let emailKey: string;
  let shown = options.email;
  if (options.order !== undefined) {
    const all = await deps.store.cases.ofOrder(options.order);
    if (all.length === 0) throw new DunningError(`no order "${options.order}" in the database`, { hint: '"dunning status" lists the open cases and their order IDs' });
    const open = all.find((c) => c.status === 'open');
    if (open === undefined) throw new DunningError(`order "${options.order}" has no open case (it is ${all[0]?.status ?? 'closed'})`, { hint: 'only open cases get reminders' });
    emailKey = open.emailKey;
    shown = open.email;
  } else if (options.email !== undefined) {
    emailKey = addressOption('--email', options.email).key;
  } else {
    return firstDue(deps);
  }
  const plan = await planOneCustomer(deps.store, deps.config, emailKey, deps.now);
  if (plan === undefined) throw new DunningError(`no open case for ${shown ?? emailKey}`, { hint: '"dunning status" lists the open cases' });
  return plan;
}

async function firstDue(deps: PreviewDeps): Promise<CustomerPlan> {
  for await (const page of loadPlan(deps.store, deps.config, { now: deps.now, capped: false, sendOrder: true })) {
    const due = page.find((p) => p.message !== null);
    if (due !== undefined) return due;
  }
  throw new DunningError('no customer is due for a message now', { hint: 'name one with --order or --email; "dunning status" shows when each case is due' });
}

/** The customer's message now, or why there is none: each case's reason, then a refusal (exit 2). */
function messageOf(plan: CustomerPlan, options: PreviewOptions, note: (line: string) => void): PlannedMessage {
  const message = plan.message;
  if (message !== null) {
    for (const d of plan.decisions) {
      if (options.order !== undefined && d.case.orderId === options.order && d.skip !== null) note(`order ${d.case.orderId}: ${reasonText(d)}`);
    }
    return message;
  }
  for (const d of plan.decisions) note(`order ${d.case.orderId}: ${reasonText(d)}`);
  const first = plan.decisions.find((d) => d.skip !== null)?.skip;
  throw new DunningError("none of this customer's cases can get a message (see above)", { hint: HINTS[first?.reason ?? ''] ?? 'preview shows what "dunning send" would send now' });
}

function reasonText(d: CaseDecision): string {
  if (d.skip === null) return 'gets a message now';
  return d.skip.reason === 'no_token' ? `no link and no message: ${d.skip.detail}` : `no message now: ${d.skip.detail}`;
}

const HINTS: Readonly<Record<string, string>> = {
  no_token: 'fix the token in the export and import it again',
  stopped: 'the customer is stopped; "dunning customer EMAIL --resume" lifts it',
  snoozed: 'the customer is snoozed; "dunning customer EMAIL --resume" lifts it',
  rejected: 'the last message to this address was refused; fix the address, then "dunning customer EMAIL --resume"',
  bounced: 'the address bounced or the customer complained; fix the address, then "dunning customer EMAIL --resume"',
  not_yet_due: 'preview shows what "dunning send" would send now; "dunning status" shows when each case is due',
  gap_not_reached: 'preview shows what "dunning send" would send now; "dunning status" shows when each case is due',
};

/** Sends one rendered message to the --to address through the stage's channel; no case's state changes. */
async function sendTest(deps: PreviewDeps, message: OutgoingMessage, channelName: string): Promise<DeliveryOutcome> {
  const kit = (await deps.channels())[channelName];
  if (kit === undefined) throw new Error(`no channel "${channelName}" in the channel table`);
  return sendOneMessage(kit.create({ config: deps.config, env: deps.env, baseDir: deps.baseDir, runId: deps.runId }), message);
}

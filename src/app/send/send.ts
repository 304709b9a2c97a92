import type { ChannelName } from '../../config/schema.js';
import { addressOption } from '../../core/email.js';
import { DunningError, ExitCode, storageProblem } from '../../core/errors.js';
import { hasPayLink, linkPatternFor, linkPatternProblem } from '../../core/links.js';
import type { CustomerPlan, PlanSelection } from '../../core/plan.js';
import { staleSources, windowState } from '../../core/send-window.js';
import { loadPlan, planRules, type AppConfig } from '../plan.js';
import type { ChannelTable, LetterPrinter, LockHolder, Renderer, Store } from '../ports.js';
import { applyPlan, type LinePolicy } from './apply.js';
import { syncBounces } from '../bounce-sync.js';
import { stopFinishedAutomations } from './automation.js';
import { DEFAULT_RETRY, sleep, type RetryPolicy, type Sleep } from './deliver.js';
import { promoShownProblems, refuseHiddenPromo } from '../promo-shown.js';
import { needsPoolCode, PromoDesk } from './promo-desk.js';
import type { SendReport } from './report.js';
import { checkBaseRatesCover } from '../late-charges.js';

/** The lock every run that marks messages sent takes: `send`, and `export --mark-sent`. */
export const SEND_LOCK = 'send';

/** What `dunning send` was asked to do. */
export interface SendOptions {
  dryRun: boolean;
  limit?: number | undefined;
  stage?: string | undefined;
  email?: string | undefined;
  /** `--now-due`: with --email and --stage, that stage goes to that customer now although its moment has not come. */
  nowDue?: boolean | undefined;
  to?: string | undefined;
  retryUnknown: boolean;
  allowStale: boolean;
  channel?: ChannelName | undefined;
  /** Which message lines the report keeps. */
  lines: LinePolicy;
}

/** What a send works with; the clock, the channels, the renderer and waiting are all parameters. */
export interface SendDeps {
  store: Store;
  config: AppConfig;
  baseDir: string;
  runId: number;
  env: NodeJS.ProcessEnv;
  clock: () => Date;
  renderer: Renderer;
  /** Prints PDF letters for stages with `attachPdf`. */
  printLetter?: LetterPrinter;
  channels: ChannelTable;
  retry?: RetryPolicy;
  sleep?: Sleep;
  signal?: AbortSignal;
  /** Called once the plan is known, and after each batch. */
  onProgress?: (done: number, total: number) => void;
  /** Called when this run took over the lock of a run that died. */
  onLockTakenOver?: (holder: LockHolder) => void;
}

/**
 * Runs `send`: checks the window and the age of the data, takes the lock, marks what a dead run
 * left `sending` as unknown, plans, and applies the plan (or, with --dry-run, only renders it).
 */
export async function sendReminders(deps: SendDeps, options: SendOptions): Promise<SendReport> {
  const { config, store } = deps;
  const now = deps.clock();
  const selection = checkOptions(config, options);
  const report = emptyReport(deps, options, now);
  const window = windowState(now, config.sendWindow, config.timeZone);
  if (!window.open) {
    report.windowClosed = { opensAt: window.opensAt.toISOString(), opensAtLocal: window.opensAtLocal };
    if (!options.dryRun) return report;
  }
  if (!options.allowStale) await checkFreshness(store, now, config.maxImportAgeHours);
  checkBaseRatesCover(config, planRules(config, window.open ? now : window.opensAt).today);
  // Outside the window, a dry run shows what would go when it opens: the plan at that moment.
  if (options.dryRun) return planAndApply(deps, options, selection, report, window.open ? now : window.opensAt);
  const holder = await store.locks.acquire(SEND_LOCK, { runId: deps.runId, pid: process.pid, since: now.toISOString() });
  if (holder !== null) deps.onLockTakenOver?.(holder);
  try {
    report.foundUnknown = await store.messages.sweepSending(now);
    report.bounceSync = await syncFirst(deps, options, now);
    if (options.retryUnknown) {
      report.releasedUnknown = await store.messages.releaseUnknown(deps.runId, now, selection);
      report.keptUnknown = (await store.messages.countByState()).unknown;
    }
    return await planAndApply(deps, options, selection, report, now);
  } catch (error) {
    throw partOfWorkDone(error, report, store.location);
  } finally {
    await store.locks.release(SEND_LOCK, deps.runId);
  }
}

/**
 * `bounces.syncBeforeSend` (issue 23): with Mailjet or Mailchimp, what the provider learned since the
 * last run (bounces, complaints, opt-outs) stops those addresses before this run plans, so that a
 * cron line stays one `send`. A --to rehearsal changes nothing and skips it.
 */
async function syncFirst(deps: SendDeps, options: SendOptions, now: Date): Promise<SendReport['bounceSync']> {
  const { config } = deps;
  if (!config.bounces.syncBeforeSend || options.to !== undefined) return [];
  const used = new Set([options.channel ?? config.channel, ...(options.channel === undefined ? config.sequence.stages.map((s) => s.channel ?? config.channel) : [])]);
  const synced: SendReport['bounceSync'] = [];
  for (const channel of used) {
    if (deps.channels[channel]?.feedback === undefined) continue;
    const summary = await syncBounces({ store: deps.store, config, baseDir: deps.baseDir, runId: deps.runId, env: deps.env, now, channels: deps.channels }, channel);
    synced.push({ channel, stopped: summary.stopped.length });
  }
  return synced;
}

/** A send that could not store after it sent some messages exits 1 (done with failures), saying what went out. */
function partOfWorkDone(error: unknown, report: SendReport, location: string): unknown {
  if (report.sent === 0) return error;
  const problem = storageProblem(error, location, ExitCode.failures);
  if (problem === null) return error;
  return new DunningError(problem.message, {
    exitCode: ExitCode.failures,
    details: [`${report.sent} message${report.sent === 1 ? ' was' : 's were'} sent and recorded before it; a message that went out and could not be recorded is marked unknown by the next run, never resent`],
    hint: problem.hint,
  });
}

function checkOptions(config: AppConfig, options: SendOptions): PlanSelection & { redirectTo?: string } {
  if (options.stage !== undefined) checkStageOption(config, '--stage', options.stage);
  const withPdf = config.sequence.stages.filter((s) => s.attachPdf).map((s) => s.name);
  if (options.channel === 'mailchimp' && withPdf.length > 0) {
    throw new DunningError(`--channel mailchimp cannot carry the PDF letter of stage ${withPdf.join(', ')} ("attachPdf")`, { hint: 'send those stages through outbox, smtp or mailjet, or pick them out with --stage' });
  }
  if (options.nowDue === true && (options.email === undefined || options.stage === undefined)) {
    throw new DunningError('--now-due needs --email and --stage: it sends one stage to one customer now', { hint: 'e.g. dunning send --email anna@example.de --stage final --now-due' });
  }
  return {
    nowDue: options.nowDue === true,
    stage: options.stage,
    limit: options.limit,
    emailKey: options.email === undefined ? undefined : addressOption('--email', options.email).key,
    redirectTo: options.to === undefined ? undefined : addressOption('--to', options.to).address,
  };
}

/** Refuses an option naming a stage the sequence does not have (exit 2), listing the ones it has. */
export function checkStageOption(config: AppConfig, flag: string, stage: string): void {
  const stages = config.sequence.stages.map((s) => s.name);
  if (!stages.includes(stage)) throw new DunningError(`${flag} ${stage}: no such stage`, { hint: `the stages are ${stages.join(', ')}` });
}

/** Refuses to mail from data older than maxImportAgeHours: the customer may have paid since (exit 2). */
async function checkFreshness(store: Store, now: Date, maxAgeHours: number): Promise<void> {
  const stale = staleSources(await store.plan.newestImports(), now, maxAgeHours);
  if (stale.length === 0) return;
  throw new DunningError(`the data is too old to send reminders: maxImportAgeHours is ${maxAgeHours}`, {
    details: stale.map((s) => `source "${s.source}": newest import ${s.importedAt}, ${Math.floor(s.ageHours)} hours ago`),
    hint: 'import a fresh export first ("dunning import FILE && dunning send"), or pass --allow-stale if you are sure',
  });
}

function emptyReport(deps: SendDeps, options: SendOptions, now: Date): SendReport {
  return {
    runId: deps.runId, dryRun: options.dryRun, rehearsalTo: options.to ?? null,
    today: planRules(deps.config, now).today, timeZone: deps.config.timeZone, windowClosed: null,
    planned: 0, sent: 0, failed: 0, unknown: 0, foundUnknown: 0, releasedUnknown: 0, keptUnknown: 0, skipped: {}, stopped: null,
    outboxDir: null,
    messages: [], followUp: [], tagRemoval: null, contactList: null, bounceSync: [],
  };
}

/** What a first read of the plan tells before anything is claimed: how many messages, the sources whose cases need a link pattern, which pool codes. */
interface Survey {
  messages: number;
  sources: Set<string>;
  poolNeeds: Map<string, number>;
  /** The stages of the planned messages. */
  stages: Set<string>;
}

async function survey(deps: SendDeps, selection: PlanSelection, now: Date): Promise<Survey> {
  const result: Survey = { messages: 0, sources: new Set(), poolNeeds: new Map(), stages: new Set() };
  for await (const page of loadPlan(deps.store, deps.config, { now, only: selection, capped: true })) {
    for (const { message } of page) {
      if (message === null) continue;
      result.messages++;
      result.stages.add(message.stage.name);
      // A case with its own pay link from the export needs no link pattern (issue 18).
      for (const c of message.cases) if (!hasPayLink(c)) result.sources.add(c.source);
      if (await needsPoolCode(deps.store, deps.config, message)) result.poolNeeds.set(message.stage.name, (result.poolNeeds.get(message.stage.name) ?? 0) + 1);
    }
  }
  return result;
}

async function planAndApply(deps: SendDeps, options: SendOptions, selection: PlanSelection & { redirectTo?: string }, report: SendReport, now: Date): Promise<SendReport> {
  const planned = await survey(deps, selection, now);
  if (selection.nowDue === true && planned.messages === 0) await refuseNowDue(deps, selection, now);
  checkSendable(planned.sources, deps.config);
  // Before anything is claimed: a promo stage whose template does not show the code (issue 21).
  refuseHiddenPromo(promoShownProblems(deps.renderer, deps.config, now, options.channel, planned.stages));
  // Before anything is claimed: a pool that would run out stops the run here (exit 2).
  const promos = await PromoDesk.prepare(deps.store, deps.config, deps.baseDir, planned.poolNeeds, now, options.dryRun || selection.redirectTo !== undefined);
  deps.onProgress?.(0, planned.messages);
  const mode = { dryRun: options.dryRun, redirectTo: selection.redirectTo, channelOverride: options.channel, signal: deps.signal };
  const plan = loadPlan(deps.store, deps.config, { now, only: selection, capped: true, sendOrder: true });
  await applyPlan(plan, planned.messages, {
    ...deps, ...mode, retry: deps.retry ?? DEFAULT_RETRY, sleep: deps.sleep ?? sleep, onProgress: deps.onProgress, promos, lines: options.lines,
  }, report);
  await stopFinishedAutomations({ ...deps, ...mode, emailKey: selection.emailKey }, report);
  report.unknown = (await deps.store.messages.countByState()).unknown;
  return report;
}

/** `--now-due` that sends nothing says why (exit 2): no open case, or each case's reason (paid, stopped, snoozed, sent already). */
async function refuseNowDue(deps: SendDeps, selection: PlanSelection, now: Date): Promise<never> {
  let plan: CustomerPlan | undefined;
  for await (const page of loadPlan(deps.store, deps.config, { now, only: { ...selection, limit: undefined }, capped: false })) plan ??= page[0];
  const reasons = (plan?.decisions ?? []).flatMap((d) => (d.skip === null ? [] : [`order ${d.case.orderId}: ${d.skip.detail}`]));
  throw new DunningError(`--now-due: ${selection.emailKey ?? ''} gets no "${selection.stage ?? ''}" now; nothing was sent`, {
    details: plan === undefined ? ['no open case of this customer'] : reasons,
    hint: 'a stage goes to each case once, and never to a paid, stopped or snoozed customer ("dunning customer ADDR" shows why)',
  });
}

/** What would make every message of the plan fail: refused before any is claimed (exit 2). */
function checkSendable(sources: ReadonlySet<string>, config: AppConfig): void {
  const problems: string[] = [];
  for (const source of sources) {
    const problem = linkPatternProblem(linkPatternFor(config.manageLink, source));
    if (problem !== null) problems.push(`source "${source}": ${problem}`);
  }
  if (problems.length > 0) {
    throw new DunningError(`send cannot go ahead: ${problems.length} problem${problems.length === 1 ? '' : 's'} in dunning.config.json`, {
      details: problems,
      hint: 'fix these and run "dunning send --dry-run" to check',
    });
  }
}

import { CHANNELS } from '../channels/index.js';
import type { ChannelFactory } from '../channels/channel.js';
import type { ChannelName, Config } from '../config/schema.js';
import { calendarDateIn } from '../core/dates.js';
import { addressOption } from '../core/email.js';
import { linkPatternFor, linkPatternProblem } from '../core/links.js';
import { DunningError } from '../core/errors.js';
import { planRun, type Plan, type PlanSelection } from '../core/plan.js';
import { dayBounds, staleSources, windowState } from '../core/send-window.js';
import { compileTokenPattern } from '../core/token.js';
import { outboxDirOf } from '../channels/outbox.js';
import type { Db } from '../store/database.js';
import { acquireLock, releaseLock, SEND_LOCK } from '../store/lock.js';
import { countByState, countSentBetween, loadPlanData, newestImports, releaseUnknown, sweepSending } from '../store/messages.js';
import { applyPlan } from './apply.js';
import { PromoDesk } from './promo.js';
import type { RenderMessage } from './build-message.js';
import { DEFAULT_RETRY, sleep, type RetryPolicy, type Sleep } from './deliver.js';
import { removeTagsOfClosedCustomers } from './remove-tags.js';
import type { SendReport } from './report.js';
import type { SendRunMode, SendScope } from './scope.js';

/** What `dunning send` was asked to do. */
export interface SendOptions {
  dryRun: boolean;
  limit?: number | undefined;
  stage?: string | undefined;
  email?: string | undefined;
  to?: string | undefined;
  retryUnknown: boolean;
  allowStale: boolean;
  channel?: ChannelName | undefined;
}

/** What the engine works with; the clock, the channels, the renderer and waiting are all parameters. */
export interface SendDeps extends SendScope {
  render: RenderMessage;
  channels?: Record<ChannelName, ChannelFactory>;
  retry?: RetryPolicy;
  sleep?: Sleep;
  signal?: AbortSignal;
  /** Called once the plan is known, and after each batch. */
  onProgress?: (done: number, total: number) => void;
  /** Called when this run took over the lock of a run that died. */
  onLockTakenOver?: (holder: { runId: number; pid: number; since: string }) => void;
}

/**
 * Runs `send`: checks the window and the age of the data, takes the lock, marks what a dead run
 * left `sending` as unknown, plans, and applies the plan (or, with --dry-run, only renders it).
 */
export async function runSend(deps: SendDeps, options: SendOptions): Promise<SendReport> {
  const { config, db } = deps;
  const now = deps.clock();
  const selection = checkOptions(config, options);
  const report = emptyReport(deps, options, now);
  if (!options.dryRun) {
    const window = windowState(now, config.sendWindow, config.timeZone);
    if (!window.open) {
      report.windowClosed = { opensAt: window.opensAt.toISOString(), opensAtLocal: window.opensAtLocal };
      return report;
    }
  }
  if (!options.allowStale) checkFreshness(db, now, config.maxImportAgeHours);
  if (options.dryRun) return planAndApply(deps, options, selection, report, now);
  const holder = acquireLock(db, SEND_LOCK, { runId: deps.runId, pid: process.pid, since: now.toISOString() });
  if (holder !== null) deps.onLockTakenOver?.(holder);
  try {
    report.foundUnknown = sweepSending(db, now);
    if (options.retryUnknown) report.releasedUnknown = releaseUnknown(db, deps.runId, now);
    return await planAndApply(deps, options, selection, report, now);
  } finally {
    releaseLock(db, SEND_LOCK, deps.runId);
  }
}

function checkOptions(config: Config, options: SendOptions): PlanSelection & { redirectTo?: string } {
  if (options.stage !== undefined) checkStageOption(config, '--stage', options.stage);
  return {
    stage: options.stage,
    limit: options.limit,
    emailKey: options.email === undefined ? undefined : addressOption('--email', options.email).key,
    redirectTo: options.to === undefined ? undefined : addressOption('--to', options.to).address,
  };
}

/** Refuses an option naming a stage the sequence does not have (exit 2), listing the ones it has. */
export function checkStageOption(config: Config, flag: string, stage: string): void {
  const stages = config.sequence.stages.map((s) => s.name);
  if (!stages.includes(stage)) throw new DunningError(`${flag} ${stage}: no such stage`, { hint: `the stages are ${stages.join(', ')}` });
}

/** Refuses to mail from data older than maxImportAgeHours: the customer may have paid since (exit 2). */
function checkFreshness(db: Db, now: Date, maxAgeHours: number): void {
  const stale = staleSources(newestImports(db), now, maxAgeHours);
  if (stale.length === 0) return;
  throw new DunningError(`the data is too old to send reminders: maxImportAgeHours is ${maxAgeHours}`, {
    details: stale.map((s) => `source "${s.source}": newest import ${s.importedAt}, ${Math.floor(s.ageHours)} hours ago`),
    hint: 'import a fresh export first ("dunning import FILE && dunning send"), or pass --allow-stale if you are sure',
  });
}

function emptyReport(deps: SendDeps, options: SendOptions, now: Date): SendReport {
  return {
    runId: deps.runId, dryRun: options.dryRun, rehearsalTo: options.to ?? null,
    today: calendarDateIn(now, deps.config.timeZone), timeZone: deps.config.timeZone, windowClosed: null,
    planned: 0, sent: 0, failed: 0, unknown: 0, foundUnknown: 0, releasedUnknown: 0, skipped: {}, stopped: null,
    outboxDir: null,
    messages: [], followUp: [], tagRemoval: null,
  };
}

async function planAndApply(deps: SendDeps, options: SendOptions, selection: PlanSelection & { redirectTo?: string }, report: SendReport, now: Date): Promise<SendReport> {
  const plan = makePlan(deps, selection, now);
  report.planned = plan.messages.length;
  report.skipped = { ...plan.skipped };
  report.followUp = plan.decisions
    .filter((d) => d.skip?.reason === 'manual_follow_up')
    .map((d) => ({ caseId: d.case.id, orderId: d.case.orderId, email: d.case.email, daysOverdue: d.daysOverdue }));
  checkSendable(plan, deps.config);
  // Before anything is claimed: a pool that would run out stops the run here (exit 2).
  const promos = PromoDesk.prepare(deps.db, deps.config, deps.baseDir, plan.messages, now, options.dryRun || selection.redirectTo !== undefined);
  deps.onProgress?.(0, plan.messages.length);
  const scope: SendScope = { db: deps.db, config: deps.config, baseDir: deps.baseDir, runId: deps.runId, clock: deps.clock, env: deps.env };
  const mode: SendRunMode = { dryRun: options.dryRun, redirectTo: selection.redirectTo, channelOverride: options.channel, signal: deps.signal };
  await applyPlan(plan, {
    ...scope, ...mode, render: deps.render, channels: deps.channels ?? CHANNELS, retry: deps.retry ?? DEFAULT_RETRY, sleep: deps.sleep ?? sleep,
    onProgress: deps.onProgress, promos,
  }, report);
  await removeTagsOfClosedCustomers({ ...scope, ...mode, emailKey: selection.emailKey }, report);
  report.unknown = countByState(deps.db).unknown;
  // A stage of its own may go to the outbox when the rest goes elsewhere; the folder exists once a file was written.
  if (report.messages.some((m) => m.channel === 'outbox' && m.fate === 'sent')) report.outboxDir = outboxDirOf(deps.baseDir, deps.config.outbox.dir, deps.runId);
  return report;
}

/** What would make every message of the plan fail: refused before any is claimed (exit 2). */
function checkSendable(plan: Plan, config: Config): void {
  const problems: string[] = [];
  const sources = new Set(plan.messages.flatMap((m) => m.cases.map((c) => c.source)));
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

/**
 * The plan of this run, from the store as it is now. `capped: false` leaves out the per-run and
 * per-day caps, which only apply to sending (an export lists everyone due).
 */
export function makePlan(deps: Pick<SendDeps, 'db' | 'config'>, selection: PlanSelection, now: Date, capped = true): Plan {
  const { config, db } = deps;
  const data = loadPlanData(db);
  return planRun({
    now,
    timeZone: config.timeZone,
    sequence: config.sequence,
    ...data,
    tokenPattern: compileTokenPattern(config.tokenPattern),
    limits: capped ? { perRun: config.limits.perRun, perDay: config.limits.perDay, sentToday: sentToday(db, config.timeZone, now) } : { sentToday: 0 },
    only: selection,
  });
}

function sentToday(db: Db, timeZone: string, now: Date): number {
  const { start, end } = dayBounds(calendarDateIn(now, timeZone), timeZone);
  return countSentBetween(db, start, end);
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { isTimeZone } from '../core/dates.js';
import { compareDurations, formatDuration } from '../core/duration.js';
import { DunningError } from '../core/errors.js';
import { isCurrencyCode } from '../core/money.js';
import { ownBaseRates, stageFee } from '../core/late-charges.js';
import { stagePromoTerms } from '../core/promo.js';
import { ConfigSchema, type Config } from './schema.js';
import { channelOf } from './channels.js';

/** The configuration in effect and where it came from. */
export interface LoadedConfig {
  config: Config & { timeZone: string };
  /** The file read, or null when the defaults are used. */
  path: string | null;
  /** Relative paths in the config resolve against this folder. */
  baseDir: string;
}

export const DEFAULT_CONFIG_FILE = 'dunning.config.json';

/**
 * Reads and validates dunning.config.json. Every problem is listed at once with its key path;
 * an explicitly named file that does not exist is an error, a missing default file means defaults.
 */
export function loadConfig(path: string | undefined, cwd: string): LoadedConfig {
  const file = resolve(cwd, path ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (path !== undefined) {
      throw new DunningError(`${path}: no such config file`, { hint: 'run "dunning init" to write one, or fix the --config path' });
    }
    return finish(ConfigSchema.parse({}), null, cwd);
  }
  const text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DunningError(`${file}: ${describeJsonError(error, text)}`, { hint: 'fix the JSON syntax (an editor that knows the $schema helps)' });
  }
  const parsed = ConfigSchema.safeParse(json);
  const problems = parsed.success ? checkMeaning(parsed.data) : [...parsed.error.issues.map(describeIssue), ...meaningOfTheRest(json, parsed.error.issues)];
  if (!parsed.success || problems.length > 0) {
    throw new DunningError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the configuration`, {
      details: problems,
      hint: 'fix these keys; "dunning init" in an empty folder writes a complete example',
    });
  }
  return finish(parsed.data, file, dirname(file));
}

function finish(config: Config, path: string | null, baseDir: string): LoadedConfig {
  const timeZone = config.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { config: { ...config, timeZone }, path, baseDir };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

/**
 * The meaning checks of the top-level keys the schema accepted, when it refused others: the
 * merchant fixes every problem in one round, not the schema's first and then the rest. The refused
 * keys are left out (their defaults stand in) and their problems are not repeated.
 */
function meaningOfTheRest(json: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
  const refused = new Set(issues.flatMap((issue) => (issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys : [String(issue.path[0] ?? '')])));
  if (refused.has('')) return [];
  const rest = ConfigSchema.safeParse(Object.fromEntries(Object.entries(json).filter(([key]) => !refused.has(key))));
  if (!rest.success) return [];
  return checkMeaning(rest.data).filter((problem) => !refused.has(/^[^.:]+/.exec(problem)?.[0] ?? ''));
}

/** Rules a schema cannot express: real zones and currencies, ordered unique stages, a usable link pattern. */
function checkMeaning(config: Config): string[] {
  const problems: string[] = [];
  if (config.timeZone !== undefined && !isTimeZone(config.timeZone)) problems.push(`timeZone: "${config.timeZone}" is not an IANA time zone such as Europe/Berlin`);
  if (!isCurrencyCode(config.currency)) problems.push(`currency: "${config.currency}" is not an ISO 4217 currency code`);
  // Issue 18: the link may be built from {order_id} or {field:HEADER}, not only {token}; one with no placeholder gives everyone the same link.
  if (config.manageLink !== undefined && !/\{(?:[a-z_]+|field:[^{}]+)\}/.test(config.manageLink)) {
    problems.push('manageLink: must contain a placeholder such as {token}, {order_id} or {field:HEADER}');
  }
  if (config.tokenPattern !== undefined) {
    try {
      new RegExp(config.tokenPattern);
    } catch {
      problems.push(`tokenPattern: "${config.tokenPattern}" is not a regular expression`);
    }
  }
  const stages = config.sequence.stages;
  const seen = new Set<string>();
  stages.forEach((stage, i) => {
    if (seen.has(stage.name)) problems.push(`sequence.stages.${i}.name: "${stage.name}" is used twice`);
    seen.add(stage.name);
    const previous = stages[i - 1];
    if (previous && compareDurations(stage.after, previous.after) <= 0) {
      problems.push(`sequence.stages.${i}.after: ${formatDuration(stage.after)} must be later than the previous stage's ${formatDuration(previous.after)}`);
    }
    if (stage.repeat !== undefined && i < stages.length - 1) problems.push(`sequence.stages.${i}.repeat: only the last stage may repeat`);
  });
  stages.forEach((stage, i) => {
    if (stage.promo === undefined) return;
    const terms = stagePromoTerms(stage.promo, config.currency, new Date(0));
    if (!terms.ok) problems.push(`sequence.stages.${i}.promo.amountOff: ${terms.error}`);
  });
  stages.forEach((stage, i) => {
    const fee = stageFee(stage.fee, config.currency);
    if (!fee.ok) problems.push(`sequence.stages.${i}.fee: "${stage.fee ?? ''}" ${fee.error}`);
    // Mailchimp's Customer Journey sends the mail itself: a tag carries no file.
    if (stage.attachPdf && channelOf(config, stage) === 'mailchimp') problems.push(`sequence.stages.${i}.attachPdf: the mailchimp channel cannot carry a PDF; send this stage through outbox, smtp or mailjet ("channel" of the stage)`);
  });
  if (config.lateCharges !== undefined) {
    const rates = ownBaseRates(config.lateCharges.baseRates);
    if (!rates.ok) problems.push(`lateCharges.baseRates.${rates.error}`);
  }
  const window = config.sendWindow;
  if (window && window.from >= window.until) problems.push(`sendWindow: "from" (${window.from}) must be before "until" (${window.until})`);
  return problems;
}

function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*$/s, '');
  const offset = jsonErrorOffset(text, message);
  if (offset === undefined) return `not valid JSON (${reason})`;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: not valid JSON (${reason})`;
}

/** Where JSON.parse stopped. Node 20 names no position for an unexpected token, so find the shortest prefix that fails before its end. */
function jsonErrorOffset(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return Number(position[1]);
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsInside(text.slice(0, mid + 1))) high = mid;
    else low = mid + 1;
  }
  return low < text.length ? low : undefined;
}

function failsInside(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const position = /position (\d+)/.exec(message);
    if (position?.[1] !== undefined) return Number(position[1]) < prefix.length;
    return !message.startsWith('Unexpected end of JSON input');
  }
}

import { DunningError } from './core/errors.js';

/** The one clock of the program; `--now` or DUNNING_NOW fixes it for reproducible runs. */
export interface Clock {
  now(): Date;
  /** True when the time was set by --now / DUNNING_NOW. */
  readonly fixed: boolean;
}

/** Builds the clock from --now, else DUNNING_NOW, else the system time. */
export function createClock(nowOption: string | undefined, env: NodeJS.ProcessEnv): Clock {
  const text = nowOption ?? (env.DUNNING_NOW === '' ? undefined : env.DUNNING_NOW);
  if (text === undefined) return { now: () => new Date(), fixed: false };
  const fixed = parseNow(text);
  return { now: () => new Date(fixed.getTime()), fixed: true };
}

function parseNow(text: string): Date {
  // A date alone means noon UTC: the same calendar day in every zone from UTC-11 to UTC+11.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T12:00:00Z` : text;
  const valid = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso);
  const date = new Date(iso);
  if (!valid || Number.isNaN(date.getTime())) {
    throw new DunningError(`--now "${text}" is not an ISO date or date-time with a zone`, {
      hint: 'use e.g. --now 2026-11-23 or --now 2026-11-23T09:00:00+01:00',
    });
  }
  return date;
}

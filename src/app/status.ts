import { Best } from '../core/best.js';
import type { CalendarDate } from '../core/dates.js';
import { MoneyTotals, type Money } from '../core/money.js';
import { compareStandings, standingOf, type CaseStanding } from '../core/status.js';
import { linkNeedsToken } from '../core/links.js';
import { SHIPPED_LOCALES, shippedLanguageFromHint } from '../core/locale.js';
import { compileTokenPattern } from '../core/token.js';
import { loadPlan, planRules, type AppConfig } from './plan.js';
import type { Store, UnknownMessage } from './ports.js';
import { claimsForOverview, type ClaimFigures } from './late-charges.js';

/** What `dunning status` shows. */
export interface StatusOptions {
  /** Only cases past their due date. */
  overdue: boolean;
  /** How many cases the table lists (undefined: every one). */
  limit: number | undefined;
}

/** The overview of open cases, as `status` prints it. */
export interface StatusResult {
  now: Date;
  today: CalendarDate;
  timeZone: string;
  locale: string;
  /** The first cases in the overview's order, as many as asked for. */
  rows: CaseStanding[];
  /** How many cases there are in all (rows may list fewer). */
  cases: number;
  overdue: number;
  /** Customers a message is due for now. */
  due: number;
  totals: (Money & { cases: number })[];
  /** Messages whose fate is unknown (a run died while sending them). */
  unknown: UnknownMessage[];
  /** Each listed case's claim with interest and fees to today, by case id; null without `lateCharges`. */
  claims: ReadonlyMap<number, ClaimFigures> | null;
  /** Why the claims are missing although the config has `lateCharges` (a day no base rate covers). */
  problem: string | null;
  /** Customers whose language or country column names no shipped language: they get the config's locale. */
  languageFallback: LanguageFallback;
}

/** How many customers' language or country names no shipped language, and what the export wrote (a few, for the note). */
export interface LanguageFallback {
  customers: number;
  hints: string[];
}

/** Who is overdue, by how much, and what the plan gives each case next: the same plan send would make. */
export async function showStatus(store: Store, config: AppConfig, now: Date, options: StatusOptions): Promise<StatusResult> {
  const tokenPattern = compileTokenPattern(config.tokenPattern);
  const rows = new Best<CaseStanding>(compareStandings, options.limit);
  const totals = new MoneyTotals();
  let overdue = 0;
  let due = 0;
  const fallbacks = new Map<string, string>();
  for await (const page of loadPlan(store, config, { now, capped: true })) {
    for (const plan of page) {
      if (plan.message !== null) due++;
      for (const decision of plan.decisions) {
        const hint = decision.case.localeHint;
        if (hint !== null && hint.trim() !== '' && shippedLanguageFromHint(hint) === null) fallbacks.set(decision.case.emailKey, hint.trim());
        if (decision.daysOverdue > 0) overdue++;
        else if (options.overdue) continue;
        rows.add(standingOf(decision, tokenPattern, linkNeedsToken(config.manageLink)));
        totals.add(decision.case.currency, decision.case.openMinor);
      }
    }
  }
  const today = planRules(config, now).today;
  const sorted = rows.sorted();
  return {
    now,
    today,
    timeZone: config.timeZone,
    locale: config.locale,
    rows: sorted,
    cases: rows.count,
    overdue,
    due,
    totals: totals.sorted().map(({ currency, minor, count }) => ({ currency, minor, cases: count })),
    unknown: await store.messages.listUnknown(),
    ...(await claimsForOverview(store, config, sorted.map((r) => r.case), today)),
    languageFallback: { customers: fallbacks.size, hints: [...new Set(fallbacks.values())].sort() },
  };
}

/**
 * The note `status` gives once when some customers' language or country names no shipped
 * language (issue 18): how many, what the export wrote, and the language they get instead.
 */
export function languageNote(fallback: LanguageFallback, locale: string): string | null {
  if (fallback.customers === 0) return null;
  const shown = fallback.hints.slice(0, 5).map((h) => `"${h}"`).join(', ') + (fallback.hints.length > 5 ? ', …' : '');
  const who = fallback.customers === 1 ? '1 customer\'s language or country' : `${fallback.customers} customers' language or country`;
  return `${who} (${shown}) maps to no shipped language (${SHIPPED_LOCALES.join(', ')}): ${fallback.customers === 1 ? 'that customer gets' : 'they get'} messages in "${locale}", the config's "locale"`;
}

import { addDays, dayNumber, type CalendarDate } from './dates.js';

/** A period of Germany's base rate (Basiszinssatz, §247 BGB): from this day on, in hundredths of a percent. */
export interface BaseRatePeriod {
  from: CalendarDate;
  /** 1.27 % is 127; negative from 2013 to 2022. */
  hundredths: number;
}

/**
 * The base rate as the Deutsche Bundesbank published it, from the 2002 reform of the BGB on. It
 * changes on 1 January and 1 July; each entry holds until the next, the last one for its half-year.
 * `lateCharges.baseRates` adds later periods (and corrects any) without a new release.
 */
const PUBLISHED: readonly (readonly [CalendarDate, number])[] = [
  ['2002-01-01', 257], ['2002-07-01', 247], ['2003-01-01', 197], ['2003-07-01', 122],
  ['2004-01-01', 114], ['2004-07-01', 113], ['2005-01-01', 121], ['2005-07-01', 117],
  ['2006-01-01', 137], ['2006-07-01', 195], ['2007-01-01', 270], ['2007-07-01', 319],
  ['2008-01-01', 332], ['2008-07-01', 319], ['2009-01-01', 162], ['2009-07-01', 12],
  ['2010-01-01', 12], ['2010-07-01', 12], ['2011-01-01', 12], ['2011-07-01', 37],
  ['2012-01-01', 12], ['2012-07-01', 12], ['2013-01-01', -13], ['2013-07-01', -38],
  ['2014-01-01', -63], ['2014-07-01', -73], ['2015-01-01', -83], ['2015-07-01', -83],
  ['2016-01-01', -83], ['2016-07-01', -88], ['2017-01-01', -88], ['2017-07-01', -88],
  ['2018-01-01', -88], ['2018-07-01', -88], ['2019-01-01', -88], ['2019-07-01', -88],
  ['2020-01-01', -88], ['2020-07-01', -88], ['2021-01-01', -88], ['2021-07-01', -88],
  ['2022-01-01', -88], ['2022-07-01', -88], ['2023-01-01', 162], ['2023-07-01', 312],
  ['2024-01-01', 362], ['2024-07-01', 337], ['2025-01-01', 227], ['2025-07-01', 127],
  ['2026-01-01', 127],
];

/** The published table as periods. */
export const GERMAN_BASE_RATES: readonly BaseRatePeriod[] = PUBLISHED.map(([from, hundredths]) => ({ from, hundredths }));

/** A timeline of base rates: the shipped table with the merchant's periods over it (same day: the merchant's). */
export class BaseRates {
  private readonly periods: readonly BaseRatePeriod[];

  constructor(own: readonly BaseRatePeriod[] = [], shipped: readonly BaseRatePeriod[] = GERMAN_BASE_RATES) {
    const byDay = new Map<CalendarDate, number>();
    for (const period of [...shipped, ...own]) byDay.set(period.from, period.hundredths);
    this.periods = [...byDay].map(([from, hundredths]) => ({ from, hundredths })).sort((a, b) => dayNumber(a.from) - dayNumber(b.from));
  }

  /** The first day no period covers (the last period holds for the half-year it starts). */
  get coveredUntil(): CalendarDate {
    const last = this.periods[this.periods.length - 1];
    return last === undefined ? '0000-01-01' : addDays(halfYearAfter(last.from), -1);
  }

  /** The first day the table covers. */
  get coveredFrom(): CalendarDate {
    return this.periods[0]?.from ?? '9999-12-31';
  }

  /** The rate on a day, or undefined when no period covers it. */
  on(day: CalendarDate): number | undefined {
    if (dayNumber(day) < dayNumber(this.coveredFrom) || dayNumber(day) > dayNumber(this.coveredUntil)) return undefined;
    let rate: number | undefined;
    for (const period of this.periods) {
      if (dayNumber(period.from) > dayNumber(day)) break;
      rate = period.hundredths;
    }
    return rate;
  }

  /** The periods that touch the days from `first` to `last`, each cut to them: [from, to, hundredths]. */
  spans(first: CalendarDate, last: CalendarDate): { from: CalendarDate; to: CalendarDate; hundredths: number }[] {
    const out: { from: CalendarDate; to: CalendarDate; hundredths: number }[] = [];
    const end = Math.min(dayNumber(last), dayNumber(this.coveredUntil));
    for (const [i, period] of this.periods.entries()) {
      const next = this.periods[i + 1];
      const start = Math.max(dayNumber(period.from), dayNumber(first));
      const stop = Math.min(next === undefined ? end : dayNumber(next.from) - 1, end);
      if (start <= stop) out.push({ from: addDays(first, start - dayNumber(first)), to: addDays(first, stop - dayNumber(first)), hundredths: period.hundredths });
    }
    return out;
  }
}

/** The same day six months later: a base rate period's length. */
function halfYearAfter(day: CalendarDate): CalendarDate {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) + 6;
  const later = month > 12 ? `${year + 1}-${String(month - 12).padStart(2, '0')}` : `${year}-${String(month).padStart(2, '0')}`;
  return `${later}-${day.slice(8, 10)}`;
}

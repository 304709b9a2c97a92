/**
 * The report's own words (issue 22): headings, column names, chart titles and footnotes of
 * `dunning report` on the terminal, in `--html` and in the digest mail. One catalogue per shipped
 * language, each with every key (the type holds it, `test/unit/report-labels.test.ts` checks it);
 * `{name}` marks a figure filled in. The JSON keys and CSV headers are an interface and stay English.
 */
export interface ReportLabels {
  recoveryFrom: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  cases: string;
  amount: string;
  reminded: string;
  paidAfterReminder: string;
  paidWithoutReminder: string;
  stillOpen: string;
  medianTime: string;
  noPaymentsYet: string;
  days: Plural;
  promoCodes: string;
  stage: string;
  template: string;
  paidAfter: string;
  recovered: string;
  share: string;
  noRemindersByStage: string;
  noRemindersByTemplate: string;
  paidOn: string;
  customer: string;
  orders: string;
  daysAfter: string;
  daysAfterReminder: string;
  nobodyPaid: string;
  estimatedNote: string;
  estimatedFootnote: Plural;
  openFor: string;
  /** The still-open age buckets of the report model, in its order: not yet due, 1–7, 8–30, 31–90, over 90 days. */
  ages: readonly [string, string, string, string, string];
  pageTitle: string;
  heading: string;
  generated: string;
  cardRecovered: string;
  cardPaidCases: string;
  ofTotal: string;
  cardPaidWithout: string;
  cardMedianDays: string;
  cardStillOpen: string;
  amountInCases: Plural;
  cardCodesUsed: string;
  byStage: string;
  byTemplate: string;
  whoPaid: string;
  stillOpenByAge: string;
  recoveredPerDay: string;
  day: string;
  chartPerDay: string;
  chartByAge: string;
  chartStages: string;
  chartTemplates: string;
  remindedPaid: string;
  digestSent: string;
  digestFailed: string;
  digestUnknown: string;
  digestPaid: string;
  digestFollowUp: string;
  digestCodes: string;
  digestAttentionSubject: Plural;
  digestRecoveredSubject: string;
  digestSince: string;
  digestAttentionFirst: string;
  digestNothing: string;
  digestWhoPaid: string;
  digestPayer: string;
  digestMore: string;
  digestAttached: string;
  attentionUnknown: Plural;
  attentionFailed: Plural;
  attentionFollowUp: Plural;
  /** Issue 24: the open claims with late charges (lateCharges), apart from the principal. */
  openClaims: string;
  principal: string;
  defaultInterest: string;
  lateFees: string;
  totalClaimed: string;
}

/** A text by the plural category of its count (`Intl.PluralRules`); `other` is the fallback, Polish needs `few` and `many`. */
export interface Plural {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

import type { StoredCase } from './case.js';
import type { CaseDecision } from './plan-case.js';
import { hasPayLink } from './links.js';
import { tokenProblem } from './token.js';

/** A line of the status overview: the case, how late it is, what keeps it from a reminder, and what the plan decided. */
export interface CaseStanding {
  case: StoredCase;
  daysOverdue: number;
  problem: string | null;
  decision: CaseDecision;
}

/** A case's line in the overview. */
export function standingOf(decision: CaseDecision, tokenPattern: RegExp | undefined, linkNeedsToken = true): CaseStanding {
  const problem = linkNeedsToken && !hasPayLink(decision.case) ? tokenProblem(decision.case.token, tokenPattern) : null;
  return { case: decision.case, daysOverdue: decision.daysOverdue, problem, decision };
}

/** The overview's order: overdue first, the newest problems on top, then those not yet due, the soonest first. */
export function compareStandings(a: CaseStanding, b: CaseStanding): number {
  const aOver = a.daysOverdue > 0;
  const bOver = b.daysOverdue > 0;
  if (aOver !== bOver) return aOver ? -1 : 1;
  return aOver ? a.daysOverdue - b.daysOverdue || a.case.id - b.case.id : b.daysOverdue - a.daysOverdue || a.case.id - b.case.id;
}

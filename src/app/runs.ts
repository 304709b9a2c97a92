import type { RunRecord, Store } from './ports.js';

/** The run log, newest first, leaving out the run that asks. */
export async function listRuns(store: Store, last: number, ownRunId: number): Promise<RunRecord[]> {
  return (await store.runs.list(last + 1)).filter((run) => run.id !== ownRunId).slice(0, last);
}

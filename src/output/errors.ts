import { DunningError, ExitCode, storageProblem } from '../core/errors.js';
import { maskSecrets } from '../core/text.js';
import type { Terminal } from './terminal.js';

/** Prints an error for people and returns the exit code it stands for; `store`: where the database is, for a failure to write it. */
export function reportError(terminal: Terminal, error: unknown, debug: boolean, store?: string): number {
  const storage = store === undefined ? null : storageProblem(error, store);
  if (storage !== null) return reportError(terminal, storage, debug);
  if (error instanceof DunningError) {
    terminal.warn(`${terminal.style.red('error:')} ${error.message}`);
    for (const detail of error.details) terminal.warn(`  ${detail}`);
    if (error.hint !== undefined) terminal.warn(`${terminal.style.dim('hint:')} ${error.hint}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  terminal.warn(`${terminal.style.red('internal error:')} ${maskSecrets(message)}`);
  if (debug && error instanceof Error && error.stack !== undefined) terminal.warn(maskSecrets(error.stack));
  else terminal.warn('This is a bug in dunning. Run again with DUNNING_DEBUG=1 for details, and please report it.');
  return ExitCode.internal;
}

/** Exit codes of the public interface (DESIGN.md "Commands"). */
export const ExitCode = {
  ok: 0,
  /** Done, but some rows or messages failed; safe to rerun. */
  failures: 1,
  /** Nothing attempted: usage, configuration or input error. */
  usage: 2,
  /** Another run holds the lock. */
  locked: 3,
  /** A bug. */
  internal: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface DunningErrorOptions {
  exitCode?: ExitCodeValue;
  /** What the user can do about it, printed after the message. */
  hint?: string;
  /** Further lines (one problem each), printed between message and hint. */
  details?: readonly string[];
}

/** An error meant for people: the CLI prints message, details and hint and exits with exitCode. */
export class DunningError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly details: readonly string[];

  constructor(message: string, options: DunningErrorOptions = {}) {
    super(message);
    this.name = 'DunningError';
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

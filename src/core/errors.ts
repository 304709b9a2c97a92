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

/** What the file system or the database says when it cannot store: by error code, what it means and what to do. */
const STORAGE_PROBLEMS: readonly { codes: RegExp; what: string; hint: string }[] = [
  { codes: /^(SQLITE_FULL|ENOSPC|EDQUOT)$/, what: 'the disk is full', hint: 'free some space on that disk (or use a folder on another one), then run the command again; what this run could not store was not recorded as done' },
  { codes: /^(SQLITE_READONLY.*|EROFS)$/, what: 'it is read-only', hint: 'make the file and its folder writable for this user (SQLite writes a -wal and a -shm file beside the database), or pass --db with a writable path' },
  { codes: /^(EACCES|EPERM|SQLITE_PERM|SQLITE_AUTH)$/, what: 'permission denied', hint: 'give this user the right to write there (the file and its folder), or use another path' },
  { codes: /^SQLITE_IOERR.*$/, what: 'the disk reported an input/output error', hint: 'check the disk (and free space on it), then run the command again' },
  { codes: /^SQLITE_CANTOPEN$/, what: 'the database cannot be opened there', hint: 'check that the folder exists and is writable for this user, or pass --db with another path' },
];

/**
 * A user-facing error for a failure to store (disk full, read-only, permission denied), naming
 * `where` (or the path the error names); null for anything else. Exit 2 unless `exitCode` says.
 */
export function storageProblem(error: unknown, where: string, exitCode: ExitCodeValue = ExitCode.usage): DunningError | null {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return null;
  const code = error.code;
  const problem = STORAGE_PROBLEMS.find((p) => p.codes.test(code));
  if (problem === undefined) return null;
  const path = 'path' in error && typeof error.path === 'string' ? error.path : where;
  return new DunningError(`${path}: ${problem.what} (${code})`, { hint: problem.hint, exitCode });
}

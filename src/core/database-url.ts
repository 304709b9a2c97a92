/**
 * Whether `--db` names a database server (a postgres:// or postgresql:// URL) rather than a SQLite
 * file: a URL is never a path relative to the working folder.
 */
export function isServerUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

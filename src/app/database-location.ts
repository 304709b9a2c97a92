import { resolve } from 'node:path';
import { isServerUrl } from '../core/database-url.js';

export { isServerUrl };

/**
 * The database a command uses: `--db`, else DUNNING_DATABASE_URL (a server shared by several hosts,
 * set once in the environment of a cron job or container), else ./dunning.db. A file path is
 * relative to the working folder; a server URL stays as it is.
 */
export function databaseLocation(cwd: string, db: string | undefined, env: NodeJS.ProcessEnv): string {
  const given = db ?? nonEmpty(env.DUNNING_DATABASE_URL) ?? 'dunning.db';
  return isServerUrl(given) ? given : resolve(cwd, given);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

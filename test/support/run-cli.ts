import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI launcher (npm test builds dist/ first). */
export const DUNNING = fileURLToPath(new URL('../../bin/dunning', import.meta.url));
/** The package root, for the shipped examples. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The clock every e2e test runs at: Monday morning in Berlin. */
export const NOW = '2026-11-23T09:00:00+01:00';

/** What one CLI invocation did. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Bytes for standard input; none by default (stdin closed, as under cron). */
  input?: string;
}

if (!existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)))) {
  throw new Error('dist/ is missing: run "npm run build" (npm test does) before the e2e tests');
}

/** Spawns `dunning ARGS` without a TTY, NO_COLOR=1, and a clean DUNNING_* environment. */
export function spawnCli(args: readonly string[], options: RunOptions): ChildProcess {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined };
  for (const key of Object.keys(env)) if (key.startsWith('DUNNING_')) delete env[key];
  Object.assign(env, options.env);
  return spawn(process.execPath, [DUNNING, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs `dunning ARGS` to the end and collects its output and exit code. */
export function runCli(args: readonly string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin?.end(options.input ?? '');
  });
}

/** The CLI bound to one folder, with --now fixed and the folder's config and database. */
export function cliIn(cwd: string, base: readonly string[] = ['--now', NOW]): (...args: string[]) => Promise<CliResult> {
  return (...args) => runCli([...base, ...args], { cwd });
}

/** stderr's lines, for exact assertions on diagnostics. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DUNNING, NOW, ROOT } from './run-cli.js';

/**
 * A small file system of the test's own, for a full disk and a read-only folder: a tmpfs mounted
 * in a user and mount namespace (`unshare -U -m -r`), seen only by the script that runs in it, so
 * no root and nothing outside the test changes.
 */
function canMount(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-mount-'));
  try {
    return spawnSync('unshare', ['-U', '-m', '-r', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$0"', dir], { timeout: 10_000 }).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether this machine lets a test mount a small file system (user namespaces allowed). */
export const SMALL_DISKS = canMount();

/**
 * Runs a shell script in which `dir` is an empty tmpfs of `kib` KiB. The script runs the CLI as
 * `dunning ARGS` (at the e2e clock, DUNNING_* cleared) and finds the package under "$ROOT".
 */
export function onSmallDisk(dir: string, kib: number, script: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined };
  for (const key of Object.keys(env)) if (key.startsWith('DUNNING_')) delete env[key];
  const body = `set -u\nmount -t tmpfs -o size=${kib}k,mode=0700 tmpfs "$DISK"\ndunning() { "$NODE" "$CLI" --now "$NOW" "$@"; }\n${script}`;
  const result = spawnSync('unshare', ['-U', '-m', '-r', 'sh', '-c', body], {
    cwd,
    env: { ...env, DISK: dir, ROOT, NODE: process.execPath, CLI: DUNNING, NOW },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

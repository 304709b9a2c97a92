import cliProgress from 'cli-progress';
import type { Terminal } from './terminal.js';

/** A progress indicator that is silent unless a person watches a terminal (never under cron or --json). */
export interface Progress {
  update(value: number): void;
  stop(): void;
}

/** A bar for long work on a terminal; a no-op anywhere else. */
export function createProgress(terminal: Terminal, total: number, label: string, unit: 'bytes' | 'items'): Progress {
  if (!terminal.interactive || terminal.quiet || terminal.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: terminal.stderr,
      format: `${label} [{bar}] {percentage}% | ${unit === 'bytes' ? '{value_mb}/{total_mb} MB' : '{value}/{total}'} | {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  bar.start(total, 0, { value_mb: mb(0), total_mb: mb(total) });
  let last = 0;
  return {
    update: (value) => {
      // Redrawing is slow; a few hundred updates over a long run are plenty.
      if (value - last < total / 500 && value < total) return;
      last = value;
      bar.update(value, { value_mb: mb(value), total_mb: mb(total) });
    },
    stop: () => bar.stop(),
  };
}

import type { ChannelName } from '../../config/schema.js';
import type { AppConfig } from '../plan.js';
import type { ChannelTable, LetterPrinter, Renderer, Store } from '../ports.js';
import type { RetryPolicy, Sleep } from './deliver.js';
import type { PromoDesk } from './promo-desk.js';

/** Which message lines a report keeps: all (--json), or the first planned ones and those with something to say. */
export interface LinePolicy {
  all: boolean;
  /** Planned lines kept for a dry run's table. */
  planned: number;
}

/** What applying a plan needs besides the plan. */
export interface ApplyContext {
  store: Store;
  config: AppConfig;
  baseDir: string;
  runId: number;
  env: NodeJS.ProcessEnv;
  /** The program's clock (fixed by --now): when messages are claimed and end. */
  clock: () => Date;
  dryRun: boolean;
  /** send --to: every message goes there, nothing is recorded, no tag is touched. */
  redirectTo: string | undefined;
  channelOverride: ChannelName | undefined;
  signal: AbortSignal | undefined;
  renderer: Renderer;
  /** Prints a stage's notice as a PDF letter (`attachPdf`); absent when no stage attaches one. */
  printLetter?: LetterPrinter | undefined;
  channels: ChannelTable;
  retry: RetryPolicy;
  sleep: Sleep;
  onProgress: ((done: number, total: number) => void) | undefined;
  promos: PromoDesk;
  lines: LinePolicy;
}


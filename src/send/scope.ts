import type { ChannelName, Config } from '../config/schema.js';
import type { ChannelOptions } from '../channels/channel.js';
import type { Db } from '../store/database.js';

/** What every part of a send run works in: the store, the settings, the run and its clock. */
export interface SendScope extends ChannelOptions {
  db: Db;
  config: Config & { timeZone: string };
  /** The program's clock (fixed by --now): when messages are claimed and end. */
  clock: () => Date;
}

/** How this run was asked to go, as the parts after planning need it. */
export interface SendRunMode {
  dryRun: boolean;
  /** send --to: every message goes there, nothing is recorded, no tag is touched. */
  redirectTo: string | undefined;
  channelOverride: ChannelName | undefined;
  signal: AbortSignal | undefined;
}

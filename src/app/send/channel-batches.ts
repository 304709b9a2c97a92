import { channelOf } from '../../config/channels.js';
import type { ChannelName } from '../../config/schema.js';
import type { PlannedMessage } from '../../core/plan.js';
import type { AppConfig } from '../plan.js';
import type { Channel, ChannelTable, ChannelOptions } from '../ports.js';

/** What picking and opening a run's channels needs. */
interface ChannelContext extends ChannelOptions {
  config: AppConfig;
  channels: ChannelTable;
  channelOverride: ChannelName | undefined;
}

/** The channel a message goes through: `send --channel`, else its stage's, else the config's. */
export function channelFor(message: PlannedMessage, ctx: ChannelContext): ChannelName {
  return channelOf(ctx.config, ctx.config.sequence.stages.find((s) => s.name === message.stage.name), ctx.channelOverride);
}

/** Makes a channel of the table the first time a run needs it. */
export function openChannel(name: ChannelName, ctx: ChannelContext, open: Map<ChannelName, Channel>): Channel {
  const kit = ctx.channels[name];
  if (kit === undefined) throw new Error(`no channel "${name}" in the channel table`);
  const channel = kit.create({ config: ctx.config, env: ctx.env, baseDir: ctx.baseDir, runId: ctx.runId });
  open.set(name, channel);
  return channel;
}

/** A per-second limit also caps the batch: a batch leaves at once. */
export function batchSizeOf(channel: Channel, config: AppConfig): number {
  const perSecond = config.limits.perSecond;
  return Math.max(1, Math.min(channel.batchSize, perSecond === undefined ? Infinity : Math.floor(perSecond)));
}

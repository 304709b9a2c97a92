import type { ChannelName, Config } from './schema.js';

/** The channel a stage's messages go through: `send --channel` first, then the stage's own, then the config's. */
export function channelOf(config: Pick<Config, 'channel'>, stage: { channel?: ChannelName | undefined } | undefined, override?: ChannelName): ChannelName {
  return override ?? stage?.channel ?? config.channel;
}

/** True when a run may send through `channel`: the override, or the config's or one of its stages' channel. */
export function runUses(config: Pick<Config, 'channel' | 'sequence'>, channel: ChannelName, override: ChannelName | undefined): boolean {
  if (override !== undefined) return override === channel;
  return config.channel === channel || config.sequence.stages.some((s) => s.channel === channel);
}

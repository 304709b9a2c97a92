import type { ChannelName } from './schema.js';

type ChannelChoice = { channel?: ChannelName | undefined };

/** The channel a stage's messages go through: `send --channel` first, then the stage's own, then the config's. */
export function channelOf(config: { channel: ChannelName }, stage: ChannelChoice | undefined, override?: ChannelName): ChannelName {
  return override ?? stage?.channel ?? config.channel;
}

/** True when a run may send through `channel`: the override, or the config's or one of its stages' channel. */
export function runUses(config: { channel: ChannelName; sequence: { stages: readonly ChannelChoice[] } }, channel: ChannelName, override: ChannelName | undefined): boolean {
  if (override !== undefined) return override === channel;
  return config.channel === channel || config.sequence.stages.some((s) => s.channel === channel);
}

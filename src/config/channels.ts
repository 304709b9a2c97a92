import type { ChannelName } from './schema.js';

type ChannelChoice = { channel?: ChannelName | undefined };

/** The channel a stage's messages go through: `send --channel` first, then the stage's own, then the config's. */
export function channelOf(config: { channel: ChannelName }, stage: ChannelChoice | undefined, override?: ChannelName): ChannelName {
  return override ?? stage?.channel ?? config.channel;
}

/** Every channel a run may send through: the override, or the config's and its stages' channels. */
export function channelsOfRun(config: { channel: ChannelName; sequence: { stages: readonly ChannelChoice[] } }, override: ChannelName | undefined): ChannelName[] {
  if (override !== undefined) return [override];
  return [...new Set([config.channel, ...config.sequence.stages.flatMap((s) => (s.channel === undefined ? [] : [s.channel]))])];
}

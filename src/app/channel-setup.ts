import type { AppConfig } from './plan.js';
import { ChannelStopError, type ChannelTable, type FieldSetup } from './ports.js';
import { formatDuration, isWholeDays } from '../core/duration.js';
import { DunningError } from '../core/errors.js';

/** What setting up a provider's account did, and the stages whose tags start its automations. */
export interface ChannelSetup {
  listId: string;
  fields: FieldSetup[];
  /** `after` as the config writes it ("3d", "24h"); `afterDays` only when whole days (older readers of --json). */
  stages: { name: string; after: string; afterDays: number | null; tag: string }[];
}

/** What a channel's setup needs. */
export interface ChannelSetupDeps {
  channels: ChannelTable;
  config: AppConfig;
  env: NodeJS.ProcessEnv;
  baseDir: string;
  runId: number;
}

/** Creates what a channel needs in the merchant's account (Mailchimp's merge fields) and says which stage tag starts which journey. */
export async function setUpChannel(deps: ChannelSetupDeps, name: string): Promise<ChannelSetup> {
  const kit = deps.channels[name];
  if (kit?.setup === undefined) throw new DunningError(`channel "${name}" needs no setup`);
  let fields: FieldSetup[];
  try {
    fields = await kit.setup({ config: deps.config, env: deps.env, baseDir: deps.baseDir, runId: deps.runId });
  } catch (error) {
    if (error instanceof ChannelStopError) throw new DunningError(error.message, { hint: error.hint });
    throw error;
  }
  const tagOf = kit.stageTag ?? ((stage: { name: string }) => stage.name);
  return {
    listId: deps.config.mailchimp.listId ?? '',
    fields,
    stages: deps.config.sequence.stages.map((s) => ({ name: s.name, after: formatDuration(s.after), afterDays: isWholeDays(s.after) ? s.after.days : null, tag: tagOf(s) })),
  };
}

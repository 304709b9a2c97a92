import type { StageConfig } from '../../config/schema.js';
import { DunningError } from '../../core/errors.js';
import type { Channel, ChannelKit, ChannelOptions, OutgoingMessage } from '../../app/ports.js';
import { sendInChunks, type StopLatch } from '../shared/batching.js';
import { createMailchimpClient } from './client.js';
import { mailchimpFeedbackOf } from './feedback.js';
import { checkMergeFields, fieldsOf, mergeTagOf, setupMergeFields } from './fields.js';
import { failedOutcome, pushChunk, type PushTarget } from './push.js';
import { removeTags } from './tags.js';

/** Members per POST /lists/{list_id} at most (openapi-subset.json "members"). */
export const MAILCHIMP_BATCH_SIZE = 500;

/** The tag that starts a stage's Customer Journey: the configured one, else `dunning-<stage>`. */
export function stageTag(stage: Pick<StageConfig, 'name' | 'mailchimpTag'>): string {
  return stage.mailchimpTag ?? `dunning-${stage.name}`;
}

/**
 * The `mailchimp` channel: Mailchimp's Marketing API sends no single messages, so each message
 * becomes a member upsert with merge fields plus the stage tag, which starts the merchant's journey.
 * Its automation: removing the dunning tags of customers nothing of whom is pursued any more.
 */
export function createMailchimpChannel(options: ChannelOptions): Channel {
  const { client, listId } = connect(options);
  const stages = options.config.sequence.stages;
  const tagOf = (m: OutgoingMessage): string => stageTag(stages.find((s) => s.name === m.data.stage.name) ?? { name: m.data.stage.name });
  const fields = fieldsOf(options.config.mailchimp.extraFields);
  const target: PushTarget = { client, listId, tagOf, fields };
  const tags = [...new Set(stages.map(stageTag))];
  const latch: StopLatch = { error: undefined };
  let fieldsChecked = false;
  return {
    name: 'mailchimp',
    batchSize: MAILCHIMP_BATCH_SIZE,
    send: async (messages) => {
      if (messages.length === 0) return [];
      if (latch.error !== undefined) throw latch.error;
      if (!fieldsChecked) {
        const failure = await checkMergeFields(client, listId, fields);
        if (failure !== null) return messages.map(() => failedOutcome(failure));
        fieldsChecked = true;
      }
      return sendInChunks(chunkByAddress(messages, MAILCHIMP_BATCH_SIZE), latch, (chunk) => pushChunk(target, chunk));
    },
    automation: { listId, tags, stop: (emails) => removeTags(target, tags, emails) },
    close: () => Promise.resolve(),
  };
}

/** The mailchimp channel in the channel table (src/channels/index.ts): the push, the audience's setup, and its automation. */
export const MAILCHIMP: ChannelKit = {
  create: createMailchimpChannel,
  setup: (options) => {
    const { client, listId } = connect(options);
    return setupMergeFields(client, listId, fieldsOf(options.config.mailchimp.extraFields));
  },
  stageTag,
  automates: true,
  mergeTag: mergeTagOf,
  feedback: (options, sent) => mailchimpFeedbackOf(connect)(options, sent),
};

function connect(options: ChannelOptions): Pick<PushTarget, 'client' | 'listId'> {
  const client = createMailchimpClient(options.env);
  const listId = options.config.mailchimp.listId?.trim() ?? '';
  if (listId === '') {
    throw new DunningError('the mailchimp channel needs "mailchimp.listId" in dunning.config.json', {
      hint: 'set it to the Audience ID (Mailchimp: Audience > Settings > Audience name and defaults)',
    });
  }
  return { client, listId };
}

/** Consecutive chunks of at most `size` in which no address appears twice (a batch refuses duplicates). */
export function chunkByAddress(messages: readonly OutgoingMessage[], size: number): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let seen = new Set<string>();
  for (const message of messages) {
    const key = message.to.address.toLowerCase();
    if (current.length >= size || seen.has(key)) {
      chunks.push(current);
      current = [];
      seen = new Set();
    }
    current.push(message);
    seen.add(key);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

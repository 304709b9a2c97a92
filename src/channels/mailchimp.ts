import type { StageConfig } from '../config/schema.js';
import { DunningError } from '../core/errors.js';
import { sendInChunks, type StopLatch } from './batching.js';
import type { Channel, ChannelFactory, ChannelOptions, OutgoingMessage } from './channel.js';
import { createMailchimpClient } from './mailchimp-client.js';
import { checkMergeFields, setupMergeFields, type FieldSetup } from './mailchimp-fields.js';
import { failedOutcome, pushChunk, type PushTarget } from './mailchimp-push.js';
import { removeTags, type TagRemoval } from './mailchimp-tags.js';

export type { TagRemoval } from './mailchimp-tags.js';

/** Members per POST /lists/{list_id} at most (openapi-subset.json "members"). */
export const MAILCHIMP_BATCH_SIZE = 500;

/** The `mailchimp` channel, plus what only Mailchimp needs: tag removal for paid customers and the merge-field setup. */
export interface MailchimpChannel extends Channel {
  /** The audience the channel pushes to. */
  readonly listId: string;
  /** The tag of every stage: what removeDunningTags sets inactive. */
  readonly dunningTags: readonly string[];
  /** Sets every dunning stage tag of these customers inactive (nothing of theirs is pursued any more), so no journey goes on. */
  removeDunningTags(emails: readonly string[]): Promise<TagRemoval[]>;
  /** Creates the merge fields the push needs that the audience lacks; says which exist already. */
  setupMergeFields(): Promise<FieldSetup[]>;
}

/** The tag that starts a stage's Customer Journey: the configured one, else `dunning-<stage>`. */
export function stageTag(stage: Pick<StageConfig, 'name' | 'mailchimpTag'>): string {
  return stage.mailchimpTag ?? `dunning-${stage.name}`;
}

/**
 * The `mailchimp` channel: Mailchimp's Marketing API sends no single messages, so each message
 * becomes a member upsert with merge fields plus the stage tag, which starts the merchant's journey.
 */
export function createMailchimpChannel(options: ChannelOptions): MailchimpChannel {
  const client = createMailchimpClient(options.env);
  const listId = options.config.mailchimp.listId?.trim() ?? '';
  if (listId === '') {
    throw new DunningError('the mailchimp channel needs "mailchimp.listId" in dunning.config.json', {
      hint: 'set it to the Audience ID (Mailchimp: Audience > Settings > Audience name and defaults)',
    });
  }
  const target: PushTarget = { client, listId, tagOf: (m) => m.tag ?? `dunning-${m.stage}` };
  const tags = [...new Set(options.config.sequence.stages.map(stageTag))];
  const latch: StopLatch = { error: undefined };
  let fieldsChecked = false;
  return {
    name: 'mailchimp',
    batchSize: MAILCHIMP_BATCH_SIZE,
    listId,
    dunningTags: tags,
    send: async (messages) => {
      if (messages.length === 0) return [];
      if (latch.error !== undefined) throw latch.error;
      if (!fieldsChecked) {
        const failure = await checkMergeFields(client, listId);
        if (failure !== null) return messages.map(() => failedOutcome(failure));
        fieldsChecked = true;
      }
      return sendInChunks(chunkByAddress(messages, MAILCHIMP_BATCH_SIZE), latch, (chunk) => pushChunk(target, chunk));
    },
    close: () => Promise.resolve(),
    removeDunningTags: (emails) => removeTags(target, tags, emails),
    setupMergeFields: () => setupMergeFields(client, listId),
  };
}

/** The factory for the channel table (src/channels/index.ts). */
export const mailchimpChannel: ChannelFactory = createMailchimpChannel;

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

import { z } from 'zod';
import { mapWithLimit, type ChunkResult } from '../shared/batching.js';
import type { ChannelStopError, DeliveryOutcome, OutgoingMessage } from '../../app/ports.js';
import { isTemporary, readHttpFailure, type HttpFailure } from '../shared/http-failure.js';
import { subscriberHash, type MailchimpClient } from './client.js';
import { mailchimpStop, problemText } from './errors.js';
import { memberValues, type MailchimpField } from './fields.js';

const MemberSchema = z.object({ email_address: z.string(), id: z.string().optional(), status: z.string().optional() }).loose();
const BatchErrorSchema = z.object({ email_address: z.string(), error: z.string(), error_code: z.string().optional() }).loose();
const BatchSchema = z
  .object({ new_members: z.array(MemberSchema).default([]), updated_members: z.array(MemberSchema).default([]), errors: z.array(BatchErrorSchema).default([]) })
  .loose();

/** Members a dunning reminder must never force back: they unsubscribed, bounced, or were archived by the merchant. */
const NOT_FORCED = new Set(['unsubscribed', 'cleaned', 'archived']);
/** Mailchimp accepts 10 simultaneous connections per key; the per-member calls stay well below. */
const PARALLEL = 4;

interface Step {
  outcome: DeliveryOutcome;
  stop?: ChannelStopError;
}

/** Where the push runs: the client, the audience, and the tag of a message. */
export interface PushTarget {
  client: MailchimpClient;
  listId: string;
  tagOf: (message: OutgoingMessage) => string;
  /** The audience's fields: ours and the merchant's mailchimp.extraFields. */
  fields: readonly MailchimpField[];
}

/**
 * Pushes one chunk (at most 500 messages, each address once): a batch upsert, merge fields of
 * existing members, then the stage tag that starts the Customer Journey.
 *
 * New contacts go in as `transactional` (a dunning reminder is no marketing consent) with
 * `update_existing: false`, which by the documentation leaves an existing member's status alone:
 * a subscriber is not downgraded, an unsubscribed or cleaned contact is not resubscribed. Those
 * come back as ERROR_CONTACT_EXISTS and get their merge fields by PATCH, which changes no status.
 * The batch member schema has no `status_if_new` and no `tags` (openapi-subset.json
 * "Add_List_Members"), and `sync_tags` would replace the merchant's own tags, so the stage tag is
 * added per member with POST …/members/{hash}/tags, which fires "Tag added" journeys.
 */
export async function pushChunk(target: PushTarget, all: readonly OutgoingMessage[]): Promise<ChunkResult> {
  // A member that cannot carry every order's link is not pushed at all (issue 21); the others go on.
  const values = all.map((m) => memberValues(m.data, target.fields));
  const chunk = all.filter((_, i) => values[i]?.ok === true);
  const pushed = chunk.length === 0 ? { outcomes: [] } : await pushMembers(target, chunk, values.flatMap((v) => (v.ok ? [v.value] : [])));
  const outcomes = [...pushed.outcomes];
  const merged = values.map((v): DeliveryOutcome => (v.ok ? (outcomes.shift() ?? { state: 'failed', permanent: false, error: 'not pushed' }) : { state: 'failed', permanent: true, error: `Mailchimp: ${v.error}` }));
  return pushed.stop === undefined ? { outcomes: merged } : { outcomes: merged, stop: pushed.stop };
}

async function pushMembers(target: PushTarget, chunk: readonly OutgoingMessage[], values: readonly Record<string, string | number>[]): Promise<ChunkResult> {
  const body = {
    members: chunk.map((m, i) => ({ email_address: m.to.address, status: 'transactional', merge_fields: values[i] ?? {} })),
    update_existing: false,
  };
  let answer: unknown;
  try {
    // The merchant's own required merge fields (say, an address) are not ours to fill.
    answer = await target.client.lists.batchListMembers(target.listId, body, { skipMergeValidation: true });
  } catch (error) {
    const failure = readHttpFailure(error, Date.now());
    const stop = mailchimpStop(failure, target.listId);
    if (stop !== undefined) throw stop;
    return { outcomes: chunk.map(() => failedOutcome(failure)) };
  }
  const batch = BatchSchema.safeParse(answer);
  if (!batch.success) return { outcomes: chunk.map(() => ({ state: 'failed', permanent: false, error: "Mailchimp's batch answer was unreadable" })) };
  const steps = await mapWithLimit(chunk.map((message, i) => ({ message, merge: values[i] ?? {} })), PARALLEL, ({ message, merge }) => memberStep(target, message, merge, batch.data));
  const stop = steps.find((s) => s.stop !== undefined)?.stop;
  const outcomes = steps.map((s) => s.outcome);
  if (stop !== undefined && !outcomes.some((o) => o.state === 'sent')) throw stop;
  return stop === undefined ? { outcomes } : { outcomes, stop };
}

type Batch = z.infer<typeof BatchSchema>;

async function memberStep(target: PushTarget, message: OutgoingMessage, merge: Record<string, string | number>, batch: Batch): Promise<Step> {
  const key = message.to.address.toLowerCase();
  const created = batch.new_members.find((m) => m.email_address.toLowerCase() === key);
  if (created !== undefined) return addTag(target, message, created.id ?? subscriberHash(key), 'created as a transactional contact');
  const updated = batch.updated_members.find((m) => m.email_address.toLowerCase() === key);
  if (updated !== undefined) return addTag(target, message, updated.id ?? subscriberHash(key), `updated (${updated.status ?? 'status unchanged'})`);
  const error = batch.errors.find((e) => e.email_address.toLowerCase() === key);
  if (error === undefined) return { outcome: { state: 'failed', permanent: false, error: "Mailchimp's batch answer does not mention this address" } };
  if (error.error_code === 'ERROR_CONTACT_EXISTS') return updateExisting(target, message, merge);
  // One address signed up too often lately: Mailchimp's own throttle, which passes.
  const throttled = /a lot of lists very recently/i.test(error.error);
  return { outcome: { state: 'failed', permanent: !throttled, error: `Mailchimp refused ${message.to.address}: ${error.error}` } };
}

async function updateExisting(target: PushTarget, message: OutgoingMessage, merge: Record<string, string | number>): Promise<Step> {
  const hash = subscriberHash(message.to.address);
  let member: z.infer<typeof MemberSchema>;
  try {
    const answer = await target.client.lists.updateListMember(target.listId, hash, { merge_fields: merge }, { skipMergeValidation: true });
    member = MemberSchema.parse(answer);
  } catch (error) {
    return stepFailure(target, error);
  }
  const status = member.status ?? 'unknown';
  if (NOT_FORCED.has(status)) {
    return { outcome: { state: 'failed', permanent: true, error: `member is ${status} in Mailchimp: left as it is and not tagged (a reminder is no consent to resubscribe)` } };
  }
  return addTag(target, message, member.id ?? hash, `updated (status ${status} kept)`);
}

async function addTag(target: PushTarget, message: OutgoingMessage, memberId: string, what: string): Promise<Step> {
  const tag = target.tagOf(message);
  try {
    await target.client.lists.updateListMemberTags(target.listId, subscriberHash(message.to.address), { tags: [{ name: tag, status: 'active' }] });
  } catch (error) {
    return stepFailure(target, error, `${what}, but the tag "${tag}" was not added: `);
  }
  return { outcome: { state: 'sent', providerId: memberId, response: `Mailchimp member ${what}; tag "${tag}" added` } };
}

function stepFailure(target: PushTarget, error: unknown, prefix = ''): Step {
  const failure = readHttpFailure(error, Date.now());
  const stop = mailchimpStop(failure, target.listId, false);
  if (stop !== undefined) return { outcome: { state: 'failed', permanent: false, error: `${prefix}${stop.message}` }, stop };
  const outcome = failedOutcome(failure);
  return { outcome: outcome.state === 'failed' ? { ...outcome, error: `${prefix}${outcome.error}` } : outcome };
}

/**
 * 429, 5xx and no answer are temporary (with Retry-After when given); other answers are permanent.
 * Unlike a Mailjet send, a push whose answer was lost is safe to repeat: the upsert finds the member
 * (ERROR_CONTACT_EXISTS, then a PATCH) and adding a tag that is already active starts no journey again.
 */
export function failedOutcome(failure: HttpFailure): DeliveryOutcome {
  const error = problemText(failure);
  if (!isTemporary(failure.status)) return { state: 'failed', permanent: true, error };
  return { state: 'failed', permanent: false, error, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) };
}

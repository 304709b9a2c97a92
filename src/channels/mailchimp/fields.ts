import { z } from 'zod';
import type { MergeFieldName } from '../../core/merge-fields.js';
import { ChannelStopError, type FieldSetup } from '../../app/ports.js';
import { DunningError, ExitCode } from '../../core/errors.js';
import { isTemporary, readHttpFailure, type HttpFailure } from '../shared/http-failure.js';
import type { MailchimpClient } from './client.js';
import { mailchimpStop, problemText } from './errors.js';

/** A merge field the push writes: Mailchimp tag (at most 10 characters), its label, type and our variable. */
export interface MailchimpField {
  tag: string;
  name: string;
  type: 'text' | 'number';
  variable: MergeFieldName;
}

/** The merge fields of the push, mapped from the shared variables (src/core/merge-fields.ts). */
export const MAILCHIMP_FIELDS: readonly MailchimpField[] = [
  { tag: 'FNAME', name: 'First Name', type: 'text', variable: 'first_name' },
  { tag: 'LNAME', name: 'Last Name', type: 'text', variable: 'last_name' },
  { tag: 'OPENAMT', name: 'Open amount', type: 'text', variable: 'open_amount' },
  { tag: 'DUEDATE', name: 'Due date', type: 'text', variable: 'due_date' },
  { tag: 'DAYSOVER', name: 'Days overdue', type: 'number', variable: 'days_overdue' },
  { tag: 'ORDERIDS', name: 'Open order IDs', type: 'text', variable: 'order_ids' },
  { tag: 'MANAGELINK', name: 'Pay/manage link', type: 'text', variable: 'manage_link' },
  { tag: 'DSTAGE', name: 'Dunning stage', type: 'text', variable: 'stage' },
  { tag: 'PROMOCODE', name: 'Promo code', type: 'text', variable: 'promo_code' },
  { tag: 'PROMOEXP', name: 'Promo code expires', type: 'text', variable: 'promo_expires' },
];

// Text merge fields hold at most 255 characters; a longer order list is cut rather than refused.
const TEXT_MAX = 255;
// Names are only written when known: an empty FNAME would blank the name a subscriber already has.
const KEEP_WHEN_EMPTY = new Set(['promo_code', 'promo_expires']);

/** The merge_fields object of one member from a message's variables. */
export function toMergeValues(variables: Readonly<Record<string, string | number>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const field of MAILCHIMP_FIELDS) {
    const value = variables[field.variable];
    if (value === undefined) continue;
    if (field.type === 'number') {
      if (typeof value === 'number') out[field.tag] = value;
      continue;
    }
    const text = String(value);
    if (text === '' && !KEEP_WHEN_EMPTY.has(field.variable)) continue;
    out[field.tag] = [...text].length > TEXT_MAX ? `${[...text].slice(0, TEXT_MAX - 1).join('')}…` : text;
  }
  return out;
}

const MergeFieldsSchema = z.object({ merge_fields: z.array(z.object({ tag: z.string(), name: z.string(), type: z.string() }).loose()) }).loose();
type ExistingField = z.infer<typeof MergeFieldsSchema>['merge_fields'][number];

/** The audience's merge fields, or the failure when Mailchimp was unreachable; a refused key or unknown audience stops the channel. */
export async function readMergeFields(client: MailchimpClient, listId: string): Promise<{ fields: ExistingField[] } | { failure: HttpFailure }> {
  let answer: unknown;
  try {
    // An audience has at most a few dozen fields; 1000 is the API's page maximum.
    answer = await client.lists.getListMergeFields(listId, { count: 1000 });
  } catch (error) {
    const failure = readHttpFailure(error, Date.now());
    const stop = mailchimpStop(failure, listId);
    if (stop !== undefined) throw stop;
    return { failure };
  }
  const parsed = MergeFieldsSchema.safeParse(answer);
  if (!parsed.success) throw new ChannelStopError(`Mailchimp's list of merge fields for audience ${listId} was unreadable`, 'try again later');
  return { fields: parsed.data.merge_fields };
}

/**
 * Checks that the audience has every merge field the push writes, and stops the channel when not:
 * values for a missing field would be lost. Returns the failure when Mailchimp was unreachable.
 */
export async function checkMergeFields(client: MailchimpClient, listId: string): Promise<HttpFailure | null> {
  const read = await readMergeFields(client, listId);
  if ('failure' in read) return read.failure;
  const existing = new Map(read.fields.map((f) => [f.tag, f.type]));
  const missing = MAILCHIMP_FIELDS.filter((f) => !existing.has(f.tag)).map((f) => f.tag);
  if (missing.length > 0) {
    throw new ChannelStopError(`the Mailchimp audience ${listId} lacks the merge fields ${missing.join(', ')}`, 'run "dunning mailchimp setup" once to create them');
  }
  // A text value in a number field (say, "49,90 €" in OPENAMT) would fail every member.
  const mistyped = MAILCHIMP_FIELDS.filter((f) => existing.get(f.tag) !== f.type).map((f) => `${f.tag} is ${existing.get(f.tag) ?? '?'}, not ${f.type}`);
  if (mistyped.length > 0) {
    throw new ChannelStopError(`merge fields of the Mailchimp audience ${listId} have other types: ${mistyped.join('; ')}`, 'change their type in Mailchimp (Audience > Settings > Audience fields and *|MERGE|* tags); "dunning mailchimp setup" lists them');
  }
  return null;
}

/** The merge tag of a shared merge field, when the push writes it. */
export function mergeTagOf(field: string): string | undefined {
  return MAILCHIMP_FIELDS.find((f) => f.variable === field)?.tag;
}

/**
 * Creates the merge fields the push needs that the audience lacks; says which exist already.
 * Mailchimp unreachable is exit 1 (nothing is wrong with the setup; run it again later).
 */
export async function setupMergeFields(client: MailchimpClient, listId: string): Promise<FieldSetup[]> {
  const read = await readMergeFields(client, listId);
  if ('failure' in read) throw unavailable(problemText(read.failure));
  const existing = new Map(read.fields.map((f) => [f.tag, f]));
  const results: FieldSetup[] = [];
  for (const field of MAILCHIMP_FIELDS) {
    const found = existing.get(field.tag);
    if (found !== undefined) {
      const ok = found.type === field.type;
      results.push({ tag: field.tag, name: found.name, type: field.type, state: ok ? 'exists' : 'conflict', ...(ok ? {} : { existingType: found.type }) });
      continue;
    }
    try {
      await client.lists.addListMergeField(listId, { tag: field.tag, name: field.name, type: field.type, required: false, public: false });
    } catch (error) {
      const failure = readHttpFailure(error, Date.now());
      const stop = mailchimpStop(failure, listId);
      if (stop !== undefined) throw stop;
      if (isTemporary(failure.status)) throw unavailable(`${field.tag} not created: ${problemText(failure)}`);
      throw new ChannelStopError(`Mailchimp did not create the merge field ${field.tag}: ${problemText(failure)}`, 'check the audience\'s merge fields in Mailchimp (at most 80 per audience) and run "dunning mailchimp setup" again');
    }
    results.push({ tag: field.tag, name: field.name, type: field.type, state: 'created' });
  }
  return results;
}

function unavailable(detail: string): DunningError {
  return new DunningError(`Mailchimp is not reachable: ${detail}`, { exitCode: ExitCode.failures, hint: 'nothing is wrong with your setup; run "dunning mailchimp setup" again later' });
}

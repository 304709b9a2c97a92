import { z } from 'zod';
import { mergeFields, orderFields, type MergeFieldInput, type MergeFieldName } from '../../core/merge-fields.js';
import { fail, ok, type Parsed } from '../../core/result.js';
import { ChannelStopError, type FieldSetup } from '../../app/ports.js';
import { DunningError, ExitCode } from '../../core/errors.js';
import { isTemporary, readHttpFailure, type HttpFailure } from '../shared/http-failure.js';
import type { MailchimpClient } from './client.js';
import { mailchimpStop, problemText } from './errors.js';

/** A merge field the push writes: Mailchimp tag (at most 10 characters), its label, type and the value it carries. */
export interface MailchimpField {
  tag: string;
  name: string;
  type: 'text' | 'number';
  /** A shared variable (src/core/merge-fields.ts), `manage_link_N`, `order_list`, or `extra:HEADER` (mailchimp.extraFields). */
  variable: MergeFieldName | `manage_link_${number}` | 'order_list' | `extra:${string}`;
}

/**
 * How many orders' own links one member carries: MANAGELINK, then MANAGELNK2 ... MANAGELNK5 (tags
 * hold 10 characters at most). A customer with more open orders at once is not pushed (issue 21).
 */
export const MAILCHIMP_MAX_LINKS = 5;

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
  // Issue 21: every field the snippet and the push use, every order's own link.
  { tag: 'COMPANY', name: 'Company (sender)', type: 'text', variable: 'company' },
  { tag: 'PROMOBEFOR', name: 'Open amount before promo', type: 'text', variable: 'promo_before' },
  { tag: 'PROMOAFTER', name: 'Open amount with promo', type: 'text', variable: 'promo_after' },
  { tag: 'PROMOHOURS', name: 'Promo code valid hours', type: 'text', variable: 'promo_valid_hours' },
  { tag: 'ORDERLIST', name: 'Open orders', type: 'text', variable: 'order_list' },
  // Issue 24: the claim with late charges and the pay-by date, for a Mahnung sent by a Customer Journey.
  { tag: 'CLAIMPRIN', name: 'Claim: principal', type: 'text', variable: 'claim_principal' },
  { tag: 'CLAIMINT', name: 'Claim: default interest', type: 'text', variable: 'claim_interest' },
  { tag: 'CLAIMFEES', name: 'Claim: fees', type: 'text', variable: 'claim_fees' },
  { tag: 'CLAIMTOTAL', name: 'Claim: total', type: 'text', variable: 'claim_total' },
  { tag: 'INTRATE', name: 'Default interest rate', type: 'text', variable: 'interest_rate' },
  { tag: 'PAYBY', name: 'Pay by', type: 'text', variable: 'pay_by' },
  ...Array.from({ length: MAILCHIMP_MAX_LINKS - 1 }, (_, i): MailchimpField => ({ tag: `MANAGELNK${i + 2}`, name: `Pay/manage link ${i + 2}`, type: 'text', variable: `manage_link_${i + 2}` })),
];

/** The fields of an audience: ours, then the merchant's own `mailchimp.extraFields` (tag -> export header), as text. */
export function fieldsOf(extraFields: Readonly<Record<string, string>> = {}): MailchimpField[] {
  const ours = new Set(MAILCHIMP_FIELDS.map((f) => f.tag));
  // A tag of ours is never the merchant's: ours keep their meaning.
  return [...MAILCHIMP_FIELDS, ...Object.entries(extraFields).filter(([tag]) => !ours.has(tag)).map(([tag, header]): MailchimpField => ({ tag, name: header, type: 'text', variable: `extra:${header}` }))];
}

// Text merge fields hold at most 255 characters; a longer order list is cut rather than refused.
const TEXT_MAX = 255;
// Names are only written when known: an empty FNAME would blank the name a subscriber already has.
// The claim and the pay-by date too: a journey must never show the claim of an earlier message.
const KEEP_WHEN_EMPTY = new Set<string>(['promo_code', 'promo_expires', 'promo_before', 'promo_after', 'promo_valid_hours', 'order_list',
  'claim_principal', 'claim_interest', 'claim_fees', 'claim_total', 'interest_rate', 'pay_by', ...Array.from({ length: MAILCHIMP_MAX_LINKS - 1 }, (_, i) => `manage_link_${i + 2}`)]);
// A link or the order list cut short would send the customer to a broken page or hide an order: refused instead.
const NEVER_CUT = new Set<string>(['manage_link', 'order_list', ...Array.from({ length: MAILCHIMP_MAX_LINKS - 1 }, (_, i) => `manage_link_${i + 2}`)]);

/** The merge_fields object of one member from a message's variables. */
export function toMergeValues(variables: Readonly<Record<string, string | number>>, fields: readonly MailchimpField[] = MAILCHIMP_FIELDS): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const field of fields) {
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

/**
 * The merge fields of one message's member, or why the member cannot carry it: more open orders
 * than MANAGELINK ... MANAGELNK5 hold, or a link or the order list longer than a text field's 255
 * characters. Never a link dropped or cut (issue 21).
 */
export function memberValues(data: MergeFieldInput, fields: readonly MailchimpField[]): Parsed<Record<string, string | number>> {
  const links = data.cases.map((c) => c.manageLink);
  if (links.length > MAILCHIMP_MAX_LINKS) {
    return fail(`${links.length} open orders, but a Mailchimp member carries at most ${MAILCHIMP_MAX_LINKS} links (MANAGELINK, MANAGELNK2 ... MANAGELNK${MAILCHIMP_MAX_LINKS}): not pushed, so that no order's link is lost; send this customer through another channel (dunning send --email ADDR --channel ...)`);
  }
  const variables: Record<string, string | number> = { ...mergeFields(data), order_list: orderList(data) };
  for (let n = 2; n <= MAILCHIMP_MAX_LINKS; n++) variables[`manage_link_${n}`] = links[n - 1] ?? '';
  for (const field of fields) {
    if (!field.variable.startsWith('extra:')) continue;
    // The first order's value, else the first of the others that has one.
    const header = field.variable.slice('extra:'.length);
    variables[field.variable] = data.cases.map((c) => c.extra?.[header] ?? '').find((v) => v !== '') ?? '';
  }
  for (const field of fields) {
    const text = String(variables[field.variable] ?? '');
    if (NEVER_CUT.has(field.variable) && [...text].length > TEXT_MAX) {
      return fail(`${field.tag} would be ${[...text].length} characters, more than the ${TEXT_MAX} a Mailchimp text field holds: not pushed, so that nothing is cut`);
    }
  }
  return ok(toMergeValues(variables, fields));
}

/** The open orders as one line for ORDERLIST: `100201 Online-Kurs (49,00 €); 100203 E-Book (19,90 €)`. */
function orderList(data: MergeFieldInput): string {
  return orderFields(data).map((o) => `${o.order_id}${o.product === '' ? '' : ` ${o.product}`} (${o.open})`).join('; ');
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
export async function checkMergeFields(client: MailchimpClient, listId: string, fields: readonly MailchimpField[] = MAILCHIMP_FIELDS): Promise<HttpFailure | null> {
  const read = await readMergeFields(client, listId);
  if ('failure' in read) return read.failure;
  const existing = new Map(read.fields.map((f) => [f.tag, f.type]));
  const missing = fields.filter((f) => !existing.has(f.tag)).map((f) => f.tag);
  if (missing.length > 0) {
    throw new ChannelStopError(`the Mailchimp audience ${listId} lacks the merge fields ${missing.join(', ')}`, 'run "dunning mailchimp setup" once to create them');
  }
  // A text value in a number field (say, "49,90 €" in OPENAMT) would fail every member.
  const mistyped = fields.filter((f) => existing.get(f.tag) !== f.type).map((f) => `${f.tag} is ${existing.get(f.tag) ?? '?'}, not ${f.type}`);
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
export async function setupMergeFields(client: MailchimpClient, listId: string, fields: readonly MailchimpField[] = MAILCHIMP_FIELDS): Promise<FieldSetup[]> {
  const read = await readMergeFields(client, listId);
  if ('failure' in read) throw unavailable(problemText(read.failure));
  const existing = new Map(read.fields.map((f) => [f.tag, f]));
  const results: FieldSetup[] = [];
  for (const field of fields) {
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

import { z } from 'zod';
import { MERGE_FIELD_NAMES, mergeFields, sampleMergeInput, type MergeFieldName } from '../../core/merge-fields.js';
import type { OutgoingMessage } from '../../app/ports.js';
import { describeTransport, isHttpError, readHttpFailure } from '../shared/http-failure.js';
import type { MailjetClient } from './client.js';
import { variablesOf } from './variables.js';

/** Keeps a Mailjet contact list in sync with the customers who got a reminder. */
export interface ContactListSync {
  /** Adds or updates these contacts with their properties; returns a problem to note, or null. */
  sync(messages: readonly OutgoingMessage[]): Promise<string | null>;
}

type Datatype = 'str' | 'int' | 'float' | 'bool' | 'datetime';
const MetadataSchema = z.object({ Data: z.array(z.object({ Name: z.string(), Datatype: z.string() }).loose()) }).loose();

// The property types follow the variables themselves: a number variable becomes an "int" property.
const SAMPLE = mergeFields(sampleMergeInput('en'));
const WANTED: readonly { name: MergeFieldName; datatype: Datatype }[] = MERGE_FIELD_NAMES.map((name) => ({
  name,
  datatype: typeof SAMPLE[name] === 'number' ? 'int' : 'str',
}));

/**
 * Creates the sync for `listId`. Properties must exist as /contactmetadata before a contact can carry
 * them (CONTRACT.md "Contacts"), so missing ones are created once; contacts then go in with
 * `addnoforce`, which keeps an unsubscribed contact unsubscribed (never `addforce`).
 */
export function createContactListSync(client: MailjetClient, listId: number): ContactListSync {
  let datatypes: Promise<Map<string, string>> | undefined;
  return {
    async sync(messages) {
      if (messages.length === 0) return null;
      try {
        datatypes ??= ensureMetadata(client);
        const known = await datatypes;
        const contacts = messages.map((m) => ({ Email: m.to.address, ...(m.to.name === '' ? {} : { Name: m.to.name }), Properties: properties(m, known) }));
        await client.post('contactslist').id(listId).action('managemanycontacts').request({ Action: 'addnoforce', Contacts: contacts });
        return null;
      } catch (error) {
        datatypes = undefined;
        // The reminders went out: whatever happened here is noted with them, never thrown.
        const why = isHttpError(error) ? describeTransport('Mailjet', readHttpFailure(error, Date.now())) : String(error);
        return `contact list ${listId} not updated: ${why}`;
      }
    },
  };
}

async function ensureMetadata(client: MailjetClient): Promise<Map<string, string>> {
  const answer = await client.get('contactmetadata').request(undefined, { Limit: 1000 });
  const parsed = MetadataSchema.safeParse(answer.body);
  const known = new Map((parsed.success ? parsed.data.Data : []).map((d) => [d.Name.toLowerCase(), d.Datatype]));
  for (const { name, datatype } of WANTED) {
    if (known.has(name)) continue;
    await client.post('contactmetadata').request({ Name: name, Datatype: datatype, NameSpace: 'static' });
    known.set(name, datatype);
  }
  return known;
}

function properties(message: OutgoingMessage, known: Map<string, string>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const { name } of WANTED) {
    const value = variablesOf(message)[name];
    if (value === undefined) continue;
    const datatype = known.get(name);
    // A merchant's existing property of another type wins: a text property gets the text.
    if (datatype === 'str') out[name] = String(value);
    else if (typeof value === 'number') out[name] = value;
  }
  return out;
}

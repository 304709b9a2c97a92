import type { ChannelOptions, ProviderFeedback, SentRecord } from '../../app/ports.js';
import { DunningError } from '../../core/errors.js';
import { mapWithLimit } from '../shared/batching.js';
import { isRecord, readHttpFailure } from '../shared/http-failure.js';
import { subscriberHash, type MailchimpClient } from './client.js';

const PARALLEL = 4;

/**
 * `bounces sync --channel mailchimp` (issue 23): reads back each member we pushed
 * (GET /lists/{list_id}/members/{subscriber_hash}). `cleaned` (Mailchimp removed the address after
 * hard bounces) counts as bounced, `unsubscribed` as opted out; a member no longer in the audience,
 * or in any other state, says nothing.
 */
export async function mailchimpFeedback(client: MailchimpClient, listId: string, sent: readonly SentRecord[]): Promise<ProviderFeedback[]> {
  const members = new Map<string, SentRecord>();
  for (const s of sent) members.set(s.emailKey, s);
  const answers = await mapWithLimit([...members.values()], PARALLEL, async (s): Promise<ProviderFeedback | null> => {
    let answer: unknown;
    try {
      answer = await client.lists.getListMember(listId, subscriberHash(s.recipient), { fields: ['status', 'email_address', 'last_changed'] });
    } catch (error) {
      const failure = readHttpFailure(error, Date.now());
      if (failure.status === 404) return null;
      throw new DunningError(`Mailchimp: cannot read the member ${s.recipient} of audience ${listId} (${failure.status === null ? (failure.code ?? 'no answer') : `HTTP ${failure.status}`})`, {
        exitCode: 1,
        hint: 'check MAILCHIMP_API_KEY and mailchimp.listId, then run "dunning bounces sync --channel mailchimp" again; nothing was changed',
      });
    }
    const status = isRecord(answer) && typeof answer.status === 'string' ? answer.status : '';
    if (status === 'cleaned') return { emailKey: s.emailKey, messageId: null, kind: 'permanent', state: 'cleaned', detail: 'cleaned by Mailchimp (the address bounced)' };
    if (status === 'unsubscribed') return { emailKey: s.emailKey, messageId: null, kind: 'unsubscribed', state: 'unsubscribed', detail: 'unsubscribed from the Mailchimp audience' };
    return null;
  });
  return answers.filter((a): a is ProviderFeedback => a !== null);
}

/** The kit's entry: connects as the channel does. */
export function mailchimpFeedbackOf(connect: (options: ChannelOptions) => { client: MailchimpClient; listId: string }) {
  return (options: ChannelOptions, sent: readonly SentRecord[]): Promise<ProviderFeedback[]> => {
    const { client, listId } = connect(options);
    return mailchimpFeedback(client, listId, sent);
  };
}

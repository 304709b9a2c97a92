import type { ChannelOptions, ProviderFeedback, SentRecord } from '../../app/ports.js';
import { DunningError } from '../../core/errors.js';
import { mapWithLimit } from '../shared/batching.js';
import { isRecord, readHttpFailure } from '../shared/http-failure.js';
import { createMailjetClient, type MailjetClient } from './client.js';

const PARALLEL = 4;

/**
 * What Mailjet's message states mean for the address (GET /v3/REST/message/{message_ID}, `Status`):
 * a hard bounce, a soft one that Mailjet gave up on (`StatePermanent`), or a message Mailjet
 * blocked (an address known to bounce or complain) stops it; spam is a complaint; `unsub` an
 * opt-out; soft bounces and deferrals are temporary.
 */
export function mailjetState(status: string, permanent: boolean): Pick<ProviderFeedback, 'kind' | 'detail'> | null {
  switch (status) {
    case 'hardbounced':
      return { kind: 'permanent', detail: 'hard bounce (Mailjet)' };
    case 'bounce':
      return permanent ? { kind: 'permanent', detail: 'hard bounce (Mailjet)' } : { kind: 'temporary', detail: 'soft bounce (Mailjet)' };
    case 'blocked':
      return { kind: 'permanent', detail: 'blocked by Mailjet (the address bounced or complained before)' };
    case 'spam':
      return { kind: 'complaint', detail: 'marked as spam (Mailjet)' };
    case 'unsub':
      return { kind: 'unsubscribed', detail: 'unsubscribed (Mailjet)' };
    case 'softbounced':
    case 'deferred':
      return { kind: 'temporary', detail: `${status} (Mailjet)` };
    default:
      return null;
  }
}

/** `bounces sync --channel mailjet` (issue 23): the state of every message we sent, by its Mailjet MessageID. */
export async function mailjetFeedback(client: MailjetClient, sent: readonly SentRecord[]): Promise<ProviderFeedback[]> {
  const withId = sent.filter((s) => s.providerId !== null && s.providerId !== '');
  const answers = await mapWithLimit(withId, PARALLEL, async (s): Promise<ProviderFeedback | null> => {
    let body: unknown;
    try {
      const answer = await client.get('message', { version: 'v3' }).id(s.providerId ?? '').request<Record<string, never>, Record<string, unknown>>();
      body = answer.body;
    } catch (error) {
      const failure = readHttpFailure(error, Date.now());
      if (failure.status === 404) return null;
      throw new DunningError(`Mailjet: cannot read the state of message ${s.providerId ?? ''} (${failure.status === null ? (failure.code ?? 'no answer') : `HTTP ${failure.status}`})`, {
        exitCode: 1,
        hint: 'check MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE, then run "dunning bounces sync --channel mailjet" again; nothing was changed',
      });
    }
    const list: unknown = isRecord(body) ? body.Data : undefined;
    const data: unknown = Array.isArray(list) ? (list as unknown[])[0] : undefined;
    if (!isRecord(data) || typeof data.Status !== 'string') return null;
    const state = mailjetState(data.Status, data.StatePermanent === true);
    return state === null ? null : { emailKey: s.emailKey, messageId: s.messageId, state: data.Status, ...state };
  });
  return answers.filter((a): a is ProviderFeedback => a !== null);
}

/** The kit's entry. */
export function mailjetFeedbackOf(options: ChannelOptions, sent: readonly SentRecord[]): Promise<ProviderFeedback[]> {
  return mailjetFeedback(createMailjetClient(options.env), sent);
}

import { ChannelStopError, type Channel, type ChannelKit, type ChannelOptions, type DeliveryOutcome, type OutgoingMessage } from '../../app/ports.js';
import { chunkBySize, sendInChunks, type ChunkResult, type StopLatch } from '../shared/batching.js';
import { describeTransport, isTemporary, mayHaveArrived, readHttpFailure, type HttpFailure } from '../shared/http-failure.js';
import { mailjetFeedbackOf } from './feedback.js';
import { createMailjetClient, type MailjetClient } from './client.js';
import { mailjetTemplateFor } from '../../config/mailjet-template.js';
import { createContactListSync, type ContactListSync } from './contacts.js';
import { authStop, GlobalErrorSchema, mapSendResults, SendResponseSchema } from './outcomes.js';
import { buildSendBody } from './payload.js';
import type { TemplateOf } from './variables.js';

/** Messages per Send API v3.1 request at most (mj-0008 above). */
export const MAILJET_BATCH_SIZE = 50;

/**
 * The `mailjet` channel: Send API v3.1 through node-mailjet, our rendering or the stage's Mailjet
 * template, one outcome per message. Retries are the send loop's: a temporary failure carries
 * `retryAfterMs`, and the channel itself never sends a message twice.
 */
export function createMailjetChannel(options: ChannelOptions): Channel {
  const client = createMailjetClient(options.env);
  const { contactListId, sandbox } = options.config.mailjet;
  const stages = options.config.sequence.stages;
  const target: Target = {
    client,
    sandbox,
    sync: contactListId === undefined ? undefined : createContactListSync(client, contactListId),
    templateOf: (stage, locale) => mailjetTemplateFor(stages.find((s) => s.name === stage)?.mailjetTemplateId, locale)?.id,
  };
  const latch: StopLatch = { error: undefined };
  return {
    name: 'mailjet',
    batchSize: MAILJET_BATCH_SIZE,
    send: (messages) => sendInChunks(chunkBySize(messages, MAILJET_BATCH_SIZE), latch, (chunk) => sendChunk(target, chunk)),
    close: () => Promise.resolve(),
  };
}

/** The mailjet channel in the channel table (src/channels/index.ts). */
export const MAILJET: ChannelKit = { create: createMailjetChannel, feedback: mailjetFeedbackOf };

/** Where a chunk goes and how it is written. */
interface Target {
  client: MailjetClient;
  sandbox: boolean;
  sync: ContactListSync | undefined;
  templateOf: TemplateOf;
}

async function sendChunk(target: Target, chunk: readonly OutgoingMessage[]): Promise<ChunkResult> {
  const { client, sandbox, sync, templateOf } = target;
  let result: ChunkResult;
  try {
    const answer = await client.post('send', { version: 'v3.1' }).request(buildSendBody(chunk, sandbox, templateOf));
    const parsed = SendResponseSchema.safeParse(answer.body);
    if (!parsed.success) {
      const unknown: DeliveryOutcome = { state: 'unknown', error: 'Mailjet accepted the request but its answer was unreadable; check the Mailjet dashboard before sending again' };
      return { outcomes: chunk.map(() => unknown) };
    }
    result = mapSendResults(chunk, parsed.data.Messages, sandbox, templateOf);
  } catch (error) {
    if (error instanceof ChannelStopError) throw error;
    result = failedRequest(chunk, readHttpFailure(error, Date.now()), target);
  }
  if (sync !== undefined && !sandbox) await noteSync(sync, chunk, result.outcomes);
  return result;
}

const UNKNOWN_HINT = 'Mailjet may have delivered it; look its CustomID up in the Mailjet dashboard (Statistics > Messages) before "dunning send --retry-unknown"';

/**
 * A non-2xx answer, or none. When any message of a batch fails Mailjet answers 400 (or 403) with the full
 * Messages array, successes included, and node-mailjet rejects (mailjet-apiv3-nodejs#271): those
 * results are the truth. Otherwise the whole request failed, and nothing of it was sent, except when
 * no answer came after the request was written (a dropped connection, a timeout): Mailjet may have
 * accepted every message of it, and sending them again could remind each customer twice. Those
 * messages are `unknown`, never retried automatically; a refused connection is retried as before.
 */
function failedRequest(chunk: readonly OutgoingMessage[], failure: HttpFailure, target: Target): ChunkResult {
  const perMessage = SendResponseSchema.safeParse(failure.body);
  if (perMessage.success && perMessage.data.Messages.length > 0) return mapSendResults(chunk, perMessage.data.Messages, target.sandbox, target.templateOf);
  const global = GlobalErrorSchema.safeParse(failure.body);
  const detail = global.success && global.data.ErrorCode !== undefined ? `${global.data.ErrorCode}: ${global.data.ErrorMessage ?? ''}`.trim() : undefined;
  if (failure.status === 401) throw authStop(detail ?? 'HTTP 401');
  if (failure.status === 403) {
    throw new ChannelStopError(`Mailjet refused the request (HTTP 403${detail === undefined ? '' : `, ${detail}`})`, 'check that this API key may send e-mail (sub-account rights) in https://app.mailjet.com/account/apikeys');
  }
  const error = `${describeTransport('Mailjet', failure)}${detail === undefined ? '' : ` (${detail})`}`;
  if (mayHaveArrived(failure)) return { outcomes: chunk.map(() => ({ state: 'unknown', error: `${error} after the request was sent: ${UNKNOWN_HINT}` })) };
  const outcome: DeliveryOutcome = isTemporary(failure.status)
    ? { state: 'failed', permanent: false, error, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) }
    : { state: 'failed', permanent: true, error };
  return { outcomes: chunk.map(() => outcome) };
}

/** Syncs the contact list for delivered messages; a sync problem is noted on them, never turned into a failure. */
async function noteSync(sync: ContactListSync, chunk: readonly OutgoingMessage[], outcomes: DeliveryOutcome[]): Promise<void> {
  const delivered = chunk.filter((_, i) => outcomes[i]?.state === 'sent');
  if (delivered.length === 0) return;
  const problem = await sync.sync(delivered);
  // Each customer's sync is reported with its message and in the summary; a failure makes the exit code 1 (issue 21).
  outcomes.forEach((outcome, i) => {
    if (outcome.state !== 'sent') return;
    outcomes[i] = problem === null ? { ...outcome, listSync: { ok: true } } : { ...outcome, response: `${outcome.response}; ${problem}`, listSync: { ok: false, error: problem } };
  });
}

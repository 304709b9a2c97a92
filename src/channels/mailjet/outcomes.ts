import { z } from 'zod';
import type { ChunkResult } from '../shared/batching.js';
import { ChannelStopError, type DeliveryOutcome, type OutgoingMessage } from '../../app/ports.js';
import { customId } from './payload.js';
import type { TemplateOf } from './variables.js';

// MessageIDs above 2^53 arrive as strings: node-mailjet parses with json-bigint storeAsString (CONTRACT.md).
const RecipientSchema = z.object({ Email: z.string(), MessageUUID: z.string().optional(), MessageID: z.union([z.string(), z.number()]).optional() }).loose();
const ErrorSchema = z
  .object({ ErrorCode: z.string(), StatusCode: z.number().optional(), ErrorMessage: z.string(), ErrorRelatedTo: z.array(z.string()).optional() })
  .loose();
const ResultSchema = z.object({ Status: z.string(), CustomID: z.string().optional(), Errors: z.array(ErrorSchema).optional(), To: z.array(RecipientSchema).optional() }).loose();

/** The Send API v3.1 answer: one result per message, in request order (send-v3.1.json "response"). */
export const SendResponseSchema = z.object({ Messages: z.array(ResultSchema) }).loose();
/** A root-level error without Messages, e.g. mj-0002 for malformed JSON. */
export const GlobalErrorSchema = z.object({ ErrorCode: z.string().optional(), ErrorMessage: z.string().optional(), StatusCode: z.number().optional() }).loose();

type SendResult = z.infer<typeof ResultSchema>;
type SendError = z.infer<typeof ErrorSchema>;

// Errors no retry can fix and that hit every message alike: the run stops and says what to fix.
// An unknown TemplateID (send-0010) is a config error too: failing each message for good would
// cost every customer of that stage their reminder over one wrong number.
const SENDER_CODES = new Set(['send-0006', 'send-0007', 'send-0008']);
const AUTH_CODES = new Set(['mj-0001', 'mj-0015']);
const TEMPLATE_CODES = new Set(['send-0010']);
const STOP_CODES = new Set([...SENDER_CODES, ...AUTH_CODES, ...TEMPLATE_CODES]);

/**
 * Maps Mailjet's per-message results to outcomes, in the order of `messages`. A batch answer mixes
 * successes and errors (and comes as HTTP 400 when any message failed), so each message gets its own
 * outcome. Sender and key errors stop the channel: at once when nothing went out, else after this batch.
 */
export function mapSendResults(messages: readonly OutgoingMessage[], results: readonly SendResult[], sandbox: boolean, templateOf: TemplateOf): ChunkResult {
  let stop: ChannelStopError | undefined;
  let delivered = 0;
  const outcomes = messages.map((message, i): DeliveryOutcome => {
    const result = findResult(message, results, i);
    if (result === undefined) {
      // Unknown is not failed: resending could mean a second reminder, so it is never retried automatically.
      return { state: 'unknown', error: "Mailjet's answer does not mention this message; check the Mailjet dashboard before sending it again" };
    }
    const errors = result.Errors ?? [];
    if (result.Status === 'success') {
      delivered++;
      return sentOutcome(result, sandbox);
    }
    const stopping = errors.find((e) => STOP_CODES.has(e.ErrorCode));
    if (stopping !== undefined) stop ??= stopFor(stopping, message, templateOf);
    const temporary = errors.length > 0 && errors.every((e) => e.StatusCode === 429 || (e.StatusCode ?? 0) >= 500);
    return { state: 'failed', permanent: stopping === undefined && !temporary, error: describeErrors(errors) };
  });
  if (stop !== undefined && delivered === 0) throw stop;
  return stop === undefined ? { outcomes } : { outcomes, stop };
}

function findResult(message: OutgoingMessage, results: readonly SendResult[], index: number): SendResult | undefined {
  const expected = customId(message);
  const atIndex = results[index];
  // Results come in request order; CustomID (echoed when the message was accepted) double-checks it.
  if (atIndex !== undefined && (atIndex.CustomID === undefined || atIndex.CustomID === '' || atIndex.CustomID === expected)) return atIndex;
  return results.find((r) => r.CustomID === expected);
}

function sentOutcome(result: SendResult, sandbox: boolean): DeliveryOutcome {
  const to = result.To?.[0];
  const id = to?.MessageID === undefined ? null : String(to.MessageID);
  if (sandbox || id === '0') return { state: 'sent', providerId: null, response: 'Mailjet SandboxMode: accepted and validated, not delivered' };
  return { state: 'sent', providerId: id, response: `Mailjet MessageID ${id ?? '(none)'}${to?.MessageUUID ? ` UUID ${to.MessageUUID}` : ''}` };
}

/** `send-0010: Template ID "7" doesn't exist for your account. (TemplateID)` */
export function describeErrors(errors: readonly SendError[]): string {
  if (errors.length === 0) return 'Mailjet reported an error without details';
  return errors
    .map((e) => `${e.ErrorCode}: ${e.ErrorMessage}${e.ErrorRelatedTo && e.ErrorRelatedTo.length > 0 ? ` (${e.ErrorRelatedTo.join(', ')})` : ''}`)
    .join('; ');
}

function stopFor(error: SendError, message: OutgoingMessage, templateOf: TemplateOf): ChannelStopError {
  if (AUTH_CODES.has(error.ErrorCode)) return authStop(error.ErrorCode);
  if (TEMPLATE_CODES.has(error.ErrorCode)) {
    const stage = message.data.stage.name;
    return new ChannelStopError(
      `Mailjet cannot send template ${templateOf(stage, message.data.locale) ?? '?'} of stage "${stage}" (${error.ErrorCode}: ${error.ErrorMessage})`,
      `check "mailjetTemplateId" of stage "${stage}" in dunning.config.json: the template must exist in the Mailjet account of this API key`,
    );
  }
  return new ChannelStopError(
    `Mailjet does not accept ${message.from.address} as a sender (${error.ErrorCode}: ${error.ErrorMessage})`,
    'validate this address or its domain in Mailjet (Account settings > Sender addresses and domains), or set "sender.email" in dunning.config.json to a validated address',
  );
}

/** The stop for a refused key: HTTP 401, mj-0001 (suspended) or mj-0015 (no valid credentials). */
export function authStop(detail: string): ChannelStopError {
  return new ChannelStopError(
    `Mailjet refused the API key (${detail})`,
    'check MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE: the API key and secret key from https://app.mailjet.com/account/apikeys (a suspended key must be re-enabled there)',
  );
}

import { z } from 'zod';
import { ChannelStopError } from '../../app/ports.js';
import { describeTransport, type HttpFailure } from '../shared/http-failure.js';

// Mailchimp's error body (RFC 7807 draft); real 400s add `errors` (CONTRACT.md "Error").
const ProblemSchema = z
  .object({ title: z.string().optional(), detail: z.string().optional(), errors: z.array(z.object({ field: z.string().optional(), message: z.string().optional() }).loose()).optional() })
  .loose();

/** `HTTP 400 Invalid Resource: Your merge fields were invalid. (OPENAMT: Please enter a value)` */
export function problemText(failure: HttpFailure): string {
  const problem = ProblemSchema.safeParse(failure.body);
  if (!problem.success || (problem.data.title === undefined && problem.data.detail === undefined)) return describeTransport('Mailchimp', failure);
  const fields = (problem.data.errors ?? []).map((e) => `${e.field ?? '?'}: ${e.message ?? ''}`).join('; ');
  return `HTTP ${failure.status ?? '?'} ${problem.data.title ?? ''}: ${problem.data.detail ?? ''}${fields === '' ? '' : ` (${fields})`}`.replace(/ {2,}/g, ' ');
}

/** The stop for failures no retry fixes: a refused key (401), a forbidden account (403), an unknown audience (404 on it). */
export function mailchimpStop(failure: HttpFailure, listId: string, audienceCall = true): ChannelStopError | undefined {
  if (failure.status === 401) {
    return new ChannelStopError(`Mailchimp refused the API key (${problemText(failure)})`, 'check MAILCHIMP_API_KEY (Profile > Extras > API keys); its "-usNN" suffix must be your account\'s data centre');
  }
  if (failure.status === 403) {
    return new ChannelStopError(`Mailchimp refused the request (${problemText(failure)})`, 'check that the API key belongs to the account that owns the audience and that the account is active');
  }
  if (failure.status === 404 && audienceCall) {
    return new ChannelStopError(`Mailchimp has no audience "${listId}"`, 'set "mailchimp.listId" in dunning.config.json to the Audience ID (Audience > Settings > Audience name and defaults)');
  }
  return undefined;
}


/** What a failed provider call tells us, whichever SDK (axios for Mailjet, superagent for Mailchimp) threw it. */
export interface HttpFailure {
  /** The HTTP status, or null when no answer came (refused, reset, timed out). */
  status: number | null;
  /** The parsed error body, when there was one. */
  body: unknown;
  /** From a Retry-After header, in milliseconds. */
  retryAfterMs: number | undefined;
  /** The network error code (ECONNRESET, ETIMEDOUT, …) when no answer came. */
  code: string | undefined;
}

/** True for a plain object, so provider JSON can be read without casts. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for an error of an HTTP call: an answer with a status, or a network error code. */
export function isHttpError(error: unknown): boolean {
  if (!isRecord(error)) return false;
  return firstNumber(error.statusCode, error.status) !== null || typeof error.code === 'string' || isRecord(error.response);
}

/**
 * Reads status, body and Retry-After from an SDK error. node-mailjet rejects with `statusCode` and an
 * axios `response` (body in `data`); the Mailchimp SDK with superagent's `status` and `response.body`
 * (CONTRACT.md of each). Only these fields are read: the error objects also hold the request with its
 * Authorization header, which must never reach a message or a log. Any other error (a bug) is
 * rethrown: it must not pass for a network failure and be retried.
 */
export function readHttpFailure(error: unknown, nowMs: number): HttpFailure {
  if (!isHttpError(error) || !isRecord(error)) throw error;
  const e = error;
  const response = isRecord(e.response) ? e.response : undefined;
  const status = firstNumber(e.statusCode, e.status, response?.status);
  const body = response === undefined ? undefined : (response.data ?? response.body);
  const headers = response !== undefined && isRecord(response.headers) ? response.headers : {};
  const retryAfter = headers['retry-after'];
  return {
    status,
    body,
    retryAfterMs: typeof retryAfter === 'string' ? parseRetryAfter(retryAfter, nowMs) : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
  };
}

function firstNumber(...values: unknown[]): number | null {
  for (const v of values) if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  return null;
}

/** Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3), in milliseconds from now; undefined when unreadable. */
export function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** 429, 5xx and no answer at all are worth another try later; everything else is not. */
export function isTemporary(status: number | null): boolean {
  return status === null || status === 408 || status === 429 || status >= 500;
}

// Network errors raised before a request could leave: no connection, no address, no TLS session.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EPROTO']);

/**
 * True when no answer came although the request may have reached the provider: a connection reset
 * or closed after it was written (ECONNRESET "socket hang up"), a timeout (ECONNABORTED), or any
 * error we cannot place. False for an answer, and for errors raised before anything was sent (a
 * refused connection, an unknown host, a failed TLS handshake). node-mailjet's error does not say
 * how far the request got (it keeps only `code`), so an unknown code counts as "may have arrived".
 */
export function mayHaveArrived(failure: HttpFailure): boolean {
  if (failure.status !== null) return false;
  const code = failure.code ?? '';
  return !NOT_SENT_CODES.has(code) && !/CERT|TLS|SSL/.test(code);
}

/** A short, secret-free description of a failure without a usable body. */
export function describeTransport(provider: string, failure: HttpFailure): string {
  if (failure.status === null) return `no answer from ${provider} (${failure.code ?? 'connection failed'})`;
  return `${provider} answered HTTP ${failure.status}`;
}

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

/** A short, secret-free description of a failure without a usable body. */
export function describeTransport(provider: string, failure: HttpFailure): string {
  if (failure.status === null) return `no answer from ${provider} (${failure.code ?? 'connection failed'})`;
  return `${provider} answered HTTP ${failure.status}`;
}

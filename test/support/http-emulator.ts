import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the emulator saw it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  /** The status answered, "dropped" when the connection closed without an answer, "held" while kept back. */
  answered?: number | 'dropped' | 'held';
}

/** An answer: status, headers and a JSON body, or `raw` text sent as is (for numbers above 2^53). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
}

/**
 * A scripted fault: an HTTP answer instead of the real one; `drop`: the connection closed before the
 * request was handled; `lose-answer`: handled (a provider did its work) but the connection closed
 * before the answer; `hold`: handled, and the answer kept back until release() (or stop()).
 */
export type Fault = { status: number; headers?: Record<string, string>; body?: unknown } | 'drop' | 'lose-answer' | 'hold';

interface FaultRule {
  match: (request: RecordedRequest) => boolean;
  remaining: number;
  fault: Fault;
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) that records every request, answers as a provider's
 * documentation says, and lists every request the documentation does not allow in `violations`.
 */
export abstract class HttpEmulator {
  readonly requests: RecordedRequest[] = [];
  /** Requests whose shape the documented contract does not allow; a test expects none. */
  readonly violations: string[] = [];
  private server: Server | undefined;
  private faults: FaultRule[] = [];
  private readonly held: (() => void)[] = [];
  private url = '';

  /** Starts listening and returns the base URL, e.g. `http://127.0.0.1:40123`. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  /** The base URL of a started emulator. */
  get baseUrl(): string {
    return this.url;
  }

  /** Closes the server and every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.held.splice(0);
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  /** The next `times` requests that `match` get `fault` instead of their answer. */
  fail(fault: Fault, options: { times?: number; match?: (request: RecordedRequest) => boolean } = {}): void {
    this.faults.push({ fault, remaining: options.times ?? 1, match: options.match ?? (() => true) });
  }

  /** How many handled requests wait for release() to get their answer. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Sends the answers kept back by `hold`. */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  /** Answers one request that passed the fault check. */
  protected abstract handle(request: RecordedRequest): Reply;

  /** Records a request the contract does not allow and answers it with `reply`. */
  protected reject(request: RecordedRequest, problem: string, reply: Reply): Reply {
    this.violations.push(`${request.method} ${request.path}: ${problem}`);
    return reply;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, rawBody, body: parseJson(rawBody) };
    this.requests.push(request);
    const rule = this.faults.find((f) => f.remaining > 0 && f.match(request));
    if (rule !== undefined) rule.remaining--;
    const fault = rule?.fault;
    if (fault === 'drop') {
      request.answered = 'dropped';
      req.socket.destroy();
      return;
    }
    const reply = fault === undefined || typeof fault === 'string' ? this.handleSafely(request) : { status: fault.status, headers: fault.headers, body: fault.body };
    if (fault === 'lose-answer') {
      request.answered = 'dropped';
      req.socket.destroy();
      return;
    }
    if (fault === 'hold') {
      request.answered = 'held';
      this.held.push(() => this.answer(request, res, reply));
      return;
    }
    this.answer(request, res, reply);
  }

  private handleSafely(request: RecordedRequest): Reply {
    try {
      return this.handle(request);
    } catch (error) {
      this.violations.push(`${request.method} ${request.path}: emulator error ${String(error)}`);
      return { status: 500, body: { error: 'emulator error' } };
    }
  }

  private answer(request: RecordedRequest, res: ServerResponse, reply: Reply): void {
    if (res.destroyed) return;
    request.answered = reply.status;
    const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    const headers: Record<string, string> = { ...(text === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' }), ...reply.headers };
    res.writeHead(reply.status, headers);
    res.end(text);
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The decoded `user:password` of a Basic Authorization header, or undefined. */
export function basicCredentials(headers: IncomingHttpHeaders): { user: string; password: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(headers.authorization ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value as text for comparisons and messages. */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

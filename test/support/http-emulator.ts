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
  /** The status answered, or "dropped". */
  answered?: number | 'dropped';
}

/** An answer: status, headers and a JSON body, or `raw` text sent as is (for numbers above 2^53). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
}

/** A scripted fault: an HTTP answer instead of the real one, or a connection closed without an answer. */
export type Fault = { status: number; headers?: Record<string, string>; body?: unknown } | 'drop';

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
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  /** The next `times` requests that `match` get `fault` instead of their answer. */
  fail(fault: Fault, options: { times?: number; match?: (request: RecordedRequest) => boolean } = {}): void {
    this.faults.push({ fault, remaining: options.times ?? 1, match: options.match ?? (() => true) });
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
    let reply: Reply;
    if (rule !== undefined) {
      rule.remaining--;
      if (rule.fault === 'drop') {
        request.answered = 'dropped';
        req.socket.destroy();
        return;
      }
      reply = { status: rule.fault.status, headers: rule.fault.headers, body: rule.fault.body };
    } else {
      try {
        reply = this.handle(request);
      } catch (error) {
        this.violations.push(`${request.method} ${request.path}: emulator error ${String(error)}`);
        reply = { status: 500, body: { error: 'emulator error' } };
      }
    }
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

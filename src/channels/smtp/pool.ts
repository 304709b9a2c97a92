import type { NodemailerError } from 'nodemailer/lib/errors';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/** What the server said about one message. */
export interface SmtpSendInfo {
  accepted: string[];
  rejected: string[];
  rejectedErrors?: NodemailerError[] | undefined;
  response: string;
  serverMessageId?: string | undefined;
}

interface Job {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  resolve: (info: SmtpSendInfo) => void;
  reject: (error: unknown) => void;
}

/**
 * The connection ended (dropped, timed out) after the server had said "354, send the data": the
 * message may have been accepted with only the answer lost. Sending it again could remind a
 * customer twice, so it is reported as this error, never retried (DESIGN.md "Sending safety").
 */
export class AnswerLostError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = 'AnswerLostError';
  }
}

/** The URL has a user name and password, but the server offers no login: sending without one would go unheard. */
export class NoLoginError extends Error {
  constructor() {
    super('the server offers no login (no AUTH in its answer to EHLO)');
    this.name = 'NoLoginError';
  }
}

/** An open, logged-in connection and whether the server has ended it. */
interface Lane {
  connection: SMTPConnection;
  ended: boolean;
}

/**
 * A few SMTP connections that take queued messages one at a time each: nodemailer's SMTPConnection
 * without the Mail pipeline around it (which costs 0.4 ms of CPU per message, most of a run's time
 * at 1,000 messages a second). TLS, STARTTLS and the login are whatever the URL says.
 */
export class SmtpPool {
  private readonly queue: Job[] = [];
  private readonly waiting: ((job: Job | null) => void)[] = [];
  private readonly options: SMTPConnection.Options;
  private readonly auth: { user: string; pass: string } | undefined;
  private started = false;
  private closed = false;
  /** A refused login: every later message fails with it at once, so the server sees one failed login, not one per message. */
  private refused: Error | undefined;
  private readonly lanes: Promise<void>[] = [];
  /** Lanes that made their first connection attempt; `opened` resolves when all have. */
  private attempted = 0;
  private readonly opened: Promise<void>;
  private markOpened: () => void = () => undefined;

  constructor(url: string, private readonly size: number, defaults: SMTPConnection.Options) {
    const { auth, ...parsed } = parseConnectionUrl(url);
    // What the URL's query says (requireTLS, tls.rejectUnauthorized, timeouts) wins over our defaults.
    this.options = { ...defaults, ...parsed, logger: false };
    this.auth = auth;
    this.opened = new Promise((resolve) => (this.markOpened = resolve));
  }

  /**
   * Opens every connection (logged in) before any message is queued, and resolves once each made
   * its first attempt; rejects when the server refused the login. A message claimed after this
   * leaves at once instead of waiting, claimed, for a connection.
   */
  async open(): Promise<void> {
    this.start();
    await this.opened;
    if (this.refused !== undefined) throw this.refused;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < this.size; i++) this.lanes.push(this.runLane());
  }

  /** Queues a message (the MIME bytes and its envelope); resolves with the server's answer. */
  send(envelope: Job['envelope'], raw: Buffer): Promise<SmtpSendInfo> {
    if (this.refused !== undefined) return Promise.reject(this.refused);
    this.start();
    return new Promise((resolve, reject) => {
      const job = { envelope, raw, resolve, reject };
      const taker = this.waiting.shift();
      if (taker === undefined) this.queue.push(job);
      else taker(job);
    });
  }

  /** Ends every connection once the queued messages are done. */
  async close(): Promise<void> {
    this.closed = true;
    for (const taker of this.waiting.splice(0)) taker(null);
    await Promise.all(this.lanes);
  }

  private refuse(error: Error): void {
    this.refused = error;
    for (const job of this.queue.splice(0)) job.reject(error);
  }

  private next(): Promise<Job | null> {
    const job = this.queue.shift();
    if (job !== undefined) return Promise.resolve(job);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /**
   * One connection's loop: connect at once (so the first messages do not wait, claimed, for it),
   * then send; a connection lost or refused is made again for the next message, freshly.
   */
  private async runLane(): Promise<void> {
    let [lane, failure] = await this.connectOrFail();
    if (++this.attempted === this.size) this.markOpened();
    for (let job = await this.nextUnlessRefused(); job !== null; job = await this.nextUnlessRefused()) {
      if (lane === null || lane.ended) [lane, failure] = await this.connectOrFail();
      if (lane === null) job.reject(this.refused ?? failure);
      else lane = await this.sendOn(lane, job);
    }
    if (this.refused !== undefined) this.markOpened();
    if (lane !== null && !lane.ended) lane.connection.quit();
  }

  private nextUnlessRefused(): Promise<Job | null> {
    return this.refused === undefined ? this.next() : Promise.resolve(null);
  }

  private async connectOrFail(): Promise<[Lane | null, unknown]> {
    try {
      return [await this.connect(), null];
    } catch (error) {
      return [null, error];
    }
  }

  /** Sends one message on a connection; returns the connection, or null when it is no longer usable. */
  private async sendOn(lane: Lane, job: Job): Promise<Lane | null> {
    try {
      job.resolve(await sendOver(lane.connection, job));
      return lane;
    } catch (error) {
      job.reject(answerLost(lane, error) ? new AnswerLostError(error) : error);
      // A refused message leaves the connection usable after RSET; anything else: a new connection next time.
      if (await stillUsable(lane)) return lane;
      lane.connection.close();
      return null;
    }
  }

  private connect(): Promise<Lane> {
    const connection = new SMTPConnection(this.options);
    const lane: Lane = { connection, ended: false };
    // Errors while sending reach the send callback; one between messages ends the connection.
    connection.on('error', () => void (lane.ended = true));
    connection.on('end', () => void (lane.ended = true));
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        connection.close();
        reject(error);
      };
      connection.once('error', fail);
      connection.connect((error) => {
        connection.removeListener('error', fail);
        if (error) {
          fail(error);
          return;
        }
        if (this.auth === undefined) {
          resolve(lane);
          return;
        }
        if (!connection.allowsAuth) {
          const error = new NoLoginError();
          this.refuse(error);
          fail(error);
          return;
        }
        connection.login({ user: this.auth.user, pass: this.auth.pass }, (error) => {
          if (error === null) {
            resolve(lane);
            return;
          }
          this.refuse(error);
          fail(error);
        });
      });
    });
  }
}

function sendOver(connection: SMTPConnection, job: Job): Promise<SmtpSendInfo> {
  return new Promise((resolve, reject) => {
    connection.send(job.envelope, job.raw, (error, info) => (error ? reject(error) : resolve(info)));
  });
}

/** True when the connection failed without an answer while the server held the message's data. */
function answerLost(lane: Lane, error: unknown): error is Error {
  if (!(error instanceof Error) || (error as { responseCode?: number }).responseCode !== undefined) return false;
  const last = lane.connection.lastServerResponse;
  return typeof last === 'string' && last.startsWith('354');
}

function stillUsable(lane: Lane): Promise<boolean> {
  if (lane.ended) return Promise.resolve(false);
  return new Promise((resolve) => lane.connection.reset((error) => resolve(error === null && !lane.ended)));
}

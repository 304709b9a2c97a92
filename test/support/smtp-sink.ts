import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * What the sink does to one recipient: refuse with a reply code, drop the connection (at RCPT, or
 * after keeping the message's data, so that only the answer is lost), or never answer.
 */
export type Fault =
  | { kind: 'reply'; code: number; message?: string; times?: number; at?: 'rcpt' | 'data' }
  | { kind: 'drop'; times?: number; at?: 'rcpt' | 'data' }
  | { kind: 'hang' }
  /** Keeps the message and answers only when the test calls `answerHeld()`. */
  | { kind: 'hold' };

/** A message the sink accepted, parsed. */
export interface Received {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives and misbehaves on request. */
export interface SmtpSink {
  port: number;
  /** smtp://127.0.0.1:PORT, with credentials when the sink wants a login. */
  url: string;
  received: Received[];
  /** Faults by recipient address (lower case). */
  faults: Map<string, Fault>;
  /** RCPT TO commands seen per recipient, refused or not. */
  attempts: Map<string, number>;
  /** Messages whose data arrived and that the sink will never answer (a `hang` fault). */
  hanging: string[];
  /** Messages kept without an answer yet (a `hold` fault), by recipient. */
  held: string[];
  /** Answers every held message: 250, queued. */
  answerHeld(): void;
  /** Login attempts, accepted or not. */
  logins: () => number;
  close(): Promise<void>;
}

/** Starts the sink on a free port; `auth` makes it demand that login. */
export async function startSmtpSink(options: { auth?: { user: string; pass: string }; noLogin?: boolean } = {}): Promise<SmtpSink> {
  const received: Received[] = [];
  const faults = new Map<string, Fault>();
  const attempts = new Map<string, number>();
  const hanging: string[] = [];
  const held: string[] = [];
  const answers: (() => void)[] = [];
  const applied = new Map<string, number>();
  let logins = 0;
  // A fault with `times` applies that often, then the recipient is served normally.
  const active = (address: string): Fault | undefined => {
    const fault = faults.get(address);
    if (fault === undefined || fault.kind === 'hang' || fault.kind === 'hold' || fault.times === undefined) return fault;
    return (applied.get(address) ?? 0) < fault.times ? fault : undefined;
  };
  const use = (address: string): void => void applied.set(address, (applied.get(address) ?? 0) + 1);
  const server: SMTPServer = new SMTPServer({
    disabledCommands: options.noLogin === true ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      logins++;
      const ok = options.auth !== undefined && auth.username === options.auth.user && auth.password === options.auth.pass;
      callback(ok ? null : Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }), ok ? { user: auth.username } : undefined);
    },
    onRcptTo(address, session, callback) {
      const who = address.address.toLowerCase();
      attempts.set(who, (attempts.get(who) ?? 0) + 1);
      const fault = active(who);
      if (fault?.kind === 'drop' && fault.at !== 'data') {
        use(who);
        dropConnection(server, session);
        return;
      }
      if (fault?.kind === 'reply' && fault.at !== 'data') {
        use(who);
        callback(Object.assign(new Error(fault.message ?? `refused ${who}`), { responseCode: fault.code }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const dataFault = envelopeTo.map((to) => [to, active(to)] as const).find(([, f]) => f?.kind === 'hang' || ((f?.kind === 'reply' || f?.kind === 'drop') && f.at === 'data'));
        if (dataFault?.[1]?.kind === 'hang') {
          hanging.push(dataFault[0]);
          return;
        }
        const holding = envelopeTo.find((to) => active(to)?.kind === 'hold');
        if (dataFault?.[1]?.kind === 'reply') {
          use(dataFault[0]);
          callback(Object.assign(new Error(dataFault[1].message ?? 'refused'), { responseCode: dataFault[1].code }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelopeFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        simpleParser(raw).then(
          (parsed) => {
            received.push({ envelopeFrom, envelopeTo, raw, parsed });
            if (holding !== undefined) {
              held.push(holding);
              const queued = received.length;
              answers.push(() => callback(null, `queued as sink-${queued}`));
              return;
            }
            if (dataFault?.[1]?.kind === 'drop') {
              // Kept, then cut off before the answer: the sender cannot know the message arrived.
              use(dataFault[0]);
              dropConnection(server, session);
              return;
            }
            callback(null, `queued as sink-${received.length}`);
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const credentials = options.auth === undefined ? '' : `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`;
  return {
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    received,
    faults,
    attempts,
    hanging,
    held,
    answerHeld: () => {
      for (const answer of answers.splice(0)) answer();
    },
    logins: () => logins,
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of server.connections) connection._socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Cuts the TCP connection of a session without a reply, as a crashing server or a broken network would. */
function dropConnection(server: SMTPServer, session: SMTPServerSession): void {
  for (const connection of server.connections) {
    if (connection.session === session) connection._socket.destroy();
  }
}

/** A free TCP port with nothing listening on it (for "server unreachable"). */
export async function unusedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

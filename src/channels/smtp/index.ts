import type { NodemailerError } from 'nodemailer/lib/errors';
import { DunningError } from '../../core/errors.js';
import { maskSecrets } from '../../core/text.js';
import { loadDkimKey } from '../../config/dkim-key.js';
import { composeInWorker, composerHere } from './composer.js';
import { envelopeOf } from './mime.js';
import { AnswerLostError, NoLoginError, SmtpPool } from './pool.js';
import { ChannelStopError, type Channel, type ChannelKit, type ChannelOptions, type DeliveryOutcome, type OutgoingMessage } from '../../app/ports.js';

/** The environment variable that names the SMTP server; credentials never live in the config. */
export const SMTP_URL_VARIABLE = 'DUNNING_SMTP_URL';

const URL_HINT = `e.g. ${SMTP_URL_VARIABLE}="smtps://user:password@mail.example.com:465" (TLS) or "smtp://user:password@mail.example.com:587" (STARTTLS)`;

/** Reads and checks DUNNING_SMTP_URL; a missing or malformed URL is a configuration error (exit 2). */
function smtpUrl(env: NodeJS.ProcessEnv): URL {
  const text = env[SMTP_URL_VARIABLE];
  if (text === undefined || text.trim() === '') {
    throw new DunningError(`channel "smtp" needs the server's URL in the environment variable ${SMTP_URL_VARIABLE}`, { hint: URL_HINT });
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new DunningError(`${SMTP_URL_VARIABLE} is not a URL: "${maskSecrets(text)}"`, { hint: URL_HINT });
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new DunningError(`${SMTP_URL_VARIABLE} must start with smtp:// or smtps:// and name a host: "${maskSecrets(text)}"`, { hint: URL_HINT });
  }
  return url;
}

/** SMTP over a few kept-open connections; TLS, STARTTLS and the login are whatever the URL says. */
function createSmtpChannel(options: ChannelOptions): Channel {
  const url = smtpUrl(options.env);
  const where = `${url.hostname}:${url.port === '' ? (url.protocol === 'smtps:' ? '465' : '587') : url.port}`;
  const { pool, maxConnections, dkim: dkimSettings } = options.config.smtp;
  // Read and checked before any connection: a missing, open or weak key refuses the send (exit 2).
  const dkim = dkimSettings === undefined ? undefined : loadDkimKey(dkimSettings, options.baseDir);
  // A cron job must not hang for nodemailer's default 10 minutes on a server that stopped answering.
  const connections = new SmtpPool(url.href, pool ? maxConnections : 1, { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  // With a pool, a worker composes the next messages while the connections carry the previous ones.
  const composer = pool ? composeInWorker(undefined, dkim) : composerHere(dkim);
  // Compositions started by prepare(), taken by the send that carries the message.
  // Keyed by the message itself: only the very message prepare() was given is sent from its
  // composition, and one whose claim failed (never sent) goes with its message object.
  const composing = new WeakMap<OutgoingMessage, Promise<Buffer>>();
  const composed = (message: OutgoingMessage): Promise<Buffer> => {
    const started = composing.get(message);
    composing.delete(message);
    return started ?? composer.compose(message);
  };
  const deliver = async (message: OutgoingMessage): Promise<DeliveryOutcome> => {
    try {
      // The same bytes the outbox would write; retries are the engine's, never the connection's.
      const info = await connections.send(envelopeOf(message), await composed(message));
      // The server took the message but refused the customer (the Bcc copy went): a failure for this customer.
      const refused = info.rejected.some((address) => address.toLowerCase() === message.to.address.toLowerCase());
      if (refused) return recipientRefused(message, info.rejectedErrors ?? []);
      return { state: 'sent', providerId: info.serverMessageId ?? null, response: info.response };
    } catch (error) {
      return classify(error, where);
    }
  };
  const channel: Channel = {
    name: 'smtp',
    // One message at a time on each connection: each is claimed just before a connection takes it
    // and recorded when the server answers, so a killed run leaves at most maxConnections `sending`.
    batchesInFlight: pool ? maxConnections : 1,
    batchSize: 1,
    send: (messages) => Promise.all(messages.map(deliver)),
    ready: async (messages) => {
      for (const message of messages) await composing.get(message)?.catch(() => undefined);
      // A connection that cannot be made is each message's (temporary) failure; a refused login stops the run.
      await connections.open().catch((error: unknown) => void classify(error, where));
    },
    prepare: (message) => {
      const raw = composer.compose(message);
      // A message whose claim fails is never sent: its composition must not fail unheard.
      raw.catch(() => undefined);
      composing.set(message, raw);
    },
    close: async () => {
      await connections.close();
      await composer.close();
    },
  };
  return channel;
}

/** The smtp channel in the channel table (src/channels/index.ts). */
export const SMTP: ChannelKit = { create: createSmtpChannel };

function recipientRefused(message: OutgoingMessage, errors: readonly NodemailerError[]): DeliveryOutcome {
  const own = errors.find((e) => e.recipient?.toLowerCase() === message.to.address.toLowerCase()) ?? errors[0];
  const code = own?.responseCode;
  const permanent = own?.permanent ?? (code !== undefined && code >= 500);
  return { state: 'failed', permanent, error: maskSecrets(own?.response ?? own?.message ?? `the server refused ${message.to.address}`) };
}

function isNodemailerError(error: unknown): error is NodemailerError {
  return error instanceof Error;
}

/** Sorts an SMTP error: the whole channel unusable (stop), refused for good (permanent), or worth another try. */
function classify(error: unknown, where: string): DeliveryOutcome {
  if (error instanceof AnswerLostError) {
    return { state: 'unknown', error: `the connection to ${where} ended after the message was handed over and before the server confirmed it (${maskSecrets(error.message)}): it may or may not have been delivered` };
  }
  if (!isNodemailerError(error)) return { state: 'failed', permanent: false, error: String(error) };
  const text = maskSecrets(error.response ?? error.message);
  if (error instanceof NoLoginError) {
    throw new ChannelStopError(
      `the SMTP server ${where} offers no login, but ${SMTP_URL_VARIABLE} has a user name and password`,
      `check the host and port in ${SMTP_URL_VARIABLE} (a submission port, 587 or 465, offers the login), or remove the user name and password if the server needs none`,
    );
  }
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH') {
    throw new ChannelStopError(`the SMTP server ${where} refused the login: ${text}`, `check the user name and password in ${SMTP_URL_VARIABLE}`);
  }
  if (error.code === 'ETLS' || error.code === 'EREQUIRETLS') {
    throw new ChannelStopError(`TLS with the SMTP server ${where} failed: ${text}`, `check the scheme and port in ${SMTP_URL_VARIABLE} (smtps:// for port 465, smtp:// for STARTTLS on 587)`);
  }
  const permanent = error.permanent ?? (error.responseCode !== undefined && error.responseCode >= 500 && error.responseCode !== 503);
  // A sender the server refuses would be refused for every customer: stop rather than fail them all.
  if (permanent && error.command === 'MAIL FROM') {
    throw new ChannelStopError(`the SMTP server ${where} refuses the sender address: ${text}`, 'check sender.email in dunning.config.json and that the server lets you send as it');
  }
  if (error.responseCode !== undefined) return { state: 'failed', permanent, error: text };
  if (error.code === 'EENVELOPE') return { state: 'failed', permanent: true, error: text };
  // Connection refused, dropped or timed out: the server may be back in a moment.
  const cause = error.code === 'ESOCKET' || error.code === 'ECONNECTION' || error.code === 'ETIMEDOUT' || error.code === 'EDNS' ? ` (${where})` : '';
  return { state: 'failed', permanent: false, error: `${text}${cause}` };
}

import { createRequire } from 'node:module';
import type NodeMailjet from 'node-mailjet';
import { DunningError } from '../../core/errors.js';
import { pathPrefix, readBaseUrl } from '../shared/base-url.js';

/** A node-mailjet client. */
export type MailjetClient = InstanceType<typeof NodeMailjet.Client>;

/**
 * node-mailjet is CommonJS: module.exports is the Mailjet class, with Client and Request as statics,
 * while its typings declare ES exports. `Client` and `Request` are the names both agree on. It is
 * loaded when a client is made, not when the program starts: loading it (and its HTTP stack) took a
 * quarter of a second that every other command paid for nothing.
 */
function loadSdk(): Pick<typeof NodeMailjet, 'Client' | 'Request'> {
  return createRequire(import.meta.url)('node-mailjet') as typeof NodeMailjet;
}

const DEFAULT_HOST = 'api.mailjet.com';
/** node-mailjet 6 sets no timeout by default (CONTRACT.md); a hung connection must not hang a cron run. */
const TIMEOUT_MS = 30_000;

/**
 * Creates the node-mailjet client from MJ_APIKEY_PUBLIC / MJ_APIKEY_PRIVATE, pointed at
 * DUNNING_MAILJET_BASE_URL when set. Throws a DunningError (exit 2) naming what is missing.
 */
export function createMailjetClient(env: NodeJS.ProcessEnv): MailjetClient {
  const missing = ['MJ_APIKEY_PUBLIC', 'MJ_APIKEY_PRIVATE'].filter((name) => (env[name] ?? '').trim() === '');
  if (missing.length > 0) {
    throw new DunningError(`the mailjet channel needs ${missing.join(' and ')} in the environment`, {
      hint: 'export MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE with the API key and secret key from https://app.mailjet.com/account/apikeys',
    });
  }
  const base = readBaseUrl(env, 'DUNNING_MAILJET_BASE_URL');
  const { Client, Request } = loadSdk();
  setProtocol(Request, base?.protocol ?? 'https:');
  const host = base === undefined ? DEFAULT_HOST : `${base.host}${pathPrefix(base)}`;
  return new Client({
    apiKey: (env.MJ_APIKEY_PUBLIC ?? '').trim(),
    apiSecret: (env.MJ_APIKEY_PRIVATE ?? '').trim(),
    config: { host },
    options: { timeout: TIMEOUT_MS },
  });
}

/**
 * node-mailjet builds every URL as `Request.protocol + host + …`, where `protocol` is a static
 * 'https://' and `config.host` must be a bare host (a scheme there gives `https://http://…`; see
 * CONTRACT.md "SDK: pointing node-mailjet 6.0.11 at a local emulator"). The static is the only
 * switch, so it is set from the base URL each time a client is made; a CLI process runs one channel.
 */
function setProtocol(Request: typeof NodeMailjet.Request, protocol: string): void {
  Reflect.set(Request, 'protocol', protocol === 'http:' ? 'http://' : 'https://');
}

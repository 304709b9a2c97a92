import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type ApiClient from '@mailchimp/mailchimp_marketing/src/ApiClient.js';
import { DunningError } from '../../core/errors.js';
import { pathPrefix, readBaseUrl } from '../shared/base-url.js';

export type { default as MailchimpClient } from '@mailchimp/mailchimp_marketing/src/ApiClient.js';

/** A hung connection must not hang a cron run (the SDK waits 120 s by default). */
const TIMEOUT_MS = 30_000;
// An API key ends in its data centre: `0123…cdef-us21` lives at https://us21.api.mailchimp.com.
const DATA_CENTRE = /-([a-z]{2}\d{1,3})$/;

/**
 * Creates a Mailchimp API client from MAILCHIMP_API_KEY, pointed at DUNNING_MAILCHIMP_BASE_URL when
 * set, else at the key's data centre. Throws a DunningError (exit 2) when the key is missing or has
 * no data-centre suffix; the key itself is never part of a message.
 */
export function createMailchimpClient(env: NodeJS.ProcessEnv): ApiClient {
  const key = (env.MAILCHIMP_API_KEY ?? '').trim();
  if (key === '') {
    throw new DunningError('the mailchimp channel needs MAILCHIMP_API_KEY in the environment', {
      hint: 'create an API key in Mailchimp (Profile > Extras > API keys) and export MAILCHIMP_API_KEY',
    });
  }
  const dc = DATA_CENTRE.exec(key)?.[1];
  if (dc === undefined) {
    throw new DunningError('MAILCHIMP_API_KEY has no data-centre suffix such as "-us21"', {
      hint: 'copy the whole key from Mailchimp (Profile > Extras > API keys): it ends in a dash and the data centre',
    });
  }
  const base = readBaseUrl(env, 'DUNNING_MAILCHIMP_BASE_URL');
  // A fresh instance, not the package's process-wide singleton: setConfig() replaces the singleton's
  // whole config, so two users of the package in one process would overwrite each other's key.
  const client = new (loadApiClient())();
  // No `server` in the config: buildUrl() replaces the first "server" anywhere in the URL with it
  // (CONTRACT.md "Trap"), which would mangle a base URL containing that word. basePath is complete.
  client.setConfig({ apiKey: key });
  client.basePath = base === undefined ? `https://${dc}.api.mailchimp.com/3.0` : `${base.origin}${pathPrefix(base)}/3.0`;
  client.timeout = TIMEOUT_MS;
  return client;
}

/** Mailchimp's member id: the MD5 hex of the lower-cased address (CONTRACT.md "Key fields"). */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.toLowerCase()).digest('hex');
}

/**
 * The SDK's ApiClient (CommonJS), loaded when a client is made rather than when the program starts:
 * loading it and its HTTP stack took about 0.2 s that every other command paid for nothing.
 */
function loadApiClient(): typeof ApiClient {
  return createRequire(import.meta.url)('@mailchimp/mailchimp_marketing/src/ApiClient.js') as typeof ApiClient;
}

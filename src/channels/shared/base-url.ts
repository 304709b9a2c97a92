import { DunningError } from '../../core/errors.js';

/**
 * Reads a provider base URL override (DUNNING_MAILJET_BASE_URL, DUNNING_MAILCHIMP_BASE_URL): scheme,
 * host, port and an optional path prefix, e.g. `http://127.0.0.1:8025` or `https://proxy.internal/mailjet`.
 * Returns undefined when the variable is not set.
 */
export function readBaseUrl(env: NodeJS.ProcessEnv, name: string): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DunningError(`${name} is not a URL`, { hint: `set ${name} to a base URL such as http://127.0.0.1:8025, or unset it` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DunningError(`${name} must start with http:// or https://`, { hint: `set ${name} to a base URL such as http://127.0.0.1:8025, or unset it` });
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials come from their own variables only (DESIGN.md "Channel"); a URL is printed and logged.
    throw new DunningError(`${name} must not contain credentials`, { hint: 'remove "user:password@" from the URL; keys come from their own environment variables' });
  }
  if (url.search !== '' || url.hash !== '') {
    throw new DunningError(`${name} must not have a query or fragment`, { hint: `set ${name} to scheme, host, port and an optional path only` });
  }
  return url;
}

/** The URL's path prefix without a trailing slash ("" for none). */
export function pathPrefix(url: URL): string {
  return url.pathname.replace(/\/+$/, '');
}

import { maskToken } from './text.js';

/** The customer's own manage/pay link: the config's pattern with `{token}` replaced by the URL-encoded token. */
export function manageLinkFor(pattern: string, token: string): string {
  return pattern.replaceAll('{token}', encodeURIComponent(token));
}

/** The same link with the token masked, for dry runs, logs and reports. */
export function maskedManageLink(pattern: string, token: string | null): string {
  return pattern.replaceAll('{token}', maskToken(token));
}

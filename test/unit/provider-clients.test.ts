import { describe, expect, it } from 'vitest';
import { mayHaveArrived, readHttpFailure } from '../../src/channels/shared/http-failure.js';
import { createMailchimpClient } from '../../src/channels/mailchimp/client.js';
import { createMailjetClient } from '../../src/channels/mailjet/client.js';
import { DunningError } from '../../src/core/errors.js';

const MJ = { MJ_APIKEY_PUBLIC: 'pub', MJ_APIKEY_PRIVATE: 'priv' };

/** The URL node-mailjet would call, from its own offline mode (`performAPICall` false). */
async function mailjetUrl(env: NodeJS.ProcessEnv, build: (c: ReturnType<typeof createMailjetClient>) => ReturnType<ReturnType<typeof createMailjetClient>['post']>): Promise<string> {
  const answer = await build(createMailjetClient({ ...MJ, ...env })).request({ Action: 'addnoforce', Contacts: [{ Email: 'a@example.com' }] }, {}, false);
  return answer.url;
}

describe('Mailjet client URLs', () => {
  it.each([
    [undefined, 'https://api.mailjet.com/v3.1/send'],
    ['http://127.0.0.1:8025', 'http://127.0.0.1:8025/v3.1/send'],
    ['https://proxy.internal/mailjet/', 'https://proxy.internal/mailjet/v3.1/send'],
  ])('DUNNING_MAILJET_BASE_URL=%s sends to %s', async (base, url) => {
    expect(await mailjetUrl({ DUNNING_MAILJET_BASE_URL: base }, (c) => c.post('send', { version: 'v3.1' }))).toBe(url);
  });

  it('puts the contact calls under v3/REST of the same base, and goes back to https without an override', async () => {
    expect(await mailjetUrl({ DUNNING_MAILJET_BASE_URL: 'http://127.0.0.1:9' }, (c) => c.post('contactslist').id(77).action('managemanycontacts'))).toBe(
      'http://127.0.0.1:9/v3/REST/contactslist/77/managemanycontacts',
    );
    expect(await mailjetUrl({}, (c) => c.post('contactmetadata'))).toBe('https://api.mailjet.com/v3/REST/contactmetadata');
  });
});

describe('Mailchimp client', () => {
  it('takes the data centre from the key, or the override with /3.0 appended', () => {
    expect(createMailchimpClient({ MAILCHIMP_API_KEY: 'abc-us21' }).basePath).toBe('https://us21.api.mailchimp.com/3.0');
    expect(createMailchimpClient({ MAILCHIMP_API_KEY: 'abc-us21', DUNNING_MAILCHIMP_BASE_URL: 'http://127.0.0.1:8025/' }).basePath).toBe('http://127.0.0.1:8025/3.0');
    expect(createMailchimpClient({ MAILCHIMP_API_KEY: 'abc-us21', DUNNING_MAILCHIMP_BASE_URL: 'https://p.example/mockserver' }).basePath).toBe('https://p.example/mockserver/3.0');
  });
});

describe('base URL overrides', () => {
  it.each([
    ['not a url', /is not a URL/],
    ['ftp://127.0.0.1', /must start with http/],
    ['http://127.0.0.1:8025/?x=1', /query or fragment/],
    ['http://me:secret-pw@127.0.0.1', /must not contain credentials/],
  ])('refuses %j (exit 2)', (value, message) => {
    let error: unknown;
    try {
      createMailjetClient({ ...MJ, DUNNING_MAILJET_BASE_URL: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DunningError);
    expect((error as DunningError).exitCode).toBe(2);
    expect((error as DunningError).message).toMatch(message);
    expect((error as DunningError).message).toContain('DUNNING_MAILJET_BASE_URL');
    expect(`${(error as DunningError).message} ${(error as DunningError).hint ?? ''}`).not.toContain('secret-pw');
  });
});

describe('reading SDK errors', () => {
  it('rethrows what is not an HTTP failure, so a bug is never retried as a network error', () => {
    const bug = new TypeError('x is not a function');
    expect(() => readHttpFailure(bug, 0)).toThrow(bug);
    expect(readHttpFailure(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 0)).toMatchObject({ status: null, code: 'ECONNRESET' });
  });

  it.each([
    ['ECONNRESET', true],
    ['ECONNABORTED', true],
    ['ETIMEDOUT', true],
    ['EPIPE', true],
    [undefined, true],
    ['ECONNREFUSED', false],
    ['ENOTFOUND', false],
    ['EAI_AGAIN', false],
    ['EHOSTUNREACH', false],
    ['EPROTO', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false],
  ])('says whether a request that got no answer (%s) may have reached the provider: %s', (code, expected) => {
    expect(mayHaveArrived({ status: null, body: undefined, retryAfterMs: undefined, code })).toBe(expected);
  });

  it('never calls an answer, even an error, "may have arrived": the answer says what happened', () => {
    expect(mayHaveArrived({ status: 503, body: undefined, retryAfterMs: undefined, code: 'ECONNRESET' })).toBe(false);
  });
});

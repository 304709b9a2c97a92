import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStopError, type AutomationStop, type FieldSetup, type OutgoingMessage, type DeliveryOutcome } from '../../src/app/ports.js';
import { MAILCHIMP } from '../../src/channels/mailchimp/index.js';
import { createMailchimpClient, subscriberHash } from '../../src/channels/mailchimp/client.js';
import { MAILCHIMP_FIELDS } from '../../src/channels/mailchimp/fields.js';
import { DunningError } from '../../src/core/errors.js';
import { isObject } from '../support/http-emulator.js';
import { containing } from '../support/matchers.js';
import { MailchimpEmulator } from '../support/mailchimp-emulator.js';
import { channelOptions, outgoing, outgoingMany } from '../support/messages.js';

const KEY = '0123456789abcdef0123456789abcdef-us21';
const LIST = 'aud12345';
let mc: MailchimpEmulator;

beforeEach(async () => {
  mc = new MailchimpEmulator({ apiKey: KEY, listIds: [LIST] });
  await mc.start();
});

afterEach(async () => {
  await mc.stop();
  // Every request the channel made has a shape the OpenAPI contract allows.
  expect(mc.violations).toEqual([]);
});

/** The channel as the table makes it: the push, the audience's setup, and the tag removal of its automation. */
interface MailchimpUnderTest {
  dunningTags: readonly string[];
  send(messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome[]>;
  setupMergeFields(): Promise<FieldSetup[]>;
  removeDunningTags(emails: readonly string[]): Promise<AutomationStop[]>;
}

function channel(env: NodeJS.ProcessEnv = {}, config: Record<string, unknown> = {}): MailchimpUnderTest {
  const options = channelOptions({ mailchimp: { listId: LIST }, ...config }, { MAILCHIMP_API_KEY: KEY, DUNNING_MAILCHIMP_BASE_URL: mc.baseUrl, ...env });
  const ch = MAILCHIMP.create(options);
  return {
    dunningTags: ch.automation!.tags,
    send: (messages) => ch.send(messages),
    setupMergeFields: () => MAILCHIMP.setup!(options),
    removeDunningTags: (emails) => ch.automation!.stop(emails),
  };
}

async function readyChannel(): Promise<MailchimpUnderTest> {
  const ch = channel();
  await ch.setupMergeFields();
  mc.requests.length = 0;
  return ch;
}

function tagRequests(): typeof mc.requests {
  return mc.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/tags'));
}

function batches(): Record<string, unknown>[] {
  return mc.requests.filter((r) => r.method === 'POST' && r.path === `/3.0/lists/${LIST}`).map((r) => (isObject(r.body) ? r.body : {}));
}

describe('mailchimp setup', () => {
  it('creates the missing merge fields, keeps the existing ones, and says so on a second run', async () => {
    const ch = channel();
    const first = await ch.setupMergeFields();
    expect(first.filter((f) => f.state === 'exists').map((f) => f.tag)).toEqual(['FNAME', 'LNAME']);
    expect(first.filter((f) => f.state === 'created').map((f) => f.tag)).toEqual(MAILCHIMP_FIELDS.map((f) => f.tag).filter((t) => t !== 'FNAME' && t !== 'LNAME'));
    expect(MAILCHIMP_FIELDS.every((f) => f.tag.length <= 10)).toBe(true);
    const second = await ch.setupMergeFields();
    expect(second.map((f) => f.state)).toEqual(MAILCHIMP_FIELDS.map(() => 'exists'));
    expect(mc.mergeTags(LIST)).toEqual(expect.arrayContaining(MAILCHIMP_FIELDS.map((f) => f.tag)));
  });

  it('stops before any member request when the audience lacks the merge fields', async () => {
    const error = await channel().send([outgoing(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    expect((error as ChannelStopError).hint).toContain('dunning mailchimp setup');
    expect(mc.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /3.0/lists/${LIST}/merge-fields`]);
  });

  it('stops before any member request when a merge field has another type, and setup says so', async () => {
    const ch = channel();
    await ch.setupMergeFields();
    const field = mc.audiences.get(LIST)!.fields.find((f) => f.tag === 'OPENAMT')!;
    field.type = 'number';
    const setup = await ch.setupMergeFields();
    expect(setup.find((f) => f.tag === 'OPENAMT')).toMatchObject({ state: 'conflict', existingType: 'number', type: 'text' });
    mc.requests.length = 0;
    const error = await ch.send([outgoing(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    expect((error as ChannelStopError).message).toContain('OPENAMT is number, not text');
    expect(mc.requests).toHaveLength(1);
  });
});

describe('mailchimp push', () => {
  it('pushes 1001 messages as batches of 500, 500 and 1: new members transactional, merge fields, stage tag', async () => {
    const ch = await readyChannel();
    const messages = outgoingMany(1001, 1);
    const outcomes = await ch.send(messages);
    expect(batches().map((b) => (b.members as unknown[]).length)).toEqual([500, 500, 1]);
    expect(batches().every((b) => b.update_existing === false)).toBe(true);
    expect(outcomes.every((o) => o.state === 'sent')).toBe(true);
    expect(outcomes[0]).toMatchObject({ providerId: subscriberHash('customer1@example.com'), response: containing('transactional') });
    const member = mc.member(LIST, 'customer42@example.com');
    expect(member).toMatchObject({ status: 'transactional', merge: { FNAME: 'First42', OPENAMT: '50,32\u00a0€', MANAGELINK: 'https://shop.example.com/payment/tok42/manage', DSTAGE: 'reminder', DAYSOVER: 4 } });
    expect([...member!.tags]).toEqual(['dunning-reminder']);
    // Nobody is ever added as subscribed.
    for (const body of batches()) for (const m of body.members as { status: string }[]) expect(m.status).toBe('transactional');
  });

  it('updates an existing subscriber without touching the status, and tags them', async () => {
    mc.addMember(LIST, 'customer1@example.com', 'subscribed', ['vip']);
    const ch = await readyChannel();
    const [outcome] = await ch.send([outgoing(1, { stage: 'final' })]);
    expect(outcome).toMatchObject({ state: 'sent', response: containing('status subscribed kept') });
    const member = mc.member(LIST, 'customer1@example.com');
    expect(member?.status).toBe('subscribed');
    expect(member?.merge.OPENAMT).toBe('49,91\u00a0€');
    expect([...member!.tags].sort()).toEqual(['dunning-final', 'vip']);
    const patch = mc.requests.find((r) => r.method === 'PATCH');
    expect(patch?.path).toBe(`/3.0/lists/${LIST}/members/${subscriberHash('customer1@example.com')}`);
    expect(patch?.body).not.toHaveProperty('status');
  });

  it('records unsubscribed and cleaned members as such, leaves them as they are and adds no tag', async () => {
    mc.addMember(LIST, 'customer1@example.com', 'unsubscribed');
    mc.addMember(LIST, 'customer2@example.com', 'cleaned');
    const ch = await readyChannel();
    const outcomes = await ch.send(outgoingMany(3));
    expect(outcomes[0]).toMatchObject({ state: 'failed', permanent: true, error: containing('unsubscribed in Mailchimp') });
    expect(outcomes[1]).toMatchObject({ state: 'failed', permanent: true, error: containing('cleaned in Mailchimp') });
    expect(outcomes[2]).toMatchObject({ state: 'sent' });
    expect(mc.member(LIST, 'customer1@example.com')).toMatchObject({ status: 'unsubscribed', tags: new Set() });
    expect(mc.member(LIST, 'customer2@example.com')).toMatchObject({ status: 'cleaned', tags: new Set() });
  });

  it("reads per-member errors from the batch answer and records each member's own outcome", async () => {
    mc.forgotten.add('customer2@example.com');
    mc.fakeLooking.add('customer3@example.com');
    const ch = await readyChannel();
    const outcomes = await ch.send(outgoingMany(4));
    expect(outcomes.map((o) => o.state)).toEqual(['sent', 'failed', 'failed', 'sent']);
    expect(outcomes[1]).toMatchObject({ permanent: true, error: containing('permanently deleted') });
    expect(outcomes[2]).toMatchObject({ permanent: true, error: containing('looks fake or invalid') });
    expect(mc.member(LIST, 'customer2@example.com')).toBeUndefined();
  });

  it('puts an address twice into two batches, never twice into one', async () => {
    const ch = await readyChannel();
    const outcomes = await ch.send([outgoing(1), outgoing(2), outgoing(1, { stage: 'second', caseIds: [5] })]);
    expect(batches().map((b) => (b.members as unknown[]).length)).toEqual([2, 1]);
    expect(outcomes.map((o) => o.state)).toEqual(['sent', 'sent', 'sent']);
    expect([...mc.member(LIST, 'customer1@example.com')!.tags].sort()).toEqual(['dunning-reminder', 'dunning-second']);
  });

  it('reports 429 with Retry-After on the batch as temporary for all, and a 5xx on one tag for that member only', async () => {
    const ch = await readyChannel();
    mc.fail({ status: 429, headers: { 'Retry-After': '12' }, body: { title: 'Too Many Requests', status: 429, detail: 'slow down', instance: 'i' } });
    const throttled = await ch.send(outgoingMany(2));
    expect(throttled).toEqual(Array(2).fill(expect.objectContaining({ state: 'failed', permanent: false, retryAfterMs: 12_000 })));
    const tagPath = `/3.0/lists/${LIST}/members/${subscriberHash('customer2@example.com')}/tags`;
    mc.fail({ status: 503 }, { match: (r) => r.path === tagPath });
    const outcomes = await ch.send(outgoingMany(3));
    expect(outcomes.map((o) => o.state)).toEqual(['sent', 'failed', 'sent']);
    expect(outcomes[1]).toMatchObject({ permanent: false, error: containing('tag "dunning-reminder" was not added') });
    // Handing back only the failed one: its member exists now, gets merge fields by PATCH and the tag.
    const [retried] = await ch.send([outgoing(2)]);
    expect(retried).toMatchObject({ state: 'sent' });
    expect([...mc.member(LIST, 'customer2@example.com')!.tags]).toEqual(['dunning-reminder']);
  });

  it('fails the batch permanently on a 400 problem+json, and temporarily on a dropped connection', async () => {
    const ch = await readyChannel();
    const recorded = JSON.parse(readFileSync(new URL('../fixtures/providers/mailchimp-recorded-responses.json', import.meta.url), 'utf8')) as { responses: { name: string; status: number; headers: Record<string, string>; body: unknown }[] };
    const invalid = recorded.responses.find((r) => r.name === 'required merge field missing')!;
    mc.fail({ status: invalid.status, headers: { 'Content-Type': 'application/problem+json; charset=utf-8' }, body: invalid.body });
    const refused = await ch.send(outgoingMany(2));
    expect(refused).toEqual(Array(2).fill(expect.objectContaining({ state: 'failed', permanent: true, error: 'HTTP 400 Invalid Resource: Your merge fields were invalid. (YNAME: Please enter a value)' })));
    mc.fail('drop');
    const [dropped] = await ch.send([outgoing(1)]);
    expect(dropped).toMatchObject({ state: 'failed', permanent: false, error: containing('no answer from Mailchimp') });
    expect(JSON.stringify([refused, dropped])).not.toContain(KEY);
    expect(mc.audiences.get(LIST)?.members.size).toBe(0);
  });

  it('makes no request at all when there is nothing to send', async () => {
    expect(await channel().send([])).toEqual([]);
    expect(mc.requests).toHaveLength(0);
  });
});

describe('mailchimp: stopping and settings', () => {
  it('stops on a refused key with a hint, and never shows the key', async () => {
    const wrong = 'ffffffffffffffffffffffffffffffff-us21';
    const error = await channel({ MAILCHIMP_API_KEY: wrong }).send([outgoing(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    const stop = error as ChannelStopError;
    expect(stop.hint).toContain('MAILCHIMP_API_KEY');
    expect(`${stop.message} ${stop.hint}`).not.toContain(wrong);
    expect(`${stop.message} ${stop.hint}`).not.toContain(KEY);
  });

  it('stops on an unknown audience, naming the config key', async () => {
    const error = await channel({}, { mailchimp: { listId: 'nosuchlist' } }).send([outgoing(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    expect((error as ChannelStopError).hint).toContain('mailchimp.listId');
  });

  it('needs a key with a data-centre suffix and an audience ID at creation (exit 2)', () => {
    const cases: [NodeJS.ProcessEnv, Record<string, unknown>, RegExp][] = [
      [{}, { mailchimp: { listId: LIST } }, /MAILCHIMP_API_KEY/],
      [{ MAILCHIMP_API_KEY: 'abcdef0123456789' }, { mailchimp: { listId: LIST } }, /data-centre suffix/],
      [{ MAILCHIMP_API_KEY: KEY }, {}, /mailchimp\.listId/],
    ];
    for (const [env, config, message] of cases) {
      let error: unknown;
      try {
        MAILCHIMP.create(channelOptions(config, env));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DunningError);
      expect((error as DunningError).exitCode).toBe(2);
      expect((error as DunningError).message).toMatch(message);
      expect((error as DunningError).message).not.toContain('abcdef0123456789');
    }
  });

  it("takes the server from the key's data centre, and an override even with \"server\" in its path", async () => {
    expect(createMailchimpClient({ MAILCHIMP_API_KEY: KEY }).basePath).toBe('https://us21.api.mailchimp.com/3.0');
    const proxied = new MailchimpEmulator({ apiKey: KEY, listIds: [LIST], pathPrefix: '/mockserver' });
    const base = await proxied.start();
    try {
      const ch = channel({ DUNNING_MAILCHIMP_BASE_URL: `${base}/mockserver` });
      const fields = await ch.setupMergeFields();
      expect(fields).toHaveLength(MAILCHIMP_FIELDS.length);
      expect(proxied.requests[0]?.path).toBe(`/mockserver/3.0/lists/${LIST}/merge-fields`);
      expect(proxied.violations).toEqual([]);
    } finally {
      await proxied.stop();
    }
  });

  it('uses the subscriber hash of the recorded test vectors', () => {
    const recorded = JSON.parse(readFileSync(new URL('../fixtures/providers/mailchimp-recorded-responses.json', import.meta.url), 'utf8')) as {
      subscriber_hash_test_vectors: { email: string; subscriber_hash: string }[];
    };
    for (const vector of recorded.subscriber_hash_test_vectors) {
      expect(subscriberHash(vector.email)).toBe(vector.subscriber_hash);
      expect(subscriberHash(vector.email.toUpperCase())).toBe(vector.subscriber_hash);
    }
    // A plus tag is part of the address (bad-inputs.md E1).
    expect(subscriberHash('Ben+Rechnung@Example.com')).toBe(subscriberHash('ben+rechnung@example.com'));
    expect(subscriberHash('ben+rechnung@example.com')).not.toBe(subscriberHash('ben@example.com'));
  });
});

describe('mailchimp tag removal', () => {
  it("removes every dunning stage tag of paid customers and keeps the merchant's own tags", async () => {
    mc.addMember(LIST, 'paid@example.com', 'transactional', ['dunning-reminder', 'dunning-second', 'vip']);
    const ch = channel({}, { sequence: { stages: [{ name: 'reminder', afterDays: 1, template: 'r' }, { name: 'second', afterDays: 3, template: 's' }, { name: 'final', afterDays: 7, template: 'f', mailchimpTag: 'letzte-mahnung' }] } });
    const results = await ch.removeDunningTags(['Paid@Example.com', 'never-pushed@example.com']);
    expect(results).toEqual([{ email: 'Paid@Example.com', state: 'removed' }, { email: 'never-pushed@example.com', state: 'not_in_audience' }]);
    expect([...mc.member(LIST, 'paid@example.com')!.tags]).toEqual(['vip']);
    const body = tagRequests()[0]?.body as { tags: { name: string; status: string }[] };
    expect(body.tags).toEqual(['dunning-reminder', 'dunning-second', 'letzte-mahnung'].map((name) => ({ name, status: 'inactive' })));
    expect(ch.dunningTags).toEqual(['dunning-reminder', 'dunning-second', 'letzte-mahnung']);
  });

  it('checks the audience first: a wrong listId stops instead of passing every member as "not in the audience"', async () => {
    mc.addMember(LIST, 'paid@example.com', 'transactional', ['dunning-reminder']);
    const error = await channel({}, { mailchimp: { listId: 'nosuchlist' } }).removeDunningTags(['paid@example.com']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    expect((error as ChannelStopError).hint).toContain('mailchimp.listId');
    expect(tagRequests()).toHaveLength(0);
  });

  it('reports each member on its own: a 503 is temporary, a 400 permanent, and an unreachable Mailchimp fails all for now', async () => {
    for (const n of [1, 2, 3]) mc.addMember(LIST, `paid${n}@example.com`, 'transactional', ['dunning-reminder']);
    mc.fail({ status: 503, body: { title: 'Service Unavailable', status: 503, detail: 'try later' } }, { match: (r) => r.path.endsWith(`/${subscriberHash('paid2@example.com')}/tags`) });
    mc.fail({ status: 400, body: { title: 'Invalid Resource', status: 400, detail: 'The resource submitted could not be validated.' } }, { match: (r) => r.path.endsWith(`/${subscriberHash('paid3@example.com')}/tags`) });
    const results = await channel().removeDunningTags(['paid1@example.com', 'paid2@example.com', 'paid3@example.com']);
    expect(results).toEqual([
      { email: 'paid1@example.com', state: 'removed' },
      { email: 'paid2@example.com', state: 'failed', permanent: false, error: containing('HTTP 503') },
      { email: 'paid3@example.com', state: 'failed', permanent: true, error: containing('HTTP 400 Invalid Resource') },
    ]);
    expect([...mc.member(LIST, 'paid1@example.com')!.tags]).toEqual([]);
    expect([...mc.member(LIST, 'paid2@example.com')!.tags]).toEqual(['dunning-reminder']);

    mc.fail('drop', { match: (r) => r.method === 'GET' });
    const unreachable = await channel().removeDunningTags(['paid2@example.com']);
    expect(unreachable).toEqual([{ email: 'paid2@example.com', state: 'failed', permanent: false, error: containing('no answer from Mailchimp') }]);
  });

  it('stops on a refused key without trying the other members', async () => {
    const emails = Array.from({ length: 10 }, (_, i) => `paid${i}@example.com`);
    for (const email of emails) mc.addMember(LIST, email, 'transactional', ['dunning-reminder']);
    mc.fail({ status: 401, body: { title: 'API Key Invalid', status: 401, detail: 'Your API key may be invalid.' } }, { times: 10, match: (r) => r.path.endsWith('/tags') });
    const error = await channel().removeDunningTags(emails).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    // The requests already in flight (at most 4 at a time) end; no further one starts.
    expect(tagRequests().length).toBeLessThanOrEqual(4);
  });

  it('makes no request for an empty list', async () => {
    expect(await channel().removeDunningTags([])).toEqual([]);
    expect(mc.requests).toHaveLength(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStopError, type DeliveryOutcome } from '../../src/app/ports.js';
import { createMailjetChannel } from '../../src/channels/mailjet/index.js';
import { customId } from '../../src/channels/mailjet/payload.js';
import { DunningError } from '../../src/core/errors.js';
import { isObject } from '../support/http-emulator.js';
import { containing } from '../support/matchers.js';
import { MailjetEmulator } from '../support/mailjet-emulator.js';
import { channelOptions, outgoing, outgoingMany, stagesWith } from '../support/messages.js';
import { unusedPort } from '../support/smtp-sink.js';

const KEY = 'pub-key-1234';
const SECRET = 'very-secret-private-key';
let mj: MailjetEmulator;

beforeEach(async () => {
  mj = new MailjetEmulator({ apiKey: KEY, apiSecret: SECRET, validatedSenders: ['billing@example.com'], templates: [4711], contactLists: [77] });
  await mj.start();
});

afterEach(async () => {
  await mj.stop();
  // Every request the channel made has a shape the documentation allows.
  expect(mj.violations).toEqual([]);
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { MJ_APIKEY_PUBLIC: KEY, MJ_APIKEY_PRIVATE: SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl, ...extra };
}

function channel(config: Record<string, unknown> = {}, extra: NodeJS.ProcessEnv = {}) {
  return createMailjetChannel(channelOptions(config, env(extra)));
}

function isTemporaryFailure(outcome: DeliveryOutcome | undefined): boolean {
  return outcome?.state === 'failed' && !outcome.permanent;
}

function sendBodies(): Record<string, unknown>[] {
  return mj.requests.filter((r) => r.path === '/v3.1/send').map((r) => (isObject(r.body) ? r.body : {}));
}

function sentMessages(index = 0): Record<string, unknown>[] {
  const messages = sendBodies()[index]?.Messages;
  return Array.isArray(messages) ? messages.filter(isObject) : [];
}

describe('mailjet channel: batches and outcomes', () => {
  it('sends 120 messages as 50, 50 and 20 and maps each answer to its message, in order', async () => {
    const messages = outgoingMany(120);
    const outcomes = await channel().send(messages);
    expect(sendBodies().map((b) => (b.Messages as unknown[]).length)).toEqual([50, 50, 20]);
    expect(outcomes.every((o) => o.state === 'sent')).toBe(true);
    // Each outcome carries the MessageID Mailjet gave that very message (found by its CustomID).
    outcomes.forEach((outcome, i) => {
      const delivery = mj.deliveries.find((d) => d.customId === customId(messages[i]!));
      expect(outcome.state === 'sent' && outcome.providerId).toBe(delivery?.messageId);
    });
    // MessageIDs above 2^53 stay exact strings.
    expect(outcomes[0]).toMatchObject({ providerId: '70650219165027410' });
    expect(new Set(outcomes.map((o) => (o.state === 'sent' ? o.providerId : null))).size).toBe(120);
    expect(mj.violations).toEqual([]);
  });

  it('sends our own rendering: Subject, TextPart, HTMLPart, CustomID, per-stage campaign, our headers', async () => {
    const message = outgoing(7, { caseIds: [7, 9], stage: 'second' });
    await channel().send([message]);
    const [sent] = sentMessages();
    expect(sent).toMatchObject({
      From: { Email: 'billing@example.com', Name: 'Beispiel GmbH' },
      To: [{ Email: 'customer7@example.com', Name: 'First7 Last7' }],
      Subject: message.subject,
      TextPart: message.text,
      HTMLPart: message.html,
      CustomID: 'dunning:second:7-9',
      CustomCampaign: 'dunning-second',
      Headers: { 'X-Dunning-Case': '7' },
    });
    expect(sent).not.toHaveProperty('TemplateID');
    expect(sent).not.toHaveProperty('Variables');
    expect(JSON.parse(String(sent?.EventPayload))).toEqual({ messageId: '<m7@dunning.local>' });
  });

  it("sends the stage's Mailjet template with our variables and the orders list", async () => {
    const message = outgoing(3);
    const [outcome] = await channel(stagesWith({ reminder: { mailjetTemplateId: 4711 } })).send([message]);
    expect(outcome?.state).toBe('sent');
    const [sent] = sentMessages();
    expect(sent).toMatchObject({ TemplateID: 4711, TemplateLanguage: true, TemplateErrorReporting: { Email: 'billing@example.com' } });
    expect(sent).not.toHaveProperty('HTMLPart');
    expect(sent).not.toHaveProperty('TextPart');
    const variables = sent?.Variables as Record<string, unknown>;
    expect(variables).toMatchObject({ first_name: 'First3', manage_link: 'https://shop.example.com/payment/tok3/manage', open_amount: '49,93\u00a0€', stage: 'reminder' });
    expect(variables.orders).toEqual([expect.objectContaining({ order_id: 'A-1003', manage_link: 'https://shop.example.com/payment/tok3/manage' })]);
    expect(mj.violations).toEqual([]);
  });

  it('records each message of a mixed answer on its own: successes sent, errors failed with their code', async () => {
    const messages = [outgoing(1), outgoing(2, { to: { name: 'X', address: 'not-an-address' } }), outgoing(3), outgoing(4, { to: { name: '', address: 'x@y' } })];
    const outcomes = await channel().send(messages);
    // Mailjet answers a batch with any failed message as HTTP 400, successes included.
    expect(mj.requests[0]?.answered).toBe(400);
    expect(outcomes.map((o) => o.state)).toEqual(['sent', 'failed', 'sent', 'failed']);
    expect(outcomes[1]).toMatchObject({ permanent: true, error: containing('mj-0013') });
    expect(outcomes[3]).toMatchObject({ permanent: true, error: containing('"x@y" is an invalid email address') });
    expect(outcomes[0]).toMatchObject({ providerId: mj.deliveries[0]?.messageId });
    expect(mj.deliveries.map((d) => d.customId)).toEqual(['dunning:reminder:1', 'dunning:reminder:3']);
  });

  it('stops on a TemplateID the account does not have, keeping what went out in the same batch', async () => {
    const ch = channel(stagesWith({ final: { mailjetTemplateId: 999 } }));
    const outcomes = await ch.send([outgoing(1), outgoing(2, { stage: 'final' })]);
    expect(outcomes[0]).toMatchObject({ state: 'sent' });
    expect(outcomes[1]).toMatchObject({ state: 'failed', permanent: false, error: containing('send-0010') });
    const error = await ch.send([outgoing(3)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    expect((error as ChannelStopError).hint).toContain('"mailjetTemplateId" of stage "final"');
    expect(mj.requests).toHaveLength(1);
    // With nothing delivered the stop comes at once.
    await expect(channel(stagesWith({ reminder: { mailjetTemplateId: 999 } })).send([outgoing(4)])).rejects.toThrow(/template 999 of stage "reminder"/);
  });

  it('reports 429 with Retry-After as temporary for every message of the batch, without retrying itself', async () => {
    mj.fail({ status: 429, headers: { 'Retry-After': '7' }, body: { ErrorMessage: 'Too Many Requests', StatusCode: 429 } });
    const outcomes = await channel().send(outgoingMany(3));
    expect(outcomes).toEqual(Array(3).fill(expect.objectContaining({ state: 'failed', permanent: false, retryAfterMs: 7000 })));
    expect(mj.requests).toHaveLength(1);
    expect(mj.deliveries).toHaveLength(0);
  });

  it('reads Retry-After given as an HTTP date', async () => {
    mj.fail({ status: 429, headers: { 'Retry-After': new Date(Date.now() + 3_600_000).toUTCString() } });
    const [outcome] = await channel().send([outgoing(1)]);
    expect(outcome).toMatchObject({ state: 'failed', permanent: false });
    expect(outcome?.state === 'failed' && outcome.retryAfterMs).toBeGreaterThan(3_000_000);
  });

  it('reports 5xx and a refused connection as temporary: nothing reached Mailjet', async () => {
    mj.fail({ status: 503, body: { ErrorIdentifier: 'x', ErrorMessage: 'Service Unavailable', StatusCode: 503 } });
    const [afterServerError] = await channel().send([outgoing(1)]);
    expect(afterServerError).toMatchObject({ state: 'failed', permanent: false, error: containing('HTTP 503') });
    const closed = `http://127.0.0.1:${await unusedPort()}`;
    const [refused] = await createMailjetChannel(channelOptions({}, { ...env(), DUNNING_MAILJET_BASE_URL: closed })).send([outgoing(2)]);
    expect(refused).toMatchObject({ state: 'failed', permanent: false, error: containing('ECONNREFUSED') });
    expect(mj.deliveries).toHaveLength(0);
  });

  it('reports a connection dropped after the request went out as unknown for the whole batch, never as temporary', async () => {
    // Mailjet took the request and delivered, but its answer never arrived.
    mj.fail('lose-answer');
    const outcomes = await channel().send(outgoingMany(3));
    expect(mj.deliveries).toHaveLength(3);
    expect(outcomes).toEqual(Array(3).fill({ state: 'unknown', error: containing('no answer from Mailjet (ECONNRESET) after the request was sent') }));
    expect(outcomes[0]).toMatchObject({ error: containing('--retry-unknown') });
    // Dropped before Mailjet handled it looks the same from here: unknown too.
    mj.fail('drop');
    const [dropped] = await channel().send([outgoing(9)]);
    expect(dropped).toMatchObject({ state: 'unknown' });
    expect(mj.deliveries).toHaveLength(3);
  });

  it('sends each message once when only the temporarily failed ones are handed back', async () => {
    const messages = outgoingMany(5);
    const ch = channel();
    mj.fail({ status: 500 });
    let outcomes = await ch.send(messages);
    let pending = messages.filter((_, i) => isTemporaryFailure(outcomes[i]));
    expect(pending).toHaveLength(5);
    // Second try: a mixed answer, one permanent error; the third try gets only what is still temporary.
    pending[2] = outgoing(3, { to: { name: '', address: 'broken@' } });
    outcomes = await ch.send(pending);
    pending = pending.filter((_, i) => isTemporaryFailure(outcomes[i]));
    expect(pending).toHaveLength(0);
    for (const m of messages.filter((m) => m.data.caseIds[0] !== 3)) expect(mj.deliveredCount(customId(m))).toBe(1);
    expect(mj.deliveredCount('dunning:reminder:3')).toBe(0);
  });

  it('makes no request at all when there is nothing to send', async () => {
    expect(await channel().send([])).toEqual([]);
    expect(mj.requests).toHaveLength(0);
  });

  it('asks Mailjet to validate only in sandbox mode and records no provider id', async () => {
    const [outcome] = await channel({ mailjet: { sandbox: true } }).send([outgoing(1)]);
    expect(sendBodies()[0]).toMatchObject({ SandboxMode: true });
    expect(outcome).toMatchObject({ state: 'sent', providerId: null, response: containing('not delivered') });
    expect(mj.deliveries).toHaveLength(0);
  });

  it('fails a whole batch permanently on a root-level 400 error', async () => {
    mj.fail({ status: 400, body: { ErrorIdentifier: 'e1', ErrorCode: 'mj-0002', ErrorMessage: 'Malformed JSON, please review the syntax and properties types.', StatusCode: 400 } });
    const outcomes = await channel().send(outgoingMany(2));
    expect(outcomes).toEqual(Array(2).fill(expect.objectContaining({ state: 'failed', permanent: true, error: containing('mj-0002') })));
  });
});

describe('mailjet channel: stopping the run', () => {
  it('stops on 401 with a hint naming the variables, and never shows the credentials', async () => {
    const error = await channel({}, { MJ_APIKEY_PRIVATE: 'wrong-secret-value' }).send([outgoing(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    const stop = error as ChannelStopError;
    expect(stop.hint).toContain('MJ_APIKEY_PUBLIC');
    for (const secret of [KEY, SECRET, 'wrong-secret-value']) expect(`${stop.message} ${stop.hint} ${stop.stack ?? ''}`).not.toContain(secret);
  });

  it('stops when the sender is not validated, and says what to fix', async () => {
    const message = outgoing(1, { from: { name: 'Shop', address: 'unknown-sender@example.com' } });
    const error = await channel().send([message, outgoing(2, { from: message.from })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStopError);
    expect((error as ChannelStopError).message).toContain('unknown-sender@example.com');
    expect((error as ChannelStopError).message).toContain('send-0008');
    expect((error as ChannelStopError).hint).toContain('sender.email');
    expect(mj.deliveries).toHaveLength(0);
  });

  it('keeps what went out when the key is refused mid-run, and stops before the next request', async () => {
    mj.fail({ status: 401, body: { ErrorCode: 'mj-0015', ErrorMessage: 'no valid credentials', StatusCode: 401 } }, { match: () => mj.requests.length === 2 });
    const ch = channel();
    const outcomes = await ch.send(outgoingMany(60));
    expect(outcomes.slice(0, 50).every((o) => o.state === 'sent')).toBe(true);
    expect(outcomes.slice(50)).toEqual(Array(10).fill(expect.objectContaining({ state: 'failed', permanent: false, error: containing('not sent') })));
    await expect(ch.send([outgoing(99)])).rejects.toBeInstanceOf(ChannelStopError);
    expect(mj.requests).toHaveLength(2);
  });
});

describe('mailjet channel: settings', () => {
  it('needs both keys at creation (exit 2), naming the missing ones', () => {
    for (const [envVars, named] of [
      [{}, 'MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE'],
      [{ MJ_APIKEY_PUBLIC: KEY }, 'MJ_APIKEY_PRIVATE'],
      [{ MJ_APIKEY_PRIVATE: SECRET }, 'MJ_APIKEY_PUBLIC'],
    ] as const) {
      const error = (() => {
        try {
          createMailjetChannel(channelOptions({}, envVars));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(DunningError);
      expect((error as DunningError).exitCode).toBe(2);
      expect((error as DunningError).message).toContain(named);
    }
  });

  it('refuses a base URL with credentials in it without repeating them', () => {
    const create = () => channel({}, { DUNNING_MAILJET_BASE_URL: 'http://user:hunter2@127.0.0.1:9' });
    expect(create).toThrow(DunningError);
    expect(create).toThrow(/must not contain credentials/);
    expect(() => channel({}, { DUNNING_MAILJET_BASE_URL: 'ftp://127.0.0.1' })).toThrow(/http/);
    try {
      create();
    } catch (error) {
      expect(String((error as Error).message) + String((error as DunningError).hint)).not.toContain('hunter2');
    }
  });
});

describe('mailjet channel: contact list', () => {
  it('creates the missing contact properties once, then adds contacts with addnoforce', async () => {
    mj.unsubscribe(77, 'customer2@example.com');
    const ch = channel({ mailjet: { contactListId: 77 } });
    const first = await ch.send(outgoingMany(2));
    await ch.send([outgoing(3)]);
    expect(first.every((o) => o.state === 'sent')).toBe(true);
    const created = mj.requests.filter((r) => r.method === 'POST' && r.path === '/v3/REST/contactmetadata');
    expect(created.length).toBe(mj.metadata.length);
    expect(mj.metadata.find((m) => m.Name === 'open_amount_minor')).toMatchObject({ Datatype: 'int' });
    expect(mj.metadata.find((m) => m.Name === 'manage_link')).toMatchObject({ Datatype: 'str' });
    const manage = mj.requests.filter((r) => r.path === '/v3/REST/contactslist/77/managemanycontacts');
    expect(manage.map((r) => (r.body as { Action: string }).Action)).toEqual(['addnoforce', 'addnoforce']);
    const list = mj.lists.get(77)!;
    expect(list.get('customer1@example.com')).toMatchObject({ unsubscribed: false, properties: { stage: 'reminder', open_amount_minor: 4991 } });
    // An unsubscribed contact stays unsubscribed.
    expect(list.get('customer2@example.com')).toMatchObject({ unsubscribed: true });
    expect(mj.violations).toEqual([]);
  });

  it('keeps messages sent when the contact list cannot be updated, and notes why', async () => {
    mj.fail({ status: 500 }, { match: (r) => r.path.endsWith('/managemanycontacts') });
    const [outcome] = await channel({ mailjet: { contactListId: 77 } }).send([outgoing(1)]);
    expect(outcome).toMatchObject({ state: 'sent', response: containing('contact list 77 not updated') });
  });
});


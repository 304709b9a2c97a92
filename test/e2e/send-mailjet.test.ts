import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isObject, type RecordedRequest } from '../support/http-emulator.js';
import { MailjetEmulator } from '../support/mailjet-emulator.js';
import { createWorld, waitUntil, type Workspace } from '../support/workspace.js';
import { MORNING, type OrderRow } from '../support/exports.js';

// `dunning send --channel mailjet` end to end: the engine, our rendering and the Mailjet channel
// against the documented Send API v3.1 on 127.0.0.1.

const KEY = 'pub-key-1234';
const SECRET = 'very-secret-private-key';
let mj: MailjetEmulator;
let world: Workspace;

beforeEach(async () => {
  mj = new MailjetEmulator({ apiKey: KEY, apiSecret: SECRET, validatedSenders: ['billing@yoga-sonne.de'] });
  await mj.start();
});

afterEach(async () => {
  await mj.stop();
  world.cleanup();
  expect(mj.violations).toEqual([]);
});

const env = (): Record<string, string> => ({ MJ_APIKEY_PUBLIC: KEY, MJ_APIKEY_PRIVATE: SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl });

async function setUp(rows: readonly OrderRow[], config: Record<string, unknown> = {}): Promise<void> {
  world = createWorld({ channel: 'mailjet', ...config });
  expect((await world.run(['import', world.writeExport(rows)])).code).toBe(0);
}

/** `count` customers, one overdue order each: kunde001@example.de … */
function customers(count: number): OrderRow[] {
  return Array.from({ length: count }, (_, i) => ({ email: `kunde${String(i + 1).padStart(3, '0')}@example.de`, order: String(5001 + i), open: '49,00', due: '20.11.2026' }));
}

function sendRequests(): RecordedRequest[] {
  return mj.requests.filter((r) => r.path === '/v3.1/send');
}

/** The recipients of one Send API request, in order. */
function recipients(request: RecordedRequest | undefined): string[] {
  const messages = isObject(request?.body) && Array.isArray(request.body.Messages) ? request.body.Messages : [];
  return messages.map((m: { To: { Email: string }[] }) => m.To[0]?.Email ?? '');
}

interface MessageRow {
  recipient: string;
  state: string;
  permanent: number;
  provider_id: string | null;
  error: string | null;
}

function messageRows(): MessageRow[] {
  return world.query<MessageRow>('SELECT recipient, state, permanent, provider_id, error FROM messages ORDER BY id');
}

describe('dunning send --channel mailjet', () => {
  it('sends our rendering, records each message once, and honours Retry-After', async () => {
    await setUp(MORNING);
    mj.fail({ status: 429, headers: { 'Retry-After': '1' }, body: { ErrorMessage: 'Too many requests' } }, { times: 1, match: (r) => r.path === '/v3.1/send' });
    const result = await world.run(['send'], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 messages planned: 3 sent, 0 failed.');
    expect(sendRequests()).toHaveLength(2);
    expect(mj.deliveries.map((d) => d.to).sort()).toEqual(['Anna.Mueller@example.de', 'ben.schaefer@example.de', 'clara.weiss@example.de']);
    const anna = mj.deliveries.find((d) => d.to === 'Anna.Mueller@example.de')?.message;
    expect(anna?.Subject).toMatch(/68,90\s€/);
    expect(String(anna?.HTMLPart)).toContain('https://pay.yoga-sonne.de/payment/tk_0000000000004711/manage');
    const rows = world.query<{ state: string; provider_id: string; channel: string }>('SELECT state, provider_id, channel FROM messages');
    expect(rows.map((r) => [r.state, r.channel])).toEqual([['sent', 'mailjet'], ['sent', 'mailjet'], ['sent', 'mailjet']]);
    expect(rows.every((r) => /^\d{17}$/.test(r.provider_id))).toBe(true);
    const again = await world.run(['send'], env());
    expect(again.stdout).toContain('0 messages planned');
    expect(mj.deliveries).toHaveLength(3);
  });

  it('sends 120 customers as 50, 50 and 20, stores each MessageID, and records a refused address on its own', async () => {
    // A typo in the export: a one-letter top-level domain, which Mailjet refuses (mj-0013).
    const rows = customers(120).map((r) => (r.email === 'kunde007@example.de' ? { ...r, email: 'kunde007@example.d' } : r));
    await setUp(rows);
    const result = await world.run(['send'], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('120 messages planned: 119 sent, 1 failed.');
    expect(result.stderr).toContain('refused: kunde007@example.d (reminder, order 5007): mj-0013');
    expect(sendRequests().map((r) => recipients(r).length)).toEqual([50, 50, 20]);
    const stored = messageRows();
    expect(stored).toHaveLength(120);
    // Each sent message holds the MessageID Mailjet gave exactly that recipient.
    for (const delivery of mj.deliveries) expect(stored.find((m) => m.recipient === delivery.to)).toMatchObject({ state: 'sent', provider_id: delivery.messageId });
    expect(mj.deliveries).toHaveLength(119);
    expect(stored.filter((m) => m.state !== 'sent')).toEqual([{ recipient: 'kunde007@example.d', state: 'failed', permanent: 1, provider_id: null, error: expect.stringContaining('mj-0013') as unknown }]);

    const again = await world.run(['send'], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 last message refused by the server');
    expect(sendRequests()).toHaveLength(3);
  });

  it('retries only the batch that failed: within the run, then in the next run, never what went out', async () => {
    await setUp(customers(120), { limits: { maxErrors: 1000 } });
    // Whichever batch holds kunde060 gets 503 on its first try and on each of its three retries.
    const inBatch = (r: RecordedRequest): boolean => r.path === '/v3.1/send' && recipients(r).includes('kunde060@example.de');
    mj.fail({ status: 503, body: { ErrorIdentifier: 'e1', ErrorMessage: 'Service Unavailable', StatusCode: 503 } }, { times: 4, match: inBatch });
    const first = await world.run(['send'], env());
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('120 messages planned: 70 sent, 50 failed.');
    const failedBatch = recipients(sendRequests().find(inBatch));
    expect(sendRequests().filter(inBatch).map((r) => recipients(r))).toEqual(Array(4).fill(failedBatch));
    expect(sendRequests()).toHaveLength(6);
    expect(messageRows().filter((m) => m.state === 'failed').map((m) => [m.recipient, m.permanent]).sort()).toEqual(failedBatch.map((e) => [e, 0]).sort());

    const next = await world.run(['send'], env());
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('50 messages planned: 50 sent, 0 failed.');
    expect(sendRequests()).toHaveLength(7);
    expect(recipients(sendRequests()[6]).sort()).toEqual([...failedBatch].sort());
    // Every customer got exactly one reminder.
    expect(new Set(mj.deliveries.map((d) => d.to)).size).toBe(120);
    expect(mj.deliveries).toHaveLength(120);
  });

  it('records messages whose answer was lost after the request went out as unknown and never sends them again by itself', async () => {
    await setUp(MORNING);
    mj.fail('lose-answer', { match: (r) => r.path === '/v3.1/send' });
    const result = await world.run(['send'], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('3 messages planned: 0 sent, 0 failed, 3 unknown.');
    expect(result.stderr).toMatch(/unknown: clara\.weiss@example\.de \(reminder, order 4713\): no answer from Mailjet \(ECONNRESET\) after the request was sent/);
    expect(result.stderr).toContain('3 messages in state unknown');
    // Mailjet did deliver them: a retry would have reminded each customer twice.
    expect(mj.deliveries).toHaveLength(3);
    expect(sendRequests()).toHaveLength(1);
    expect(messageRows().map((m) => m.state)).toEqual(['unknown', 'unknown', 'unknown']);

    const again = await world.run(['send'], env());
    expect(again.stdout).toContain('waiting on a message in state unknown');
    expect(sendRequests()).toHaveLength(1);
  });

  it('after a run killed while Mailjet held its answer: the messages become unknown, are reported, and are not sent again', async () => {
    await setUp(MORNING);
    mj.fail('hold', { match: (r) => r.path === '/v3.1/send' });
    const killed = world.start(['send'], env());
    await waitUntil(() => mj.heldCount === 1, 'the send request to be held');
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(messageRows().map((m) => m.state)).toEqual(['sending', 'sending', 'sending']);

    const rerun = await world.run(['send'], env());
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain('3 messages were left "sending" by a run that died');
    expect(rerun.stderr).toContain('3 messages in state unknown');
    expect(rerun.stdout).toContain('0 messages planned');
    expect(sendRequests()).toHaveLength(1);
    expect(messageRows().map((m) => m.state)).toEqual(['unknown', 'unknown', 'unknown']);
    const status = await world.run(['status']);
    expect(status.stdout).toContain('3 messages in state unknown');
  });

  it('sends no request at all in a dry run', async () => {
    await setUp(MORNING);
    const dry = await world.run(['send', '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: 3 messages would be sent');
    expect(mj.requests).toHaveLength(0);
    expect(messageRows()).toEqual([]);
  });

  it('stops on a refused key with the hint, marks nothing sent, and sends once the key is right', async () => {
    await setUp(MORNING);
    const refused = await world.run(['send'], { ...env(), MJ_APIKEY_PRIVATE: 'wrong-secret' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The run stopped: Mailjet refused the API key');
    expect(refused.stderr).toMatch(/hint: check MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE/);
    expect(refused.stdout + refused.stderr).not.toContain('wrong-secret');
    expect(messageRows().filter((m) => m.state === 'sent')).toEqual([]);
    expect(mj.deliveries).toHaveLength(0);
    const fixed = await world.run(['send'], env());
    expect(fixed.code).toBe(0);
    expect(mj.deliveries).toHaveLength(3);
  });

  it('stops when the sender is not validated, says what to fix, and marks nothing sent', async () => {
    await setUp(MORNING, { sender: { name: 'Yoga Sonne', email: 'rechnung@yoga-sonne.de', company: 'Yoga Sonne GmbH' } });
    const result = await world.run(['send'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The run stopped: Mailjet does not accept rechnung@yoga-sonne.de as a sender (send-0008');
    expect(result.stderr).toContain('hint: validate this address or its domain in Mailjet');
    expect(sendRequests()).toHaveLength(1);
    expect(mj.deliveries).toHaveLength(0);
    expect(messageRows().map((m) => [m.state, m.permanent])).toEqual([['failed', 0], ['failed', 0], ['failed', 0]]);
  });
});

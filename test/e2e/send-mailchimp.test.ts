import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isObject, type RecordedRequest } from '../support/http-emulator.js';
import { MailchimpEmulator, md5Lower } from '../support/mailchimp-emulator.js';
import { createWorld, waitUntil, type Workspace } from '../support/workspace.js';
import { MORNING, type OrderRow } from '../support/exports.js';

// `dunning send --channel mailchimp` end to end: members pushed with merge fields and the stage tag
// to the documented Marketing API 3.0 on 127.0.0.1, across runs.

const KEY = '0123456789abcdef0123456789abcdef-us21';
const LIST = 'aud4711';
// Scenarios of many CLI runs: on a busy machine each run takes a second or more.
const LONG = 90_000;
let mc: MailchimpEmulator;
let world: Workspace;

beforeEach(async () => {
  mc = new MailchimpEmulator({ apiKey: KEY, listIds: [LIST] });
  await mc.start();
});

afterEach(async () => {
  await mc.stop();
  world.cleanup();
  expect(mc.violations).toEqual([]);
});

const env = (): Record<string, string> => ({ MAILCHIMP_API_KEY: KEY, DUNNING_MAILCHIMP_BASE_URL: mc.baseUrl });

/** A merchant's folder with the export imported and the merge fields set up; the emulator's record starts empty. */
async function setUp(rows: readonly OrderRow[]): Promise<void> {
  world = createWorld({ channel: 'mailchimp', mailchimp: { listId: LIST } });
  expect((await world.run(['import', world.writeExport(rows)])).code).toBe(0);
  expect((await world.run(['mailchimp', 'setup'], env())).code).toBe(0);
  mc.requests.length = 0;
}

function customers(count: number): OrderRow[] {
  return Array.from({ length: count }, (_, i) => ({ email: `kunde${String(i + 1).padStart(3, '0')}@example.de`, order: String(5001 + i), open: '49,00', due: '20.11.2026' }));
}

function batchRequests(): RecordedRequest[] {
  return mc.requests.filter((r) => r.method === 'POST' && r.path === `/3.0/lists/${LIST}`);
}

function batchMembers(request: RecordedRequest | undefined): { email_address: string; status: string }[] {
  const members: unknown = isObject(request?.body) ? request.body.members : undefined;
  return Array.isArray(members) ? members.filter(isObject).map((m) => ({ email_address: String(m.email_address), status: String(m.status) })) : [];
}

function tagRequestsFor(email: string): RecordedRequest[] {
  return mc.requests.filter((r) => r.method === 'POST' && r.path === `/3.0/lists/${LIST}/members/${md5Lower(email)}/tags`);
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

describe('dunning send --channel mailchimp', () => {
  it('pushes 501 customers as batches of 500 and 1: new members transactional and tagged, a subscriber kept, an unsubscribed member recorded and not forced', async () => {
    const rows = customers(499);
    rows.push({ email: 'ben.schaefer@example.de', order: '4712', open: '1.234,56', due: '20.11.2026' }, { email: 'clara.weiss@example.de', order: '4713', open: '299,00', due: '16.11.2026' });
    await setUp(rows);
    mc.addMember(LIST, 'ben.schaefer@example.de', 'subscribed', ['vip']);
    mc.addMember(LIST, 'clara.weiss@example.de', 'unsubscribed');
    const result = await world.run(['send'], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('501 messages planned: 500 sent, 1 failed.');
    expect(result.stderr).toContain('refused: clara.weiss@example.de (reminder, order 4713): member is unsubscribed in Mailchimp');

    expect(batchRequests().map((r) => batchMembers(r).length)).toEqual([500, 1]);
    expect(batchRequests().every((r) => isObject(r.body) && r.body.update_existing === false)).toBe(true);
    expect(new Set(batchRequests().flatMap((r) => batchMembers(r).map((m) => m.status)))).toEqual(new Set(['transactional']));
    const kunde = mc.member(LIST, 'kunde042@example.de');
    expect(kunde).toMatchObject({ status: 'transactional', merge: { OPENAMT: '49,00\u00a0€', DSTAGE: 'reminder' } });
    expect([...(kunde?.tags ?? [])]).toEqual(['dunning-reminder']);
    const ben = mc.member(LIST, 'ben.schaefer@example.de');
    expect(ben?.status).toBe('subscribed');
    expect([...(ben?.tags ?? [])].sort()).toEqual(['dunning-reminder', 'vip']);
    expect(ben?.merge.OPENAMT).toBe('1.234,56\u00a0€');
    // The compliance state is kept, and no journey starts for someone who unsubscribed.
    expect(mc.member(LIST, 'clara.weiss@example.de')).toMatchObject({ status: 'unsubscribed' });
    expect([...(mc.member(LIST, 'clara.weiss@example.de')?.tags ?? [])]).toEqual([]);
    expect(tagRequestsFor('clara.weiss@example.de')).toEqual([]);

    const stored = messageRows();
    expect(stored.filter((m) => m.state === 'sent')).toHaveLength(500);
    expect(stored.find((m) => m.recipient === 'kunde042@example.de')?.provider_id).toBe(md5Lower('kunde042@example.de'));
    expect(stored.filter((m) => m.state !== 'sent')).toEqual([
      { recipient: 'clara.weiss@example.de', state: 'failed', permanent: 1, provider_id: null, error: expect.stringContaining('not tagged') as unknown },
    ]);

    const again = await world.run(['send'], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 messages planned');
    expect(batchRequests()).toHaveLength(2);
  }, LONG);

  it('retries only the members that failed for now: in the run, then in the next one; refused members never again', async () => {
    const rows: OrderRow[] = ['a', 'b', 'c', 'd', 'e'].map((x, i) => ({ email: `kunde-${x}@example.de`, order: String(6001 + i), open: '49,00', due: '20.11.2026' }));
    await setUp(rows);
    mc.forgotten.add('kunde-b@example.de');
    mc.fakeLooking.add('kunde-c@example.de');
    const tagOf = (email: string) => (r: RecordedRequest): boolean => r.path.endsWith(`/${md5Lower(email)}/tags`);
    mc.fail({ status: 503, body: { title: 'Service Unavailable', status: 503, detail: 'try later' } }, { times: 1, match: tagOf('kunde-d@example.de') });
    mc.fail({ status: 503, body: { title: 'Service Unavailable', status: 503, detail: 'try later' } }, { times: 4, match: tagOf('kunde-e@example.de') });
    const first = await world.run(['send'], env());
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('5 messages planned: 2 sent, 3 failed.');
    const pushed = (): string[][] => batchRequests().map((r) => batchMembers(r).map((m) => m.email_address));
    const all = rows.map((r) => r.email);
    expect(pushed()).toEqual([all, ['kunde-d@example.de', 'kunde-e@example.de'], ['kunde-e@example.de'], ['kunde-e@example.de']]);
    expect(messageRows().map((m) => [m.recipient, m.state, m.permanent])).toEqual([
      ['kunde-a@example.de', 'sent', 0],
      ['kunde-b@example.de', 'failed', 1],
      ['kunde-c@example.de', 'failed', 1],
      ['kunde-d@example.de', 'sent', 0],
      ['kunde-e@example.de', 'failed', 0],
    ]);
    expect([...(mc.member(LIST, 'kunde-d@example.de')?.tags ?? [])]).toEqual(['dunning-reminder']);

    const next = await world.run(['send'], env());
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('1 message planned: 1 sent, 0 failed.');
    expect(pushed().slice(4)).toEqual([['kunde-e@example.de']]);
    expect([...(mc.member(LIST, 'kunde-e@example.de')?.tags ?? [])]).toEqual(['dunning-reminder']);
    expect(tagRequestsFor('kunde-a@example.de')).toHaveLength(1);
  });

  it('after a run killed while Mailchimp held its answer: the members become unknown, are reported, and are not pushed again', async () => {
    await setUp(MORNING);
    mc.fail('hold', { match: (r) => r.method === 'POST' && r.path === `/3.0/lists/${LIST}` });
    const killed = world.start(['send'], env());
    await waitUntil(() => mc.heldCount === 1, 'the batch request to be held');
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    const seen = mc.requests.length;

    const rerun = await world.run(['send'], env());
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain('3 messages were left "sending" by a run that died');
    expect(rerun.stderr).toContain('3 messages in state unknown');
    expect(rerun.stdout).toContain('4 waiting on a message in state unknown');
    expect(mc.requests).toHaveLength(seen);
    expect(messageRows().map((m) => m.state)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('sends no request at all in a dry run', async () => {
    await setUp(MORNING);
    const dry = await world.run(['send', '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: 3 messages would be sent');
    expect(mc.requests).toHaveLength(0);
  });

  it('stops on a refused key with the hint and marks nothing sent', async () => {
    await setUp(MORNING);
    const wrong = 'ffffffffffffffffffffffffffffffff-us21';
    const result = await world.run(['send'], { ...env(), MAILCHIMP_API_KEY: wrong });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The run stopped: Mailchimp refused the API key');
    expect(result.stderr).toContain('hint: check MAILCHIMP_API_KEY');
    expect(result.stdout + result.stderr).not.toContain(wrong);
    expect(batchRequests()).toHaveLength(0);
    expect(messageRows().map((m) => m.state)).toEqual(['failed', 'failed', 'failed']);
  });
});

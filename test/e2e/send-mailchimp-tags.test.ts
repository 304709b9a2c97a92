import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isObject, type RecordedRequest } from '../support/http-emulator.js';
import { MailchimpEmulator, md5Lower } from '../support/mailchimp-emulator.js';
import { createWorld, type Workspace } from '../support/workspace.js';
import { MORNING } from '../support/exports.js';

// A paid case removes its customer's dunning tags on the next run (issue 5): across imports and
// sends on later days, against the documented Marketing API 3.0 on 127.0.0.1.

const KEY = '0123456789abcdef0123456789abcdef-us21';
const LIST = 'aud4711';
const DAY2 = '2026-11-24T09:00:00+01:00';
const DAY3 = '2026-11-25T09:00:00+01:00';
const DAY4 = '2026-11-26T09:00:00+01:00';
const STAGES = [
  { name: 'reminder', afterDays: 1, template: 'reminder' },
  { name: 'second', afterDays: 3, template: 'second', mailchimpTag: 'zweite-mahnung' },
  { name: 'final', afterDays: 7, template: 'final' },
];
// Scenarios of many CLI runs: on a busy machine each run takes a second or more.
const LONG = 90_000;
let mc: MailchimpEmulator;
let world: Workspace;

beforeEach(async () => {
  mc = new MailchimpEmulator({ apiKey: KEY, listIds: [LIST] });
  await mc.start();
  world = createWorld({ channel: 'mailchimp', mailchimp: { listId: LIST }, sequence: { stages: STAGES } });
  expect((await world.run(['import', '--snapshot', world.writeExport(MORNING)])).code).toBe(0);
  expect((await world.run(['mailchimp', 'setup'], env())).code).toBe(0);
  mc.addMember(LIST, 'ben.schaefer@example.de', 'subscribed', ['vip']);
});

afterEach(async () => {
  await mc.stop();
  world.cleanup();
  expect(mc.violations).toEqual([]);
});

function env(): Record<string, string> {
  return { MAILCHIMP_API_KEY: KEY, DUNNING_MAILCHIMP_BASE_URL: mc.baseUrl };
}

function tagsOf(email: string): string[] {
  return [...(mc.member(LIST, email)?.tags ?? [])].sort();
}

/** The tag requests that set tags inactive, by member address. */
function removalsOf(email: string): RecordedRequest[] {
  return mc.requests.filter((r) => r.path.endsWith(`/members/${md5Lower(email)}/tags`) && JSON.stringify(r.body).includes('"inactive"'));
}

/** Imports, on `day`, the morning export without the given orders (they were paid). */
async function importPaid(day: string, paidOrders: readonly string[], extra: string[] = []): Promise<void> {
  const file = world.writeExport(MORNING.filter((r) => !paidOrders.includes(r.order)), `export-${day.slice(0, 10)}.csv`);
  const result = await world.run(['--now', day, 'import', '--snapshot', ...extra, file]);
  expect(result.code).toBe(0);
}

interface RemovalRow {
  email: string;
  list_id: string;
  tags: string;
  state: string;
  permanent: number;
  error: string | null;
}

describe('dunning send: Mailchimp tags of paid customers', () => {
  it('removes the tags once per customer after the cases are paid, retries a failed removal next run, and leaves the rest alone', async () => {
    const first = await world.run(['send'], env());
    expect(first.code).toBe(0);
    expect(tagsOf('ben.schaefer@example.de')).toEqual(['dunning-reminder', 'vip']);
    expect(tagsOf('clara.weiss@example.de')).toEqual(['dunning-reminder']);

    // Ben and Clara paid: the next day's full export no longer lists their orders.
    await importPaid(DAY2, ['4712', '4713']);
    const rehearsal = await world.run(['--now', DAY2, 'send', '--to', 'me@yoga-sonne.de'], env());
    expect(rehearsal.stdout).not.toContain('Mailchimp:');
    const dry = await world.run(['--now', DAY2, 'send', '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Mailchimp: the dunning tags of 2 customers with nothing left to remind would be removed.');
    expect(removalsOf('ben.schaefer@example.de')).toHaveLength(0);
    expect(removalsOf('clara.weiss@example.de')).toHaveLength(0);

    mc.fail({ status: 503, body: { title: 'Service Unavailable', status: 503, detail: 'try later' } }, { times: 1, match: (r) => removalsOf('clara.weiss@example.de').includes(r) });
    const paid = await world.run(['--now', DAY2, '--json', 'send'], env());
    expect(paid.code).toBe(1);
    const report = JSON.parse(paid.stdout) as { tagRemoval: unknown };
    expect(report.tagRemoval).toEqual({
      due: 2, removed: 1, notInAudience: 0, failed: 1,
      customers: [
        { email: 'ben.schaefer@example.de', state: 'removed' },
        { email: 'clara.weiss@example.de', state: 'failed', permanent: false, error: expect.stringContaining('HTTP 503') as unknown },
      ],
    });
    // Every stage's tag goes; the merchant's own tag stays.
    expect(tagsOf('ben.schaefer@example.de')).toEqual(['vip']);
    expect(removalsOf('ben.schaefer@example.de')[0]?.body).toEqual({ tags: ['dunning-reminder', 'zweite-mahnung', 'dunning-final'].map((name) => ({ name, status: 'inactive' })) });
    expect(tagsOf('clara.weiss@example.de')).toEqual(['dunning-reminder']);
    expect(tagsOf('anna.mueller@example.de')).toEqual(['dunning-reminder']);
    const rows = world.query<RemovalRow>('SELECT email, list_id, tags, state, permanent, error FROM mailchimp_tag_removals ORDER BY id');
    expect(rows).toEqual([
      { email: 'ben.schaefer@example.de', list_id: LIST, tags: '["dunning-reminder","zweite-mahnung","dunning-final"]', state: 'removed', permanent: 0, error: null },
      { email: 'clara.weiss@example.de', list_id: LIST, tags: '["dunning-reminder","zweite-mahnung","dunning-final"]', state: 'failed', permanent: 0, error: expect.stringContaining('HTTP 503') as unknown },
    ]);
    const summary = world.query<{ summary: string }>("SELECT summary FROM runs WHERE command = 'send' ORDER BY id DESC LIMIT 1")[0]?.summary ?? '{}';
    expect(JSON.parse(summary)).toMatchObject({ tagsRemoved: 1, tagRemovalsFailed: 1 });

    const retried = await world.run(['--now', DAY2, 'send'], env());
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('Mailchimp: dunning tags removed from 1 customer with nothing left to remind.');
    expect(tagsOf('clara.weiss@example.de')).toEqual([]);
    expect(removalsOf('ben.schaefer@example.de')).toHaveLength(1);
    expect(removalsOf('clara.weiss@example.de')).toHaveLength(2);

    const quiet = await world.run(['--now', DAY2, 'send'], env());
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('Mailchimp:');
    expect(removalsOf('ben.schaefer@example.de')).toHaveLength(1);
    expect(removalsOf('clara.weiss@example.de')).toHaveLength(2);
  }, LONG);

  it('removes the tags of a customer the merchant stopped, and tags them again after --resume when a stage is due', async () => {
    expect((await world.run(['send'], env())).code).toBe(0);
    expect(tagsOf('clara.weiss@example.de')).toEqual(['dunning-reminder']);
    const stop = await world.run(['--now', DAY2, 'customer', 'clara.weiss@example.de', '--stop', '--reason', 'disputed'], env());
    expect(stop.code).toBe(0);
    await importPaid(DAY2, []);
    const next = await world.run(['--now', DAY2, 'send'], env());
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('Mailchimp: dunning tags removed from 1 customer with nothing left to remind.');
    expect(tagsOf('clara.weiss@example.de')).toEqual([]);
    expect(removalsOf('clara.weiss@example.de')).toHaveLength(1);
    // Anna still owes and was not stopped: her journey goes on.
    expect(tagsOf('anna.mueller@example.de')).toEqual(['dunning-reminder']);

    expect((await world.run(['--now', DAY3, 'customer', 'clara.weiss@example.de', '--resume'], env())).code).toBe(0);
    await importPaid(DAY3, []);
    expect((await world.run(['--now', DAY3, 'send'], env())).code).toBe(0);
    // Her next stage's tag starts that stage's journey; the first stage's tag stays removed.
    expect(tagsOf('clara.weiss@example.de')).toEqual(['zweite-mahnung']);
    expect(removalsOf('clara.weiss@example.de')).toHaveLength(1);
  }, LONG);

  it('adds the tag of each stage as the customer goes on, and removes them all once the last case is paid', async () => {
    expect((await world.run(['send'], env())).code).toBe(0);
    await importPaid(DAY3, []);
    const second = await world.run(['--now', DAY3, 'send'], env());
    expect(second.code).toBe(0);
    expect(tagsOf('anna.mueller@example.de')).toEqual(['dunning-reminder', 'zweite-mahnung']);
    expect(mc.member(LIST, 'anna.mueller@example.de')?.merge.DSTAGE).toBe('second');
    expect(removalsOf('anna.mueller@example.de')).toHaveLength(0);

    // Anna pays both orders; only Noah's stays open.
    await importPaid(DAY4, ['4711', '4720', '4712', '4713'], ['--force']);
    const paid = await world.run(['--now', DAY4, 'send'], env());
    expect(paid.code).toBe(0);
    expect(paid.stdout).toContain('Mailchimp: dunning tags removed from 3 customers with nothing left to remind.');
    for (const email of ['anna.mueller@example.de', 'clara.weiss@example.de']) expect(tagsOf(email)).toEqual([]);
    expect(tagsOf('ben.schaefer@example.de')).toEqual(['vip']);
    // Noah still owes, so his tag stays and his journey goes on.
    expect(tagsOf('noah.fischer@example.de')).toEqual(['dunning-reminder']);
    const removals = mc.requests.filter((r) => isObject(r.body) && JSON.stringify(r.body).includes('"inactive"'));
    expect(removals).toHaveLength(3);
  }, LONG);
});

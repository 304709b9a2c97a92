import { afterEach, describe, expect, it } from 'vitest';
import { MailchimpEmulator } from '../support/mailchimp-emulator.js';
import { MailjetEmulator } from '../support/mailjet-emulator.js';
import { MORNING, type OrderRow } from '../support/exports.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 23: `bounces sync --channel mailjet|mailchimp` reads what the provider learned of what we
// sent, against the local emulators of the documented APIs; `send` runs it first (bounces.syncBeforeSend).

const LATER = '2026-11-26T09:00:00+01:00';
const MJ_KEY = 'pub-key-1234';
const MJ_SECRET = 'very-secret-private-key';
const MC_KEY = '0123456789abcdef0123456789abcdef-us21';
const LIST = 'aud4711';

let world: Workspace;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  world.cleanup();
});

function suppressed(): { email_key: string; reason: string; detail: string }[] {
  return world.query('SELECT email_key, reason, detail FROM suppressions ORDER BY email_key');
}

async function later(env: Record<string, string>, rows: readonly OrderRow[] = MORNING): Promise<string[]> {
  expect((await world.run(['--now', LATER, 'import', world.writeExport(rows), '--force'])).code).toBe(0);
  const sent = await world.run(['--now', LATER, 'send'], env);
  expect(sent.stderr).toBe('');
  expect(sent.code).toBe(0);
  return world.query<{ email_key: string }>("SELECT email_key FROM messages WHERE created_at > '2026-11-25' ORDER BY email_key").map((m) => m.email_key);
}

describe('bounces sync --channel mailjet', () => {
  it('every documented state: hardbounced, a permanent bounce, blocked and spam stop; soft bounces and sent do not', async () => {
    const mj = new MailjetEmulator({ apiKey: MJ_KEY, apiSecret: MJ_SECRET, validatedSenders: ['billing@yoga-sonne.de'] });
    await mj.start();
    stop = async () => {
      await mj.stop();
      expect(mj.violations).toEqual([]);
    };
    const env = { MJ_APIKEY_PUBLIC: MJ_KEY, MJ_APIKEY_PRIVATE: MJ_SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl };
    const many: OrderRow[] = [...MORNING, { email: 'dora@example.de', order: '4731', open: '10,00', due: '20.11.2026' }, { email: 'emil@example.de', order: '4732', open: '10,00', due: '20.11.2026' }];
    world = createWorld({ channel: 'mailjet' });
    expect((await world.run(['import', world.writeExport(many)])).code).toBe(0);
    expect((await world.run(['send'], env)).code).toBe(0);
    expect(mj.deliveries).toHaveLength(5);
    mj.setState('clara.weiss@example.de', 'hardbounced', true);
    mj.setState('ben.schaefer@example.de', 'spam');
    mj.setState('dora@example.de', 'blocked');
    mj.setState('emil@example.de', 'softbounced');
    const sync = await world.run(['bounces', 'sync', '--channel', 'mailjet'], env);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('mailjet: 5 sent messages looked up: 2 bounced, 1 temporary failure, 1 spam complaint, 0 opted out, 0 known before.');
    expect(suppressed()).toEqual([
      { email_key: 'ben.schaefer@example.de', reason: 'complained', detail: 'marked as spam (Mailjet)' },
      { email_key: 'clara.weiss@example.de', reason: 'bounced', detail: 'hard bounce (Mailjet)' },
      { email_key: 'dora@example.de', reason: 'bounced', detail: 'blocked by Mailjet (the address bounced or complained before)' },
    ]);
    const again = await world.run(['--json', 'bounces', 'sync', '--channel', 'mailjet'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ asked: 5, permanent: 0, complaints: 0, already: 4, stopped: [] });
    // A "bounce" Mailjet gave up on (StatePermanent) is permanent too.
    mj.setState('anna.mueller@example.de', 'bounce', true);
    // send syncs first: Anna stops before the plan; Emil (a soft bounce) gets his next stage, Noah his first.
    const next = await later(env, many);
    expect(next).toEqual(['emil@example.de', 'noah.fischer@example.de']);
    expect(suppressed().map((s) => s.email_key)).toContain('anna.mueller@example.de');
  });

  it('bounces.syncBeforeSend false leaves it to "bounces sync"', async () => {
    const mj = new MailjetEmulator({ apiKey: MJ_KEY, apiSecret: MJ_SECRET, validatedSenders: ['billing@yoga-sonne.de'] });
    await mj.start();
    stop = () => mj.stop();
    const env = { MJ_APIKEY_PUBLIC: MJ_KEY, MJ_APIKEY_PRIVATE: MJ_SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl };
    world = createWorld({ channel: 'mailjet', bounces: { syncBeforeSend: false } });
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    expect((await world.run(['send'], env)).code).toBe(0);
    mj.setState('clara.weiss@example.de', 'hardbounced', true);
    await later(env);
    expect(mj.requests.some((r) => r.path.startsWith('/v3/REST/message/'))).toBe(false);
    expect(suppressed()).toEqual([]);
  });
});

describe('bounces sync --channel mailchimp', () => {
  it('reads back the members we pushed: cleaned is bounced, unsubscribed opted out; send syncs first', async () => {
    const mc = new MailchimpEmulator({ apiKey: MC_KEY, listIds: [LIST] });
    await mc.start();
    stop = async () => {
      await mc.stop();
      expect(mc.violations).toEqual([]);
    };
    const env = { MAILCHIMP_API_KEY: MC_KEY, DUNNING_MAILCHIMP_BASE_URL: mc.baseUrl };
    world = createWorld({ channel: 'mailchimp', mailchimp: { listId: LIST } });
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    expect((await world.run(['mailchimp', 'setup'], env)).code).toBe(0);
    expect((await world.run(['send'], env)).code).toBe(0);
    const clara = mc.member(LIST, 'clara.weiss@example.de');
    const ben = mc.member(LIST, 'ben.schaefer@example.de');
    if (clara === undefined || ben === undefined) throw new Error('the push made no members');
    clara.status = 'cleaned';
    ben.status = 'unsubscribed';
    const next = await later(env);
    expect(next).toEqual(['anna.mueller@example.de', 'noah.fischer@example.de']);
    expect(suppressed()).toEqual([
      { email_key: 'ben.schaefer@example.de', reason: 'unsubscribed', detail: 'unsubscribed from the Mailchimp audience' },
      { email_key: 'clara.weiss@example.de', reason: 'bounced', detail: 'cleaned by Mailchimp (the address bounced)' },
    ]);
    const status = await world.run(['--now', LATER, 'status']);
    expect(status.stdout).toContain('address bounced 2026-11-26: cleaned by Mailchimp (the address bounced); follow up by hand');
    const sync = await world.run(['bounces', 'sync', '--channel', 'mailchimp'], env);
    expect(sync.stdout).toContain('mailchimp: ');
    expect(sync.stdout).toContain('2 known before');
  });

  it('refuses a channel without delivery state (exit 2)', async () => {
    world = createWorld();
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    const result = await world.run(['bounces', 'sync', '--channel', 'smtp']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bounces sync: the smtp channel keeps no delivery state to read');
    expect(result.stderr).toContain('dunning bounces import FILE');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailjetEmulator } from '../support/mailjet-emulator.js';
import { createWorld, MORNING, type World } from '../support/world.js';

// `dunning send --channel mailjet` end to end: the engine, our rendering and the Mailjet channel
// against the documented Send API v3.1 on 127.0.0.1.

const KEY = 'pub-key-1234';
const SECRET = 'very-secret-private-key';
let mj: MailjetEmulator;
let world: World;

beforeEach(async () => {
  mj = new MailjetEmulator({ apiKey: KEY, apiSecret: SECRET, validatedSenders: ['billing@yoga-sonne.de'] });
  await mj.start();
  world = createWorld({ channel: 'mailjet' });
  expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
});

afterEach(async () => {
  await mj.stop();
  world.cleanup();
  expect(mj.violations).toEqual([]);
});

const env = (): Record<string, string> => ({ MJ_APIKEY_PUBLIC: KEY, MJ_APIKEY_PRIVATE: SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl });

describe('dunning send --channel mailjet', () => {
  it('sends our rendering, records each message once, and honours Retry-After', async () => {
    mj.fail({ status: 429, headers: { 'Retry-After': '1' }, body: { ErrorMessage: 'Too many requests' } }, { times: 1, match: (r) => r.path === '/v3.1/send' });
    const result = await world.run(['send'], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 messages planned: 3 sent, 0 failed.');
    expect(mj.requests.filter((r) => r.path === '/v3.1/send')).toHaveLength(2);
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
});

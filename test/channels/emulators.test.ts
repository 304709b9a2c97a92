import { afterEach, describe, expect, it } from 'vitest';
import { MailchimpEmulator } from '../support/mailchimp-emulator.js';
import { MailjetEmulator } from '../support/mailjet-emulator.js';

// The emulators are the only stand-in for the providers, so they must refuse what the documentation does not allow.

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function mailjet(): Promise<MailjetEmulator> {
  const mj = new MailjetEmulator({ apiKey: 'k', apiSecret: 's', validatedSenders: ['from@example.com'], templates: [1] });
  await mj.start();
  running.push(mj);
  return mj;
}

async function mailchimp(): Promise<MailchimpEmulator> {
  const mc = new MailchimpEmulator({ apiKey: 'key-us1', listIds: ['L1'] });
  await mc.start();
  running.push(mc);
  return mc;
}

function post(url: string, body: unknown, auth: string, method = 'POST'): Promise<Response> {
  return fetch(url, { method, headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

const message = (extra: Record<string, unknown> = {}) => ({ From: { Email: 'from@example.com' }, To: [{ Email: 'to@example.com' }], Subject: 'S', TextPart: 'T', ...extra });

describe('mailjet emulator', () => {
  it('refuses more than 50 messages with mj-0008 and records the violation', async () => {
    const mj = await mailjet();
    const response = await post(`${mj.baseUrl}/v3.1/send`, { Messages: Array.from({ length: 51 }, () => message()) }, 'k:s');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ErrorCode: 'mj-0008' });
    expect(mj.violations).toEqual([expect.stringContaining('51 messages')]);
    expect(mj.deliveries).toHaveLength(0);
  });

  it('records Variables without TemplateLanguage and undocumented properties as violations', async () => {
    const mj = await mailjet();
    const response = await post(`${mj.baseUrl}/v3.1/send`, { Messages: [message({ TemplateID: 1, Variables: { a: 'b' } }), message({ Colour: 'red' })] }, 'k:s');
    expect(mj.violations).toEqual([expect.stringContaining('Variables without TemplateLanguage'), expect.stringContaining('undocumented message property Colour')]);
    const body = (await response.json()) as { Messages: { Status: string; Errors?: { ErrorCode: string }[] }[] };
    expect(body.Messages[1]).toMatchObject({ Status: 'error', Errors: [{ ErrorCode: 'mj-0004' }] });
  });

  it('answers documented per-message errors and 401 for a wrong key', async () => {
    const mj = await mailjet();
    const response = await post(`${mj.baseUrl}/v3.1/send`, { Messages: [message({ TextPart: undefined, Subject: undefined }), message({ HTMLPart: '<p/>', TemplateID: 1, TemplateLanguage: true }), message({ Headers: { Subject: 'x' } })] }, 'k:s');
    const body = (await response.json()) as { Messages: { Errors: { ErrorCode: string }[] }[] };
    expect(body.Messages.map((m) => m.Errors[0]?.ErrorCode)).toEqual(['send-0003', 'send-0004', 'send-0011']);
    expect((await post(`${mj.baseUrl}/v3.1/send`, { Messages: [message()] }, 'k:wrong')).status).toBe(401);
    expect(mj.violations).toEqual([]);
  });
});

describe('mailchimp emulator', () => {
  it('refuses a batch member with status_if_new or tags: the batch schema has neither', async () => {
    const mc = await mailchimp();
    const response = await post(`${mc.baseUrl}/3.0/lists/L1`, { members: [{ email_address: 'a@example.com', status_if_new: 'transactional', tags: ['x'] }] }, 'u:key-us1');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ title: 'Invalid Resource', status: 400 });
    expect(mc.violations).toEqual([expect.stringMatching(/status_if_new: not a documented property.*tags: not a documented property/)]);
  });

  it('refuses an unknown status, more than 500 members, undocumented query parameters and wrong methods', async () => {
    const mc = await mailchimp();
    await post(`${mc.baseUrl}/3.0/lists/L1`, { members: [{ email_address: 'a@example.com', status: 'active' }] }, 'u:key-us1');
    await post(`${mc.baseUrl}/3.0/lists/L1`, { members: Array.from({ length: 501 }, (_, i) => ({ email_address: `m${i}@example.com`, status: 'transactional' })) }, 'u:key-us1');
    await post(`${mc.baseUrl}/3.0/lists/L1?update_existing=true`, { members: [] }, 'u:key-us1');
    const wrongMethod = await post(`${mc.baseUrl}/3.0/lists/L1/merge-fields`, {}, 'u:key-us1', 'PUT');
    expect(wrongMethod.status).toBe(405);
    expect(mc.violations).toEqual([
      expect.stringContaining('"active" is not one of'),
      expect.stringContaining('501 members'),
      expect.stringContaining('query parameter "update_existing" is not documented'),
      expect.stringContaining('method not allowed'),
    ]);
    expect(mc.audiences.get('L1')?.members.size).toBe(0);
  });

  it('answers 401 problem+json for a wrong key and 404 for an unknown audience', async () => {
    const mc = await mailchimp();
    const wrongKey = await fetch(`${mc.baseUrl}/3.0/ping`, { headers: { Authorization: `Basic ${Buffer.from('u:nope').toString('base64')}` } });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toMatchObject({ title: 'API Key Invalid' });
    const unknown = await fetch(`${mc.baseUrl}/3.0/lists/nope/merge-fields`, { headers: { Authorization: `Basic ${Buffer.from('u:key-us1').toString('base64')}` } });
    expect(unknown.status).toBe(404);
    expect(mc.violations).toEqual([]);
  });
});

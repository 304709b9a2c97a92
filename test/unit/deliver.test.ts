import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStopError, type Channel, type OutgoingMessage } from '../../src/app/ports.js';
import { SMTP } from '../../src/channels/smtp/index.js';
import { outgoing } from '../support/messages.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { DunningError } from '../../src/core/errors.js';
import { createPacer, deliverWithRetry, retryPolicyFrom } from '../../src/app/send/deliver.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const config = ConfigSchema.parse({ sender: { email: 'billing@yoga-sonne.de' } });
let sink: SmtpSink;
let channel: Channel | undefined;

beforeEach(async () => {
  sink = await startSmtpSink();
});

afterEach(async () => {
  await channel?.close();
  channel = undefined;
  await sink.close();
});

function smtp(url = sink.url): Channel {
  const made = SMTP.create({ config, env: { DUNNING_SMTP_URL: url }, baseDir: '.', runId: 1 });
  channel = made;
  return made;
}

function message(address: string): OutgoingMessage {
  return outgoing(1, {
    messageId: `<${address}@test>`, to: { name: 'Kunde', address }, from: { name: 'Shop', address: 'billing@yoga-sonne.de' },
    subject: 'Erinnerung', text: 'Text', html: '<p>Text</p>', headers: {},
  });
}

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

describe('deliverWithRetry over SMTP', () => {
  it('retries a temporary refusal with doubling waits until it goes through, and leaves the others alone', async () => {
    sink.faults.set('a@example.de', { kind: 'reply', code: 451, times: 2 });
    const waits: number[] = [];
    const outcomes = await deliverWithRetry(smtp(), [message('a@example.de'), message('b@example.de')], policy, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    expect(outcomes.map((o) => o.state)).toEqual(['sent', 'sent']);
    expect(waits).toEqual([100, 200]);
    expect(sink.attempts.get('a@example.de')).toBe(3);
    expect(sink.attempts.get('b@example.de')).toBe(1);
    expect(sink.received).toHaveLength(2);
  });

  it('gives up on a temporary failure after the last retry, as not permanent', async () => {
    sink.faults.set('a@example.de', { kind: 'reply', code: 452, message: 'mailbox full' });
    const outcomes = await deliverWithRetry(smtp(), [message('a@example.de')], policy, () => Promise.resolve());
    expect(outcomes).toEqual([{ state: 'failed', permanent: false, error: expect.stringContaining('452') as unknown }]);
    expect(sink.attempts.get('a@example.de')).toBe(4);
  });

  it('does not retry a permanent refusal, at RCPT or after the data', async () => {
    sink.faults.set('a@example.de', { kind: 'reply', code: 550, message: 'no such user' });
    sink.faults.set('b@example.de', { kind: 'reply', code: 554, message: 'looks like spam', at: 'data' });
    const outcomes = await deliverWithRetry(smtp(), [message('a@example.de'), message('b@example.de')], policy, () => Promise.resolve());
    expect(outcomes.map((o) => (o.state === 'failed' ? [o.permanent, o.error.slice(0, 3)] : o.state))).toEqual([[true, '550'], [true, '554']]);
    expect(sink.attempts.get('a@example.de')).toBe(1);
    expect(sink.attempts.get('b@example.de')).toBe(1);
  });

  it('stops the channel when the server refuses the login, without trying the login once per message', async () => {
    await sink.close();
    sink = await startSmtpSink({ auth: { user: 'shop', pass: 'right' } });
    const batch = Array.from({ length: 12 }, (_, i) => message(`c${i}@example.de`));
    await expect(deliverWithRetry(smtp(sink.url.replace('right', 'wrong')), batch, policy, () => Promise.resolve())).rejects.toBeInstanceOf(ChannelStopError);
    await channel?.close();
    // At most one attempt per connection (5) that was already under way; the queued messages fail at once.
    expect(sink.logins()).toBeGreaterThan(0);
    expect(sink.logins()).toBeLessThanOrEqual(5);
    expect(sink.received).toHaveLength(0);
  });

  it('sends only what send() is given: a prepared message whose claim failed is never sent, and a later send composes it anew', async () => {
    const channel = smtp();
    const [a, b] = [message('a@example.de'), { ...message('b@example.de'), subject: 'Zweite Erinnerung' }];
    channel.prepare?.(a);
    channel.prepare?.(b);
    expect((await channel.send([a])).map((o) => o.state)).toEqual(['sent']);
    expect(sink.received.map((r) => r.envelopeTo)).toEqual([['a@example.de']]);
    const changed = { ...b, subject: 'Geänderter Betreff' };
    expect((await channel.send([changed])).map((o) => o.state)).toEqual(['sent']);
    expect(sink.received.map((r) => r.parsed.subject)).toEqual(['Erinnerung', 'Geänderter Betreff']);
  });

  it('needs DUNNING_SMTP_URL, and refuses another scheme without echoing the password', () => {
    expect(() => SMTP.create({ config, env: {}, baseDir: '.', runId: 1 })).toThrow(DunningError);
    expect(() => SMTP.create({ config, env: { DUNNING_SMTP_URL: 'http://u:hunter2@host' }, baseDir: '.', runId: 1 })).toThrow(/smtp:\/\/ or smtps:\/\/.*"http:\/\/u:\*\*\*@host"/);
  });
});

describe('createPacer', () => {
  it('spaces sends to at most perSecond', async () => {
    let now = 0;
    const waits: number[] = [];
    const pace = createPacer(2, (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    }, () => now);
    await pace(1);
    await pace(1);
    await pace(2);
    now += 5000;
    await pace(1);
    expect(waits).toEqual([500, 500]);
  });

  it('does nothing without a limit', async () => {
    const pace = createPacer(undefined, () => Promise.reject(new Error('no wait expected')));
    await pace(100);
  });
});

describe('retryPolicyFrom', () => {
  it('takes the first delay from DUNNING_RETRY_DELAY_MS and ignores nonsense', () => {
    expect(retryPolicyFrom({ DUNNING_RETRY_DELAY_MS: '20' }).baseDelayMs).toBe(20);
    expect(retryPolicyFrom({ DUNNING_RETRY_DELAY_MS: 'soon' }).baseDelayMs).toBe(1000);
    expect(retryPolicyFrom({}).retries).toBe(3);
  });
});

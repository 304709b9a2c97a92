import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/channels/channel.js';
import { composeMime, envelopeOf } from '../../src/mail/mime.js';
import { messageIdFor } from '../../src/mail/message-id.js';

function outgoing(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    messageId: '<dunning.reminder.abc@yoga-sonne.de>',
    customerKey: 'eve@example.com',
    stage: 'reminder',
    stageNumber: 1,
    caseIds: [7],
    to: { name: 'Eve', address: 'eve@example.com' },
    from: { name: 'Yoga Sonne', address: 'billing@yoga-sonne.de' },
    subject: 'Zahlung 4711',
    text: 'Offen: 49,00 €\n',
    html: '<p>Offen: 49,00 €</p>',
    headers: { 'X-Dunning-Case': '7' },
    variables: {},
    orders: [],
    ...overrides,
  };
}

describe('composeMime', () => {
  it('keeps a name or subject carrying CR/LF from adding a recipient or a header (bad-inputs H1, H6, H7, H9)', async () => {
    const raw = await composeMime(
      outgoing({
        to: { name: 'Eve\r\nBcc: victim@evil.test', address: 'eve@example.com' },
        subject: 'Zahlung 4711\r\nBcc: victim@evil.test\u2028x\u0000',
        headers: { 'X-Dunning-Case': '7\r\nBcc: victim@evil.test' },
      }),
    );
    const mail = await simpleParser(raw);
    expect(raw.toString()).not.toMatch(/^Bcc:/m);
    const to = Array.isArray(mail.to) ? mail.to : [mail.to];
    expect(to.flatMap((a) => a?.value ?? []).map((v) => v.address)).toEqual(['eve@example.com']);
    expect(mail.subject).toBe('Zahlung 4711 Bcc: victim@evil.test x');
    expect(mail.headers.get('x-dunning-case')).toBe('7 Bcc: victim@evil.test');
  });

  it('builds UTF-8 text and HTML alternatives with our Message-ID, Reply-To and the Bcc only in the envelope', async () => {
    const message = outgoing({
      to: { name: 'Zoë D\'Arcy-Smith', address: 'zoe@example.com' },
      replyTo: { name: 'Hilfe', address: 'help@yoga-sonne.de' },
      bcc: { name: 'Buchhaltung', address: 'books@yoga-sonne.de' },
    });
    const raw = await composeMime(message);
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe('<dunning.reminder.abc@yoga-sonne.de>');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(mail.text).toBe('Offen: 49,00 €\n');
    expect(mail.html).toContain('<p>Offen: 49,00 €</p>');
    expect(mail.replyTo?.value[0]?.address).toBe('help@yoga-sonne.de');
    expect(Array.isArray(mail.to) ? null : mail.to?.value[0]?.name).toBe('Zoë D\'Arcy-Smith');
    expect(mail.headers.has('bcc')).toBe(false);
    expect(envelopeOf(message)).toEqual({ from: 'billing@yoga-sonne.de', to: ['zoe@example.com', 'books@yoga-sonne.de'] });
  });
});

describe('messageIdFor', () => {
  const identity = { emailKey: 'anna@example.de', stage: 'second', caseIds: [3, 1], attempt: 1 };

  it('is the same for the same customer, stage and cases, in any order, and on the sender\'s domain', () => {
    const id = messageIdFor(identity, 'billing@Yoga-Sonne.de');
    expect(id).toMatch(/^<dunning\.second\.[0-9a-f]{24}@yoga-sonne\.de>$/);
    expect(messageIdFor({ ...identity, caseIds: [1, 3] }, 'billing@yoga-sonne.de')).toBe(id);
  });

  it('differs for another attempt, stage, case set or customer', () => {
    const id = messageIdFor(identity, 'billing@yoga-sonne.de');
    const others = [{ attempt: 2 }, { stage: 'final' }, { caseIds: [1] }, { emailKey: 'ben@example.de' }].map((change) => messageIdFor({ ...identity, ...change }, 'billing@yoga-sonne.de'));
    expect(new Set([id, ...others]).size).toBe(5);
  });
});

import { simpleParser } from 'mailparser';
import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/channels/channel.js';
import { composeMime, composeOptions, envelopeOf, mailOptions } from '../../src/mail/mime.js';
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

/** Mulberry32: the same pseudo-random texts on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What quoted-printable, base64 and the line wrapping treat specially: spaces and tabs before a line
// break or at the end, CR and LF alone or paired, "=", dots, multi-byte characters, long words.
const PIECES = [' ', '  ', '\t', '\r\n', '\n', '\r', '=', '.', 'ä', '€', '😀', 'Привет', 'x'.repeat(90), 'https://pay.example/payment/tk_4711/manage', 'Offen: 49,00\u00a0€', 'a', 'Zahlung'];

function randomText(random: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(random() * PIECES.length)] ?? '';
  return text;
}

/** What nodemailer's own streaming build() makes of the same options, with the same boundary and date. */
async function viaBuild(options: MailComposerOptions): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

describe('composeOptions', () => {
  const fixed = (message: OutgoingMessage): MailComposerOptions => ({ ...mailOptions(message), baseBoundary: 'b0undary', date: new Date('2026-11-23T08:00:00Z') });

  it('writes exactly the bytes of nodemailer\'s build() for 7bit, quoted-printable and base64 parts and every header kind', async () => {
    const messages = [
      outgoing({ text: 'Plain ASCII.\n', html: '<p>Plain</p>' }),
      outgoing({ text: 'Grüße, 49,00 € offen\n'.repeat(20), html: `<p style="margin:0">${'Grüße '.repeat(300)}</p>` }),
      outgoing({ text: 'Здравствуйте! Оплата не поступила.\n'.repeat(10), html: '<p>中文内容，付款提醒。</p>'.repeat(50) }),
      outgoing({ text: `${'y'.repeat(200)}\n`, html: 'trailing space \t \r\nlone\rcr\nend ' }),
      outgoing({ text: 'only text\n', html: '' }),
      outgoing({
        to: { name: 'Müller, "Anna" <x>', address: 'anna@münchen.example' },
        replyTo: { name: 'Hilfe & Support', address: 'help@yoga-sonne.de' },
        bcc: { name: 'Buchhaltung', address: 'books@yoga-sonne.de' },
        subject: `Erinnerung 😀 ${'sehr lang '.repeat(20)}`,
        headers: { 'X-Dunning-Case': Array.from({ length: 60 }, (_, i) => String(i)).join(', '), 'X-Dunning-Stage': 'final' },
      }),
      // Larger than the 64 KiB slices nodemailer's quoted-printable stream encodes at a time.
      outgoing({ text: `${'Grüße am Zeilenende \n'.repeat(5000)}`, html: `<p>${'a = b. '.repeat(30000)}</p>` }),
    ];
    for (const message of messages) {
      const options = fixed(message);
      expect((await composeOptions(options)).toString('latin1')).toBe((await viaBuild(options)).toString('latin1'));
    }
  });

  it('agrees with build() on 300 seeded random texts', async () => {
    const random = seeded(4711);
    for (let i = 0; i < 300; i++) {
      const options = fixed(outgoing({ subject: randomText(random, 5), text: randomText(random, 1 + Math.floor(random() * 60)), html: randomText(random, Math.floor(random() * 60)) }));
      expect((await composeOptions(options)).toString('latin1')).toBe((await viaBuild(options)).toString('latin1'));
    }
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

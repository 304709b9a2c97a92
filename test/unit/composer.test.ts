import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/app/ports.js';
import { outgoing as testMessage } from '../support/messages.js';
import { composeHere, composeInWorker, type MimeComposer } from '../../src/channels/smtp/composer.js';
import { makeTempDir, type TempDir } from '../support/temp-dir.js';

// The worker runs the built module, as the CLI does (npm test builds first).
const BUILT_WORKER = new URL('../../dist/channels/smtp/compose-worker.js', import.meta.url);

function outgoing(i: number): OutgoingMessage {
  return testMessage(i, {
    messageId: `<dunning.reminder.${i}@yoga-sonne.de>`,
    to: { name: `Jürgen ${i}`, address: `kunde${i}@example.com` },
    from: { name: 'Yoga Sonne', address: 'billing@yoga-sonne.de' },
    subject: `Zahlung ${4711 + i} offen`,
    text: `Offen: ${i},00 €\n`.repeat(1 + (i % 7)),
    html: `<p>Offen: ${i},00 €</p>`.repeat(1 + (i % 5)),
    date: new Date('2026-11-23T08:00:00Z'),
    headers: { 'X-Dunning-Case': String(i) },
  });
}

/** The bytes with every multipart boundary replaced: each composition draws its own. */
function withoutBoundaries(raw: Buffer): string {
  return raw.toString('latin1').replace(/--_NmP-[0-9a-f]+-Part_\d+/g, 'BOUNDARY');
}

describe('composeInWorker', () => {
  let composer: MimeComposer | undefined;
  let temp: TempDir | undefined;
  afterEach(async () => {
    await composer?.close();
    temp?.remove();
    composer = undefined;
    temp = undefined;
  });

  it('composes in another thread the bytes this thread composes, in order', async () => {
    const worker = composeInWorker(BUILT_WORKER);
    composer = worker;
    expect(worker).not.toBe(composeHere);
    const messages = Array.from({ length: 40 }, (_, i) => outgoing(i));
    const there = await Promise.all(messages.map((m) => worker.compose(m)));
    for (const [i, message] of messages.entries()) {
      const raw = there[i];
      if (raw === undefined) throw new Error('no bytes');
      expect(withoutBoundaries(raw)).toBe(withoutBoundaries(await composeHere.compose(message)));
      expect((await simpleParser(raw)).messageId).toBe(message.messageId);
    }
  });

  it('gives every message its own boundary', async () => {
    composer = composeInWorker(BUILT_WORKER);
    const boundaries = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const raw = (await composer.compose(outgoing(i))).toString('latin1');
      boundaries.add(/boundary="([^"]+)"/.exec(raw)?.[1] ?? '');
    }
    expect([...boundaries].filter((b) => b !== '')).toHaveLength(5);
  });

  it('composes here when the worker file is missing (running from the sources)', () => {
    temp = makeTempDir('composer');
    expect(composeInWorker(new URL(`file://${temp.file('missing.js')}`))).toBe(composeHere);
  });

  it('fails the messages in flight when the worker dies, and composes the next ones here', async () => {
    temp = makeTempDir('composer');
    const broken = temp.write('broken-worker.mjs', "throw new Error('boom');\n");
    composer = composeInWorker(new URL(`file://${broken}`));
    await expect(composer.compose(outgoing(1))).rejects.toThrow(/boom/);
    const raw = await composer.compose(outgoing(2));
    expect((await simpleParser(raw)).subject).toBe('Zahlung 4713 offen');
  });
});

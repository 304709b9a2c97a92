import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyDkim, writeRsaKey } from '../support/dkim.js';
import { MORNING } from '../support/exports.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 23: List-Unsubscribe (both forms) and One-Click on messages with an offer, signed by DKIM;
// the objection notice of §7(3) UWG in the German templates when a message carries an offer.

const UNSUBSCRIBE = { url: 'https://yoga-sonne.de/unsubscribe?c={token}', mailto: 'unsubscribe@yoga-sonne.de' };
/** Reminder without an offer, then a final notice with a code, two days apart. */
const STAGES = [
  { name: 'reminder', after: '1d', template: 'reminder' },
  { name: 'final', after: '3d', template: 'final', promo: { code: 'SONNE10', percentOff: 10 } },
];

let world: Workspace;
afterEach(() => world.cleanup());

function outbox(): { raw: Buffer; name: string }[] {
  const root = join(world.dir, 'outbox');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((run) => readdirSync(join(root, run)).sort().map((name) => ({ name, raw: readFileSync(join(root, run, name)) })));
}

async function parsed(stage: string): Promise<{ raw: Buffer; mail: ParsedMail }[]> {
  return Promise.all(outbox().filter((f) => f.name.includes(`-${stage}-`)).map(async (f) => ({ raw: f.raw, mail: await simpleParser(f.raw) })));
}

describe('unsubscribe headers on offers', () => {
  it('puts both forms and One-Click on messages with a promo code, signed by DKIM, and none on plain reminders', async () => {
    world = createWorld({ sequence: { stages: STAGES }, unsubscribe: UNSUBSCRIBE, smtp: { dkim: { domainName: 'yoga-sonne.de', keySelector: 'dunning', privateKeyFile: 'dkim.key' } } });
    writeRsaKey(world.file('dkim.key'));
    const file = world.writeExport(MORNING);
    expect((await world.run(['import', file])).code).toBe(0);
    expect((await world.run(['send'])).code).toBe(0);
    // Three days later, with the day's export, the final notice with its code.
    const later = '2026-11-26T09:00:00+01:00';
    expect((await world.run(['--now', later, 'import', file, '--force'])).code).toBe(0);
    expect((await world.run(['--now', later, 'send'])).code).toBe(0);
    const finals = await parsed('final');
    const reminders = await parsed('reminder');
    expect(finals).toHaveLength(3);
    // Noah's first reminder falls due in between.
    expect(reminders).toHaveLength(4);
    const clara = finals.find((f) => f.raw.toString('utf8').includes('clara.weiss@example.de'));
    if (clara === undefined) throw new Error('no final notice to Clara');
    const raw = clara.raw.toString('utf8');
    expect(raw).toMatch(/List-Unsubscribe:\s+<https:\/\/yoga-sonne\.de\/unsubscribe\?c=tk_0000000000004713>,/);
    expect(raw).toMatch(/<mailto:unsubscribe@yoga-sonne\.de\?subject=unsubscribe>/);
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const check = JSON.parse((await world.run(['--json', 'dkim', 'check'])).stdout) as { name: string; value: string };
    const verified = verifyDkim(clara.raw, check);
    expect(verified.verified).toBe(true);
    expect(verified.signed).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
    // §7(3) UWG: the objection notice, in text and HTML.
    expect(clara.mail.headerLines.map((h) => h.key)).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
    expect(clara.mail.text).toContain('Sie können der Verwendung Ihrer E-Mail-Adresse für Angebote wie dieses jederzeit widersprechen, ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen');
    expect(clara.mail.html).toContain('jederzeit widersprechen');
    for (const reminder of reminders) {
      expect(reminder.mail.headerLines.map((h) => h.key)).not.toContain('list-unsubscribe');
      expect(reminder.mail.headerLines.map((h) => h.key)).not.toContain('list-unsubscribe-post');
      expect(reminder.mail.text).not.toContain('widersprechen');
    }
  });

  it('stages "all" puts the headers on every message; an http URL gets no One-Click header', async () => {
    world = createWorld({ unsubscribe: { url: 'http://yoga-sonne.de/abmelden?e={email}', stages: 'all' } });
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    expect((await world.run(['send'])).code).toBe(0);
    const reminders = await parsed('reminder');
    expect(reminders).toHaveLength(3);
    for (const { raw } of reminders) {
      expect(raw.toString('utf8')).toMatch(/List-Unsubscribe:\s+<http:\/\/yoga-sonne\.de\/abmelden\?e=[a-z.]+(%40|@)example\.de>/i);
      expect(raw.toString('utf8')).not.toContain('List-Unsubscribe-Post');
    }
  });

  it('refuses a bad unsubscribe setting with its key path (exit 2)', async () => {
    world = createWorld({ unsubscribe: { url: 'yoga-sonne.de/unsubscribe?c={tokn}', mailto: 'not an address', stages: 'some' } });
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(2);
    const result = await world.run(['send']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unsubscribe.url: must start with https:// (or http://) and a host name');
    expect(result.stderr).toContain('unsubscribe.mailto:');
    expect(result.stderr).toContain('unsubscribe.stages:');
    world.cleanup();
    world = createWorld({ unsubscribe: { stages: 'all' } });
    const empty = await world.run(['status']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('unsubscribe: give "url", "mailto" or both');
    expect(outbox()).toHaveLength(0);
  });
});

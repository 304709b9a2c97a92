import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { MORNING } from '../support/exports.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 23: `dunning suppress import FILE [--all]` stops offers (or everything) to the listed addresses.

const OFFER_ONLY = {
  sequence: { stages: [{ name: 'final', after: '1d', template: 'final', promo: { code: 'SONNE10', percentOff: 10 } }] },
  unsubscribe: { url: 'https://yoga-sonne.de/unsubscribe?c={token}' },
};

let world: Workspace;
afterEach(() => world.cleanup());

async function sent(): Promise<Map<string, ParsedMail>> {
  const root = join(world.dir, 'outbox');
  const mails = new Map<string, ParsedMail>();
  if (!existsSync(root)) return mails;
  for (const run of readdirSync(root)) {
    for (const file of readdirSync(join(root, run))) {
      const mail = await simpleParser(readFileSync(join(root, run, file)));
      const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
      mails.set((to?.value[0]?.address ?? '').toLowerCase(), mail);
    }
  }
  return mails;
}

describe('dunning suppress import', () => {
  it('reads a CSV with an e-mail column: those customers get the stage without a code or unsubscribe header, the others with', async () => {
    world = createWorld(OFFER_ONLY);
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    world.write('abmeldungen.csv', '\ufeffName;E-Mail;Datum\nClara Weiß;Clara.Weiss@example.de;20.11.2026\n');
    const result = await world.run(['suppress', 'import', 'abmeldungen.csv']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('abmeldungen.csv (column "E-Mail"): 1 address read, 1 new, 0 listed before: no more offers');
    // Importing the same list again changes nothing.
    const again = await world.run(['--json', 'suppress', 'import', 'abmeldungen.csv']);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 1, added: 0, already: 1, scope: 'offers' });

    expect((await world.run(['send'])).code).toBe(0);
    const mails = await sent();
    const clara = mails.get('clara.weiss@example.de');
    const ben = mails.get('ben.schaefer@example.de');
    expect(clara?.text).not.toContain('SONNE10');
    expect(clara?.headerLines.some((h) => h.key === 'list-unsubscribe')).toBe(false);
    expect(ben?.text).toContain('SONNE10');
    expect(ben?.headerLines.some((h) => h.key === 'list-unsubscribe')).toBe(true);
    expect(world.query<{ n: number }>("SELECT count(*) AS n FROM promo_codes WHERE email_key = 'clara.weiss@example.de'")[0]?.n).toBe(0);
    const customer = await world.run(['customer', 'clara.weiss@example.de']);
    expect(customer.stdout).toContain('unsubscribed 2026-11-23 (abmeldungen.csv): no more offers, reminders go without a code');
  });

  it('--all stops every message to the listed addresses (one per line); customer --resume lifts it', async () => {
    world = createWorld();
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    world.write('stop.txt', 'ben.schaefer@example.de\n\n');
    expect((await world.run(['suppress', 'import', 'stop.txt', '--all'])).code).toBe(0);
    const status = await world.run(['status']);
    expect(status.stdout).toContain('unsubscribed 2026-11-23');
    expect((await world.run(['send'])).code).toBe(0);
    const mails = await sent();
    expect([...mails.keys()].sort()).toEqual(['anna.mueller@example.de', 'clara.weiss@example.de']);
    expect((await world.run(['customer', 'ben.schaefer@example.de', '--resume'])).code).toBe(0);
    expect(world.query<{ n: number }>('SELECT count(*) AS n FROM suppressions')[0]?.n).toBe(0);
  });

  it('refuses a list with a bad line, naming file, line and column, and imports none of it (exit 2)', async () => {
    world = createWorld();
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    world.write('list.csv', 'email,name\nanna.mueller@example.de,Anna\n"Ben <ben@example.de>",Ben\nclara@,Clara\n');
    const result = await world.run(['suppress', 'import', 'list.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('list.csv: 2 lines without a usable address; nothing was imported');
    expect(result.stderr).toContain('list.csv:3: column "email": "Ben <ben@example.de>" has a display name or angle brackets');
    expect(result.stderr).toContain('list.csv:4: column "email": "clara@" is not an e-mail address');
    expect(world.query<{ n: number }>('SELECT count(*) AS n FROM suppressions')[0]?.n).toBe(0);

    world.write('other.csv', 'name;city\nAnna;Berlin\n');
    const noColumn = await world.run(['suppress', 'import', 'other.csv']);
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toContain('other.csv:1: no e-mail column among "name", "city"');
    const missing = await world.run(['suppress', 'import', 'nope.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.csv: no such file');
    world.write('empty.txt', '\n\n');
    const empty = await world.run(['suppress', 'import', 'empty.txt']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty.txt: holds no address');
  });
});

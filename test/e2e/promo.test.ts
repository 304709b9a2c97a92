import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { query } from '../support/db.js';
import { elopageCsv, row, type ExportRow } from '../support/exports.js';
import { lines, runCli, spawnCli, type CliResult } from '../support/run-cli.js';
import { makeTempDir, type TempDir } from '../support/temp-dir.js';

const MONDAY = '2026-11-23T09:00:00+01:00';

const dirs: TempDir[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/** A merchant whose only stage is a final notice with a promo code. */
function merchant(promo: Record<string, unknown>, codes?: string) {
  const dir = makeTempDir('promo');
  dirs.push(dir);
  dir.write('dunning.config.json', JSON.stringify({
    timeZone: 'Europe/Berlin',
    manageLink: 'https://pay.yoga-sonne.de/{token}',
    sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
    sequence: { stages: [{ name: 'final', afterDays: 1, template: 'final', promo: { percentOff: 10, validHours: 48, ...promo } }] },
  }));
  if (codes !== undefined) dir.write('codes.csv', codes);
  const at = (now: string) => (...args: string[]): Promise<CliResult> => runCli(['--now', now, ...args], { cwd: dir.path });
  const importRows = async (rows: readonly ExportRow[], now = MONDAY) => {
    const result = await at(now)('import', dir.write('export.csv', elopageCsv(rows)), '--force');
    expect(result.code).toBe(0);
  };
  const db = dir.file('dunning.db');
  const codesHeld = () => query(db, 'SELECT code, email_key, message_id IS NOT NULL AS sent, issued_at, expires_at FROM promo_codes WHERE email_key IS NOT NULL ORDER BY id');
  return { dir, at, importRows, db, codesHeld };
}

const CUSTOMERS = [row(1, { email: 'anna@example.de' }), row(2, { email: 'ben@example.de' }), row(3, { email: 'clara@example.de' })];

async function outboxMessages(dir: TempDir) {
  const root = dir.file('outbox');
  const files = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map(async (f) => simpleParser(readFileSync(join(root, f)))));
}

describe('promo codes from a pool', () => {
  it('gives each customer a unique code in the same transaction as the message, with its expiry', async () => {
    const m = merchant({ pool: 'codes.csv' }, 'code\nSONNE-A1\nSONNE-B2\nSONNE-C3\nSONNE-D4\n');
    await m.importRows(CUSTOMERS);
    const sent = await m.at(MONDAY)('send');
    expect(sent.code).toBe(0);
    const held = m.codesHeld();
    expect(held.map((h) => h.code).sort()).toEqual(['SONNE-A1', 'SONNE-B2', 'SONNE-C3']);
    expect(new Set(held.map((h) => h.email_key)).size).toBe(3);
    expect(held.every((h) => h.sent === 1 && h.issued_at === '2026-11-23T08:00:00.000Z' && h.expires_at === '2026-11-25T08:00:00.000Z')).toBe(true);
    const mails = await outboxMessages(m.dir);
    expect(mails).toHaveLength(3);
    for (const mail of mails) {
      const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
      const code = held.find((h) => h.email_key === to?.value[0]?.address)?.code;
      expect(mail.text).toContain(`mit dem Code ${String(code)}`);
      expect((mail.text ?? '').replace(/\u00a0/g, ' ')).toContain('Der Code gilt 48 Stunden lang, bis 25.11.2026, 09:00 Uhr');
    }
  });

  it('never hands a code out twice: a later customer gets the next unused one', async () => {
    const m = merchant({ pool: 'codes.csv' }, 'SONNE-A1\nSONNE-B2\nSONNE-C3\nSONNE-D4\n');
    await m.importRows(CUSTOMERS.slice(0, 2));
    expect((await m.at(MONDAY)('send')).code).toBe(0);
    await m.importRows([...CUSTOMERS.slice(0, 2), row(4, { email: 'dora@example.de', due: '22.11.2026' })], '2026-11-24T09:00:00+01:00');
    expect((await m.at('2026-11-24T09:00:00+01:00')('send')).code).toBe(0);
    expect(m.codesHeld().map((h) => [h.email_key, h.code])).toEqual([
      ['anna@example.de', 'SONNE-A1'], ['ben@example.de', 'SONNE-B2'], ['dora@example.de', 'SONNE-C3'],
    ]);
  });

  it('stops before sending anything when the pool would run out, saying how many codes are missing', async () => {
    const m = merchant({ pool: 'codes.csv' }, 'SONNE-A1\nSONNE-B2\n');
    await m.importRows(CUSTOMERS);
    const result = await m.at(MONDAY)('send');
    expect(result.code).toBe(2);
    expect(lines(result.stderr).slice(0, 2)).toEqual([
      'error: a promo code pool would run out during this run; nothing was sent',
      `  stage "final": ${m.dir.file('codes.csv')} has 2 unused codes, this run needs 3: add at least 1`,
    ]);
    expect(query(m.db, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }]);
    expect(m.codesHeld()).toEqual([]);
  });

  it('assigns nothing and loads nothing in a dry run', async () => {
    const m = merchant({ pool: 'codes.csv' }, 'SONNE-A1\nSONNE-B2\nSONNE-C3\n');
    await m.importRows(CUSTOMERS);
    const result = await m.at(MONDAY)('send', '--dry-run');
    expect(result.code).toBe(0);
    expect(query(m.db, 'SELECT count(*) AS n FROM promo_codes')).toEqual([{ n: 0 }]);
  });

  it('gives every code once when two runs start at once', async () => {
    const m = merchant({ pool: 'codes.csv' }, 'SONNE-A1\nSONNE-B2\nSONNE-C3\nSONNE-D4\nSONNE-E5\nSONNE-F6\n');
    await m.importRows(CUSTOMERS);
    const start = () => new Promise<CliResult>((resolve) => {
      const child = spawnCli(['--now', MONDAY, 'send'], { cwd: m.dir.path });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      child.stdin?.end();
      child.on('close', (code, signal) => resolve({ code, signal, stdout: '', stderr }));
    });
    const results = await Promise.all([start(), start()]);
    // Whether the runs overlap is up to the machine: the later one either meets the lock (3) or finds nothing due (0).
    expect(results.map((r) => r.code)).toContain(0);
    expect(results.every((r) => r.code === 0 || r.code === 3)).toBe(true);
    expect(query(m.db, "SELECT count(*) AS n FROM messages WHERE state = 'sent'")).toEqual([{ n: 3 }]);
    const held = m.codesHeld();
    expect(held).toHaveLength(3);
    expect(new Set(held.map((h) => h.code)).size).toBe(3);
  });
});

describe('promo export', () => {
  it('lists who holds a valid code, and the expired ones separately, at the exact expiry', async () => {
    const m = merchant({ code: 'DANKE10' });
    await m.importRows(CUSTOMERS.slice(0, 2));
    expect((await m.at(MONDAY)('send')).code).toBe(0);
    const before = await m.at('2026-11-25T08:59:59+01:00')('promo', 'export', '--active');
    expect(before.stdout.trim().split('\n')).toEqual([
      'email,code,stage,status,expires,expires_at,issued_at,paid',
      'anna@example.de,DANKE10,final,active,2026-11-25 09:00,2026-11-25T08:00:00.000Z,2026-11-23T08:00:00.000Z,no',
      'ben@example.de,DANKE10,final,active,2026-11-25 09:00,2026-11-25T08:00:00.000Z,2026-11-23T08:00:00.000Z,no',
    ]);
    const atExpiry = await m.at('2026-11-25T09:00:00+01:00')('promo', 'export', '--active');
    expect(atExpiry.stdout.trim().split('\n')).toHaveLength(1);
    const expired = await m.at('2026-11-25T09:00:00+01:00')('promo', 'export', '--expired', '--out', 'expired.csv');
    expect(expired.code).toBe(0);
    expect(readFileSync(m.dir.file('expired.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'anna@example.de,DANKE10,final,expired', 'ben@example.de,DANKE10,final,expired',
    ]);
  });

  it('neutralises a code a spreadsheet would run as a formula', async () => {
    const m = merchant({ pool: 'codes.csv' }, '=HYPERLINK("http://evil.test")\n');
    await m.importRows(CUSTOMERS.slice(0, 1));
    expect((await m.at(MONDAY)('send')).code).toBe(0);
    const result = await m.at(MONDAY)('promo', 'export');
    expect(result.stdout).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
  });

  it('counts a code as used in the report when its holder paid while it held', async () => {
    const m = merchant({ pool: 'codes.csv' }, 'SONNE-A1\nSONNE-B2\n');
    await m.importRows(CUSTOMERS.slice(0, 2));
    expect((await m.at(MONDAY)('send')).code).toBe(0);
    await m.importRows([CUSTOMERS[1]!], '2026-11-24T10:00:00+01:00');
    const report = await m.at('2026-11-24T10:00:00+01:00')('--json', 'report');
    const doc = JSON.parse(report.stdout) as { codes: { issued: number; used: number }; paidAfterReminder: number };
    expect(doc.codes).toEqual({ issued: 2, used: 1 });
    expect(doc.paidAfterReminder).toBe(1);
  });
});

import { readFileSync, statSync } from 'node:fs';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { query } from '../support/db.js';
import { elopageCsv, row } from '../support/exports.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { makeTempDir, type TempDir } from '../support/temp-dir.js';

// Issue 21: a promo code is issued only when it is shown. A stage that hands out a code whose template
// does not show it is refused before anything is claimed; a message that failed holds no code.

const MONDAY = '2026-11-23T09:00:00+01:00';
const dirs: TempDir[] = [];
const sinks: SmtpSink[] = [];
afterEach(async () => {
  dirs.splice(0).forEach((d) => d.remove());
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

function merchant(stage: Record<string, unknown>, config: Record<string, unknown> = {}, codes?: string) {
  const dir = makeTempDir('promo-shown');
  dirs.push(dir);
  dir.write('dunning.config.json', JSON.stringify({
    timeZone: 'Europe/Berlin',
    manageLink: 'https://pay.yoga-sonne.de/{token}',
    sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
    sequence: { stages: [{ name: 'final', afterDays: 1, template: 'final', promo: { code: 'DANKE10', percentOff: 10, validHours: 48 }, ...stage }] },
    ...config,
  }));
  if (codes !== undefined) dir.write('codes.csv', codes);
  const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> => runCli(['--now', MONDAY, ...args], { cwd: dir.path, env });
  const db = dir.file('dunning.db');
  return { dir, cli, db };
}

const CUSTOMERS = [row(1, { email: 'anna@example.de' }), row(2, { email: 'ben@example.de' })];

describe('a promo stage whose template does not show the code', () => {
  it('is a problem for templates check (exit 2), naming the stage, the template and the parts', async () => {
    const m = merchant({ template: 'reminder' });
    const result = await m.cli(['templates', 'check']);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('stage "final"');
    expect(result.stdout + result.stderr).toMatch(/the stage hands out a promo code but the text and HTML parts of "reminder" never show it/);
  });

  it('passes templates check with the shipped final template', async () => {
    const m = merchant({});
    const result = await m.cli(['templates', 'check']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('is refused by send and by send --dry-run (exit 2) with nothing claimed and no code recorded', async () => {
    const m = merchant({ template: 'reminder' });
    expect((await m.cli(['import', m.dir.write('export.csv', elopageCsv(CUSTOMERS))])).code).toBe(0);
    for (const args of [['send', '--dry-run'], ['send']]) {
      const result = await m.cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('error: a promo stage would send messages that do not show their code; nothing was sent');
      expect(result.stderr).toContain('reminder/de (stage "final")');
    }
    expect(query(m.db, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }]);
    expect(query(m.db, 'SELECT count(*) AS n FROM promo_codes')).toEqual([{ n: 0 }]);
    const exported = await m.cli(['promo', 'export']);
    expect(exported.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('is not refused through Mailchimp, whose PROMOCODE merge field always carries the code', async () => {
    const m = merchant({ template: 'reminder', channel: 'mailchimp' }, { mailchimp: { listId: 'abc123' } });
    const result = await m.cli(['templates', 'check']);
    expect(result.code).toBe(0);
  });
});

describe('a message that failed', () => {
  it('holds no code: promo export does not list its customer, and a pool code goes back to the pool', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const m = merchant({ promo: { pool: 'codes.csv', percentOff: 10, validHours: 48 } }, { channel: 'smtp' }, 'SONNE-A1\nSONNE-B2\nSONNE-C3\n');
    expect((await m.cli(['import', m.dir.write('export.csv', elopageCsv(CUSTOMERS))])).code).toBe(0);
    sink.faults.set('ben@example.de', { kind: 'reply', code: 550, message: 'No such user here' });
    const result = await m.cli(['send'], { DUNNING_SMTP_URL: sink.url, DUNNING_RETRY_DELAY_MS: '20' });
    expect(result.code).toBe(1);
    const exported = await m.cli(['promo', 'export']);
    expect(exported.stdout.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['anna@example.de,SONNE-A1']);
    expect(query(m.db, 'SELECT code, email_key AS holder FROM promo_codes ORDER BY code')).toEqual([
      { code: 'SONNE-A1', holder: 'anna@example.de' },
      { code: 'SONNE-B2', holder: null },
      { code: 'SONNE-C3', holder: null },
    ]);
    const report = JSON.parse((await m.cli(['--json', 'report'])).stdout) as { codes: { issued: number } };
    expect(report.codes.issued).toBe(1);
  });
});

describe('promo export --expired: the holders to take off the restricted coupon list', () => {
  async function threeHolders(): Promise<ReturnType<typeof merchant>> {
    const m = merchant({});
    const rows = [...CUSTOMERS, row(3, { email: 'clara@example.de' })];
    expect((await m.cli(['import', m.dir.write('export.csv', elopageCsv(rows))])).code).toBe(0);
    expect((await m.cli(['send'])).code).toBe(0);
    // Ben pays: the next export no longer lists his order.
    const later = (args: readonly string[]): Promise<CliResult> => runCli(['--now', '2026-11-26T10:00:00+01:00', ...args], { cwd: m.dir.path });
    expect((await later(['import', m.dir.write('export2.csv', elopageCsv([rows[0]!, rows[2]!]))])).code).toBe(0);
    return { ...m, cli: later };
  }

  it('lists expired holders who have not paid, with a paid column', async () => {
    const m = await threeHolders();
    const all = await m.cli(['promo', 'export']);
    expect(all.stdout.trim().split('\n').map((l) => `${l.split(',')[0]},${l.split(',').at(-1)}`)).toEqual(['email,paid', 'anna@example.de,no', 'ben@example.de,yes', 'clara@example.de,no']);
    const expired = await m.cli(['promo', 'export', '--expired', '--out', 'expired.csv']);
    expect(expired.code).toBe(0);
    expect(readFileSync(m.dir.file('expired.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['anna@example.de', 'clara@example.de']);
    expect(statSync(m.dir.file('expired.csv')).mode & 0o777).toBe(0o600);
  });

  it('with --since lists only the codes that expired since that day', async () => {
    const m = await threeHolders();
    const since = await m.cli(['promo', 'export', '--expired', '--since', '2026-11-25']);
    expect(since.stdout.trim().split('\n')).toHaveLength(3);
    const none = await m.cli(['promo', 'export', '--expired', '--since', '2026-11-26']);
    expect(none.stdout.trim().split('\n')).toHaveLength(1);
    const alone = await m.cli(['promo', 'export', '--since', '2026-11-25']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--since goes with --expired');
    const bad = await m.cli(['promo', 'export', '--expired', '--since', 'gestern']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since');
  });

  it('prints JSON with --json', async () => {
    const m = await threeHolders();
    for (const args of [['--json', 'promo', 'export', '--expired'], ['promo', 'export', '--expired', '--json']]) {
      const result = await m.cli(args);
      expect(result.code).toBe(0);
      const doc = JSON.parse(result.stdout) as { codes: { email: string; paid: boolean; status: string; code: string }[] };
      expect(doc.codes.map((c) => [c.email, c.code, c.status, c.paid])).toEqual([['anna@example.de', 'DANKE10', 'expired', false], ['clara@example.de', 'DANKE10', 'expired', false]]);
    }
  });
});

describe('send --email ADDR --stage NAME --now-due: the win-back voucher now', () => {
  const sequence = { stages: [{ name: 'reminder', afterDays: 1, template: 'reminder' }, { name: 'final', afterDays: 14, template: 'final', promo: { code: 'DANKE10', percentOff: 10, validHours: 48 } }] };

  async function twoCustomers(): Promise<ReturnType<typeof merchant>> {
    const m = merchant({}, { sequence });
    expect((await m.cli(['import', m.dir.write('export.csv', elopageCsv(CUSTOMERS))])).code).toBe(0);
    return m;
  }

  it('sends that stage to that customer once, with the code, and never again', async () => {
    const m = await twoCustomers();
    const first = await m.cli(['send', '--email', 'anna@example.de', '--stage', 'final', '--now-due']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('1 message planned: 1 sent, 0 failed.');
    expect(query(m.db, 'SELECT email_key, stage, state FROM messages')).toEqual([{ email_key: 'anna@example.de', stage: 'final', state: 'sent' }]);
    expect(query(m.db, 'SELECT email_key, code FROM promo_codes')).toEqual([{ email_key: 'anna@example.de', code: 'DANKE10' }]);
    const again = await m.cli(['send', '--email', 'anna@example.de', '--stage', 'final', '--now-due']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--now-due: anna@example.de gets no "final" now; nothing was sent');
    expect(again.stderr).toContain('final was sent already: a stage goes once');
    // Without --now-due, --stage narrows the plan as before: final is not due for anyone yet.
    const plain = await m.cli(['send', '--stage', 'final']);
    expect(plain.code).toBe(0);
    expect(query(m.db, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 1 }]);
  });

  it('never goes to a stopped customer', async () => {
    const m = await twoCustomers();
    expect((await m.cli(['customer', 'ben@example.de', '--stop'])).code).toBe(0);
    const result = await m.cli(['send', '--email', 'ben@example.de', '--stage', 'final', '--now-due']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/order 1002: stopped on/);
    expect(query(m.db, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }]);
  });

  it('needs --email and --stage (exit 2)', async () => {
    const m = await twoCustomers();
    for (const args of [['send', '--now-due'], ['send', '--stage', 'final', '--now-due'], ['send', '--email', 'anna@example.de', '--now-due']]) {
      const result = await m.cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--now-due needs --email and --stage');
    }
  });
});

describe('export --stage and --mark-sent with a file that mixes stages', () => {
  const sequence = { stages: [{ name: 'reminder', afterDays: 1, template: 'reminder' }, { name: 'second', afterDays: 3, template: 'second' }] };

  async function mixed(): Promise<ReturnType<typeof merchant>> {
    const m = merchant({}, { sequence });
    const rows = [row(1, { email: 'anna@example.de', due: '20.11.2026' }), row(2, { email: 'ben@example.de', due: '10.11.2026' })];
    const early = (args: readonly string[]): Promise<CliResult> => runCli(['--now', '2026-11-12T09:00:00+01:00', ...args], { cwd: m.dir.path });
    expect((await early(['import', m.dir.write('export.csv', elopageCsv(rows))])).code).toBe(0);
    expect((await early(['send'])).code).toBe(0);
    expect((await m.cli(['import', m.dir.write('export.csv', elopageCsv(rows)), '--force'])).code).toBe(0);
    return m;
  }

  it('lists only the customers due for --stage', async () => {
    const m = await mixed();
    const result = await m.cli(['--json', 'export', '--stage', 'second']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { customers: { email: string; stage: string }[] };
    expect(doc.customers.map((c) => [c.email, c.stage])).toEqual([['ben@example.de', 'second']]);
  });

  it('records each row\'s own stage with --mark-sent alone, and only STAGE\'s rows with --mark-sent STAGE', async () => {
    const m = await mixed();
    const one = await m.cli(['export', '--mark-sent', 'second', '--out', 'second.csv']);
    expect(one.code).toBe(0);
    expect(readFileSync(m.dir.file('second.csv'), 'utf8')).not.toContain('anna@example.de');
    const all = await m.cli(['export', '--mark-sent', '--out', 'rest.csv']);
    expect(all.code).toBe(0);
    expect(all.stderr).toContain('Recorded 1 customer as sent (each the stage of their row).');
    expect(query(m.db, "SELECT email_key, stage, state FROM messages WHERE channel = 'export' ORDER BY email_key")).toEqual([
      { email_key: 'anna@example.de', stage: 'reminder', state: 'sent' },
      { email_key: 'ben@example.de', stage: 'second', state: 'sent' },
    ]);
  });
});

describe('export --all: each customer\'s state and notes', () => {
  it('marks due, waiting, snoozed and stopped customers, leaves stopped ones out unless --include-stopped', async () => {
    const m = merchant({ template: 'final' }, { sequence: { stages: [{ name: 'reminder', afterDays: 1, template: 'reminder' }] } });
    const rows = [
      row(1, { email: 'anna@example.de' }), row(2, { email: 'ben@example.de' }), row(3, { email: 'clara@example.de' }), row(4, { email: 'dora@example.de', due: '23.11.2026' }),
    ];
    expect((await m.cli(['import', m.dir.write('export.csv', elopageCsv(rows))])).code).toBe(0);
    expect((await m.cli(['customer', 'anna@example.de', '--note', 'rief an, zahlt Freitag'])).code).toBe(0);
    expect((await m.cli(['customer', 'ben@example.de', '--snooze', '10d'])).code).toBe(0);
    expect((await m.cli(['customer', 'clara@example.de', '--stop', '--reason', 'Ratenzahlung vereinbart'])).code).toBe(0);
    const parse = (csv: string): Record<string, string>[] => Papa.parse<Record<string, string>>(csv.replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true }).data;
    const without = parse((await m.cli(['export', '--all'])).stdout);
    expect(without.map((r) => [r.email, r.status])).toEqual([
      ['anna@example.de', 'due'], ['ben@example.de', 'snoozed until 2026-12-03'], ['dora@example.de', 'waiting'],
    ]);
    expect(without[0]?.notes).toBe('2026-11-23: rief an, zahlt Freitag');
    const withStopped = parse((await m.cli(['export', '--all', '--include-stopped'])).stdout);
    expect(withStopped.find((r) => r.email === 'clara@example.de')?.status).toBe('stopped: Ratenzahlung vereinbart');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { query } from '../support/db.js';
import { elopageCsv, row, type ExportRow } from '../support/exports.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { makeTempDir } from '../support/temp-dir.js';

/** The merchant's cron: import at 08:00, send at 09:00, the digest at 09:05 (Berlin), the clock moved with --now. */
const dir = makeTempDir('digest');
afterAll(() => dir.remove());
dir.write('dunning.config.json', JSON.stringify({
  timeZone: 'Europe/Berlin',
  manageLink: 'https://pay.yoga-sonne.de/{token}',
  sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
  sequence: { stopAfter: '30d' },
}));

const A = row(1, { email: 'a@example.de', open: '100,00', due: '01.11.2026' });
const B = row(2, { email: 'b@example.de', open: '200,00', due: '01.11.2026' });
const OLD = row(3, { email: 'old@example.de', open: '80,00', due: '01.09.2026' });

function at(day: string, time: string, ...args: string[]): Promise<CliResult> {
  return runCli(['--now', `2026-11-${day}T${time}:00+01:00`, ...args], { cwd: dir.path });
}

async function importDay(day: string, rows: readonly ExportRow[]): Promise<void> {
  expect((await at(day, '08:00', 'import', dir.write(`export-${day}.csv`, elopageCsv(rows)))).code).toBe(0);
}

async function digestMail(runId: number): Promise<Awaited<ReturnType<typeof simpleParser>>> {
  const folder = join(dir.path, 'outbox', String(runId));
  const files = readdirSync(folder);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/-digest-chef@yoga-sonne\.de\.eml$/);
  return simpleParser(readFileSync(join(folder, files[0] ?? '')));
}

function lastRun(): { id: number; command: string; exit_code: number } {
  const [run] = query(dir.file('dunning.db'), 'SELECT id, command, exit_code FROM runs ORDER BY id DESC LIMIT 1') as { id: number; command: string; exit_code: number }[];
  if (run === undefined) throw new Error('no run');
  return run;
}

describe('dunning report --mail-to: the daily digest', () => {
  it('mails what happened since yesterday, with the full report attached, and exits 0 when nothing needs attention', async () => {
    await importDay('02', [A, B]);
    expect((await at('02', '09:00', 'send')).code).toBe(0);
    await importDay('03', [B]); // A paid after its reminder
    const result = await at('03', '09:05', 'report', '--mail-to', 'chef@yoga-sonne.de', '--since', 'yesterday');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Digest to chef@yoga-sonne.de: written to');
    const run = lastRun();
    expect([run.command, run.exit_code]).toEqual(['report', 0]);
    const mail = await digestMail(run.id);
    expect(mail.subject?.replace(/\s/g, ' ')).toBe('dunning: 100,00 € eingegangen seit 02.11.2026, 00:00 (Yoga Sonne GmbH)');
    const text = (mail.text ?? '').replace(/\u00a0/g, ' ');
    expect(text).toContain('Gesendet: 2\nFehlgeschlagen: 0\nUnbekannt: 0\nNach einer Erinnerung bezahlt: 1 · 100,00 €');
    expect(text).toContain('Nichts erfordert Ihre Aufmerksamkeit.');
    expect(text).toContain('- a@example.de: 100,00 € nach reminder (1 T.)');
    expect(mail.html).toContain('Nach einer Erinnerung bezahlt');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['report.html', 'text/html']]);
    expect(mail.attachments[0]?.content.toString('utf8')).toContain('Was die Erinnerungen eingebracht haben');
  });

  it('counts from the last digest, and exits 1 when a customer waits for a personal follow-up', async () => {
    await importDay('04', [B, OLD]); // OLD is 64 days overdue: past stopAfter, for the merchant to follow up
    const result = await at('04', '09:05', '--json', 'report', '--mail-to', 'chef@yoga-sonne.de');
    expect(result.code, result.stderr).toBe(1);
    const doc = JSON.parse(result.stdout) as { since: string; sent: number; payers: unknown[]; manualFollowUp: number; attention: { what: string }[] };
    // Since the start of the last digest's run (03.11. 09:05 Berlin): nothing sent, nobody paid.
    expect(doc.since).toBe('2026-11-03T08:05:00.000Z');
    expect([doc.sent, doc.payers.length, doc.manualFollowUp]).toEqual([0, 0, 1]);
    expect(doc.attention.map((a) => a.what)).toEqual(['manual_follow_up']);
    const run = lastRun();
    expect([run.command, run.exit_code]).toEqual(['report', 1]);
    const mail = await digestMail(run.id);
    expect(mail.subject).toBe('dunning: 1 Punkt erfordert Ihre Aufmerksamkeit (Yoga Sonne GmbH)');
    expect(mail.text).toContain('1 Kunde wartet auf eine persönliche Nachverfolgung');
  });

  it('refuses an address that is not one before anything runs (exit 2)', async () => {
    const result = await at('04', '09:10', 'report', '--mail-to', 'chef@');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--mail-to');
  });
});

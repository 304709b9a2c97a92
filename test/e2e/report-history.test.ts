import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { query } from '../support/db.js';
import { elopageCsv, row, type ExportRow } from '../support/exports.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { makeTempDir } from '../support/temp-dir.js';

/** A month of a merchant's mornings: imports at 08:00, sends at 09:00 (Berlin), the clock moved with --now. */
const dir = makeTempDir('history');
afterAll(() => dir.remove());
dir.write('dunning.config.json', JSON.stringify({
  timeZone: 'Europe/Berlin',
  manageLink: 'https://pay.yoga-sonne.de/{token}',
  sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
}));

const A = row(1, { email: 'a@example.de', open: '100,00', due: '01.11.2026' });
const B = row(2, { email: 'b@example.de', open: '200,00', due: '01.11.2026' });
const Bpart = { ...B, open: '150,00', paid: '50,00' };
const C = row(3, { email: 'c@example.de', open: '300,00', due: '01.11.2026' });
const D = row(4, { email: 'd@example.de', open: '400,00', due: '01.11.2026' });
const E = row(5, { email: 'e@example.de', open: '50,00', due: '07.11.2026' });
const F = row(6, { email: 'f@example.de', open: '60,00', due: '20.11.2026' });

async function at(day: string, time: string, ...args: string[]): Promise<CliResult> {
  const result = await runCli(['--now', `2026-11-${day}T${time}:00+01:00`, ...args], { cwd: dir.path });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

async function importDay(day: string, rows: readonly ExportRow[]): Promise<void> {
  await at(day, '08:00', 'import', dir.write(`export-${day}.csv`, elopageCsv(rows)));
}

interface Report {
  remindedCases: number;
  paidAfterReminder: number;
  recovered: { currency: string; minor: number }[];
  baseline: { paidWithoutReminder: number; paidWithout: { currency: string; minor: number }[] };
  medianDaysToPayment: number | null;
  byStage: { name: string; reminded: number; paidAfter: number; recovered: { minor: number }[]; share: Record<string, number> }[];
  funnel: { stage: string; cases: number; paid: number }[];
  stillOpen: { cases: number; open: { minor: number }[]; byAge: { label: string; cases: number }[] };
  timeline: { day: string; recovered: { minor: number }[] }[];
  codes: { issued: number; used: number };
  period: { from: string | null; to: string | null; timeZone: string };
  payers: { day: string; email: string; orders: string[]; amount: { currency: string; minor: number }[]; stage: string; daysAfterReminder: number }[];
}

describe('the report over a scripted history of imports and sends', () => {
  it('plays the month', async () => {
    await importDay('02', [A, B, C, D]);
    await at('02', '09:00', 'send');
    await importDay('03', [B, C, D]); // A paid after its reminder
    await importDay('04', [Bpart, C, D, F]); // B pays half; F is new and not due
    await at('04', '09:00', 'send');
    await importDay('05', [Bpart, D, F]); // C paid after the second reminder
    await importDay('06', [Bpart, D]); // F paid without any reminder: the baseline
    await importDay('08', [Bpart, D, E]);
    await at('08', '09:00', 'send');
    const sent = query(dir.file('dunning.db'), "SELECT m.stage, c.order_id FROM messages m JOIN message_cases mc ON mc.message_id = m.id JOIN cases c ON c.id = mc.case_id WHERE m.state = 'sent' ORDER BY m.id, c.order_id");
    expect(sent.map((s) => `${String(s.stage)}:${String(s.order_id)}`).sort()).toEqual([
      'final:1002', 'final:1004', 'reminder:1001', 'reminder:1002', 'reminder:1003', 'reminder:1004', 'reminder:1005',
      'second:1002', 'second:1003', 'second:1004',
    ]);
  });

  it('counts every figure of the whole month', async () => {
    const report = JSON.parse((await at('09', '09:00', '--json', 'report', '--html', 'report.html')).stdout) as Report;
    expect(report.remindedCases).toBe(5);
    expect(report.paidAfterReminder).toBe(2);
    expect(report.recovered).toEqual([{ currency: 'EUR', minor: 45000 }]);
    expect(report.baseline).toEqual({ paidWithoutReminder: 1, paidWithout: [{ currency: 'EUR', minor: 6000 }] });
    // A: 23 hours after its first reminder, C: 71 hours; the median is 47 hours.
    expect(report.medianDaysToPayment).toBe(2);
    expect(report.byStage.map((s) => [s.name, s.reminded, s.paidAfter, s.recovered[0]?.minor ?? 0, s.share.EUR])).toEqual([
      // B's half came in after the first reminder and before the second: the first gets it.
      ['reminder', 5, 1, 15000, 33.3],
      ['second', 3, 1, 30000, 66.7],
      ['final', 2, 0, 0, 0],
    ]);
    // The funnel is byStage's figures (issue 22): paid after the stage that was the last reminder.
    expect(report.funnel).toEqual([{ stage: 'reminder', cases: 5, paid: 1 }, { stage: 'second', cases: 3, paid: 1 }, { stage: 'final', cases: 2, paid: 0 }]);
    expect(report.stillOpen.cases).toBe(3);
    expect(report.stillOpen.open).toEqual([{ currency: 'EUR', minor: 60000 }]);
    expect(report.stillOpen.byAge.map((b) => [b.label, b.cases])).toEqual([['not yet due', 0], ['1–7 days', 1], ['8–30 days', 2], ['31–90 days', 0], ['over 90 days', 0]]);
    expect(report.timeline.map((t) => [t.day, t.recovered[0]?.minor])).toEqual([['2026-11-03', 10000], ['2026-11-04', 5000], ['2026-11-05', 30000]]);
    expect(report.codes).toEqual({ issued: 0, used: 0 });
    const html = readFileSync(dir.file('report.html'), 'utf8').replace(/\u00a0/g, ' ');
    expect(html).toContain('<b>450,00 €</b>');
    // Issue 22: the report's own words follow the config's locale (de by default).
    expect(html).toContain('<b>2 von 5 (40 %)</b>');
    expect(html).toContain('<h1>Was die Erinnerungen eingebracht haben</h1>');
    expect(html).toContain('<figcaption>Stufen: erinnerte Fälle und danach bezahlt</figcaption>');
    expect(html).toContain('<th>Stufe</th><th class="num">erinnert</th><th class="num">danach bezahlt</th>');
    expect(html).not.toMatch(/What the reminders|Recovered per day|By stage/);
    expect(report.payers.map((p) => [p.day, p.email, p.orders, p.amount, p.stage, p.daysAfterReminder])).toEqual([
      ['2026-11-05', 'c@example.de', ['1003'], [{ currency: 'EUR', minor: 30000 }], 'second', 1],
      ['2026-11-04', 'b@example.de', ['1002'], [{ currency: 'EUR', minor: 5000 }], 'reminder', 2],
      ['2026-11-03', 'a@example.de', ['1001'], [{ currency: 'EUR', minor: 10000 }], 'reminder', 1],
    ]);
  });

  it('limits the figures to --since', async () => {
    const report = JSON.parse((await at('09', '09:00', '--json', 'report', '--since', '2026-11-04')).stdout) as Report;
    expect(report.remindedCases).toBe(4);
    expect(report.paidAfterReminder).toBe(1);
    expect(report.recovered).toEqual([{ currency: 'EUR', minor: 35000 }]);
    expect(report.baseline.paidWithoutReminder).toBe(1);
    // The day given, not the UTC instant it starts at (Berlin: 2026-11-03T23:00Z).
    expect(report.period).toEqual({ from: '2026-11-04', to: null, timeZone: 'Europe/Berlin' });
    const text = await at('09', '09:00', 'report', '--since', '2026-11-04', '--until', '2026-11-05', '--csv', 'paid.csv');
    const out = text.stdout.replace(/\u00a0|\u202f/g, ' ');
    expect(out).toContain('Zahlungseingänge von 2026-11-04 bis 2026-11-05');
    expect(out).toMatch(/nach einer Erinnerung bezahlt +1 \(33,3 %\) +350,00 €/);
    expect(out).toMatch(/Stufe +erinnert +danach bezahlt +eingegangen +Anteil/);
    expect(out).toContain('Median der Zeit von der ersten Erinnerung bis zur Zahlung: 3 Tage');
    expect(out).not.toMatch(/Recovery|reminded|paid on/);
    expect(readFileSync(dir.file('paid.csv'), 'utf8').trim().split('\n')).toEqual([
      'paid_on,email,name,orders,amount,currency,stage,template,days_after_reminder,estimated',
      expect.stringMatching(/^2026-11-05,c@example\.de,[^,]*,1003,300\.00,EUR,second,second,1,no$/),
      expect.stringMatching(/^2026-11-04,b@example\.de,[^,]*,1002,50\.00,EUR,reminder,reminder,2,no$/),
    ]);
  });

  it('speaks French with a French config: the terminal report and the HTML, JSON keys unchanged', async () => {
    const config = JSON.parse(readFileSync(dir.file('dunning.config.json'), 'utf8')) as Record<string, unknown>;
    dir.write('fr.config.json', JSON.stringify({ ...config, locale: 'fr' }));
    const text = await at('09', '09:00', '--config', 'fr.config.json', 'report', '--html', 'rapport.html');
    const out = text.stdout.replace(/\u00a0|\u202f/g, ' ');
    expect(out).toContain("Recouvrement : début – aujourd'hui");
    expect(out).toMatch(/payés après une relance +2 \(40 %\)/);
    expect(out).toContain('Délai médian entre la première relance et le paiement : 2 jours');
    const html = readFileSync(dir.file('rapport.html'), 'utf8').replace(/\u00a0|\u202f/g, ' ');
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Ce que les relances ont permis de recouvrer</h1>');
    expect(html).toContain('<b>2 sur 5 (40 %)</b>');
    expect(html).toContain('<h2>Encore ouvert, par jours de retard</h2>');
    const json = JSON.parse((await at('09', '09:00', '--config', 'fr.config.json', '--json', 'report')).stdout) as Report;
    expect(json.stillOpen.byAge.map((b) => b.label)).toEqual(['not yet due', '1–7 days', '8–30 days', '31–90 days', 'over 90 days']);
  });
});

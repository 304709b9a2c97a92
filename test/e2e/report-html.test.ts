import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { computeReport } from '../../src/core/report.js';
import { renderReportHtml } from '../../src/output/report-html.js';
import { chromiumMissing, launchChromium } from '../support/chromium.js';

const missing = chromiumMissing();
if (missing) console.warn(`report-html.test.ts skipped: ${missing}`);

describe.skipIf(missing !== false)('the HTML report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the three charts and the tables, with no request to the network', async () => {
    const report = computeReport({
      cases: [
        { id: 1, emailKey: 'a@x.de', currency: 'EUR', status: 'paid', openMinor: 5000, dueDate: '2026-11-10', closedAt: '2026-11-14T08:00:00.000Z' },
        { id: 2, emailKey: 'b@x.de', currency: 'EUR', status: 'paid', openMinor: 20000, dueDate: '2026-11-10', closedAt: '2026-11-20T08:00:00.000Z' },
        { id: 3, emailKey: 'c@x.de', currency: 'EUR', status: 'open', openMinor: 7000, dueDate: '2026-11-01', closedAt: null },
        { id: 4, emailKey: 'd@x.de', currency: 'EUR', status: 'open', openMinor: 9000, dueDate: '2026-12-01', closedAt: null },
      ],
      reminders: [
        { caseId: 1, stage: 'reminder', template: 'reminder', sentAt: '2026-11-12T08:00:00.000Z' },
        { caseId: 2, stage: 'reminder', template: 'reminder', sentAt: '2026-11-12T08:00:00.000Z' },
        { caseId: 2, stage: 'second', template: 'second', sentAt: '2026-11-16T08:00:00.000Z' },
        { caseId: 3, stage: 'reminder', template: 'reminder', sentAt: '2026-11-12T08:00:00.000Z' },
      ],
      payments: [
        { caseId: 1, amountMinor: 5000, at: '2026-11-14T08:00:00.000Z' },
        { caseId: 2, amountMinor: 20000, at: '2026-11-20T08:00:00.000Z' },
      ],
      codes: [],
      since: null,
      until: null,
      now: new Date('2026-11-23T08:00:00Z'),
      timeZone: 'Europe/Berlin',
      stages: ['reminder', 'second', 'final'],
    });
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(report, 'de-DE', '2026-11-23T08:00:00Z'));

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const requests: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      await page.goto(pathToFileURL(file).href);
      const charts = await page.$$eval('figure', (figures) =>
        figures.map((figure) => ({
          title: figure.querySelector('figcaption')?.textContent ?? '',
          bars: [...figure.querySelectorAll('rect.bar')].map((rect) => {
            const box = (rect as SVGGraphicsElement).getBoundingClientRect();
            return Math.round(box.width * box.height);
          }),
        })),
      );
      expect(charts.map((c) => c.title)).toEqual([
        'Zahlungseingänge pro Tag (EUR)',
        'Stufen: erinnerte Fälle und danach bezahlt',
        'Vorlagen: erinnerte Fälle und danach bezahlt',
        'Offener Betrag nach Tagen im Verzug (EUR)',
      ]);
      // Two days with money, the two stages and templates that were reminded, and the two age buckets that hold money: drawn with an area.
      expect(charts[0]?.bars.filter((size) => size > 0)).toHaveLength(2);
      expect(charts[1]?.bars.filter((size) => size > 0)).toHaveLength(2);
      expect(charts[2]?.bars.filter((size) => size > 0)).toHaveLength(2);
      expect(charts[3]?.bars.filter((size) => size > 0)).toHaveLength(2);
      const fitsPhone = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(fitsPhone).toBe(true);
      const days = await page.$$eval('tr[data-day]', (rows) => rows.map((tr) => `${tr.getAttribute('data-day') ?? ''}|${tr.querySelector('td.num')?.textContent ?? ''}`));
      expect(days.join(' ').replace(/\s/g, ' ')).toContain('2026-11-20|200,00 €');
      const cards = await page.$$eval('.card b', (values) => values.map((b) => b.textContent ?? ''));
      expect(cards[0]?.replace(/\s/g, ' ')).toBe('250,00 €');
      expect(cards[1]?.replace(/\s/g, ' ')).toBe('2 von 3 (66,7 %)');
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shows in the chart the figures of the table, for every stage and template, and fits 375 and 1024 px', async () => {
    const report = computeReport({
      cases: [1, 2, 3, 4, 5, 6].map((id) => ({
        id,
        emailKey: `c${id}@x.de`,
        email: `c${id}@x.de`,
        orderId: `10${id}`,
        name: 'Zoë Wąsowska-Übermüller de la Fontaine',
        currency: id === 6 ? 'CHF' : 'EUR',
        status: id <= 4 ? ('paid' as const) : ('open' as const),
        openMinor: 123456,
        dueDate: '2026-11-01',
        closedAt: id <= 4 ? `2026-11-1${id + 4}T08:00:00.000Z` : null,
      })),
      reminders: [1, 2, 3, 4, 5, 6].flatMap((id) => [
        { caseId: id, stage: 'reminder', template: 'reminder', sentAt: '2026-11-12T08:00:00.000Z' },
        ...(id % 2 === 0 ? [{ caseId: id, stage: 'second', template: 'second-with-a-very-long-template-name', sentAt: '2026-11-14T08:00:00.000Z' }] : []),
      ]),
      payments: [1, 2, 3, 4].map((id) => ({ caseId: id, amountMinor: 123456, at: `2026-11-1${id + 4}T08:00:00.000Z`, kind: 'in_full' as const })),
      codes: [{ emailKey: 'c4@x.de', stage: 'second', issuedAt: '2026-11-14T08:00:00.000Z', expiresAt: '2026-11-30T08:00:00.000Z', discount: { percentOff: 20 } }],
      since: null,
      until: null,
      now: new Date('2026-11-23T08:00:00Z'),
      timeZone: 'Europe/Berlin',
      stages: ['reminder', 'second', 'final'],
    });
    const file = join(dir, 'agree.html');
    writeFileSync(file, renderReportHtml(report, 'de', '2025-03-24T07:15:00.000Z'));
    const browser = await launchChromium();
    try {
      for (const width of [375, 1024]) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        await page.goto(pathToFileURL(file).href);
        const figures = await page.evaluate(() => {
          const read = (el: Element): string => `${el.getAttribute('data-name') ?? ''}:${el.getAttribute('data-reminded') ?? ''}:${el.getAttribute('data-paid') ?? ''}`;
          return {
            chart: [...document.querySelectorAll('rect.bar[data-name]')].map(read),
            table: [...document.querySelectorAll('tr[data-name]')].map(read),
            tableText: [...document.querySelectorAll('tr[data-name]')].map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent ?? '').join('|')),
            pageWidth: document.documentElement.scrollWidth,
            smallestText: Math.min(...[...document.querySelectorAll('svg text')].map((t) => parseFloat(getComputedStyle(t).fontSize))),
            header: document.querySelector('p.muted')?.textContent ?? '',
            footnote: document.querySelector('p.note')?.textContent ?? '',
          };
        });
        expect(figures.chart).toEqual(['reminder:6:2', 'second:3:2', 'reminder:6:2', 'second-with-a-very-long-template-name:3:2']);
        expect(figures.table).toEqual(figures.chart);
        expect(figures.tableText.map((t) => t.replace(/\s/g, ' '))).toEqual(['reminder|6|2 (33,3 %)', 'second|3|2 (66,7 %)', 'reminder|6|2 (33,3 %)', 'second-with-a-very-long-template-name|3|2 (66,7 %)']);
        expect(figures.pageWidth, `page wider than ${width} px`).toBeLessThanOrEqual(width);
        expect(figures.smallestText).toBeGreaterThanOrEqual(11);
        // generated in the merchant's zone (08:15 in Berlin), not as a UTC instant
        expect(figures.header).toContain('08:15');
        expect(figures.header).not.toContain('T07:15');
        expect(figures.footnote).toContain('1 Zahlung ist als offener Betrag abzüglich des Rabatts gezählt');
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });

  it('assumes no currency where there is no amount', () => {
    const report = computeReport({ cases: [], reminders: [], payments: [], codes: [], since: null, until: null, now: new Date('2026-11-23T08:00:00Z'), timeZone: 'Europe/Berlin', stages: ['reminder'] });
    const html = renderReportHtml(report, 'de', '2026-11-23T08:00:00Z');
    expect(html).not.toMatch(/€|EUR/);
  });
});

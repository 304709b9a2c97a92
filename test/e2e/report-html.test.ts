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
      expect(charts.map((c) => c.title)).toEqual(['Recovered per day (EUR)', 'Stages: cases reminded, and paid after it', 'Open amount by days overdue (EUR)']);
      // Two days with money, the two stages that were reminded, and the two age buckets that hold money: drawn with an area.
      expect(charts[0]?.bars.filter((size) => size > 0)).toHaveLength(2);
      expect(charts[1]?.bars.filter((size) => size > 0)).toHaveLength(2);
      expect(charts[2]?.bars.filter((size) => size > 0)).toHaveLength(2);
      const fitsPhone = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(fitsPhone).toBe(true);
      const cells = await page.$$eval('table td', (tds) => tds.map((td) => td.textContent ?? ''));
      expect(cells.join('|')).toContain('2026-11-20|200,00');
      const cards = await page.$$eval('.card b', (values) => values.map((b) => b.textContent ?? ''));
      expect(cards[0]?.replace(/\s/g, ' ')).toBe('250,00 €');
      expect(cards[1]).toBe('2 of 3 (66.7 %)');
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

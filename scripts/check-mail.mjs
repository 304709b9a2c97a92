/* global document, window -- evaluated inside the browser page */
// npm run check:mail: scores every shipped template in every locale with Apache SpamAssassin's local
// rules (Debian's spamassassin, network tests off), checks that the text part says what the HTML says,
// and that the HTML fits phone and desktop widths (in Debian's chromium, when it is installed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../dist/config/load.js';
import { composeMime } from '../dist/channels/smtp/mime.js';
import { buildOutgoing } from '../dist/app/send/outgoing.js';
import { TemplateSet } from '../dist/templates/render.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}.scratch/mail-check/`;
mkdirSync(out, { recursive: true });
if (spawnSync('spamassassin', ['--version']).status !== 0) {
  console.error("check:mail needs Apache SpamAssassin: install Debian's package (apt-get install spamassassin)");
  process.exit(2);
}

const loaded = loadConfig(`${root}examples/dunning.config.json`, root);
const templates = TemplateSet.load(loaded.config, loaded.baseDir);
const now = new Date('2026-11-23T08:00:00Z');
const cases = [
  { id: 1, source: 'elopage', orderId: '4711', dueDate: '2026-11-20', product: 'Online-Kurs "Yoga für Anfänger"', openMinor: 4900, paidMinor: 9800, currency: 'EUR', token: 'tk_9f8e7d6c5b4a3921', extra: {}, daysOverdue: 3, stage: 'reminder' },
  { id: 2, source: 'elopage', orderId: '4720', dueDate: '2026-11-21', product: 'E-Book-Paket', openMinor: 1990, paidMinor: 0, currency: 'EUR', token: 'tk_c0ffee11aa22bb33', extra: {}, daysOverdue: 2, stage: 'reminder' },
];
const rows = [];
let worst = -Infinity;
for (const [name, variants] of templates.templates) {
  for (const locale of variants.keys()) {
    for (const orders of [1, 2]) {
      const stage = loaded.config.sequence.stages.find((s) => s.template === name) ?? { name, template: name };
      const promo = name === 'final' ? { code: 'DANKE10', discount: { percentOff: 10 }, expiresAt: '2026-11-26T08:00:00.000Z', validHours: 72 } : undefined;
      const planned = {
        customer: { email: 'anna.mueller@example.de', emailKey: 'anna.mueller@example.de', firstName: 'Anna', lastName: 'Müller', localeHint: locale || null },
        cases: cases.slice(0, orders).map((c) => ({ ...c, stage: stage.name })),
        stage: { name: stage.name, number: 1, template: name, ...(name === 'reminder' ? {} : { payWithin: { days: 7, minutes: 0 } }) },
        today: '2026-11-23', now, attempt: 1,
      };
      const rendered = templates.render({ ...planned, promo, locale: locale || undefined });
      const message = buildOutgoing(planned, rendered, loaded.config, promo, undefined);
      const file = `${out}${name}-${locale || 'any'}-${orders}.eml`;
      writeFileSync(file, await composeMime(message));
      const sa = spawnSync('spamassassin', ['-L', '-t'], { input: await composeMime(message), encoding: 'utf8' });
      const score = Number(/Content analysis details:\s+\((-?[\d.]+) points/.exec(sa.stdout)?.[1] ?? 'NaN');
      const rules = [...sa.stdout.matchAll(/^\s*(-?\d+\.\d+)\s+([A-Z0-9_]+)\s/gm)].map((m) => `${m[2]} ${m[1]}`);
      worst = Math.max(worst, score);
      rows.push({ template: name, locale: locale || '(any)', orders, score, rules: rules.join(', '), parts: partsAgree(rendered), file, html: rendered.html });
    }
  }
}

await checkWidths(rows);
console.log('template  locale  orders  score  text says what HTML says  fits 375/1024 px  rules that fired');
for (const r of rows) {
  console.log(`${r.template.padEnd(9)} ${r.locale.padEnd(7)} ${String(r.orders).padEnd(7)} ${r.score.toFixed(1).padStart(5)}  ${(r.parts === true ? 'yes' : r.parts).padEnd(24)}  ${(r.widths ?? 'not checked (no chromium)').padEnd(16)}  ${r.rules}`);
}
console.log(`\nHighest score: ${worst.toFixed(1)} (target: at most 0.0). Messages are in ${out}`);
const bad = rows.filter((r) => !(r.score <= 0) || r.parts !== true || (r.widths !== undefined && r.widths !== 'yes'));
process.exit(bad.length === 0 ? 0 : 1);

/** Every link and every amount of the HTML part is in the text part too. */
function partsAgree(rendered) {
  const links = [...rendered.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const amounts = [...rendered.html.replace(/&nbsp;|\u00a0/g, ' ').matchAll(/[\d.]+,\d{2} €|€[\d,]+\.\d{2}/g)].map((m) => m[0]);
  const text = rendered.text.replace(/\u00a0/g, ' ');
  const missing = [...links, ...amounts].filter((x) => !text.includes(x));
  return missing.length === 0 ? true : `missing: ${missing.join(' ')}`;
}

/** Opens each HTML part at phone and desktop width and checks nothing runs off the side. */
async function checkWidths(list) {
  if (!existsSync('/usr/bin/chromium')) return;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    for (const r of list) {
      const fits = [];
      for (const width of [375, 1024]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const file = r.file.replace(/\.eml$/, '.html');
        writeFileSync(file, r.html);
        await page.goto(pathToFileURL(file).href);
        fits.push(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
        if (width === 375) await page.screenshot({ path: r.file.replace(/\.eml$/, '-375.png'), fullPage: true });
        await page.close();
      }
      r.widths = fits.every(Boolean) ? 'yes' : 'no';
    }
  } finally {
    await browser.close();
  }
}

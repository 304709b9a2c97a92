// Writes a seeded elopage-style export ("Zahlung ausstehend"): German headers, ";", 1.234,56, DD.MM.YYYY.
// Usage: node bench/generate-export.mjs ROWS OUT.csv [SEED]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hannah', 'Jonas', 'Lea', 'Luca', 'Mia', 'Noah', 'Paul', 'Sophie', 'Zoë'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', "O'Brien", 'Lüdenscheidt'];
const PRODUCTS = ['Online-Kurs "Yoga für Anfänger"', 'Coaching; 6 Monate', 'Masterclass Fotografie', 'Mitgliedschaft Premium', 'E-Book Paket'];

/** Mulberry32: a small seeded PRNG, so every run writes the same file. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function german(cents) {
  const euros = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${euros},${String(cents % 100).padStart(2, '0')}`;
}

function quote(s) {
  return /[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function generateExport(rows, path, seed = 42, baseDate = Date.UTC(2026, 10, 23)) {
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const out = createWriteStream(path);
  out.write('E-Mail;Vorname;Nachname;Bestell-ID;Produktname;Offener Betrag;Bezahlter Betrag;Fälligkeitsdatum;Token;Zahlungsart\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const customer = Math.floor(random() * rows * 0.8);
    const email = `kunde${customer}@example.com`;
    const open = 1000 + Math.floor(random() * 200000);
    const paid = Math.floor(random() * 3) * 4990;
    const due = new Date(baseDate - Math.floor(random() * 60 - 10) * 86400000);
    const date = `${String(due.getUTCDate()).padStart(2, '0')}.${String(due.getUTCMonth() + 1).padStart(2, '0')}.${due.getUTCFullYear()}`;
    const token = Math.floor(random() * 2 ** 52).toString(36) + i.toString(36);
    chunk += `${email};${first};${quote(last)};${100000 + i};${quote(pick(PRODUCTS))};${german(open)};${german(paid)};${date};${token};${pick(['Rechnung', 'PayPal', 'Kreditkarte'])}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.write(chunk);
  out.end();
  await once(out, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rows = '1000000', path = 'bench/data/export.csv', seed = '42'] = process.argv.slice(2);
  await generateExport(Number(rows), path, Number(seed));
}

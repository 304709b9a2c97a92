import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { DunningError } from '../core/errors.js';

/**
 * The codes of a stage's pool file (`promo.pool`, relative to the config file): one per line (a
 * CSV's first column), an optional header, no duplicates, no spaces.
 */
export function readPromoPool(baseDir: string, pool: string, stage: string): { file: string; codes: string[] } {
  const file = resolve(baseDir, pool);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  } catch {
    throw new DunningError(`stage "${stage}": cannot read the promo code pool ${file}`, { hint: 'fix "promo.pool" (relative to the config file)' });
  }
  const cells = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' }).data.map((row) => (row[0] ?? '').trim()).filter((c) => c !== '');
  if (/^(code|codes|gutschein|gutscheincode|coupon|promo ?code)$/i.test(cells[0] ?? '')) cells.shift();
  const seen = new Set<string>();
  for (const code of cells) {
    if (seen.has(code)) throw new DunningError(`stage "${stage}": ${file} lists the code "${code}" twice`, { hint: 'every code in a pool must be unique' });
    if (/[\s\u0000-\u001f]/.test(code)) throw new DunningError(`stage "${stage}": ${file} has a code with spaces or control characters: "${code}"`);
    seen.add(code);
  }
  return { file, codes: cells };
}

import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { RejectsWriter } from '../../src/import/rejects.js';
import { makeTempDir } from '../support/temp-dir.js';

describe('RejectsWriter', () => {
  it('quotes a cell with a bare LF or CR, so a spreadsheet reads one row per rejected row', () => {
    const dir = makeTempDir('rejects');
    try {
      const path = dir.file('orders.rejects.csv');
      const writer = new RejectsWriter(path, ['E-Mail', 'Vorname'], ';');
      writer.add(2, ['anna@example.de', 'Anna\nMaria'], 'a reason');
      writer.add(3, ['ben@example.de', 'Ben\rJo'], 'another');
      writer.close();
      const text = readFileSync(path, 'utf8').replace(/^\ufeff/, '');
      expect(text).toContain('"Anna\nMaria"');
      expect(text).toContain('"Ben\rJo"');
      const rows = Papa.parse<string[]>(text, { delimiter: ';', newline: '\r\n', skipEmptyLines: true }).data;
      expect(rows).toEqual([
        ['E-Mail', 'Vorname', 'dunning: line', 'dunning: problem'],
        ['anna@example.de', 'Anna\nMaria', '2', 'a reason'],
        ['ben@example.de', 'Ben\rJo', '3', 'another'],
      ]);
    } finally {
      dir.remove();
    }
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileWhole } from '../../src/output/write-whole.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dunning-write-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileWhole', () => {
  it('writes the pieces in order and returns what the filler returns', async () => {
    const path = join(dir, 'out.csv');
    const pieces = ['\ufeffa,b\n', 'Jörg,1\n', 'x'.repeat(100_000)];
    expect(await writeFileWhole(path, (write) => (pieces.forEach(write), pieces.length))).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe(pieces.join(''));
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('leaves the earlier file as it was, and no partial file, when writing fails half-way', async () => {
    const path = join(dir, 'out.csv');
    writeFileSync(path, 'last week\n');
    await expect(
      writeFileWhole(path, (write) => {
        write('half of a new export\n');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(path, 'utf8')).toBe('last week\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });
});

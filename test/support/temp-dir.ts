import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fresh folder under the system temp dir, removed by remove(). */
export interface TempDir {
  path: string;
  /** Absolute path of a file in the folder. */
  file(name: string): string;
  /** Writes a file (text as UTF-8, or raw bytes) and returns its absolute path. */
  write(name: string, content: string | Buffer): string;
  remove(): void;
}

/** Creates a temp folder for one test file or test. */
export function makeTempDir(label: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `dunning-${label}-`));
  const file = (name: string): string => join(path, name);
  return {
    path,
    file,
    write(name, content) {
      const target = file(name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      return target;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

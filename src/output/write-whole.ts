import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';

/**
 * Writes a file in pieces under a temporary name beside it and gives it its name only when
 * complete: an export cut short (a full disk, an error half-way) never leaves a file that looks whole.
 * The file is the owner's alone (0600), as the database and the outbox are: exports hold customers'
 * addresses, pay links and codes. The rename replaces an older file's wider mode too.
 */
const PRIVATE = 0o600;

export async function writeFileWhole<T>(path: string, fill: (write: (text: string) => void) => Promise<T> | T, mode = PRIVATE): Promise<T> {
  const partial = `${path}.${process.pid}.partial`;
  // `mode` holds from the first byte: a file of pay links is never readable by others, not even while written.
  const fd = openSync(partial, 'w', mode);
  let open = true;
  try {
    const result = await fill((text) => {
      const bytes = Buffer.from(text);
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    });
    closeSync(fd);
    open = false;
    renameSync(partial, path);
    return result;
  } catch (error) {
    if (open) closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Writes a whole text file the same way: complete or not at all, the owner's alone. */
export function writeTextWhole(path: string, text: string): void {
  const partial = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(partial, text, { mode: PRIVATE });
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

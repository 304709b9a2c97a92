import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Writes a file in pieces under a temporary name beside it and gives it its name only when
 * complete: an export cut short (a full disk, an error half-way) never leaves a file that looks whole.
 */
export async function writeFileWhole<T>(path: string, fill: (write: (text: string) => void) => Promise<T> | T, mode = 0o666): Promise<T> {
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

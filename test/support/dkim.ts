import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const VERIFIER = fileURLToPath(new URL('./dkim-verify.py', import.meta.url));
/** Debian's Python, where python3-dkim installs (.ci/run installs it); not a pyenv one on PATH. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Writes a fresh RSA key (PEM) of `bits` bits to `path`, with `mode` (600 unless told). */
export function writeRsaKey(path: string, bits = 2048, mode = 0o600): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  chmodSync(path, mode);
  return path;
}

/** Verifies a message's DKIM signature with dkimpy against the record `dunning dkim check` printed. */
export function verifyDkim(message: Buffer, record: { name: string; value: string }): { verified: boolean; signed: string[] } {
  const result = spawnSync(PYTHON, [VERIFIER, record.name, record.value], { input: message, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`the DKIM verifier failed (is Debian's python3-dkim installed? apt-get install python3-dkim):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as { verified: boolean; signed: string[] };
}

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DunningError } from '../core/errors.js';
import type { Config } from './schema.js';

/** `smtp.dkim` as the config writes it. */
export type DkimSettings = NonNullable<Config['smtp']['dkim']>;

/** What signing needs: the domain, the selector and the key (PEM). Never logged, never stored. */
export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
  /** The RSA modulus length. */
  bits: number;
  /** The key file, for messages. */
  file: string;
}

/** Below this, receivers ignore or reject the signature (RFC 8301); 2048 is what we recommend. */
export const MIN_DKIM_BITS = 1024;
export const RECOMMENDED_DKIM_BITS = 2048;

const KEY_HINT = `make one with "openssl genrsa -out dkim.key ${RECOMMENDED_DKIM_BITS} && chmod 600 dkim.key" and name it in smtp.dkim.privateKeyFile (relative to the config file)`;

/**
 * Reads and checks the DKIM key of `smtp.dkim` (issue 23): the file must exist, be readable by its
 * owner only (a signing key others can read lets them send as the merchant), hold an RSA private
 * key in PEM and have at least 1024 bits. Every refusal is a configuration error (exit 2), before
 * anything is sent.
 */
export function loadDkimKey(settings: DkimSettings, baseDir: string): DkimKey {
  const file = resolve(baseDir, settings.privateKeyFile);
  const where = `smtp.dkim.privateKeyFile: ${file}`;
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new DunningError(`${where}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code})`}`, { hint: KEY_HINT });
  }
  // Windows has no such permission bits; there the folder's ACL protects the key.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new DunningError(`${where}: the key file is readable or writable by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); a signing key must be the owner's only`, {
      hint: `run "chmod 600 ${file}"`,
    });
  }
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new DunningError(`${where}: cannot read it (${code})`, { hint: 'make the file readable for the user that runs dunning' });
  }
  const key = parseKey(pem, where);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_DKIM_BITS) {
    throw new DunningError(`${where}: the key has ${bits} bits; receivers refuse DKIM keys under ${MIN_DKIM_BITS} bits`, {
      hint: `make a ${RECOMMENDED_DKIM_BITS}-bit key: "openssl genrsa -out dkim.key ${RECOMMENDED_DKIM_BITS} && chmod 600 dkim.key", then publish its record ("dunning dkim check")`,
    });
  }
  return { domainName: settings.domainName, keySelector: settings.keySelector, privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(), bits, file };
}

function parseKey(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The reason of OpenSSL could quote the file; only say what it is not.
    throw new DunningError(`${where}: not a private key in PEM format (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----) or protected by a passphrase`, { hint: KEY_HINT });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new DunningError(`${where}: a ${key.asymmetricKeyType ?? 'non-RSA'} key; DKIM signing here takes an RSA key`, { hint: KEY_HINT });
  }
  return key;
}

/** The DNS TXT record that publishes the key: its name and value (`v=DKIM1; k=rsa; p=…`). */
export function dkimRecord(key: DkimKey): { name: string; value: string; bits: number } {
  const publicKey = createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return { name: `${key.keySelector}._domainkey.${key.domainName}`, value: `v=DKIM1; k=rsa; p=${publicKey}`, bits: key.bits };
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyDkim, writeRsaKey } from '../support/dkim.js';
import { MORNING, type OrderRow } from '../support/exports.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 23: messages signed with nodemailer's DKIM signer, verified by an independent verifier
// (dkimpy, Debian's python3-dkim) against the record `dunning dkim check` prints.

const DKIM = { domainName: 'yoga-sonne.de', keySelector: 'dunning', privateKeyFile: 'keys/dkim.key' };
/** A name that folds over several header lines, with umlauts and an ß. */
const LONG_NAME: OrderRow = {
  email: 'maximiliane.lang@example.de', first: 'Maximiliane-Friederike Theodora Anneliese', last: 'von Müller-Lüdenscheidt-Weißenbach zu Großburgwedel',
  order: '4730', open: '75,00', due: '20.11.2026',
};

let world: Workspace;
let sink: SmtpSink | undefined;

beforeEach(() => {
  sink = undefined;
});
afterEach(async () => {
  await sink?.close();
  world.cleanup();
});

function dkimWorld(config: Record<string, unknown> = {}, keyBits = 2048, mode = 0o600): Workspace {
  world = createWorld({ smtp: { dkim: DKIM }, ...config });
  world.write('keys/.keep', '');
  writeRsaKey(world.file('keys/dkim.key'), keyBits, mode);
  return world;
}

async function record(): Promise<{ name: string; value: string }> {
  const check = await world.run(['--json', 'dkim', 'check']);
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
  return JSON.parse(check.stdout) as { name: string; value: string };
}

function outboxMessages(): Buffer[] {
  const root = join(world.dir, 'outbox');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((run) => readdirSync(join(root, run)).sort().map((file) => readFileSync(join(root, run, file))));
}

describe('DKIM signing (smtp.dkim)', () => {
  it('dkim check prints the TXT record to publish, from the key', async () => {
    dkimWorld();
    const result = await world.run(['dkim', 'check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('name:  dunning._domainkey.yoga-sonne.de');
    expect(result.stdout).toMatch(/value: v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}\n/);
    expect(result.stdout).toContain('RSA, 2048 bits');
    const json = await record();
    expect(json).toMatchObject({ name: 'dunning._domainkey.yoga-sonne.de', type: 'TXT', bits: 2048 });
  });

  it('signs the outbox files so that an independent verifier accepts them, long folded names included', async () => {
    dkimWorld({ sender: { name: 'Yoga Sonne – Büro', email: 'billing@yoga-sonne.de', bcc: 'books@yoga-sonne.de' } });
    expect((await world.run(['import', world.writeExport([...MORNING, LONG_NAME])])).code).toBe(0);
    const sent = await world.run(['send']);
    expect(sent.code).toBe(0);
    const messages = outboxMessages();
    expect(messages).toHaveLength(4);
    const published = await record();
    for (const message of messages) {
      expect(message.toString('utf8')).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=yoga-sonne.de;/);
      const result = verifyDkim(message, published);
      expect(result.verified).toBe(true);
      expect(result.signed).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id']));
    }
    const long = messages.find((m) => m.toString('utf8').includes('maximiliane.lang@example.de'));
    // The To header folds over lines (encoded words for the umlauts), and still verifies.
    expect(long?.toString('utf8')).toMatch(/\nTo: [^\n]*\r?\n [^\n]*/);
    // A changed byte breaks it: the verifier is not trivially satisfied.
    const tampered = Buffer.from((messages[0] ?? Buffer.alloc(0)).toString('utf8').replace('\nSubject: ', '\nSubject: Re: '));
    expect(verifyDkim(tampered, published).verified).toBe(false);
  });

  it('signs what goes by SMTP, with the Bcc copy left out of the signed headers', async () => {
    sink = await startSmtpSink();
    dkimWorld({ channel: 'smtp', sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', bcc: 'books@yoga-sonne.de' } });
    expect((await world.run(['import', world.writeExport([...MORNING, LONG_NAME])])).code).toBe(0);
    const sent = await world.run(['send'], { DUNNING_SMTP_URL: sink.url });
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sink.received).toHaveLength(4);
    const published = await record();
    for (const message of sink.received) {
      expect(message.envelopeTo).toContain('books@yoga-sonne.de');
      expect(message.parsed.headers.has('bcc')).toBe(false);
      const result = verifyDkim(message.raw, published);
      expect(result.verified).toBe(true);
      expect(result.signed).not.toContain('bcc');
    }
  });

  it('never writes the key into the database or the run log', async () => {
    dkimWorld();
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    expect((await world.run(['send'])).code).toBe(0);
    const key = readFileSync(world.file('keys/dkim.key'), 'utf8');
    const keyLine = key.split('\n')[2] ?? 'x';
    const db = readFileSync(world.db).toString('latin1');
    expect(db).not.toContain(keyLine);
  });
});

describe('DKIM: bad keys are refused before anything is sent (exit 2)', () => {
  async function refusedSend(): Promise<{ code: number | null; stderr: string }> {
    expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
    const result = await world.run(['send']);
    expect(outboxMessages()).toHaveLength(0);
    expect(world.query<{ n: number }>('SELECT COUNT(*) AS n FROM messages')[0]?.n).toBe(0);
    return result;
  }

  it('a key file readable by others', async () => {
    dkimWorld({}, 2048, 0o644);
    const result = await refusedSend();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`smtp.dkim.privateKeyFile: ${world.file('keys/dkim.key')}: the key file is readable or writable by others (mode 0644)`);
    expect(result.stderr).toContain('chmod 600');
    const check = await world.run(['dkim', 'check']);
    expect(check.code).toBe(2);
    expect(check.stdout).toBe('');
  });

  it('a key under 1024 bits, in send and in dkim check', async () => {
    dkimWorld({}, 768);
    const result = await refusedSend();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the key has 768 bits; receivers refuse DKIM keys under 1024 bits');
    const check = await world.run(['dkim', 'check']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('make a 2048-bit key');
    expect(check.stdout).toBe('');
  });

  it('a 1024-bit key is taken, with a warning to use 2048', async () => {
    dkimWorld({}, 1024);
    const check = await world.run(['dkim', 'check']);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain('2048 bits is recommended');
  });

  it('a missing key file, and a file that is no PEM key', async () => {
    world = createWorld({ smtp: { dkim: DKIM } });
    let result = await refusedSend();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`smtp.dkim.privateKeyFile: ${world.file('keys/dkim.key')}: no such file`);
    world.write('keys/dkim.key', 'ssh-rsa AAAAB3NzaC1yc2E not a private key\n');
    (await import('node:fs')).chmodSync(world.file('keys/dkim.key'), 0o600);
    result = await world.run(['send']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not a private key in PEM format');
    expect(outboxMessages()).toHaveLength(0);
  });

  it('a bad domain or selector in the config, and dkim check without smtp.dkim', async () => {
    world = createWorld({ smtp: { dkim: { domainName: 'not a domain', keySelector: 'a b', privateKeyFile: 'k' } } });
    let result = await world.run(['dkim', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('smtp.dkim.domainName: a domain name such as "example.de"');
    expect(result.stderr).toContain('smtp.dkim.keySelector: letters, digits and "-"');
    world.cleanup();
    world = createWorld();
    result = await world.run(['dkim', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('smtp.dkim is not set');
  });
});

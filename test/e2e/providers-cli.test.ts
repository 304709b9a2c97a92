import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAILCHIMP_FIELDS } from '../../src/channels/mailchimp/fields.js';
import { MERGE_FIELD_NAMES } from '../../src/core/merge-fields.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, type TempDir } from '../support/temp-dir.js';
import { MailchimpEmulator } from '../support/mailchimp-emulator.js';

const KEY = 'fedcba9876543210fedcba9876543210-us7';
const LIST = 'e2eaudience';
let tmp: TempDir;
let dir: string;
let mc: MailchimpEmulator;

beforeEach(async () => {
  tmp = makeTempDir('providers');
  dir = tmp.path;
  mc = new MailchimpEmulator({ apiKey: KEY, listIds: [LIST] });
  await mc.start();
  const stages = [
    { name: 'reminder', afterDays: 1, template: 'reminder' },
    { name: 'final', afterDays: 7, template: 'final', mailchimpTag: 'letzte-mahnung' },
  ];
  tmp.write('dunning.config.json', JSON.stringify({ mailchimp: { listId: LIST }, sequence: { stages } }));
});

afterEach(async () => {
  await mc.stop();
  expect(mc.violations).toEqual([]);
  tmp.remove();
});

// Provider keys of the shell running the tests never reach the CLI: each test sets its own.
const NO_KEYS = { MAILCHIMP_API_KEY: undefined, MJ_APIKEY_PUBLIC: undefined, MJ_APIKEY_PRIVATE: undefined };

function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...NO_KEYS, MAILCHIMP_API_KEY: KEY, DUNNING_MAILCHIMP_BASE_URL: mc.baseUrl, ...extra };
}

describe('dunning mailchimp setup', () => {
  it('creates the merge fields, prints the journeys to build, and says on a second run that they exist', async () => {
    const first = await runCli(['mailchimp', 'setup'], { cwd: dir, env: env() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Audience ${LIST}: ${MAILCHIMP_FIELDS.length - 2} merge fields created, 2 existed already.`);
    expect(first.stdout).toMatch(/\*\|OPENAMT\|\*\s+Open amount\s+text\s+created/);
    expect(first.stdout).toMatch(/reminder\s+1d\s+dunning-reminder/);
    expect(first.stdout).toMatch(/final\s+7d\s+letzte-mahnung/);
    expect(first.stdout).toContain('Tag added');
    expect(first.stdout).toContain('non-subscribed (transactional)');
    expect(mc.mergeTags(LIST)).toEqual(expect.arrayContaining(MAILCHIMP_FIELDS.map((f) => f.tag)));

    const second = await runCli(['mailchimp', 'setup'], { cwd: dir, env: env() });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`0 merge fields created, ${MAILCHIMP_FIELDS.length} existed already.`);
    expect(second.stdout).not.toMatch(/\bcreated\s*$/m);
  });

  it('prints one JSON document with --json', async () => {
    const result = await runCli(['--json', 'mailchimp', 'setup'], { cwd: dir, env: env() });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { listId: string; fields: { tag: string; state: string }[]; stages: { tag: string }[] };
    expect(doc.listId).toBe(LIST);
    expect(doc.fields.find((f) => f.tag === 'MANAGELINK')?.state).toBe('created');
    expect(doc.stages.map((s) => s.tag)).toEqual(['dunning-reminder', 'letzte-mahnung']);
  });

  it('exits 2 without a key, naming the variable, and sends nothing', async () => {
    const result = await runCli(['mailchimp', 'setup'], { cwd: dir, env: env({ MAILCHIMP_API_KEY: undefined }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('MAILCHIMP_API_KEY');
    expect(mc.requests).toHaveLength(0);
  });

  it('exits 2 on a refused key with a hint, and never prints the key', async () => {
    const wrong = '00000000000000000000000000000000-us7';
    const result = await runCli(['mailchimp', 'setup'], { cwd: dir, env: env({ MAILCHIMP_API_KEY: wrong }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Mailchimp refused the API key');
    expect(result.stderr).toContain('hint:');
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it('exits 1 when Mailchimp is unavailable, saying to try again', async () => {
    mc.fail({ status: 503 }, { times: 1 });
    const result = await runCli(['mailchimp', 'setup'], { cwd: dir, env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not reachable');
  });
});

describe('dunning templates mailjet-vars', () => {
  it('lists every variable with its Mailjet syntax and an example, offline', async () => {
    const result = await runCli(['templates', 'mailjet-vars'], { cwd: dir, env: env() });
    expect(result.code).toBe(0);
    for (const name of MERGE_FIELD_NAMES) expect(result.stdout).toContain(`{{var:${name}:""}}`);
    expect(result.stdout).toMatch(/\{\{var:open_amount:""\}\}\s+169,90\u00a0€/);
    expect(result.stdout).toContain('{% for order in var:orders %}');
    expect(mc.requests).toHaveLength(0);
  });

  it('gives English examples with --locale en, and JSON with --json', async () => {
    const result = await runCli(['--json', 'templates', 'mailjet-vars', '--locale', 'en'], { cwd: dir, env: NO_KEYS });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { variables: { name: string; syntax: string; example: string | number }[]; orders: { fields: string[] } };
    expect(doc.variables.map((v) => v.name)).toEqual([...MERGE_FIELD_NAMES]);
    expect(doc.variables.find((v) => v.name === 'due_date')?.example).toBe('Mar 1, 2025');
    expect(doc.orders.fields).toContain('manage_link');
  });

  it('exits 2 for a locale that is no language tag', async () => {
    const result = await runCli(['templates', 'mailjet-vars', '--locale', 'de_DE!'], { cwd: dir, env: NO_KEYS });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a language tag');
  });
});

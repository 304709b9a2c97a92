// npm run bench:kill: how many messages a killed send leaves `unknown` (issue 20, item 3).
// KILLS times (20), a `send --channel smtp` of MESSAGES (3,000) to a sink on 127.0.0.1 is killed
// with SIGKILL at a random moment; the messages it left `sending` are those a later run calls
// unknown. Two paces: full speed (smtp.maxConnections = 5 connections busy all the time), and
// limits.perSecond = 20 (connections idle between messages, so most kills land between two).
// Then a plain `send` at full speed finishes the job, and the sink checks that no customer got two messages.
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';

// BENCH_ROOT: another checkout's built CLI, to compare (e.g. the commit before a change).
const root = process.env.BENCH_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const work = fileURLToPath(new URL('./data/kill/', import.meta.url));
const NOW = '2026-11-23T09:00:00+01:00';
const KILLS = Number(process.env.BENCH_KILLS ?? 20);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 3_000);
const MAX_CONNECTIONS = 5;

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

function configFile(name, extra) {
  const path = `${work}${name}.config.json`;
  writeFileSync(
    path,
    JSON.stringify({
      timeZone: 'Europe/Berlin',
      manageLink: 'https://elopage.com/s/yoga-sonnenschein/payment/{token}/manage',
      sender: { name: 'Yoga-Akademie Sonnenschein', email: 'buchhaltung@yoga-sonnenschein.example', company: 'Yoga-Akademie Sonnenschein GmbH' },
      smtp: { maxConnections: MAX_CONNECTIONS },
      ...extra,
    }),
  );
  return path;
}

function start(config, db, args, env = {}) {
  return spawn(process.execPath, [`${root}bin/dunning`, '--config', config, '--db', db, '--now', NOW, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function ended(child) {
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
}

async function customers(n, path) {
  const out = createWriteStream(path);
  out.write('E-Mail;Vorname;Nachname;Bestell-ID;Produktname;Offener Betrag;Bezahlter Betrag;Fälligkeitsdatum;Token\n');
  for (let i = 0; i < n; i++) out.write(`kunde${i}@example.com;Anna;Müller;${500000 + i};Online-Kurs;49,00;0,00;10.11.2026;tk${i.toString(36).padStart(12, '0')}\n`);
  out.end();
  await once(out, 'finish');
}

/** A sink that counts what each address received. */
async function sink() {
  const received = new Map();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const to of session.envelope.rcptTo) received.set(to.address, (received.get(to.address) ?? 0) + 1);
        callback();
      });
    },
  });
  // A killed client resets its connections: expected here.
  server.on('error', () => undefined);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { received, url: `smtp://127.0.0.1:${server.server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function counts(db) {
  const handle = new Database(db, { readonly: true });
  try {
    const rows = handle.prepare('SELECT state, count(*) AS n FROM messages GROUP BY state').all();
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    handle.close();
  }
}

/** One kill: a fresh copy of the imported database, a send killed after a random wait once mail flows. */
async function killOnce(config, imported, server, index, finish) {
  const db = `${work}kill-${index}.db`;
  copyFileSync(imported, db);
  server.received.clear();
  const child = start(config, db, ['send', '--channel', 'smtp'], { DUNNING_SMTP_URL: server.url });
  const exit = ended(child);
  for (let waited = 0; waited < 60_000 && server.received.size === 0 && child.exitCode === null; waited += 5) await sleep(5);
  await sleep(Math.floor(Math.random() * 400));
  child.kill('SIGKILL');
  const { signal } = await exit;
  const state = counts(db);
  const delivered = server.received.size;
  // Finish the job: the next run calls what was left `sending` unknown and sends the rest once.
  const rest = ended(start(finish, db, ['send', '--channel', 'smtp'], { DUNNING_SMTP_URL: server.url }));
  await rest;
  const twice = [...server.received.values()].filter((n) => n > 1).length;
  rmSync(db, { force: true });
  return { killed: signal === 'SIGKILL', sending: state.sending ?? 0, sent: state.sent ?? 0, delivered, twice };
}

async function series(name, config, imported, server, finish) {
  const results = [];
  for (let i = 0; i < KILLS; i++) results.push(await killOnce(config, imported, server, i, finish));
  const killed = results.filter((r) => r.killed);
  const left = killed.map((r) => r.sending);
  const histogram = new Map();
  for (const n of left) histogram.set(n, (histogram.get(n) ?? 0) + 1);
  const shape = [...histogram.entries()].sort((a, b) => a[0] - b[0]).map(([n, k]) => `${n} unknown: ${k}x`).join(', ');
  const twice = killed.reduce((sum, r) => sum + r.twice, 0);
  console.log(`${name}: ${killed.length} kills; unknown after a kill: max ${Math.max(...left)}, mean ${(left.reduce((a, b) => a + b, 0) / left.length).toFixed(1)} (${shape}); customers reminded twice: ${twice}`);
}

const imported = `${work}customers.db`;
await customers(MESSAGES, `${work}customers.csv`);
const fast = configFile('fast', {});
const paced = configFile('paced', { limits: { perSecond: 20 } });
const importRun = await ended(start(fast, imported, ['import', `${work}customers.csv`]));
if (importRun.code !== 0) throw new Error(`import exited with ${importRun.code}`);
const server = await sink();
console.log(`${MESSAGES} customers, smtp.maxConnections ${MAX_CONNECTIONS}, SIGKILL after a random 0-400 ms once mail flows`);
await series('full speed         ', fast, imported, server, fast);
await series('limits.perSecond 20', paced, imported, server, fast);
await server.close();
rmSync(work, { recursive: true, force: true });

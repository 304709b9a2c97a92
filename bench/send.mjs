// npm run bench:send: how fast send dry-runs and delivers.
//  1. `send --dry-run` for 100,000 open cases;
//  2. `send --channel smtp` of 10,000 messages to an SMTP sink on 127.0.0.1, in messages per second.
// Targets (issue 4): dry run of 100,000 cases under 30 s; at least 1,000 messages/s over SMTP.
// The dry run and the SMTP send run BENCH_RUNS times (3) each; the median is the figure, and the
// load average before and after says how busy the machine was (the sink shares its cores).
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { generateExport } from './generate-export.mjs';

// BENCH_ROOT: another checkout's built CLI (with a trailing /), to compare (e.g. the commit before a change).
const root = process.env.BENCH_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const work = fileURLToPath(new URL('./data/send/', import.meta.url));
const NOW = '2026-11-23T09:00:00+01:00';
const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const config = `${work}dunning.config.json`;
writeFileSync(
  config,
  JSON.stringify({
    timeZone: 'Europe/Berlin',
    manageLink: 'https://elopage.com/s/yoga-sonnenschein/payment/{token}/manage',
    sender: { name: 'Yoga-Akademie Sonnenschein', email: 'buchhaltung@yoga-sonnenschein.example', company: 'Yoga-Akademie Sonnenschein GmbH' },
    outbox: { dir: `${work}outbox` },
  }),
);

/** Runs the built CLI; resolves with its exit code, output and wall time in seconds. */
function dunning(db, args, env = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [`${root}bin/dunning`, '--config', config, '--db', db, '--now', NOW, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, seconds: (performance.now() - started) / 1000 })));
}

/** The middle value (the lower middle one of an even count). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

function check(result, what) {
  if (result.code !== 0) {
    console.error(`${what} exited with ${result.code}:\n${result.out.slice(-2000)}`);
    process.exit(1);
  }
  return result;
}

/** An export of `n` customers, one overdue order each: n messages. */
async function distinctCustomers(n, path) {
  const out = createWriteStream(path);
  out.write('E-Mail;Vorname;Nachname;Bestell-ID;Produktname;Offener Betrag;Bezahlter Betrag;Fälligkeitsdatum;Token\n');
  for (let i = 0; i < n; i++) out.write(`kunde${i}@example.com;Anna;Müller;${500000 + i};Online-Kurs;49,00;0,00;${String(1 + (i % 20)).padStart(2, '0')}.11.2026;tk${i.toString(36).padStart(12, '0')}\n`);
  out.end();
  await once(out, 'finish');
}

async function planAndDryRun() {
  const db = `${work}plan.db`;
  const csv = `${work}cases.csv`;
  await generateExport(CASES, csv, 42, Date.UTC(2026, 10, 23));
  check(await dunning(db, ['import', csv]), 'import');
  const dryRuns = [];
  let planned = '';
  for (let i = 0; i < RUNS; i++) {
    const run = check(await dunning(db, ['send', '--dry-run']), 'send --dry-run');
    dryRuns.push(run.seconds);
    planned = /Dry run: ([\d,]+) messages? would be sent/.exec(run.out)?.[1] ?? '?';
  }
  return { cases: CASES, messages: planned, dryRuns };
}

async function smtpSend() {
  const imported = `${work}customers.db`;
  const csv = `${work}customers.csv`;
  await distinctCustomers(MESSAGES, csv);
  check(await dunning(imported, ['import', csv]), 'import');
  let received = 0;
  const sink = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const url = `smtp://127.0.0.1:${sink.server.address().port}`;
  const seconds = [];
  for (let i = 0; i < RUNS; i++) {
    // Each run sends everything again, from a copy of the freshly imported database.
    const db = `${work}smtp-${i}.db`;
    copyFileSync(imported, db);
    received = 0;
    seconds.push(check(await dunning(db, ['send', '--channel', 'smtp'], { DUNNING_SMTP_URL: url }), 'send --channel smtp').seconds);
    if (received !== MESSAGES) {
      console.error(`the sink received ${received} messages, expected ${MESSAGES}`);
      process.exit(1);
    }
  }
  await new Promise((resolve) => sink.close(resolve));
  return { messages: MESSAGES, seconds };
}

console.log(`node ${process.version}, ${cpus().length} CPU(s): ${cpus()[0]?.model ?? 'unknown'}; load average ${load()}; ${RUNS} run(s) each, median first`);
const plan = await planAndDryRun();
console.log(`plan:      ${plan.cases} open cases -> ${plan.messages} messages`);
const runs = (values, digits) => values.map((v) => v.toFixed(digits)).join(', ');
console.log(`dry run:   dunning send --dry-run over ${plan.cases} cases: ${median(plan.dryRuns).toFixed(1)} s wall (${runs(plan.dryRuns, 1)}; target < 30 s)`);
const smtp = await smtpSend();
const rates = smtp.seconds.map((s) => smtp.messages / s);
console.log(`smtp:      ${smtp.messages} messages to a local SMTP sink: ${Math.round(median(rates))} messages/s (${runs(rates, 0)}; target >= 1000)`);
console.log(`load average after: ${load()}`);
rmSync(work, { recursive: true, force: true });

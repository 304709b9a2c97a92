// npm run demo: the quick start, end to end, on the shipped examples in a scratch folder:
// import -> status -> preview -> send to the outbox.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = fileURLToPath(new URL('../.scratch/demo/', import.meta.url));
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

// The example config, with the outbox in the scratch folder rather than beside the examples.
const example = JSON.parse(readFileSync(`${root}examples/dunning.config.json`, 'utf8'));
const config = `${scratch}dunning.config.json`;
writeFileSync(config, JSON.stringify({ ...example, $schema: undefined, outbox: { dir: `${scratch}outbox` } }, null, 2));

// A fixed clock keeps the demo's "days overdue" the same whatever day it runs.
const common = ['--config', config, '--db', `${scratch}dunning.db`, '--now', '2026-11-23T09:00:00+01:00'];
const steps = [
  ['import', `${root}examples/elopage-export.csv`],
  ['status'],
  ['preview', '--template', 'reminder'],
  ['send'],
];

for (const step of steps) {
  console.log(`\n$ dunning ${step.join(' ').replaceAll(root, '')}`);
  const result = spawnSync(process.execPath, [`${root}bin/dunning`, ...common, ...step], { cwd: scratch, stdio: 'inherit', env: { ...process.env } });
  if (result.status !== 0) {
    console.error(`demo: "dunning ${step[0]}" exited with ${result.status}`);
    process.exit(1);
  }
}

const outbox = `${scratch}outbox`;
const runs = readdirSync(outbox);
const files = runs.flatMap((run) => readdirSync(`${outbox}/${run}`).map((file) => `${outbox}/${run}/${file}`));
console.log(`\nThe reminders are ${files.length} .eml files in ${outbox}/${runs[0] ?? ''}/ (open them in any mail client):`);
for (const file of files) console.log(`  ${file}`);
console.log(`The demo database is ${scratch}dunning.db; run "dunning --db ${scratch}dunning.db runs" to see the run log.`);

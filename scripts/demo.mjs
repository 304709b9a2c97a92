// npm run demo: the quick start, end to end, on the shipped examples in a scratch folder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = fileURLToPath(new URL('../.scratch/demo/', import.meta.url));
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

// A fixed clock keeps the demo's "days overdue" the same whatever day it runs.
const common = ['--config', `${root}examples/dunning.config.json`, '--db', `${scratch}dunning.db`, '--now', '2026-11-23T09:00:00+01:00'];
const steps = [
  ['import', `${root}examples/elopage-export.csv`],
  ['status'],
];

for (const step of steps) {
  console.log(`\n$ dunning ${step.join(' ').replaceAll(root, '')}`);
  const result = spawnSync(process.execPath, [`${root}bin/dunning`, ...common, ...step], { cwd: scratch, stdio: 'inherit', env: { ...process.env } });
  if (result.status !== 0) {
    console.error(`demo: "dunning ${step[0]}" exited with ${result.status}`);
    process.exit(1);
  }
}
console.log(`\nThe demo database is ${scratch}dunning.db; run "dunning --db ${scratch}dunning.db runs" to see the run log.`);

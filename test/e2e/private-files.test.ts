import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 20, item 6: what `export --out`, `promo export --out` and `report --html` write holds
// customers' addresses, pay links and codes: the owner's alone (0600), like the database and the
// outbox, whatever the umask and whatever mode an older file of that name had.

let world: Workspace;
afterEach(() => world.cleanup());

const modeOf = (name: string): string => (statSync(join(world.dir, name)).mode & 0o777).toString(8);

describe('files with customers in them are the owner\'s alone', () => {
  it('export --out, promo export --out and report --html write 0600, replacing an older 0644 file', async () => {
    world = createWorld({ sequence: { stages: [{ name: 'final', after: '1d', template: 'final', promo: { code: 'DANKE10', percentOff: 10 } }] } });
    world.writeExport([{ email: 'anna@example.de', order: '4711', open: '49,00', due: '20.11.2026' }]);
    expect((await world.run(['import', 'export.csv'])).code).toBe(0);
    expect((await world.run(['send'])).code).toBe(0);
    for (const name of ['pay-links.csv', 'codes.csv', 'report.html']) writeFileSync(join(world.dir, name), 'last week\n', { mode: 0o644 });
    expect(modeOf('pay-links.csv')).toBe('644');

    const commands = [['export', '--all', '--out', 'pay-links.csv'], ['promo', 'export', '--out', 'codes.csv'], ['report', '--html', 'report.html']];
    for (const args of commands) expect((await world.run(args)).code).toBe(0);
    // Checked with a fresh name as well, where only the umask (022 in the CLI's environment) would decide.
    expect((await world.run(['export', '--all', '--out', 'new.csv'])).code).toBe(0);

    for (const name of ['pay-links.csv', 'codes.csv', 'report.html', 'new.csv']) expect([name, modeOf(name)]).toEqual([name, '600']);
  });
});

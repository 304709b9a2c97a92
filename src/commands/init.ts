import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { DunningError } from '../core/errors.js';
import { CONFIG_SCHEMA_FILE, DEFAULT_TEMPLATES_DIR } from '../paths.js';
import type { Wrap } from './context.js';

/** `dunning init`: writes a starter config, never over an existing one. */
export function registerInit(program: Command, wrap: Wrap): Command {
  return program
    .command('init')
    .description('write a starter dunning.config.json (and show where the default templates are)')
    .action(
      wrap<Record<string, never>>('init', (ctx) => {
        const target = resolve(ctx.cwd, ctx.globals.config ?? DEFAULT_CONFIG_FILE);
        if (existsSync(target)) {
          throw new DunningError(`${target} already exists; nothing was written`, { hint: 'edit it, or delete it first to start over' });
        }
        const schema = relative(ctx.cwd, CONFIG_SCHEMA_FILE).split('\\').join('/');
        const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        writeFileSync(target, `${JSON.stringify(starterConfig(schema.startsWith('.') ? schema : `./${schema}`, timeZone), null, 2)}\n`, { flag: 'wx' });
        ctx.terminal.info(`Wrote ${target}: every key with its default value.`);
        ctx.terminal.info(`Editors complete and explain the keys from its "$schema" (${CONFIG_SCHEMA_FILE}).`);
        ctx.terminal.info('Set at least: manageLink (your pay/manage link with {token}), sender, timeZone.');
        ctx.terminal.info(`Default templates: ${DEFAULT_TEMPLATES_DIR} (copy a folder and set "templates.dir" to change them).`);
        ctx.terminal.info('Next: dunning import YOUR-EXPORT.csv && dunning status');
        return { exitCode: 0, summary: { wrote: target } };
      }),
    );
}

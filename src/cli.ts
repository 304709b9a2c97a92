import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { Clock } from './app/ports.js';
import { createClock } from './clock.js';
import { COMMANDS } from './commands/index.js';
import { CommandContext, type Adapters, type GlobalOptions, type Wrap } from './commands/context.js';
import { ExitCode } from './core/errors.js';
import { maskSecrets } from './core/text.js';
import { reportError } from './output/errors.js';
import { createTerminal, wantsColor, type Terminal } from './output/terminal.js';
import { openStore } from './store/index.js';

/** The process around the program, passed in so it could run in-process. */
export interface Runtime {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  version: string;
}

/**
 * The adapters of app/'s ports. Each command loads only the heavy ones it uses (channels and their
 * SDKs, templates, MIME): `import` then runs without them, 23 MB lighter, which its parsing thread
 * spends instead.
 */
const ADAPTERS: Adapters = {
  openStore,
  channels: async () => (await import('./channels/index.js')).CHANNELS,
  renderer: async () => (await import('./templates/index.js')).createRenderer,
  composeMime: async () => (await import('./channels/smtp/mime.js')).composeMime,
  letterPrinter: async () => (await import('./templates/letter/pdf.js')).printLetter,
  reportReader: async () => (await import('./channels/smtp/reports.js')).readDeliveryReports,
};

/** Runs the CLI and returns the exit code; the only place that decides it. */
export async function runCli(runtime: Runtime): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let terminal: Terminal = makeTerminal(runtime, {});
  const debug = runtime.env.DUNNING_DEBUG !== undefined && runtime.env.DUNNING_DEBUG !== '';

  const wrap: Wrap = (name, action) => async (...raw) => {
    const cmd = raw[raw.length - 1];
    if (!(cmd instanceof Command)) throw new Error('commander passed no command');
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    terminal = makeTerminal(runtime, globals);
    const args = raw.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.filter((x) => typeof x === 'string') : typeof a === 'string' ? [a] : []));
    // Until --now is read (it may be wrong), the run row of a refused command takes the system's time.
    let clock: Clock = { now: () => new Date() };
    const ctx = new CommandContext(name, runtime.argv.slice(2), globals, { now: () => clock.now() }, terminal, runtime.cwd, runtime.env, ADAPTERS);
    try {
      clock = createClock(globals.now, runtime.env);
      const options: unknown = cmd.opts();
      const result = await action(ctx, args, options as Parameters<typeof action>[2]);
      exitCode = result.exitCode;
      await ctx.end(exitCode, result.summary);
    } catch (error) {
      exitCode = reportError(terminal, error, debug, ctx.dbPath());
      try {
        await ctx.end(exitCode, { error: error instanceof Error ? maskSecrets(error.message) : String(error) });
      } catch (endError) {
        reportError(terminal, endError, debug);
      }
    }
  };

  try {
    await buildProgram(runtime, wrap).parseAsync([...runtime.argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(terminal, error, debug);
  }
  return exitCode;
}

function makeTerminal(runtime: Runtime, globals: GlobalOptions): Terminal {
  return createTerminal({
    json: globals.json === true,
    quiet: globals.quiet === true,
    color: wantsColor(globals.color !== false, runtime.env, runtime.stdout),
    stdout: runtime.stdout,
    stderr: runtime.stderr,
  });
}

function buildProgram(runtime: Runtime, wrap: Wrap): Command {
  const output = { writeOut: (s: string) => runtime.stdout.write(s), writeErr: (s: string) => runtime.stderr.write(s) };
  const program = new Command('dunning')
    .description('Payment reminders (dunning) from the CSV order exports of your shop or course platform.')
    .version(runtime.version, '-V, --version')
    .option('--config <file>', 'configuration file', undefined)
    .option('--db <file>', 'SQLite database file (default: ./dunning.db)')
    .option('--now <iso-date>', 'the clock, for reproducible runs (also DUNNING_NOW)')
    .option('--json', 'print one JSON document and nothing else')
    .option('-q, --quiet', 'print only problems')
    .addOption(new Option('--no-color', 'no colours (also NO_COLOR)'))
    .showHelpAfterError('(run "dunning --help" for usage)')
    .configureOutput(output)
    .exitOverride()
    .enablePositionalOptions(false);
  program.addHelpText(
    'after',
    '\nExit codes: 0 done, 1 done with failures (safe to rerun), 2 nothing attempted (usage, config or input error),\n3 another run holds the lock, 4 internal error.',
  );
  for (const register of COMMANDS) register(program, wrap).exitOverride().configureOutput(output);
  return program;
}

/**
 * A reader that stops early (`dunning status | head`) closes the pipe. What is left to print has
 * nowhere to go, but the command's work must finish: a send killed by its own output would leave
 * messages `sending`. Without this listener Node throws EPIPE with a stack trace.
 */
function outliveClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

outliveClosedPipe(process.stdout);
outliveClosedPipe(process.stderr);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
process.exitCode = await runCli({ argv: process.argv, cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, version: pkg.version });

import { Command, CommanderError, Option } from 'commander';
import { createClock } from './clock.js';
import { COMMANDS } from './commands/index.js';
import { CommandContext, dbPathOf, recordRefusedRun, type CommandResult, type GlobalOptions } from './commands/context.js';
import { maskSecrets } from './core/text.js';
import { DunningError, ExitCode } from './core/errors.js';
import { reportError } from './output/errors.js';
import { createTerminal, wantsColor, type Terminal } from './output/terminal.js';

/** The process around the program, passed in so tests can run it in-process if they wish. */
export interface Runtime {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  version: string;
}

/** A command's work, given its context, positional arguments and options. */
export type CommandAction<O> = (ctx: CommandContext, args: string[], options: O) => Promise<CommandResult> | CommandResult;

/** Turns a command's work into a commander action that records the run and maps errors to exit codes. */
export type ActionFactory = <O>(name: string, action: CommandAction<O>) => (...args: unknown[]) => Promise<void>;

/** Runs the CLI and returns the exit code; the only place that decides it. */
export async function runCli(runtime: Runtime): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let terminal: Terminal = makeTerminal(runtime, {});
  const debug = runtime.env.DUNNING_DEBUG !== undefined && runtime.env.DUNNING_DEBUG !== '';

  const wrap: ActionFactory = (name, action) => async (...raw) => {
    const cmd = raw[raw.length - 1];
    if (!(cmd instanceof Command)) throw new Error('commander passed no command');
    const options = cmd.opts();
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    terminal = makeTerminal(runtime, globals);
    const args = raw.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.filter((x) => typeof x === 'string') : typeof a === 'string' ? [a] : []));
    let ctx: CommandContext | undefined;
    try {
      const clock = createClock(globals.now, runtime.env);
      ctx = new CommandContext(name, runtime.argv.slice(2), globals, clock, terminal, runtime.cwd, runtime.env);
      const result = await action(ctx, args, options as never);
      exitCode = result.exitCode;
      ctx.end(exitCode, result.summary);
    } catch (error) {
      exitCode = reportError(terminal, error, debug);
      const summary = { error: error instanceof Error ? maskSecrets(error.message) : String(error) };
      try {
        if (ctx) ctx.end(exitCode, summary);
        else recordRefusedRun(dbPathOf(runtime.cwd, globals), name, runtime.argv.slice(2), new Date(), exitCode, summary);
      } catch (endError) {
        reportError(terminal, endError, debug);
      }
    }
  };

  const program = buildProgram(runtime, wrap);
  try {
    await program.parseAsync([...runtime.argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(terminal, error instanceof DunningError ? error : error, debug);
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

function buildProgram(runtime: Runtime, wrap: ActionFactory): Command {
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
    .configureOutput({
      writeOut: (s) => runtime.stdout.write(s),
      writeErr: (s) => runtime.stderr.write(s),
    })
    .exitOverride()
    .enablePositionalOptions(false);
  program.addHelpText(
    'after',
    '\nExit codes: 0 done, 1 done with failures (safe to rerun), 2 nothing attempted (usage, config or input error),\n3 another run holds the lock, 4 internal error.',
  );
  for (const register of COMMANDS) {
    const command = register(program, wrap);
    command.exitOverride().configureOutput({
      writeOut: (s) => runtime.stdout.write(s),
      writeErr: (s) => runtime.stderr.write(s),
    });
  }
  return program;
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { OutgoingMessage, ChannelTable, LetterPrinter, Clock, RendererFactory, ReportReader, Store, StoreOpener } from '../app/ports.js';
import type { AppConfig } from '../app/plan.js';
import { databaseLocation, isServerUrl } from '../app/database-location.js';
import { endSession, openSession, recordRefusedRun, type Session } from '../app/session.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { Terminal } from '../output/terminal.js';

/** Options every command accepts (DESIGN.md "Commands", Global). */
export interface GlobalOptions {
  config?: string;
  db?: string;
  now?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

/** What a command reports back: its exit code (0, 1, or 2 for an import that imported nothing) and the counts for the run log. */
export interface CommandResult {
  exitCode: 0 | 1 | 2;
  summary: Record<string, unknown>;
}

/** The adapters of the ports, made by src/cli.ts; the heavy ones load when first asked for. */
export interface Adapters {
  openStore: StoreOpener;
  channels: () => Promise<ChannelTable>;
  renderer: () => Promise<RendererFactory>;
  composeMime: () => Promise<(message: OutgoingMessage) => Promise<Buffer>>;
  /** Prints PDF letters (pdfkit: loaded by preview --format pdf and by send when a stage attaches one). */
  letterPrinter: () => Promise<LetterPrinter>;
  /** Reads bounce and complaint reports (mailparser: loaded by `bounces import` only). */
  reportReader: () => Promise<ReportReader>;
}

/** An open store, this invocation's run row and the configuration: what most commands work in. */
export interface Opened {
  store: Store;
  runId: number;
  config: AppConfig;
  baseDir: string;
}

/** A command's work, given its context, positional arguments and options. */
export type CommandAction<O> = (ctx: CommandContext, args: string[], options: O) => Promise<CommandResult> | CommandResult;

/** Turns a command's work into a commander action that records the run and maps errors to exit codes. */
export type Wrap = <O>(name: string, action: CommandAction<O>) => (...args: unknown[]) => Promise<void>;

/** Adds one command to the program and returns it. */
export type RegisterCommand = (program: Command, wrap: Wrap) => Command;

/** Everything a command may touch: the clock, the terminal, the config, the adapters. */
export class CommandContext {
  private session: Session | undefined;
  private loadedConfig: LoadedConfig | undefined;

  constructor(
    readonly command: string,
    readonly argv: readonly string[],
    readonly globals: GlobalOptions,
    readonly clock: Clock,
    readonly terminal: Terminal,
    readonly cwd: string,
    readonly env: NodeJS.ProcessEnv,
    readonly adapters: Adapters,
  ) {}

  /** The validated configuration (read once). */
  config(): LoadedConfig {
    this.loadedConfig ??= loadConfig(this.globals.config, this.cwd);
    return this.loadedConfig;
  }

  /** A path the user gave, relative to the working folder. */
  resolve(path: string): string {
    return resolve(this.cwd, path);
  }

  /** The database from --db, else DUNNING_DATABASE_URL, else ./dunning.db; a file relative to the working folder. */
  dbPath(): string {
    return dbPathOf(this.cwd, this.globals, this.env);
  }

  /** Whether the database is there already: a server URL is (the server says otherwise when opened), a file when it exists. */
  dbExists(): boolean {
    const location = this.dbPath();
    return isServerUrl(location) || existsSync(location);
  }

  /**
   * Loads the config, opens the store and writes this invocation's run row. `mustExist`: a command
   * that reads what imports wrote refuses a folder without a database (a typo in --db or the wrong
   * folder under cron) instead of leaving an empty one there. `memoryOnly`: a database that vanishes
   * with the process (a dry run in a folder without one).
   */
  async open(options: { memoryOnly?: boolean; mustExist?: boolean } = {}): Promise<Opened> {
    const loaded = this.config();
    if (this.session === undefined) {
      const location = options.memoryOnly === true ? ':memory:' : this.dbPath();
      this.session = await openSession(this.adapters.openStore, location, { mustExist: options.mustExist === true }, this, this.clock.now());
    }
    return { store: this.session.store, runId: this.session.runId, config: loaded.config, baseDir: loaded.baseDir };
  }

  /** Closes the run row with the outcome, and the store. */
  async end(exitCode: number, summary: Record<string, unknown>): Promise<void> {
    const session = this.session;
    this.session = undefined;
    // Refused before the store was opened (config, usage): still logged, in a database that exists.
    if (session === undefined) await recordRefusedRun(this.adapters.openStore, this.dbPath(), this, this.clock.now(), exitCode, summary);
    else await endSession(session, this.clock.now(), exitCode, summary);
  }
}

/** The database a command uses: --db, else DUNNING_DATABASE_URL, else ./dunning.db (a file relative to the working folder). */
export function dbPathOf(cwd: string, globals: Pick<GlobalOptions, 'db'>, env: NodeJS.ProcessEnv = {}): string {
  return databaseLocation(cwd, globals.db, env);
}

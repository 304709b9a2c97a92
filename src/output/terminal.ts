import { Chalk, type ChalkInstance } from 'chalk';
import { writeJson } from './json-writer.js';

/** Where and how output goes: the only place that writes to stdout and stderr. */
export interface Terminal {
  /** --json: one JSON document on stdout and nothing else. */
  readonly json: boolean;
  /** --quiet: no summaries, only problems. */
  readonly quiet: boolean;
  /** A person is watching stdout (progress bars make sense). */
  readonly interactive: boolean;
  readonly style: ChalkInstance;
  /** A line for people on stdout; suppressed by --json and --quiet. */
  info(line: string): void;
  /** A line of the command's result on stdout (tables); suppressed by --json only. */
  out(line: string): void;
  /** Text of the command's result on stdout as it is, for a result written in pieces (CSV); suppressed by --json only. */
  text(piece: string): void;
  /** Bytes on stdout as they are (a PDF); suppressed by --json only. */
  bytes(data: Uint8Array): void;
  /** A diagnostic on stderr; always shown. */
  warn(line: string): void;
  /** The one JSON document of --json. */
  document(value: unknown): void;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface TerminalOptions {
  json: boolean;
  quiet: boolean;
  color: boolean;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** Creates the terminal for one invocation. */
export function createTerminal(options: TerminalOptions): Terminal {
  const style = new Chalk({ level: options.color ? 1 : 0 });
  const write = (stream: NodeJS.WritableStream, line: string): void => {
    stream.write(`${line}\n`);
  };
  return {
    json: options.json,
    quiet: options.quiet,
    interactive: options.stdout.isTTY === true && !options.json,
    style,
    info: (line) => {
      if (!options.json && !options.quiet) write(options.stdout, line);
    },
    out: (line) => {
      if (!options.json) write(options.stdout, line);
    },
    text: (piece) => {
      if (!options.json) options.stdout.write(piece);
    },
    bytes: (data) => {
      if (!options.json) options.stdout.write(data);
    },
    warn: (line) => write(options.stderr, line),
    document: (value) => {
      writeJson(value, (text) => options.stdout.write(text));
      options.stdout.write('\n');
    },
    stderr: options.stderr,
  };
}

/** Whether colour is wanted: --no-color, NO_COLOR and a non-terminal all turn it off. */
export function wantsColor(flag: boolean, env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

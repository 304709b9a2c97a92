import { readFileSync } from 'node:fs';
import { runCli } from './program.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

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

process.exitCode = await runCli({
  argv: process.argv,
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  version: pkg.version,
});

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OutgoingMessage } from '../../app/ports.js';
import { COMPOSE_WORKER_FILE } from '../../paths.js';
import type { ComposeAnswer, ComposeRequest } from './compose-worker.js';
import { composeMime, mailOptions, type DkimSigning } from './mime.js';

/** Turns outgoing messages into their MIME bytes (the same bytes however it is done). */
export interface MimeComposer {
  compose(message: OutgoingMessage): Promise<Buffer>;
  close(): Promise<void>;
}

/** Composes in this thread: for a message at a time (previews, the outbox, a send without a pool). */
export const composeHere: MimeComposer = { compose: (message) => composeMime(message), close: () => Promise.resolve() };

/** Composes (and with `dkim`, signs) in this thread. */
export function composerHere(dkim?: DkimSigning): MimeComposer {
  return dkim === undefined ? composeHere : { compose: (message) => composeMime(message, dkim), close: () => Promise.resolve() };
}

/**
 * Composes in a worker thread, so that a pooled SMTP send composes the next message while this
 * thread speaks SMTP for the previous ones: composing is a third of the sending thread's CPU
 * (bench:send profile), and the send is bound by that thread. Falls back to this thread when the
 * worker file is missing (running from the TypeScript sources) or the worker fails.
 */
export function composeInWorker(file: URL = COMPOSE_WORKER_FILE, dkim?: DkimSigning): MimeComposer {
  if (!existsSync(fileURLToPath(file))) return composerHere(dkim);
  let worker: Worker | undefined;
  let failed = false;
  let nextId = 0;
  const pending = new Map<number, { resolve: (raw: Buffer) => void; reject: (error: Error) => void }>();

  const fail = (error: Error): void => {
    failed = true;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const start = (): Worker => {
    const started = new Worker(file);
    started.on('message', (answer: ComposeAnswer) => {
      const waiting = pending.get(answer.id);
      if (waiting === undefined) return;
      pending.delete(answer.id);
      // An idle worker must not keep the process alive; a busy one must, or a send could end mid-batch.
      if (pending.size === 0) started.unref();
      if ('raw' in answer) waiting.resolve(Buffer.from(answer.raw.buffer, answer.raw.byteOffset, answer.raw.byteLength));
      else waiting.reject(new Error(`cannot compose the message: ${answer.error}`));
    });
    started.on('error', (error) => fail(error));
    started.on('exit', (code) => fail(new Error(`the composing thread stopped (exit code ${code})`)));
    return started;
  };

  return {
    compose(message) {
      if (failed) return composeMime(message, dkim);
      worker ??= start();
      const id = nextId++;
      if (pending.size === 0) worker.ref();
      const answer = new Promise<Buffer>((resolve, reject) => pending.set(id, { resolve, reject }));
      worker.postMessage({ id, options: mailOptions(message), ...(dkim === undefined ? {} : { dkim }) } satisfies ComposeRequest);
      return answer;
    },
    async close() {
      failed = true;
      if (worker !== undefined) await worker.terminate();
    },
  };
}

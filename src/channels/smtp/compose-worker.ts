// The composing thread of a large SMTP send: it turns messages into MIME bytes while the main thread talks SMTP.
import { parentPort } from 'node:worker_threads';
import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { composeOptions, type DkimSigning } from './mime.js';

/** A message to compose, and its answer: the bytes, or why there are none. */
export interface ComposeRequest {
  id: number;
  options: MailComposerOptions;
  /** The signing key, when smtp.dkim is set: handed over in memory, never written anywhere. */
  dkim?: DkimSigning;
}
export type ComposeAnswer = { id: number; raw: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (port === null) throw new Error('compose-worker runs as a worker thread only');

port.on('message', (request: ComposeRequest) => {
  composeOptions(request.options, request.dkim).then(
    (raw) => port.postMessage({ id: request.id, raw } satisfies ComposeAnswer),
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies ComposeAnswer),
  );
});

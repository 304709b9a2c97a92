import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ChannelStopError, type Channel, type ChannelKit, type ChannelOptions, type DeliveryOutcome, type OutgoingMessage } from '../../app/ports.js';
import { storageProblem } from '../../core/errors.js';
import { loadDkimKey } from '../../config/dkim-key.js';
import { composeMime } from '../smtp/mime.js';

/** A file name from the message's number, stage and address: readable, and safe on every file system. */
function fileName(sequence: number, message: OutgoingMessage): string {
  const who = message.to.address.toLowerCase().replace(/[^a-z0-9@._-]+/g, '_').slice(0, 80);
  return `${String(sequence).padStart(5, '0')}-${message.data.stage.name}-${who}.eml`;
}

/**
 * The default channel: every message as an RFC 5322 `.eml` file under `outbox/<run-id>/`, which
 * any mail client opens. Files are readable by their owner only: they hold customers' links.
 */
function createOutboxChannel(options: ChannelOptions): Channel {
  const dir = outboxDirOf(options.baseDir, options.config.outbox.dir, options.runId);
  // Signed as SMTP signs, so a merchant who hands the files to another program keeps the signature (issue 23).
  const dkimSettings = options.config.smtp.dkim;
  const dkim = dkimSettings === undefined ? undefined : loadDkimKey(dkimSettings, options.baseDir);
  let sequence = 0;
  let made = false;
  const deliver = async (message: OutgoingMessage): Promise<DeliveryOutcome> => {
    const mime = await composeMime(message, dkim);
    const path = join(dir, fileName(++sequence, message));
    // Written under a temporary name and renamed when complete: a full disk leaves no half file
    // that looks like a message.
    const part = `${path}.part`;
    try {
      if (!made) mkdirSync(dir, { recursive: true, mode: 0o700 });
      made = true;
      writeFileSync(part, mime, { mode: 0o600 });
      // A link, not a rename: a file of an earlier try is never overwritten (EEXIST).
      linkSync(part, path);
      rmSync(part);
    } catch (error) {
      rmSync(part, { force: true });
      // A full disk, a read-only folder or a denied write fails every message after this one too.
      const problem = storageProblem(error, dir);
      if (problem !== null) throw new DiskProblem(problem.message, problem.hint ?? '');
      return { state: 'failed', permanent: false, error: `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}` };
    }
    return { state: 'sent', providerId: relative(options.baseDir, path), response: `written to ${path}` };
  };
  return {
    name: 'outbox',
    batchSize: 20,
    send: async (messages) => {
      const outcomes: DeliveryOutcome[] = [];
      try {
        for (const message of messages) outcomes.push(await deliver(message));
      } catch (error) {
        if (error instanceof DiskProblem) throw new ChannelStopError(error.message, error.hint, outcomes);
        throw error;
      }
      return outcomes;
    },
    get folder() {
      return made ? dir : undefined;
    },
    close: () => Promise.resolve(),
  };
}

/** The outbox's folder cannot take another file: the run stops after the files written so far. */
class DiskProblem extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The outbox channel in the channel table (src/channels/index.ts). */
export const OUTBOX: ChannelKit = { create: createOutboxChannel };

/** Where the outbox channel of a run writes its files. */
function outboxDirOf(baseDir: string, outboxDir: string, runId: number): string {
  return resolve(baseDir, outboxDir, String(runId));
}

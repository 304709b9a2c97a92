import { ChannelStopError, type DeliveryOutcome, type OutgoingMessage } from '../../app/ports.js';

/** What one provider request did: an outcome per message, and whether the channel must stop after it. */
export interface ChunkResult {
  outcomes: DeliveryOutcome[];
  /** Set when some messages of the chunk went out but the channel is unusable for the rest. */
  stop?: ChannelStopError;
}

/** Remembers that a channel must stop, so that the next send() throws before any request. */
export interface StopLatch {
  error: ChannelStopError | undefined;
}

/**
 * Sends prepared chunks, one provider request each. A ChannelStopError from the first chunk
 * propagates (nothing of this call went out); after that, outcomes already known are returned, the
 * rest are reported as not sent, and the next call throws the stop. Throwing then would lose the
 * record of messages that did go out, and a lost record means a second reminder.
 */
export async function sendInChunks(
  chunks: readonly (readonly OutgoingMessage[])[],
  latch: StopLatch,
  sendChunk: (chunk: readonly OutgoingMessage[]) => Promise<ChunkResult>,
): Promise<DeliveryOutcome[]> {
  if (latch.error !== undefined) throw latch.error;
  const total = chunks.reduce((n, chunk) => n + chunk.length, 0);
  const outcomes: DeliveryOutcome[] = [];
  for (const [index, chunk] of chunks.entries()) {
    let result: ChunkResult;
    try {
      result = await sendChunk(chunk);
    } catch (error) {
      if (!(error instanceof ChannelStopError) || index === 0) throw error;
      result = { outcomes: [], stop: error };
    }
    outcomes.push(...result.outcomes);
    if (result.stop !== undefined) {
      latch.error = result.stop;
      const notSent = notAttempted(result.stop);
      while (outcomes.length < total) outcomes.push(notSent);
      break;
    }
  }
  return outcomes;
}

/** Splits messages into consecutive chunks of at most `size`. */
export function chunkBySize(messages: readonly OutgoingMessage[], size: number): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  for (let start = 0; start < messages.length; start += size) chunks.push(messages.slice(start, start + size));
  return chunks;
}

/** The outcome of a message that was not attempted because the channel stopped. */
export function notAttempted(stop: ChannelStopError): DeliveryOutcome {
  return { state: 'failed', permanent: false, error: `not sent: ${stop.message}` };
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (item !== undefined) results[index] = await task(item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

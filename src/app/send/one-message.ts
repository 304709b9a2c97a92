import { DunningError } from '../../core/errors.js';
import { ChannelStopError, type Channel, type DeliveryOutcome, type OutgoingMessage } from '../ports.js';

/**
 * Sends one message outside a run (preview --to, the report digest) and closes the channel: its
 * outcome, or a DunningError when the channel cannot send at all (a refused login, a full disk).
 */
export async function sendOneMessage(channel: Channel, message: OutgoingMessage): Promise<DeliveryOutcome> {
  try {
    const [outcome] = await channel.send([message]);
    if (outcome === undefined) throw new Error(`the channel ${channel.name} gave no outcome`);
    return outcome;
  } catch (error) {
    if (error instanceof ChannelStopError) throw new DunningError(error.message, { hint: error.hint });
    throw error;
  } finally {
    await channel.close();
  }
}

import type { ChannelName } from '../config/schema.js';
import { DunningError } from '../core/errors.js';
import type { ChannelFactory } from './channel.js';
import { createOutboxChannel } from './outbox.js';
import { createSmtpChannel } from './smtp.js';

/** A channel whose module has not landed yet: choosing it is a configuration error, not a crash. */
function notAvailableYet(name: ChannelName): ChannelFactory {
  return () => {
    throw new DunningError(`channel "${name}" is not available yet`, { hint: 'use --channel outbox or --channel smtp' });
  };
}

/** Every channel by name; adding one touches its own module and this table (STYLE.md habit 5). */
export const CHANNELS = {
  outbox: createOutboxChannel,
  smtp: createSmtpChannel,
  mailjet: notAvailableYet('mailjet'),
  mailchimp: notAvailableYet('mailchimp'),
} satisfies Record<ChannelName, ChannelFactory>;

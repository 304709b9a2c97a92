import type { ChannelName } from '../config/schema.js';
import type { ChannelFactory } from './channel.js';
import { mailchimpChannel } from './mailchimp.js';
import { mailjetChannel } from './mailjet.js';
import { createOutboxChannel } from './outbox.js';
import { createSmtpChannel } from './smtp.js';

/** Every channel by name; adding one touches its own module and this table (STYLE.md habit 5). */
export const CHANNELS = {
  outbox: createOutboxChannel,
  smtp: createSmtpChannel,
  mailjet: mailjetChannel,
  mailchimp: mailchimpChannel,
} satisfies Record<ChannelName, ChannelFactory>;

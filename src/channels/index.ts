import type { ChannelKit } from '../app/ports.js';
import type { ChannelName } from '../config/schema.js';
import { MAILCHIMP } from './mailchimp/index.js';
import { MAILJET } from './mailjet/index.js';
import { OUTBOX } from './outbox/index.js';
import { SMTP } from './smtp/index.js';

/**
 * Every channel by name (the names are config/schema.ts's CHANNEL_NAMES): adding one is one folder
 * and one row here (docs/ARCHITECTURE.md, "Adding a channel").
 */
export const CHANNELS = {
  outbox: OUTBOX,
  smtp: SMTP,
  mailjet: MAILJET,
  mailchimp: MAILCHIMP,
} satisfies Record<ChannelName, ChannelKit>;

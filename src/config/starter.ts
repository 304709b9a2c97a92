import { ConfigSchema, DEFAULT_SEQUENCE } from './schema.js';

/** The config `dunning init` writes: every key with its default, so nothing is hidden. */
export function starterConfig(schemaPath: string, timeZone: string): Record<string, unknown> {
  const defaults = ConfigSchema.parse({});
  return {
    $schema: schemaPath,
    $comment: 'Every key shows its default. Hover a key in your editor for its meaning, or see the README ("Configuration").',
    ...defaults,
    timeZone,
    manageLink: 'https://elopage.com/s/YOUR-SELLER-NAME/payment/{token}/manage',
    sender: { ...defaults.sender, replyTo: defaults.sender.email },
    // The sequence as the config writes it ("3d"), not as it is read.
    sequence: DEFAULT_SEQUENCE,
    sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', until: '18:00' },
  };
}

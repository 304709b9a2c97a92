import { describe, expect, it } from 'vitest';
import { channelOf, runUses } from '../../src/config/channels.js';

const config = {
  channel: 'smtp' as const,
  sequence: { stages: [{ name: 'reminder', channel: 'outbox' as const }, { name: 'second' }, { name: 'final', channel: 'mailchimp' as const }] },
};

describe('channelOf', () => {
  it.each([
    ['reminder', undefined, 'outbox'],
    ['second', undefined, 'smtp'],
    ['final', undefined, 'mailchimp'],
    ['reminder', 'mailjet', 'mailjet'],
    ['second', 'outbox', 'outbox'],
  ] as const)('stage %s with --channel %s goes through %s', (name, override, expected) => {
    expect(channelOf(config, config.sequence.stages.find((s) => s.name === name), override)).toBe(expected);
  });

  it('takes the config\'s channel for a template that is no stage of the sequence', () => {
    expect(channelOf(config, undefined)).toBe('smtp');
  });
});

describe('runUses', () => {
  it('sees a channel in the config or in any stage, unless --channel names another', () => {
    expect(runUses(config, 'mailchimp', undefined)).toBe(true);
    expect(runUses(config, 'smtp', undefined)).toBe(true);
    expect(runUses(config, 'mailjet', undefined)).toBe(false);
    expect(runUses(config, 'mailchimp', 'outbox')).toBe(false);
    expect(runUses(config, 'mailjet', 'mailjet')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { channelOf, channelsOfRun } from '../../src/config/channels.js';

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

describe('channelsOfRun', () => {
  it('lists the config\'s channel and every stage\'s, once each, unless --channel names one', () => {
    expect(channelsOfRun(config, undefined).sort()).toEqual(['mailchimp', 'outbox', 'smtp']);
    expect(channelsOfRun(config, 'outbox')).toEqual(['outbox']);
    expect(channelsOfRun(config, 'mailjet')).toEqual(['mailjet']);
  });
});

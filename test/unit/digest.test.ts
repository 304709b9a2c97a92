import { describe, expect, it } from 'vitest';
import { digestOf, type DigestFacts } from '../../src/core/digest.js';

const QUIET: DigestFacts = { since: '2026-11-02T23:00:00.000Z', sent: 12, failed: 0, unknown: 0, payers: [], paid: [], manualFollowUp: 0, codesExpiringToday: 2 };

describe('digestOf', () => {
  it('needs no attention on a quiet day (codes expiring today are news, not a problem)', () => {
    expect(digestOf(QUIET).attention).toEqual([]);
  });

  it('puts unknown messages first, then failures, then customers waiting for a personal word', () => {
    const digest = digestOf({ ...QUIET, failed: 3, unknown: 1, manualFollowUp: 2 });
    expect(digest.attention.map((a) => [a.what, a.count, a.command])).toEqual([
      ['unknown', 1, 'dunning status'],
      ['failed', 3, 'dunning runs --last 5'],
      ['manual_follow_up', 2, 'dunning status'],
    ]);
    expect(digest.attention[0]?.text).toBe('1 message of unknown fate: check whether it arrived, then resend or leave it');
    expect(digest.attention[2]?.text).toBe('2 customers wait for a personal follow-up: the sequence has ended for them');
  });
});

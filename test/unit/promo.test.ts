import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyDiscount, codeIsActive, stagePromoTerms } from '../../src/core/promo.js';
import type { CodeAssignment, NewMessage } from '../../src/app/ports.js';
import { openTestStore, type TestStore } from '../support/store.js';
import { MORNING } from '../support/exports.js';

const NOW = new Date('2026-11-23T08:00:00Z');

describe('promo terms', () => {
  it.each([
    [{ minor: 123456, currency: 'EUR' }, { percentOff: 10 }, 111110],
    [{ minor: 4999, currency: 'EUR' }, { percentOff: 15 }, 4249], // 749.85 off rounds to 750
    [{ minor: 5, currency: 'EUR' }, { percentOff: 50 }, 2], // half a cent off rounds up to 3
    [{ minor: 1000, currency: 'EUR' }, { percentOff: 12.5 }, 875],
    [{ minor: 1000, currency: 'EUR' }, { amountOff: { minor: 1500, currency: 'EUR' } }, 0],
    [{ minor: 1000, currency: 'EUR' }, { amountOff: { minor: 300, currency: 'USD' } }, 1000],
  ] as const)('applyDiscount(%j, %j) leaves %i cents', (open, discount, after) => {
    expect(applyDiscount(open, discount)).toEqual({ minor: after, currency: open.currency });
  });

  it('reads an amount discount in the stage currency and sets the expiry from now', () => {
    expect(stagePromoTerms({ amountOff: '10,00', validHours: 72 }, 'EUR', NOW)).toEqual({
      ok: true,
      value: { discount: { amountOff: { minor: 1000, currency: 'EUR' } }, expiresAt: '2026-11-26T08:00:00.000Z', validHours: 72 },
    });
    expect(stagePromoTerms({ amountOff: '1.000', validHours: 1 }, 'EUR', NOW).ok).toBe(false);
  });

  it('holds up to, not including, its expiry', () => {
    expect(codeIsActive('2026-11-25T08:00:00.000Z', new Date('2026-11-25T07:59:59.999Z'))).toBe(true);
    expect(codeIsActive('2026-11-25T08:00:00.000Z', new Date('2026-11-25T08:00:00.000Z'))).toBe(false);
  });
});

describe('handing out pool codes with the claim', () => {
  let store: TestStore;
  let runId: number;
  beforeEach(async () => {
    store = await openTestStore();
    await store.importRows(MORNING, NOW);
    runId = await store.newRun('send', NOW);
    await store.store.promos.addPoolCodes('final', ['A1', 'B2'], NOW.toISOString());
  });
  afterEach(() => store.close());

  function message(orderId: string, emailKey: string, code: string): NewMessage {
    const caseId = store.query<{ id: number }>('SELECT id FROM cases WHERE order_id = ?', orderId)[0]?.id ?? 0;
    const assignment: CodeAssignment = { stage: 'final', code, pool: 'final', emailKey, discountJson: '{"percentOff":10}', issuedAt: NOW.toISOString(), expiresAt: '2026-11-25T08:00:00.000Z' };
    return { runId, emailKey, stage: 'final', channel: 'outbox', template: 'final', recipient: emailKey, messageId: `<${orderId}@t>`, cases: [{ caseId, stage: 'final', repeat: 0 }], code: assignment };
  }

  it('gives a code to one customer only; the second claim is undone with its message', async () => {
    const { messages, promos } = store.store;
    const results = await messages.claim([message('4712', 'ben.schaefer@example.de', 'A1'), message('4713', 'clara.weiss@example.de', 'A1')], NOW);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toEqual({ ok: false, reason: 'code_taken', detail: 'the promo code A1 went to another customer meanwhile' });
    expect(store.query('SELECT count(*) AS n FROM messages')).toEqual([{ n: 1 }]);
    expect(store.query("SELECT count(*) AS n FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE c.order_id = '4713'")).toEqual([{ n: 0 }]);
    // Issue 21: a code is issued with the message that shows it, not with its claim.
    expect(await promos.heldCodes()).toEqual([]);
    const first = results[0];
    if (first?.ok !== true) throw new Error('the first claim went in');
    await messages.record([{ id: first.id, state: 'sent', providerId: null, response: '250 OK' }], NOW);
    expect((await promos.heldCodes()).map((c) => [c.emailKey, c.code])).toEqual([['ben.schaefer@example.de', 'A1']]);
    expect(await promos.heldCodeOf('final', 'ben.schaefer@example.de')).toBe('A1');
    expect(await promos.heldCodeOf('final', 'clara.weiss@example.de')).toBeUndefined();
  });

  it('loads a pool file again without duplicating what it knows', async () => {
    expect(await store.store.promos.addPoolCodes('final', ['A1', 'B2', 'C3'], NOW.toISOString())).toBe(1);
    expect(store.query("SELECT count(*) AS n FROM promo_codes WHERE pool = 'final'")).toEqual([{ n: 3 }]);
  });
});

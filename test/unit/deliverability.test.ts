import { describe, expect, it } from 'vitest';
import { dsnRecipients, failureOf, fieldBlocks, originalOf, readReport } from '../../src/core/delivery-report.js';
import { describeSuppression } from '../../src/core/suppression.js';
import { unsubscribeHeaders, unsubscribeUrlProblem } from '../../src/core/unsubscribe.js';

// Issue 23: the pure parts of deliverability, table by table.

describe('unsubscribeHeaders', () => {
  const fields = { hasOffer: true, email: 'Anna+x@example.de', token: 'tk/1 2', orderId: '4711' };
  it.each([
    ['no setting', undefined, fields, {}],
    ['a plain reminder under "promo"', { url: 'https://s.de/u?c={token}', stages: 'promo' as const }, { ...fields, hasOffer: false }, {}],
    ['https and mailto', { url: 'https://s.de/u?c={token}', mailto: 'u@s.de', stages: 'promo' as const }, fields, {
      'List-Unsubscribe': '<https://s.de/u?c=tk%2F1%202>, <mailto:u@s.de?subject=unsubscribe>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    }],
    ['http: no One-Click', { url: 'http://s.de/u?e={email}', stages: 'all' as const }, { ...fields, hasOffer: false }, { 'List-Unsubscribe': '<http://s.de/u?e=Anna%2Bx%40example.de>' }],
    ['no token: mailto alone', { url: 'https://s.de/u?c={token}', mailto: 'u@s.de', stages: 'promo' as const }, { ...fields, token: null }, {
      'List-Unsubscribe': '<mailto:u@s.de?subject=unsubscribe>',
    }],
    ['no token and no mailto: nothing', { url: 'https://s.de/u?c={token}', stages: 'promo' as const }, { ...fields, token: null }, {}],
  ])('%s', (_name, settings, f, expected) => {
    expect(unsubscribeHeaders(settings, f)).toEqual(expected);
  });

  it.each([
    ['https://s.de/u?c={token}', null],
    ['s.de/u', 'must start with https:// (or http://) and a host name'],
    ['https://s.de/u?c={tokn}', 'uses {tokn}, which is not a field (use {token}, {email}, {order_id})'],
    ['https://s.de/u?a=1,2', 'must not contain spaces, "<", ">" or ","'],
  ])('unsubscribeUrlProblem(%s)', (url, problem) => {
    expect(unsubscribeUrlProblem(url)).toBe(problem);
  });
});

const STATUS = `Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 24 Nov 2026 09:59:58 +0100

Final-Recipient: rfc822; clara@example.de
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <clara@example.de>: Recipient address
    rejected: User unknown

Final-Recipient: rfc822;<books@example.de>
Action: delayed
Status: 4.4.1 (connection timed out)
`;

describe('delivery reports', () => {
  it('reads the field blocks of a delivery-status part, folded lines joined', () => {
    expect(fieldBlocks(STATUS)).toHaveLength(3);
    expect(dsnRecipients(STATUS)).toEqual([
      { address: 'clara@example.de', action: 'failed', status: '5.1.1', diagnostic: 'Recipient address rejected: User unknown' },
      { address: 'books@example.de', action: 'delayed', status: '4.4.1', diagnostic: '' },
    ]);
  });

  it.each([
    [{ action: 'failed', status: '5.1.1' }, 'permanent'],
    [{ action: 'failed', status: '' }, 'permanent'],
    [{ action: 'delayed', status: '4.4.1' }, 'temporary'],
    [{ action: 'failed', status: '4.2.2' }, 'temporary'],
    [{ action: 'delivered', status: '2.0.0' }, null],
    [{ action: 'relayed', status: '2.0.0' }, null],
  ] as const)('failureOf(%j) is %s', (r, expected) => {
    expect(failureOf({ address: 'a@b.de', diagnostic: '', ...r })).toBe(expected);
  });

  it('finds the returned Message-ID and X-Dunning-Case, folded or not', () => {
    expect(originalOf('From: a@b.de\nMessage-ID:\n <dunning.x.1@s.de>\nX-Dunning-Case: 3, 17\n\nbody Message-ID: <no@s.de>')).toEqual({ messageId: '<dunning.x.1@s.de>', caseIds: [3, 17] });
    expect(originalOf('Subject: x')).toEqual({ messageId: null, caseIds: [] });
  });

  it('tells a DSN, an ARF complaint and other mail apart', () => {
    const meta = { where: 'f', reportKey: 'k', date: null };
    expect(readReport({ ...meta, reportType: 'delivery-status' }, [{ contentType: 'message/delivery-status', text: STATUS }]).kind).toBe('dsn');
    const arf = readReport({ ...meta, reportType: 'feedback-report' }, [
      { contentType: 'message/feedback-report', text: 'Feedback-Type: abuse\nOriginal-Rcpt-To: <ben@example.de>\n' },
      { contentType: 'message/rfc822', text: 'Message-ID: <m@s.de>\n\nhi' },
    ]);
    expect(arf).toMatchObject({ kind: 'arf', complainant: 'ben@example.de', feedbackType: 'abuse', original: { messageId: '<m@s.de>' } });
    expect(readReport({ ...meta, reportType: null }, []).kind).toBe('none');
  });

  it('says why an address gets nothing', () => {
    expect(describeSuppression({ reason: 'bounced', detail: '5.1.1 user unknown' }, '2025-03-18')).toBe('address bounced 2025-03-18: 5.1.1 user unknown');
    expect(describeSuppression({ reason: 'unsubscribed', detail: '' }, '2025-03-18')).toBe('unsubscribed 2025-03-18');
  });
});

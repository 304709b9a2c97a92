import { describe, expect, it } from 'vitest';
import { chunkBySize } from '../../src/channels/shared/batching.js';
import { parseRetryAfter } from '../../src/channels/shared/http-failure.js';
import { chunkByAddress } from '../../src/channels/mailchimp/index.js';
import { toMergeValues } from '../../src/channels/mailchimp/fields.js';
import { mergeFields } from '../../src/core/merge-fields.js';
import { customId, toMailjetMessage } from '../../src/channels/mailjet/payload.js';
import { outgoing, outgoingMany } from '../support/messages.js';

describe('Mailjet payload', () => {
  it('writes a CustomID with the stage and the cases, readable in the Mailjet dashboard', () => {
    expect(customId(outgoing(12, { stage: 'final', caseIds: [12, 15, 99] }))).toBe('dunning:final:12-15-99');
  });

  it('keeps headers that have their own property out of Headers (send-0011)', () => {
    const message = toMailjetMessage(outgoing(1, { headers: { 'X-Dunning-Case': '1', Subject: 'x', 'Reply-To': 'a@b.example' } }), undefined);
    expect(message.Headers).toEqual({ 'X-Dunning-Case': '1' });
    expect(toMailjetMessage(outgoing(1, { headers: {} }), undefined)).not.toHaveProperty('Headers');
  });

  it('sends Reply-To and Bcc as addresses, and no empty Name', () => {
    const message = toMailjetMessage(outgoing(1, { replyTo: { name: '', address: 'reply@example.com' }, bcc: { name: 'Books', address: 'books@example.com' } }), undefined);
    expect(message.ReplyTo).toEqual({ Email: 'reply@example.com' });
    expect(message.Bcc).toEqual([{ Email: 'books@example.com', Name: 'Books' }]);
  });
});

describe('Mailchimp merge values', () => {
  it('maps variables to merge tags, cuts long text at 255 characters and never blanks a known name', () => {
    const message = outgoing(1);
    const values = toMergeValues({ ...mergeFields(message.data), first_name: '', order_ids: 'A-1, '.repeat(80) });
    expect(values).not.toHaveProperty('FNAME');
    expect(values.LNAME).toBe('Last1');
    expect([...String(values.ORDERIDS)]).toHaveLength(255);
    expect(String(values.ORDERIDS).endsWith('…')).toBe(true);
    expect(values.DAYSOVER).toBe(4);
    expect(values.PROMOCODE).toBe('');
  });
});

describe('chunking', () => {
  it('splits by size, and by address so a batch never holds one address twice', () => {
    expect(chunkBySize(outgoingMany(120), 50).map((c) => c.length)).toEqual([50, 50, 20]);
    const messages = [outgoing(1), outgoing(2), outgoing(3, { to: { name: '', address: 'CUSTOMER1@example.com' } }), outgoing(4)];
    expect(chunkByAddress(messages, 500).map((c) => c.map((m) => m.data.caseIds[0]))).toEqual([[1, 2], [3, 4]]);
    expect(chunkByAddress(outgoingMany(1001), 500).map((c) => c.length)).toEqual([500, 500, 1]);
  });
});

describe('Retry-After', () => {
  it.each([
    ['7', 7000],
    [' 120 ', 120_000],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['soon', undefined],
  ])('reads %j', (value, ms) => {
    expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(ms);
  });
});

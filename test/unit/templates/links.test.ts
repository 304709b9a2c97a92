import { describe, expect, it } from 'vitest';
import { buildManageLink, linkPatternFor, linkPatternProblem } from '../../../src/core/links.js';
import { languageFromHint, shippedLanguageFromHint } from '../../../src/core/locale.js';

describe('buildManageLink', () => {
  it('URL-encodes the token and every other field', () => {
    const link = buildManageLink('https://shop.example/s/{seller}/payment/{token}/manage?o={order_id}', {
      token: 'a/b+c&d?e#f=g%h',
      seller: 'yoga sonnenschein',
      order_id: '47/11',
    });
    expect(link).toEqual({ ok: true, value: 'https://shop.example/s/yoga%20sonnenschein/payment/a%2Fb%2Bc%26d%3Fe%23f%3Dg%25h/manage?o=47%2F11' });
  });

  it('keeps a plain token as it is', () => {
    expect(buildManageLink('https://elopage.com/s/x/payment/{token}/manage', { token: 'tk_9f8e7d6c5b4a3921' })).toEqual({
      ok: true,
      value: 'https://elopage.com/s/x/payment/tk_9f8e7d6c5b4a3921/manage',
    });
  });

  it('fails when a placeholder has no value instead of building a broken link', () => {
    expect(buildManageLink('https://elopage.com/s/{seller}/payment/{token}/manage', { token: 'abc', seller: '' })).toEqual({
      ok: false,
      error: 'the manage link needs {seller}, which this case does not have',
    });
  });

  it('fills {field:Header} from the case\'s extra columns, URL-encoded (issue 18)', () => {
    const pattern = 'https://shop.example.de/checkout/order-pay/{order_id}/?pay_for_order=true&key={field:Order Key}';
    expect(buildManageLink(pattern, { order_id: '2001' }, { 'Order Key': 'wc_order_a1B2 c3' })).toEqual({
      ok: true,
      value: 'https://shop.example.de/checkout/order-pay/2001/?pay_for_order=true&key=wc_order_a1B2%20c3',
    });
    expect(buildManageLink(pattern, { order_id: '2001' }, {})).toEqual({ ok: false, error: 'the manage link needs {field:Order Key}, which this case does not have' });
  });

  it('takes the elopage pattern for elopage cases when none is configured', () => {
    expect(linkPatternFor(undefined, 'elopage')).toBe('https://elopage.com/s/{seller}/payment/{token}/manage');
    expect(linkPatternFor(undefined, 'generic')).toBeUndefined();
    expect(linkPatternFor('https://pay.example/{token}', 'elopage')).toBe('https://pay.example/{token}');
  });

  it.each([
    [undefined, 'no "manageLink" is configured'],
    // Issue 18: a pattern without {token} is allowed (the page must ask the customer to log in); one without any placeholder is not.
    ['https://pay.shop.de/x', '"manageLink" has no placeholder: every customer would get the same link (use {token}, {order_id} or {field:HEADER})'],
    ['https://shop.example.de/checkout/order-pay/{order_id}/?pay_for_order=true&key={field:Order Key}', null],
    ['https://pay.shop.de/{token}/{customer}', '"manageLink" uses {customer}, which is not a field (use {token}, {order_id}, {email}, {source}, {due_date}, {seller} or {field:HEADER})'],
    ['pay.shop.de/{token}', '"manageLink" must start with https:// and a host name'],
    ['https://elopage.com/s/YOUR-SELLER-NAME/payment/{token}/manage', '"manageLink" is still the placeholder from "dunning init"'],
    ['https://example.com/payment/{token}', '"manageLink" is still the placeholder from "dunning init"'],
    ['https://elopage.com/s/yoga/payment/{token}/manage', null],
  ])('linkPatternProblem(%s)', (pattern, expected) => {
    expect(linkPatternProblem(pattern)).toBe(expected);
  });
});

describe('languageFromHint', () => {
  it.each([
    ['de', 'de'], ['DE', 'de'], ['de-AT', 'de'], ['de_CH', 'de'], ['Deutsch', 'de'], ['German', 'de'],
    ['AT', 'de'], ['CH', 'de'], ['Österreich', 'de'],
    ['en', 'en'], ['en-US', 'en'], ['English', 'en'], ['GB', 'en'], ['US', 'en'],
    ['fr', 'fr'], ['FR', 'fr'], ['  es  ', 'es'],
    ['fr-BE', 'fr'], ['Français', 'fr'], ['Frankreich', 'fr'], ['France', 'fr'], ['BE', 'fr'],
    ['es-MX', 'es'], ['Español', 'es'], ['Spanien', 'es'], ['Spain', 'es'], ['MX', 'es'],
    ['it', 'it'], ['IT', 'it'], ['Italiano', 'it'], ['Italien', 'it'], ['Italy', 'it'],
    ['nl-BE', 'nl'], ['NL', 'nl'], ['Nederlands', 'nl'], ['Niederlande', 'nl'], ['Netherlands', 'nl'],
    ['pl', 'pl'], ['PL', 'pl'], ['Polski', 'pl'], ['Polen', 'pl'], ['Poland', 'pl'],
    ['', null], [null, null], ['Klingonisch', null], ['123', null],
  ])('%j -> %j', (hint, expected) => {
    expect(languageFromHint(hint)).toBe(expected);
  });
});

describe('shippedLanguageFromHint', () => {
  it.each([['FR', 'fr'], ['Österreich', 'de'], ['pl-PL', 'pl'], ['BR', null], ['pt', null], ['JP', null], ['Japan', null], ['', null]])('%j -> %j', (hint, expected) => {
    expect(shippedLanguageFromHint(hint)).toBe(expected);
  });
});

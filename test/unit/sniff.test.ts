import { describe, expect, it } from 'vitest';
import { sniffDelimiter, sniffEncoding } from '../../src/import/sniff.js';

const bytes = (...values: number[]): Buffer => Buffer.from(values);
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('sniffEncoding', () => {
  it.each([
    ['nothing', Buffer.alloc(0), { kind: 'empty' }],
    ['only a UTF-8 BOM', bytes(0xef, 0xbb, 0xbf), { kind: 'empty' }],
    ['only whitespace', latin1('  \n\r\n\t'), { kind: 'empty' }],
    ['UTF-8 with BOM', Buffer.concat([bytes(0xef, 0xbb, 0xbf), Buffer.from('E-Mail;Name\n')]), { kind: 'text', encoding: 'utf8', bom: true }],
    ['UTF-8 umlauts', Buffer.from('Nachname;Müller\n', 'utf8'), { kind: 'text', encoding: 'utf8', bom: false }],
    ['ASCII', latin1('email,order_id\n'), { kind: 'text', encoding: 'utf8', bom: false }],
    // A7: what German Excel saves.
    ['Windows-1252 umlaut', latin1('Nachname;M\xfcller\n'), { kind: 'text', encoding: 'windows-1252', bom: false }],
    ['Windows-1252 euro', bytes(0x80, 0x20, 0x31, 0x32), { kind: 'text', encoding: 'windows-1252', bom: false }],
    // A sample cut inside a multi-byte character is still UTF-8.
    ['UTF-8 cut mid-character', Buffer.from('a;Mü', 'utf8').subarray(0, 4), { kind: 'text', encoding: 'utf8', bom: false }],
    ['UTF-8 cut mid-euro', Buffer.from('a;€', 'utf8').subarray(0, 4), { kind: 'text', encoding: 'utf8', bom: false }],
    // A8
    ['UTF-16LE with BOM', Buffer.concat([bytes(0xff, 0xfe), Buffer.from('E-Mail', 'utf16le')]), { kind: 'text', encoding: 'utf16le', bom: true }],
  ])('%s', (_name, head, expected) => {
    expect(sniffEncoding(head)).toEqual(expected);
  });

  it.each([
    ['UTF-16BE', bytes(0xfe, 0xff, 0x00, 0x61), /UTF-16 big-endian; save it as UTF-8/],
    ['PNG', latin1('\x89PNG\r\n\x1a\n\0\0\0\rIHDR'), /contains NUL bytes/],
    ['ZIP / xlsx', latin1('PK\x03\x04\x14\x00\x06\x00'), /contains NUL bytes|ZIP file/],
    ['ZIP without NUL in the sample', latin1('PK\x03\x04abcdef'), /ZIP file \(an \.xlsx workbook\?\); export it as CSV/],
    ['PDF', latin1('%PDF-1.4\n%\xe2\xe3\xcf\xd3'), /a PDF; export the orders as CSV/],
    ['UTF-16LE without BOM', Buffer.from('E-Mail;Name', 'utf16le'), /contains NUL bytes/],
  ])('refuses %s as binary', (_name, head, reason) => {
    const sniffed = sniffEncoding(head);
    expect(sniffed.kind).toBe('binary');
    if (sniffed.kind === 'binary') expect(sniffed.reason).toMatch(reason);
  });
});

describe('sniffEncoding weighs the evidence', () => {
  const utf8Rows = Buffer.from('email,first,last\nanna@example.de,Jürgen,Müller\nbo@example.de,Zoë,Weiß\n', 'utf8');
  it('a UTF-8 file with one stray Windows-1252 byte stays UTF-8 (the row is the error, not the file)', () => {
    const head = Buffer.concat([utf8Rows, latin1('cy@example.de,J\xfcrgen,X\n')]);
    expect(sniffEncoding(head)).toEqual({ kind: 'text', encoding: 'utf8', bom: false });
  });
  it('a Windows-1252 file with one accidental UTF-8-looking pair is Windows-1252', () => {
    const head = latin1('email,last\na@example.de,M\xfcller\nb@example.de,Wei\xdf\nc@example.de,\xc3\xbc\nd@example.de,G\xf6tz\n');
    expect(sniffEncoding(head)).toEqual({ kind: 'text', encoding: 'windows-1252', bom: false });
  });
  it('an ASCII head is decided by the bytes further on', () => {
    const head = latin1('email,last\na@example.de,Smith\n');
    expect(sniffEncoding(head, latin1('\xfcller\n'))).toEqual({ kind: 'text', encoding: 'windows-1252', bom: false });
    expect(sniffEncoding(head, Buffer.from('üller\n', 'utf8'))).toEqual({ kind: 'text', encoding: 'utf8', bom: false });
    expect(sniffEncoding(head)).toEqual({ kind: 'text', encoding: 'utf8', bom: false });
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['E-Mail;Vorname;Nachname', ';'],
    ['email,order_id,open_amount', ','],
    ['email\torder_id\topen_amount', '\t'],
    // Delimiters inside quotes do not count.
    ['"Name, first";"Name, last";x', ';'],
    ['"a;b;c;d",e,f', ','],
    ['"x\ty\tz";b', ';'],
    // The most frequent wins.
    ['a;b,c;d', ';'],
    ['a,b;c,d', ','],
    ['a\tb;c\td', '\t'],
    // One column: comma, the CSV default.
    ['email', ','],
    ['', ','],
  ])('%j -> %j', (line, expected) => {
    expect(sniffDelimiter(line)).toBe(expected);
  });
});

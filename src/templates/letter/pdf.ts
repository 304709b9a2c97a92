import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Letter, LetterLine, LetterPrinter } from '../../app/ports.js';

// DIN 5008 (form B) positions on A4, in points (1 mm = 72 / 25.4 pt).
const MM = 72 / 25.4;
const LEFT = 25 * MM;
const RIGHT = 20 * MM;
const PAGE_WIDTH = 210 * MM;
const WIDTH = PAGE_WIDTH - LEFT - RIGHT;
const ADDRESS_TOP = 45 * MM;
const INFO_LEFT = 125 * MM;
const SUBJECT_TOP = 98.5 * MM;
const FOOTER_TOP = 297 * MM - 22 * MM;
const AMOUNT_WIDTH = 34 * MM;

// The fonts are embedded (subset) so umlauts and the euro sign print the same on every reader.
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** Prints a letter as an A4 PDF: sender line and address block, facts, subject, claim table, deadline, bank details, footer. */
export const printLetter: LetterPrinter = async (letter, at) => {
  const doc = new PDFDocument({
    size: 'A4',
    bufferPages: true,
    margins: { top: 20 * MM, left: LEFT, right: RIGHT, bottom: 30 * MM },
    lang: letter.locale,
    displayTitle: true,
    info: { Title: letter.subject, Author: letter.footer[0] ?? '', Creator: 'dunning', CreationDate: at, ModDate: at },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', FONT).registerFont('bold', FONT_BOLD);
  head(doc, letter);
  body(doc, letter);
  footer(doc, letter);
  doc.end();
  return finished;
};

type Doc = PDFKit.PDFDocument;

/** Fold marks, the sender line over the address block, the address, and the facts beside it. */
function head(doc: Doc, letter: Letter): void {
  for (const y of [105 * MM, 210 * MM]) doc.moveTo(4 * MM, y).lineTo(8 * MM, y).lineWidth(0.5).strokeColor('#888').stroke();
  doc.font('body').fontSize(6.5).fillColor('#444').text(letter.senderLine, LEFT, ADDRESS_TOP + 2 * MM, { width: 85 * MM, height: 9, ellipsis: true });
  doc.font('body').fontSize(10).fillColor('#000').text(letter.recipient.join('\n'), LEFT, ADDRESS_TOP + 17.7 * MM, { width: 80 * MM, lineGap: 1 });
  let y = ADDRESS_TOP + 5 * MM;
  for (const fact of letter.facts) {
    doc.font('body').fontSize(8).fillColor('#444').text(fact.label, INFO_LEFT, y, { width: 25 * MM });
    doc.font('body').fontSize(8).fillColor('#000').text(fact.value, INFO_LEFT + 25 * MM, y, { width: PAGE_WIDTH - RIGHT - INFO_LEFT - 25 * MM });
    y = Math.max(y + 12, doc.y + 2);
  }
}

/** Subject, salutation, the paragraphs around the claim table, the bank details and the signature. */
function body(doc: Doc, letter: Letter): void {
  doc.font('bold').fontSize(11).text(letter.subject, LEFT, SUBJECT_TOP, { width: WIDTH });
  doc.moveDown(1.5).font('body').fontSize(10);
  paragraph(doc, letter.salutation);
  for (const text of letter.opening) paragraph(doc, text);
  table(doc, letter.claim.heading, letter.claim.lines, letter.claim.total);
  for (const text of letter.closing) paragraph(doc, text);
  if (letter.bank !== null) details(doc, letter.bank.heading, letter.bank.lines);
  doc.moveDown(0.5);
  for (const line of letter.signature) doc.font('body').fontSize(10).text(line, LEFT, doc.y, { width: WIDTH });
}

function paragraph(doc: Doc, text: string): void {
  doc.font('body').fontSize(10).text(text, LEFT, doc.y, { width: WIDTH, lineGap: 1.5 }).moveDown(0.8);
}

/** A heading and label/value rows (values right-aligned), with a bold total under a rule when given. */
function table(doc: Doc, heading: string, lines: readonly LetterLine[], total?: LetterLine): void {
  doc.font('bold').fontSize(10).text(heading, LEFT, doc.y, { width: WIDTH }).moveDown(0.3);
  for (const line of lines) row(doc, line, 'body');
  if (total !== undefined) {
    const y = doc.y + 2;
    doc.moveTo(LEFT, y).lineTo(LEFT + WIDTH, y).lineWidth(0.5).strokeColor('#000').stroke();
    doc.y = y + 4;
    row(doc, total, 'bold');
  }
  doc.moveDown(0.8);
}

/** A heading and label/value rows, the values left-aligned in a second column (bank details). */
function details(doc: Doc, heading: string, lines: readonly LetterLine[]): void {
  doc.font('bold').fontSize(10).text(heading, LEFT, doc.y, { width: WIDTH }).moveDown(0.3);
  for (const line of lines) {
    const y = doc.y;
    doc.font('body').fontSize(10).text(line.label, LEFT, y, { width: 40 * MM });
    const below = doc.y;
    doc.text(line.value, LEFT + 42 * MM, y, { width: WIDTH - 42 * MM });
    doc.y = Math.max(below, doc.y) + 2;
  }
  doc.moveDown(0.8);
}

function row(doc: Doc, line: LetterLine, font: 'body' | 'bold'): void {
  const y = doc.y;
  doc.font(font).fontSize(10).text(line.label, LEFT, y, { width: WIDTH - AMOUNT_WIDTH - 4 * MM });
  const below = doc.y;
  doc.font(font).fontSize(10).text(line.value, LEFT + WIDTH - AMOUNT_WIDTH, y, { width: AMOUNT_WIDTH, align: 'right' });
  doc.y = Math.max(below, doc.y) + 2;
}

/** The creditor's details at the foot of the first page (below the bottom margin, so drawn with it lifted). */
function footer(doc: Doc, letter: Letter): void {
  doc.switchToPage(0);
  const margin = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.moveTo(LEFT, FOOTER_TOP - 3 * MM).lineTo(LEFT + WIDTH, FOOTER_TOP - 3 * MM).lineWidth(0.3).strokeColor('#888').stroke();
  doc.font('body').fontSize(7.5).fillColor('#444').text(letter.footer.join(' · '), LEFT, FOOTER_TOP, { width: WIDTH, align: 'center' });
  doc.page.margins.bottom = margin;
}

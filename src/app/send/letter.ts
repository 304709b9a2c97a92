import { DunningError } from '../../core/errors.js';
import type { PlannedMessage } from '../../core/plan.js';
import type { PromoOffer } from '../../core/promo.js';
import type { RenderedMessage } from '../message.js';
import type { AppConfig } from '../plan.js';
import type { LetterPrinter, OutgoingMessage, Renderer, Store } from '../ports.js';
import { claimFor } from '../late-charges.js';
import { requestFor } from './outgoing.js';

/** What printing a stage's letter needs. */
export interface LetterDeps {
  store: Store;
  config: AppConfig;
  renderer: Renderer;
  printLetter?: LetterPrinter | undefined;
}

/** The PDF letter of a planned message and its file name (`Mahnung-ORDER.pdf`). */
export async function printedLetter(deps: LetterDeps, planned: PlannedMessage, rendered: RenderedMessage, promo: PromoOffer | undefined): Promise<{ fileName: string; pdf: Buffer }> {
  if (deps.printLetter === undefined) throw new Error('no letter printer was handed in');
  const request = { ...requestFor(planned, promo, await claimFor(deps.store, deps.config, planned)), locale: rendered.locale };
  const letter = deps.renderer.letter(request, rendered.subject);
  try {
    return { fileName: letter.fileName, pdf: await deps.printLetter(letter, planned.now) };
  } catch (error) {
    throw new DunningError(`cannot print the PDF letter: ${error instanceof Error ? error.message : String(error)}`, { hint: 'check the customer\'s data and the sender settings; "dunning preview --format pdf" shows the letter' });
  }
}

/** The message with its stage's PDF letter attached, when the stage says `attachPdf`. */
export async function withLetter(outgoing: OutgoingMessage, planned: PlannedMessage, rendered: RenderedMessage, promo: PromoOffer | undefined, deps: LetterDeps): Promise<OutgoingMessage> {
  const stage = deps.config.sequence.stages.find((s) => s.name === planned.stage.name);
  if (stage?.attachPdf !== true) return outgoing;
  const { fileName, pdf } = await printedLetter(deps, planned, rendered, promo);
  const attachment = { filename: fileName, contentType: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64' as const };
  return { ...outgoing, attachments: [...(outgoing.attachments ?? []), attachment] };
}

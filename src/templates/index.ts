import type { Renderer, RendererFactory } from '../app/ports.js';
import { checkTemplates, promoProblems } from './check.js';
import { TemplateSet } from './render.js';

/** The renderer port of app/ over the merchant's templates: the shipped ones, and the folder in "templates.dir" over them. */
export const createRenderer: RendererFactory = (config, baseDir): Renderer => {
  const set = TemplateSet.load(config, baseDir);
  return {
    render: (request) => set.render(request),
    checkTemplate: (name, language) => void set.variantFor(name, language),
    check: (stages, today, now, extraColumns) => checkTemplates(set, stages, today, now, extraColumns),
    promoProblems: (stages, today, now) => promoProblems(set, stages, today, now),
    letter: (request, subject) => set.letter(request, subject),
  };
};

import Handlebars from 'handlebars';
import type { TemplateCheckReport, TemplateProblem } from '../app/ports.js';
import { DunningError } from '../core/errors.js';
import { HELPER_NAMES } from './helpers.js';
import { PARTS } from './loader.js';
import type { TemplateSet } from './render.js';
import { sampleRequests } from './sample.js';

const BUILT_IN = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);
const KNOWN_HELPERS = new Set<string>([...BUILT_IN, ...HELPER_NAMES]);

/**
 * Renders every template in every locale against example data and against an order with every
 * optional field empty, and finds unknown helpers and partials before anything is sent.
 */
export function checkTemplates(set: TemplateSet, stageTemplates: readonly { template: string; number: number }[], today: string, now: Date, extraColumns: readonly string[]): TemplateCheckReport {
  const report: TemplateCheckReport = { checked: [], problems: [] };
  const locales = new Set<string>();
  for (const variants of set.templates.values()) for (const locale of variants.keys()) if (locale !== '') locales.add(locale);
  for (const [name, variants] of set.templates) {
    const stageNumber = stageTemplates.find((s) => s.template === name)?.number ?? 1;
    for (const [locale, variant] of variants) {
      for (const part of PARTS) {
        for (const problem of staticProblems(variant.sources[part], variant.files[part], set.partialNames(locale))) {
          report.problems.push({ template: name, locale, ...problem });
        }
      }
      let renders = 0;
      for (const { label, request } of sampleRequests(name, stageNumber, today, now, extraColumns)) {
        let problems: string[];
        try {
          problems = set.problems({ ...request, locale: locale === '' ? ([...locales][0] ?? 'de') : locale });
        } catch (error) {
          problems = [error instanceof Error ? error.message : String(error)];
        }
        for (const message of problems) report.problems.push({ template: name, locale, where: label, message });
        if (problems.length === 0) renders++;
      }
      report.checked.push({ template: name, locale, renders });
    }
  }
  for (const stage of stageTemplates) {
    for (const locale of locales) {
      try {
        set.variantFor(stage.template, locale);
      } catch (error) {
        report.problems.push({ template: stage.template, locale, where: 'sequence', message: error instanceof DunningError ? `${error.message} (${error.hint ?? ''})` : String(error) });
      }
    }
  }
  return report;
}

/** Helpers and partials a template names that do not exist, and syntax errors, with file and line. */
function staticProblems(source: string, file: string, partials: ReadonlySet<string>): { where: string; message: string }[] {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message)?.[1] ?? '1';
    return [{ where: `${file}:${line}`, message: `syntax error: ${message.split('\n').at(-1) ?? message}` }];
  }
  const problems: { where: string; message: string }[] = [];
  visit(program, (node) => {
    const at = `${file}:${node.loc.start.line}:${node.loc.start.column + 1}`;
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      const name = pathName(node.name);
      if (name !== undefined && name !== '@partial-block' && !partials.has(name)) problems.push({ where: at, message: `unknown partial "${name}"` });
      return;
    }
    const call = node as hbs.AST.MustacheStatement;
    const name = pathName(call.path);
    const isCall = node.type === 'SubExpression' || node.type === 'BlockStatement' || call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
    if (isCall && name !== undefined && !KNOWN_HELPERS.has(name)) problems.push({ where: at, message: `unknown helper "${name}"` });
  });
  return problems;
}

type CallNode = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression | hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement;

function visit(node: unknown, onCall: (node: CallNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, onCall);
    return;
  }
  if (typeof node !== 'object' || node === null || !('type' in node)) return;
  const type = (node as { type: string }).type;
  if (['MustacheStatement', 'BlockStatement', 'SubExpression', 'PartialStatement', 'PartialBlockStatement'].includes(type)) onCall(node as CallNode);
  for (const value of Object.values(node)) if (typeof value === 'object') visit(value, onCall);
}

function pathName(expression: hbs.AST.Expression): string | undefined {
  return expression.type === 'PathExpression' ? (expression as hbs.AST.PathExpression).original : undefined;
}

/** A code no template writes by chance: what `promoProblems` looks for in each rendered part. */
const PROBE_CODE = 'PROMOPROBE7Q4';

/**
 * The promo stages whose template does not show the code (issue 21): each is rendered in every
 * locale with a code, and its text and HTML part must both carry it. A stage that hands out a code
 * the customer never sees would list that customer in `promo export` as holding it.
 */
export function promoProblems(set: TemplateSet, stages: readonly { name: string; template: string; number: number }[], today: string, now: Date): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const stage of stages) {
    const variants = set.templates.get(stage.template);
    if (variants === undefined) continue;
    const [sample] = sampleRequests(stage.template, stage.number, today, now, []);
    if (sample === undefined) continue;
    for (const locale of variants.keys()) {
      const request = { ...sample.request, stage: { ...sample.request.stage, name: stage.name }, promo: { code: PROBE_CODE, discount: { percentOff: 10 }, expiresAt: sample.request.promo?.expiresAt ?? now.toISOString(), validHours: 72 }, locale: locale === '' ? undefined : locale };
      let rendered;
      try {
        rendered = set.render(request);
      } catch {
        continue; // A template that does not render is reported by the check itself.
      }
      const missing = (['text', 'html'] as const).filter((part) => !rendered[part].includes(PROBE_CODE));
      if (missing.length === 0) continue;
      problems.push({
        template: stage.template,
        locale,
        where: `stage "${stage.name}"`,
        message: `the stage hands out a promo code but the ${missing.map((p) => (p === 'html' ? 'HTML' : p)).join(' and ')} part${missing.length === 1 ? '' : 's'} of "${stage.template}" never show${missing.length === 1 ? 's' : ''} it ({{promo.code}}); the customer would hold a code they never saw`,
      });
    }
  }
  return problems;
}

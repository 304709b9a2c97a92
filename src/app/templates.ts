import { calendarDateIn } from '../core/dates.js';
import { DunningError } from '../core/errors.js';
import { MERGE_FIELD_DESCRIPTIONS, MERGE_FIELD_NAMES, mergeFields, orderFields, sampleMergeInput, type MergeFieldName, type MergeFields, type OrderFields } from '../core/merge-fields.js';
import type { AppConfig } from './plan.js';
import { promoShownProblems } from './promo-shown.js';
import type { RendererFactory, Store, TemplateCheckReport } from './ports.js';

/** What `templates check` needs. */
export interface TemplateCheckDeps {
  config: AppConfig;
  baseDir: string;
  /** The store, when there is one: real extra columns (from the last import) make templates that use `extra` checkable. */
  store: Store | undefined;
  renderer: RendererFactory;
  now: Date;
}

/** Renders every template in every locale; throws a DunningError (exit 2) after the report when anything is wrong. */
export async function checkTemplates(deps: TemplateCheckDeps): Promise<TemplateCheckReport> {
  const extra = deps.store === undefined ? [] : await deps.store.cases.extraColumnNames();
  // Links are not what is checked here: sample orders use a stand-in pattern and token rules.
  const renderer = deps.renderer({ ...deps.config, tokenPattern: undefined, manageLink: 'https://pay.example/{token}' }, deps.baseDir);
  const stages = deps.config.sequence.stages.map((s, i) => ({ template: s.template, number: i + 1 }));
  const report = renderer.check(stages, calendarDateIn(deps.now, deps.config.timeZone), deps.now, extra);
  report.problems.push(...promoShownProblems(renderer, deps.config, deps.now, undefined));
  return report;
}

/** The refusal that follows a check with problems: nothing is sent until they are fixed. */
export function templateProblems(report: TemplateCheckReport): DunningError | null {
  const n = report.problems.length;
  return n === 0 ? null : new DunningError(`${n} template problem${n === 1 ? '' : 's'} (listed above); nothing is sent until they are fixed`);
}

/** Every variable a Mailjet template can use, with example values in a language. */
export interface MailjetVariables {
  locale: string;
  names: readonly MergeFieldName[];
  descriptions: Readonly<Record<MergeFieldName, string>>;
  example: MergeFields;
  orders: readonly OrderFields[];
}

/** The variables of a Mailjet template with example values; `locale` must be a language tag. */
export function mailjetVariables(locale: string): MailjetVariables {
  const canonical = languageTag(locale);
  const sample = sampleMergeInput(canonical);
  return { locale: canonical, names: MERGE_FIELD_NAMES, descriptions: MERGE_FIELD_DESCRIPTIONS, example: mergeFields(sample), orders: orderFields(sample) };
}

function languageTag(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical !== undefined) return canonical;
  } catch {
    // Reported below.
  }
  throw new DunningError(`"${locale}" is not a language tag`, { hint: 'use a tag such as de, en or de-AT' });
}

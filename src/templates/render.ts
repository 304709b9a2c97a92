import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import type { RenderedMessage, RenderRequest } from '../app/message.js';
import type { Letter } from '../app/ports.js';
import { DunningError } from '../core/errors.js';
import { shippedLanguageFromHint, type ShippedLocale } from '../core/locale.js';
import { compileTokenPattern } from '../core/token.js';
import { DEFAULT_TEMPLATES_DIR } from '../paths.js';
import { buildContext, type ContextConfig, type TemplateContext } from './context.js';
import { createHelpers } from './helpers.js';
import { composeLetter, kindOfTemplate } from './letter/compose.js';
import { PARTS, readTemplates, type Part, type PartialTree, type TemplateTree, type TemplateVariant } from './loader.js';

type Compiled = (context: TemplateContext) => string;

// Intl needs a region to pick a format (en alone would write dates the American way).
const INTL_LOCALE: Readonly<Record<string, string>> = { de: 'de-DE', en: 'en-GB', fr: 'fr-FR', es: 'es-ES', it: 'it-IT', nl: 'nl-NL', pl: 'pl-PL' } satisfies Record<ShippedLocale, string>;

/** The templates in effect (shipped plus the merchant's), ready to render messages. */
export class TemplateSet {
  private readonly compiled = new Map<string, Compiled>();
  private readonly environments = new Map<string, typeof Handlebars>();
  private readonly tokenPattern: RegExp | undefined;

  constructor(
    readonly templates: TemplateTree,
    private readonly partials: PartialTree,
    private readonly config: ContextConfig & { locale: string },
    private readonly timeZone: string,
  ) {
    this.tokenPattern = compileTokenPattern(config.tokenPattern);
  }

  /** Loads the shipped templates and, over them, the folder in "templates.dir" (relative to the config's folder). */
  static load(config: ContextConfig & { locale: string; timeZone: string; templates: { dir?: string | undefined } }, baseDir: string): TemplateSet {
    const own = config.templates.dir;
    const dirs = own === undefined ? [DEFAULT_TEMPLATES_DIR] : [DEFAULT_TEMPLATES_DIR, resolve(baseDir, own)];
    const { templates, partials } = readTemplates(dirs);
    const set = new TemplateSet(templates, partials, config, config.timeZone);
    set.checkDefaultLocale();
    return set;
  }

  /** Every stage's template must speak the config's `locale` (or have a fallback): refused up front, not per message. */
  private checkDefaultLocale(): void {
    const locale = this.config.locale;
    for (const stage of this.config.sequence.stages) {
      const variants = this.templates.get(stage.template);
      if (variants === undefined || variants.has(locale) || variants.has('')) continue;
      const spoken = [...variants.keys()].sort();
      throw new DunningError(`"locale" is "${locale}" in the config, but template "${stage.template}" has no "${locale}" version`, {
        hint: `its languages are ${spoken.join(', ')}: set "locale" to one of them, or add ${stage.template}/${locale}/ (subject.hbs, text.hbs, html.hbs) to your own templates folder ("templates.dir")`,
      });
    }
  }

  /** Names of the partials a template in this locale can use. */
  partialNames(locale: string): ReadonlySet<string> {
    return new Set([...(this.partials.get('')?.keys() ?? []), ...(this.partials.get(locale)?.keys() ?? [])]);
  }

  /** The variant of a template for a language: that language, else the default locale, else the fallback. */
  variantFor(name: string, language: string): TemplateVariant {
    const variants = this.templates.get(name);
    if (variants === undefined) {
      throw new DunningError(`no template "${name}"`, { hint: `templates found: ${[...this.templates.keys()].join(', ') || 'none'}; check the stage's "template" and "templates.dir"` });
    }
    const variant = variants.get(language) ?? variants.get(this.config.locale) ?? variants.get('');
    if (variant === undefined) {
      throw new DunningError(`template "${name}" has no "${language}" version and no fallback`, {
        hint: language === this.config.locale
          ? `add ${name}/${language}/ (the default locale), or files directly in ${name}/`
          : `add ${name}/${language}/ or ${name}/${this.config.locale}/ (the default locale), or files directly in ${name}/`,
      });
    }
    return variant;
  }

  /** The language a message to this customer is written in: the one asked for, else the shipped one the export names, else the config's. */
  languageOf(request: Pick<RenderRequest, 'customer' | 'locale'>): string {
    return request.locale ?? shippedLanguageFromHint(request.customer.localeHint) ?? this.config.locale;
  }

  /** Renders subject, text and HTML for one message; a problem is a DunningError naming file, line and variable. */
  render(request: RenderRequest): RenderedMessage {
    const language = this.languageOf(request);
    const variant = this.variantFor(request.stage.template, language);
    const locale = variant.locale || language;
    const context = buildContext(request, this.config, locale, this.tokenPattern);
    const envKey = `${locale}|${request.today}`;
    const parts = Object.fromEntries(PARTS.map((part) => [part, this.renderPart(envKey, variant, part, context)])) as Record<Part, string>;
    const manageLinks = new Map(request.cases.map((c, i) => [c.id, context.orders[i]?.manageLink ?? '']));
    return {
      locale,
      template: variant.name,
      subject: parts.subject.replace(/\s+/g, ' ').trim(),
      text: `${parts.text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim()}\n`,
      html: parts.html,
      manageLinks,
    };
  }

  /** The message as a formal letter: the data its template sees, in the letter's fixed wording and the same language. */
  letter(request: RenderRequest, subject: string): Letter {
    const language = this.languageOf(request);
    const variant = this.variantFor(request.stage.template, language);
    const locale = variant.locale || language;
    const context = buildContext(request, this.config, locale, this.tokenPattern);
    return composeLetter(context, {
      kind: kindOfTemplate(request.stage.template),
      intlLocale: INTL_LOCALE[locale] ?? locale,
      subject,
      extra: request.cases[0]?.extra ?? {},
      bank: this.config.sender.bank,
    });
  }

  /** Renders each part on its own and returns every problem, for `templates check` (render stops at the first). */
  problems(request: RenderRequest): string[] {
    const language = this.languageOf(request);
    const variant = this.variantFor(request.stage.template, language);
    const locale = variant.locale || language;
    let context: TemplateContext;
    try {
      context = buildContext(request, this.config, locale, this.tokenPattern);
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
    const problems: string[] = [];
    for (const part of PARTS) {
      try {
        this.renderPart(`${locale}|${request.today}`, variant, part, context);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    return problems;
  }

  private renderPart(envKey: string, variant: TemplateVariant, part: Part, context: TemplateContext): string {
    const file = variant.files[part];
    // Text and HTML each have their own environment: Handlebars compiles a partial once, with the
    // options of the template that first uses it, so a greeting first used by the text part (not
    // escaped) would put a customer's name unescaped into every later HTML part.
    const escaping = part === 'html' ? 'html' : 'text';
    const key = `${envKey}|${escaping}|${file}`;
    let compiled = this.compiled.get(key);
    try {
      if (compiled === undefined) {
        // Strict: a missing variable is an error, never an empty amount in a reminder. Only HTML is escaped.
        compiled = this.environment(`${envKey}|${escaping}`).compile<TemplateContext>(variant.sources[part], { strict: true, noEscape: part !== 'html' });
        this.compiled.set(key, compiled);
      }
      return compiled(context);
    } catch (error) {
      throw templateError(file, error);
    }
  }

  /** A Handlebars environment with the helpers bound to one locale and day, and the partials; `key` is `locale|day|html` or `locale|day|text`. */
  environment(key: string): typeof Handlebars {
    const [locale = this.config.locale, today = ''] = key.split('|');
    let env = this.environments.get(key);
    if (env === undefined) {
      env = Handlebars.create();
      env.registerHelper(createHelpers({ intlLocale: INTL_LOCALE[locale] ?? locale, timeZone: this.timeZone, today }));
      for (const scope of ['', locale]) {
        for (const [name, partial] of this.partials.get(scope) ?? []) env.registerPartial(name, partial.source);
      }
      this.environments.set(key, env);
    }
    return env;
  }
}

/** Turns a Handlebars error into one that names the file, the line and what is wrong. */
export function templateError(file: string, error: unknown): DunningError {
  const message = error instanceof Error ? error.message : String(error);
  const parse = /^Parse error on line (\d+):\n[^\n]*\n[^\n]*\n(.*)$/s.exec(message);
  if (parse) return new DunningError(`${file}:${parse[1]}: syntax error: ${parse[2]?.split('\n')[0] ?? ''}`, { hint: 'fix the template' });
  const missing = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/s.exec(message);
  if (missing) {
    return new DunningError(`${file}:${missing[2]}:${Number(missing[3]) + 1}: "${missing[1]}" is not defined`, {
      hint: 'use a variable the message has (README, "Templates"), or a helper dunning knows',
    });
  }
  if (error instanceof DunningError) return error;
  return new DunningError(`${file}: ${message}`, { hint: 'fix the template' });
}


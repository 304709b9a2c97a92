import { channelOf } from '../config/channels.js';
import type { ChannelName } from '../config/schema.js';
import { calendarDateIn } from '../core/dates.js';
import { DunningError } from '../core/errors.js';
import type { AppConfig } from './plan.js';
import type { Renderer, TemplateProblem } from './ports.js';

/**
 * The promo stages whose message is our rendering, so the template must show the code. Mailchimp
 * carries the code as the PROMOCODE merge field and a Mailjet template as the promo_code variable:
 * both are always set for a promo stage, so only our own rendering can lose it (issue 21).
 */
export function renderedPromoStages(config: AppConfig, override: ChannelName | undefined, only?: ReadonlySet<string>): { name: string; template: string; number: number }[] {
  return config.sequence.stages.flatMap((stage, i) => {
    if (stage.promo === undefined || (only !== undefined && !only.has(stage.name))) return [];
    const channel = channelOf(config, stage, override);
    if (channel === 'mailchimp' || (channel === 'mailjet' && stage.mailjetTemplateId !== undefined)) return [];
    return [{ name: stage.name, template: stage.template, number: i + 1 }];
  });
}

/** The promo stages of a run whose template does not show the code. */
export function promoShownProblems(renderer: Renderer, config: AppConfig, now: Date, override: ChannelName | undefined, only?: ReadonlySet<string>): TemplateProblem[] {
  const stages = renderedPromoStages(config, override, only);
  return stages.length === 0 ? [] : renderer.promoProblems(stages, calendarDateIn(now, config.timeZone), now);
}

/** Refuses a send (exit 2, before anything is claimed or a code handed out) whose promo stage would not show its code. */
export function refuseHiddenPromo(problems: readonly TemplateProblem[]): void {
  if (problems.length === 0) return;
  throw new DunningError('a promo stage would send messages that do not show their code; nothing was sent', {
    details: problems.map((p) => `${p.template}${p.locale === '' ? '' : `/${p.locale}`} (${p.where}): ${p.message}`),
    hint: 'write {{promo.code}} into the text and HTML part of the stage\'s template (the shipped "final" template does), or give the stage another template; "dunning templates check" lists the same',
  });
}

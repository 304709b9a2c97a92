/** A stage's `mailjetTemplateId`: one TemplateID, or one per language (`{"de": 4100001, "en": 4100003}`, issue 21). */
export type MailjetTemplateSetting = number | Readonly<Record<string, number>>;

/**
 * The Mailjet TemplateID of a message in `locale`: the stage's one template, its template for that
 * language (or the language without its region: `de` for `de-AT`), else the first one listed, with
 * `fallback` set so that a dry run can say so.
 */
export function mailjetTemplateFor(setting: MailjetTemplateSetting | undefined, locale: string): { id: number; fallback: boolean } | undefined {
  if (setting === undefined) return undefined;
  if (typeof setting === 'number') return { id: setting, fallback: false };
  const own = setting[locale] ?? setting[locale.split('-')[0] ?? locale];
  if (own !== undefined) return { id: own, fallback: false };
  const first = Object.values(setting)[0];
  return first === undefined ? undefined : { id: first, fallback: true };
}

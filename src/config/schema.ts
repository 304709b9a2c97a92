import { z } from 'zod';
import { BankSchema, LateChargesSchema } from './late-charges-schema.js';
import { daysDuration, isNegative, parseDuration, type Duration } from '../core/duration.js';
import { SHIPPED_LOCALES } from '../core/locale.js';
import { FIELDS } from '../core/order-line.js';
import { unsubscribeUrlProblem } from '../core/unsubscribe.js';

/** What a source (shop) may be called, in the config and on the command line: it keys cases and shows in links. */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Where a message goes (DESIGN.md "Concepts"); src/channels/index.ts has one entry for each. */
export const CHANNEL_NAMES = ['outbox', 'smtp', 'mailjet', 'mailchimp'] as const;
export const ChannelNameSchema = z.enum(CHANNEL_NAMES);
export type ChannelName = z.infer<typeof ChannelNameSchema>;

/** The export layouts dunning knows (src/import/presets/ has one file for each); `auto` picks one from the header row. */
export const PRESET_NAMES = ['auto', 'elopage', 'shopify', 'woocommerce', 'stripe', 'digistore24', 'generic'] as const;
export type PresetName = Exclude<(typeof PRESET_NAMES)[number], 'auto'>;

/** Encodings an export may come in (DESIGN.md "Data rules"). */
export const ENCODINGS = ['utf8', 'windows-1252', 'utf16le'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Cell delimiters by what the config and the command line may call them. */
export const DELIMITERS: Readonly<Record<string, Delimiter | 'auto'>> = { auto: 'auto', ';': ';', semicolon: ';', ',': ',', comma: ',', tab: '\t', '\t': '\t' };
export type Delimiter = ';' | ',' | '\t';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, e.g. "08:00"');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const positiveInt = z.int().min(1);

/** A duration as the config writes it (`30m`, `24h`, `3d`, `1d12h`, `2w`, `-3d`); `sign` says which are allowed. */
function durationText(sign: 'any' | 'not negative' | 'positive') {
  return z.string().transform((text, ctx): Duration => {
    const parsed = parseDuration(text);
    const problem = !parsed.ok
      ? parsed.error
      : sign !== 'any' && isNegative(parsed.value)
        ? `"${text}" is negative; only a stage's "after" may point before the due date`
        : sign === 'positive' && parsed.value.days === 0 && parsed.value.minutes === 0
          ? `"${text}" is no time at all; give a length such as "7d"`
          : null;
    if (problem === null && parsed.ok) return parsed.value;
    ctx.issues.push({ code: 'custom', message: problem ?? 'not a duration', input: text });
    return z.NEVER;
  });
}

/** A key that may be written as a duration or, as older configs do, in whole days (`minGap` or `minGapDays`). */
function eitherForm(value: Duration | undefined, days: number | undefined): Duration | undefined {
  return value ?? (days === undefined ? undefined : daysDuration(days));
}

/** An issue when both forms of one key are given. */
function bothForms(ctx: z.RefinementCtx, key: string, value: unknown, days: unknown): void {
  if (value !== undefined && days !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `give "${key}" or "${key}Days", not both` });
}

const PromoSchema = z
  .object({
    code: z.string().min(1).optional().describe('One code for every customer of this stage.'),
    pool: z.string().min(1).optional().describe('A CSV file of unique codes (one per customer, never reused), relative to this config file.'),
    percentOff: z.number().gt(0).max(100).optional().describe('Discount in percent of the open amount.'),
    amountOff: z.string().optional().describe('Discount as an amount, e.g. "10,00" or "10.00".'),
    validHours: positiveInt.default(72).describe('How long the code holds after the message is sent.'),
  })
  .strict()
  .refine((p) => (p.code === undefined) !== (p.pool === undefined), { message: 'give either "code" or "pool"' })
  .refine((p) => (p.percentOff === undefined) !== (p.amountOff === undefined), { message: 'give either "percentOff" or "amountOff"' });

const StageSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, 'lower-case letters, digits, "-" or "_"').describe('Stage name, used in logs and tags.'),
    after: durationText('any')
      .optional()
      .describe('When the stage is due, counted from the due moment (plus sequence.grace): "30m", "24h", "3d", "1d12h", "1w"; negative ("-3d") reminds before the due date.'),
    afterDays: z.int().min(0).optional().describe('The same in whole days (as "after": "<N>d"), as older configs write it.'),
    template: z.string().min(1).describe('Template folder name under the templates directory.'),
    channel: ChannelNameSchema.optional().describe('Channel for this stage; defaults to "channel".'),
    payWithin: durationText('positive').optional().describe('Templates get a pay-by "deadline" this long after the message (to the end of that day when in days), e.g. "7d".'),
    repeat: z
      .object({
        every: durationText('positive').describe('How long after the previous message the stage goes again, e.g. "7d".'),
        times: positiveInt.max(100).describe('How many times it goes again; after the last, the case is listed for manual follow-up.'),
      })
      .strict()
      .optional()
      .describe('The last stage only: send it again, e.g. {"every": "7d", "times": 3}.'),
    promo: PromoSchema.optional(),
    fee: z
      .string()
      .optional()
      .describe('A dunning fee this stage adds to the claim once it goes out, e.g. "2,50" (from consumers only real costs; the first reminder none).'),
    mailjetTemplateId: z
      .union([positiveInt, z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language such as "de" or "en"'), positiveInt).refine((r) => Object.keys(r).length > 0, 'give at least one language')])
      .optional()
      .describe('Mailjet TemplateID to use instead of our rendering, or one per language: {"de": 4100001, "en": 4100003} (a language without one gets the first).'),
    attachPdf: z.boolean().default(false).describe('Attach the notice as a PDF letter (Mahnung-ORDER.pdf); outbox, SMTP and Mailjet carry it.'),
    mailchimpTag: z.string().min(1).max(100).optional().describe('Mailchimp tag that starts the Customer Journey; default "dunning-<name>".'),
  })
  .strict()
  .superRefine((stage, ctx) => {
    if (stage.after === undefined && stage.afterDays === undefined) ctx.addIssue({ code: 'custom', path: ['after'], message: 'give "after" (e.g. "3d" or "24h") or "afterDays"' });
    bothForms(ctx, 'after', stage.after, stage.afterDays);
  })
  .transform(({ afterDays, ...stage }) => ({ ...stage, after: eitherForm(stage.after, afterDays) ?? daysDuration(0) }));

/** The sequence a config without one gets, as the config writes it (`dunning init` writes it out). */
export const DEFAULT_SEQUENCE = {
  stages: [
    { name: 'reminder', after: '1d', template: 'reminder' },
    { name: 'second', after: '3d', template: 'second', payWithin: '7d' },
    { name: 'final', after: '7d', template: 'final', payWithin: '7d' },
  ],
  minGap: '2d',
  grace: '0d',
};

/** dunning.config.json: every key, its default and what it means. */
export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    $comment: z.string().optional(),
    locale: z.string().min(2).default('de').describe(`Default language of messages for customers whose export names no shipped language, and of the report: any shipped one (${SHIPPED_LOCALES.join(', ')}) or one your own templates speak.`),
    timeZone: z.string().optional().describe('IANA time zone that decides "today", e.g. Europe/Berlin. Default: the system\'s.'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR').default('EUR').describe('Currency of amounts that name none.'),
    manageLink: z
      .string()
      .optional()
      .describe('The customer\'s manage/pay link, e.g. https://elopage.com/s/SELLER/payment/{token}/manage; {token}, {order_id}, {email}, {source}, {due_date} and {seller} are URL-encoded into it. Default: the preset\'s own pattern.'),
    seller: z.string().optional().describe('Your seller name on the platform, for {seller} in the manage link (elopage: the name in your shop URL).'),
    tokenPattern: z.string().optional().describe('A regular expression a usable token matches; others get no link and no message.'),
    sender: z
      .object({
        name: z.string().default('Your Company').describe('Name in the From header.'),
        email: z.email().default('billing@example.com').describe('Address in the From header.'),
        replyTo: z.email().optional().describe('Reply-To address.'),
        bcc: z.email().optional().describe('Blind copy of every message, e.g. to your accounting.'),
        company: z.string().default('Your Company').describe('Company name in the message footer.'),
        address: z.string().default('').describe('Postal address in the message footer.'),
        contact: z.string().default('').describe('How to reach you, in the message footer.'),
        bank: BankSchema.optional().describe('Bank account for transfers, shown in formal notices and PDF letters: {"accountHolder", "iban", "bic"}.'),
      })
      .strict()
      .prefault({}),
    import: z
      .object({
        preset: z.enum(PRESET_NAMES).default('auto').describe('Which export the file is; auto decides from the header row.'),
        source: z.string().regex(SOURCE_NAME).optional().describe('Name of the shop the cases come from; default: the preset name.'),
        mode: z.enum(['snapshot', 'partial']).optional().describe('snapshot: cases missing from a new file are paid; partial: only add and update.'),
        columns: z
          .partialRecord(z.enum(FIELDS), z.string().min(1))
          .default({})
          .describe('Field -> header name, for exports no preset knows.'),
        numberFormat: z.enum(['auto', 'de', 'en']).default('auto').describe('Decides amounts like 1.200 that read two ways.'),
        dateOrder: z.enum(['auto', 'DMY', 'MDY']).default('auto').describe('Order of slash dates like 03/04/2025.'),
        dueAfterDays: z
          .int()
          .min(0)
          .max(365)
          .optional()
          .describe('A row with no due date falls due this many days after its order date (the order_date field). Default: the preset\'s rule (due when ordered for Shopify, WooCommerce, Stripe and Digistore24; Shopify\'s payment terms such as "Net 30" give their own days); without one such a row is rejected.'),
        encoding: z.enum(['auto', ...ENCODINGS]).default('auto'),
        delimiter: z.enum(['auto', ';', ',', '\t']).default('auto'),
      })
      .strict()
      .prefault({}),
    sequence: z
      .object({
        stages: z.array(StageSchema).min(1).prefault(DEFAULT_SEQUENCE.stages),
        minGap: durationText('not negative').optional().describe('Time at least between two messages about one case, e.g. "2d" or "12h"; default "2d".'),
        minGapDays: z.int().min(0).optional().describe('The same in whole days, as older configs write it.'),
        grace: durationText('not negative').optional().describe('Added to every stage\'s "after", e.g. "1d"; default none.'),
        graceDays: z.int().min(0).optional().describe('The same in whole days, as older configs write it.'),
        stopAfter: durationText('positive').optional().describe('Cases overdue longer are listed for manual follow-up instead of being mailed, e.g. "60d".'),
        stopAfterDays: positiveInt.optional().describe('The same in whole days, as older configs write it.'),
      })
      .strict()
      .superRefine((sequence, ctx) => {
        bothForms(ctx, 'minGap', sequence.minGap, sequence.minGapDays);
        bothForms(ctx, 'grace', sequence.grace, sequence.graceDays);
        bothForms(ctx, 'stopAfter', sequence.stopAfter, sequence.stopAfterDays);
      })
      .transform((sequence) => ({
        stages: sequence.stages,
        minGap: eitherForm(sequence.minGap, sequence.minGapDays) ?? daysDuration(2),
        grace: eitherForm(sequence.grace, sequence.graceDays) ?? daysDuration(0),
        stopAfter: eitherForm(sequence.stopAfter, sequence.stopAfterDays),
      }))
      .prefault({}),
    sendWindow: z
      .object({
        days: z.array(weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
        from: time.default('08:00'),
        until: time.default('18:00'),
      })
      .strict()
      .optional()
      .describe('When send may deliver, in timeZone; outside it, send exits 0 having sent nothing.'),
    limits: z
      .object({
        perRun: positiveInt.optional().describe('Messages per run at most.'),
        perDay: positiveInt.optional().describe('Messages per calendar day at most (Mailjet\'s free plan allows 200).'),
        perSecond: z.number().gt(0).optional().describe('Messages per second at most.'),
        maxErrors: positiveInt.default(5).describe('Failures in a row after which a run stops.'),
      })
      .strict()
      .prefault({}),
    lateCharges: LateChargesSchema.optional().describe('Default interest and fees on overdue claims (German Mahnwesen); templates get them as "claim".'),
    maxImportAgeHours: z.number().gt(0).default(36).describe('send refuses when the newest snapshot import is older.'),
    channel: ChannelNameSchema.default('outbox').describe('Default channel.'),
    outbox: z.object({ dir: z.string().default('outbox') }).strict().prefault({}),
    smtp: z
      .object({
        pool: z.boolean().default(true),
        maxConnections: positiveInt.default(5),
        dkim: z
          .object({
            domainName: z
              .string()
              .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'a domain name such as "example.de"')
              .describe('The domain the signature speaks for (d=), normally the domain of sender.email.'),
            keySelector: z
              .string()
              .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'letters, digits and "-", e.g. "dunning"')
              .describe('The selector (s=): the record is published at <selector>._domainkey.<domainName>.'),
            privateKeyFile: z.string().min(1).describe('The RSA private key (PEM), relative to this config file; readable by its owner only (chmod 600). The key itself never goes in this file.'),
          })
          .strict()
          .optional()
          .describe('DKIM-sign every message of the smtp and outbox channels; "dunning dkim check" prints the DNS record to publish.'),
      })
      .strict()
      .prefault({})
      .describe('The server comes from DUNNING_SMTP_URL, never from this file.'),
    unsubscribe: z
      .object({
        url: z
          .string()
          .superRefine((url, ctx) => {
            const problem = unsubscribeUrlProblem(url);
            if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
          })
          .optional()
          .describe('Unsubscribe page, e.g. https://shop.example/unsubscribe?c={token}; {token}, {email} and {order_id} are URL-encoded into it. With https, mail clients offer one-click unsubscribe (List-Unsubscribe-Post).'),
        mailto: z.email().optional().describe('Address that takes unsubscribe requests by e-mail (List-Unsubscribe mailto:).'),
        stages: z.enum(['promo', 'all']).default('promo').describe('"promo": only messages with an offer carry List-Unsubscribe (payment reminders are transactional); "all": every message.'),
      })
      .strict()
      .refine((u) => u.url !== undefined || u.mailto !== undefined, { message: 'give "url", "mailto" or both' })
      .optional()
      .describe('List-Unsubscribe headers on messages with a promo code (RFC 2369, RFC 8058 one-click).'),
    bounces: z
      .object({
        syncBeforeSend: z.boolean().default(true).describe('With the mailjet or mailchimp channel, "send" first runs "bounces sync", so addresses that bounced, complained or opted out get nothing.'),
      })
      .strict()
      .prefault({}),
    templates: z
      .object({ dir: z.string().optional().describe('Folder with your own templates; default: the shipped ones.') })
      .strict()
      .prefault({}),
    mailjet: z
      .object({
        contactListId: positiveInt
          .optional()
          .describe('Mailjet contact list to keep in sync: everyone reminded is added (never resubscribed) with the template variables as contact properties.'),
        sandbox: z
          .boolean()
          .default(false)
          .describe('Mailjet validates each message and delivers none; messages are still recorded as sent, so use a scratch --db.'),
      })
      .strict()
      .prefault({})
      .describe('Credentials come from MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE.'),
    mailchimp: z
      .object({
        listId: z.string().optional().describe('Audience (list) ID: Audience > Settings > Audience name and defaults.'),
        extraFields: z
          .record(z.string().regex(/^[A-Z][A-Z0-9_]{0,9}$/, 'a Mailchimp merge tag: upper-case letters, digits or "_", at most 10 characters'), z.string().min(1))
          .default({})
          .describe('Your own merge fields from the export\'s other columns: merge tag -> column header, e.g. {"KDNR": "Kundennummer"}; "dunning mailchimp setup" creates them as text.'),
      })
      .strict()
      .prefault({})
      .describe('The key comes from MAILCHIMP_API_KEY.'),
  })
  .strict();

/** The validated configuration with every default filled in. */
export type Config = z.infer<typeof ConfigSchema>;
export type StageConfig = z.infer<typeof StageSchema>;

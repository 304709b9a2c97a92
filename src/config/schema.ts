import { z } from 'zod';
import { FIELDS } from '../core/order-line.js';

/** What a source (shop) may be called, in the config and on the command line: it keys cases and shows in links. */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Where a message goes (DESIGN.md "Concepts"); src/channels/index.ts has one entry for each. */
export const CHANNEL_NAMES = ['outbox', 'smtp', 'mailjet', 'mailchimp'] as const;
export const ChannelNameSchema = z.enum(CHANNEL_NAMES);
export type ChannelName = z.infer<typeof ChannelNameSchema>;

/** The export layouts dunning knows (src/import/presets.ts has one entry for each); `auto` picks one from the header row. */
export const PRESET_NAMES = ['auto', 'elopage', 'generic'] as const;
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
    afterDays: z.int().min(0).describe('Days overdue from which a case gets this stage.'),
    template: z.string().min(1).describe('Template folder name under the templates directory.'),
    channel: ChannelNameSchema.optional().describe('Channel for this stage; defaults to "channel".'),
    promo: PromoSchema.optional(),
    mailjetTemplateId: positiveInt.optional().describe('Mailjet TemplateID to use instead of our rendering.'),
    mailchimpTag: z.string().min(1).max(100).optional().describe('Mailchimp tag that starts the Customer Journey; default "dunning-<name>".'),
  })
  .strict();

const DEFAULT_STAGES = [
  { name: 'reminder', afterDays: 1, template: 'reminder' },
  { name: 'second', afterDays: 3, template: 'second' },
  { name: 'final', afterDays: 7, template: 'final' },
];

/** dunning.config.json: every key, its default and what it means. */
export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    $comment: z.string().optional(),
    locale: z.string().min(2).default('de').describe('Default language of messages (de or en) when a customer has none.'),
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
        encoding: z.enum(['auto', ...ENCODINGS]).default('auto'),
        delimiter: z.enum(['auto', ';', ',', '\t']).default('auto'),
      })
      .strict()
      .prefault({}),
    sequence: z
      .object({
        stages: z.array(StageSchema).min(1).default(DEFAULT_STAGES),
        minGapDays: z.int().min(0).default(2).describe('Days at least between two messages about one case.'),
        graceDays: z.int().min(0).default(0).describe('Days added to every stage\'s afterDays.'),
        stopAfterDays: positiveInt.optional().describe('Cases overdue longer are listed for manual follow-up instead of being mailed.'),
      })
      .strict()
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
    maxImportAgeHours: z.number().gt(0).default(36).describe('send refuses when the newest snapshot import is older.'),
    channel: ChannelNameSchema.default('outbox').describe('Default channel.'),
    outbox: z.object({ dir: z.string().default('outbox') }).strict().prefault({}),
    smtp: z
      .object({
        pool: z.boolean().default(true),
        maxConnections: positiveInt.default(5),
      })
      .strict()
      .prefault({})
      .describe('The server comes from DUNNING_SMTP_URL, never from this file.'),
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
      })
      .strict()
      .prefault({})
      .describe('The key comes from MAILCHIMP_API_KEY.'),
  })
  .strict();

/** The validated configuration with every default filled in. */
export type Config = z.infer<typeof ConfigSchema>;
export type StageConfig = z.infer<typeof StageSchema>;

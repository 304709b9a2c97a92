import { readFileSync } from 'node:fs';
import { asText, isObject } from './http-emulator.js';

// Message properties and the error-code table from the documented contract (test/fixtures/providers/SOURCE.md).
const CONTRACT = JSON.parse(readFileSync(new URL('../fixtures/providers/mailjet-send-v3.1.json', import.meta.url), 'utf8')) as {
  request: { Message: Record<string, string> };
  error_codes: { status: number; code: string; when: string }[];
};
const MESSAGE_KEYS = new Set(Object.keys(CONTRACT.request.Message));
const STATUS = new Map(CONTRACT.error_codes.map((e) => [e.code, e.status]));
const STRINGS = ['Subject', 'TextPart', 'HTMLPart', 'CustomID', 'EventPayload', 'CustomCampaign', 'URLTags'];
const BOOLEANS = ['TemplateLanguage', 'TemplateErrorDeliver', 'DeduplicateCampaign'];
const TRACKING = ['account_default', 'disabled', 'enabled'];
// Headers that have their own property (send-0011).
const DEDICATED_HEADERS = new Set(['from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'content-type']);
// The emulator's simple address grammar; Mailjet answers mj-0013 for what it finds invalid.
const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[A-Za-z]{2,}$/;

/** One entry of a message's Errors (send-v3.1.json "Message.Errors"). */
export interface MessageError {
  ErrorIdentifier: string;
  ErrorCode: string;
  StatusCode: number;
  ErrorMessage: string;
  ErrorRelatedTo: string[];
}

/** What the account knows: validated senders and its templates. */
export interface Account {
  validatedSenders: readonly string[];
  templates: readonly number[];
}

let identifiers = 0;
function error(code: string, message: string, related: string[]): MessageError {
  return { ErrorIdentifier: `00000000-0000-4000-a000-${String(++identifiers).padStart(12, '0')}`, ErrorCode: code, StatusCode: STATUS.get(code) ?? 400, ErrorMessage: message, ErrorRelatedTo: related };
}

/** Validates one message as Send API v3.1 does: the errors Mailjet would answer, and shapes the documentation does not allow. */
export function checkMessage(message: unknown, account: Account): { errors: MessageError[]; violations: string[] } {
  const errors: MessageError[] = [];
  const violations: string[] = [];
  if (!isObject(message)) return { errors: [error('mj-0004', 'Type mismatch. Expected type "object".', ['Messages'])], violations: ['a message is not an object'] };
  for (const key of Object.keys(message).filter((k) => !MESSAGE_KEYS.has(k))) {
    violations.push(`undocumented message property ${key}`);
    errors.push(error('mj-0004', `Type mismatch: unknown property "${key}".`, [key]));
  }
  errors.push(...checkAddress(message.From, 'From', true), ...checkRecipients(message.To, 'To', true), ...checkRecipients(message.Cc, 'Cc', false), ...checkRecipients(message.Bcc, 'Bcc', false));
  if (message.ReplyTo !== undefined) errors.push(...checkAddress(message.ReplyTo, 'ReplyTo', true));
  for (const key of STRINGS) if (message[key] !== undefined && typeof message[key] !== 'string') errors.push(error('mj-0004', 'Type mismatch. Expected type "string".', [key]));
  for (const key of BOOLEANS) if (message[key] !== undefined && typeof message[key] !== 'boolean') errors.push(error('mj-0004', 'Type mismatch. Expected type "bool".', [key]));
  for (const key of ['TrackOpens', 'TrackClicks']) if (message[key] !== undefined && !TRACKING.includes(asText(message[key]))) errors.push(error('mj-0005', `${key} is not among the allowed values.`, [key]));
  errors.push(...checkTemplate(message, account, violations), ...checkHeaders(message.Headers));
  if (message.DeduplicateCampaign === true && message.CustomCampaign === undefined) errors.push(error('send-0012', 'DeduplicateCampaign needs CustomCampaign.', ['CustomCampaign', 'DeduplicateCampaign']));
  const from = isObject(message.From) ? asText(message.From.Email).toLowerCase() : undefined;
  if (errors.length === 0 && from !== undefined && !account.validatedSenders.some((s) => s.toLowerCase() === from)) {
    errors.push(error('send-0008', `"${from}" is not an authorized sender email address for your account.`, ['From']));
  }
  return { errors, violations };
}

function checkTemplate(message: Record<string, unknown>, account: Account, violations: string[]): MessageError[] {
  const errors: MessageError[] = [];
  const id = message.TemplateID;
  if (id !== undefined && !Number.isInteger(id)) errors.push(error('mj-0004', 'Type mismatch. Expected type "int64".', ['TemplateID']));
  else if (typeof id === 'number' && !account.templates.includes(id)) errors.push(error('send-0010', `Template ID "${id}" doesn't exist for your account.`, ['TemplateID']));
  if (message.HTMLPart === undefined && message.TextPart === undefined && id === undefined) {
    errors.push(error('send-0003', 'At least "HTMLPart", "TextPart" or "TemplateID" must be provided.', ['HTMLPart', 'TextPart', 'TemplateID']));
  }
  // Every emulated template has an HTML part, so an HTMLPart beside it duplicates content.
  if (id !== undefined && message.HTMLPart !== undefined) errors.push(error('send-0004', 'HTMLPart and TemplateID both provide the HTML content.', ['HTMLPart', 'TemplateID']));
  const language = message.TemplateLanguage === true;
  if (!language && (message.TemplateErrorReporting !== undefined || message.TemplateErrorDeliver !== undefined)) {
    errors.push(error('send-0016', 'TemplateErrorReporting and TemplateErrorDeliver need TemplateLanguage.', ['TemplateLanguage']));
  }
  if (message.TemplateErrorReporting !== undefined) errors.push(...checkAddress(message.TemplateErrorReporting, 'TemplateErrorReporting', true));
  if (message.Variables !== undefined) {
    // Variables are only applied with TemplateLanguage: true; without it they would silently be ignored.
    if (!language) violations.push('Variables without TemplateLanguage: true');
    if (!isObject(message.Variables)) errors.push(error('mj-0004', 'Type mismatch. Expected type "object".', ['Variables']));
    else for (const [name, value] of Object.entries(message.Variables)) if (value === null) errors.push(error('mj-0003', 'Mandatory property is missing or null.', [`Variables["${name}"]`]));
  }
  return errors;
}

function checkHeaders(headers: unknown): MessageError[] {
  if (headers === undefined) return [];
  if (!isObject(headers)) return [error('mj-0004', 'Type mismatch. Expected type "object".', ['Headers'])];
  return Object.entries(headers).flatMap(([name, value]) => {
    if (DEDICATED_HEADERS.has(name.toLowerCase())) return [error('send-0011', `Header "${name}" has its own property and is not allowed in Headers.`, [`Headers["${name}"]`])];
    return typeof value === 'string' ? [] : [error('mj-0004', 'Type mismatch. Expected type "string".', [`Headers["${name}"]`])];
  });
}

function checkRecipients(value: unknown, name: string, required: boolean): MessageError[] {
  if (value === undefined) return required ? [error('mj-0003', `The ${name} is mandatory but missing from the input`, [name])] : [];
  if (!Array.isArray(value)) return [error('mj-0004', 'Type mismatch. Expected type "array of emails".', [name])];
  if (value.length === 0) return required ? [error('mj-0007', `${name} is empty.`, [name])] : [];
  return value.flatMap((r: unknown, i) => checkAddress(r, `${name}[${i}]`, true));
}

function checkAddress(value: unknown, name: string, required: boolean): MessageError[] {
  if (value === undefined) return required ? [error('mj-0003', `The ${name} is mandatory but missing from the input`, [name])] : [];
  if (!isObject(value)) return [error('mj-0004', 'Type mismatch. Expected type "email".', [name])];
  const extra = Object.keys(value).filter((k) => k !== 'Email' && k !== 'Name');
  if (extra.length > 0) return [error('mj-0004', `Type mismatch: unknown property "${extra.join('", "')}".`, [name])];
  if (value.Name !== undefined && typeof value.Name !== 'string') return [error('mj-0004', 'Type mismatch. Expected type "string".', [`${name}.Name`])];
  if (typeof value.Email !== 'string' || value.Email === '') return [error('mj-0012', 'Empty string value.', [`${name}.Email`])];
  return EMAIL.test(value.Email) ? [] : [error('mj-0013', `"${value.Email}" is an invalid email address.`, [`${name}.Email`])];
}

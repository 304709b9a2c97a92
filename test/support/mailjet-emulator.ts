import { readFileSync } from 'node:fs';
import { asText, basicCredentials, HttpEmulator, isObject, type RecordedRequest, type Reply } from './http-emulator.js';
import { checkMessage, type MessageError } from './mailjet-send-rules.js';

// The documented contract (see test/fixtures/providers/SOURCE.md).
const CONTRACT = JSON.parse(readFileSync(new URL('../fixtures/providers/mailjet-send-v3.1.json', import.meta.url), 'utf8')) as {
  request: { root: Record<string, string> };
  endpoint: { max_messages_per_call: number };
};
const ROOT_KEYS = new Set(Object.keys(CONTRACT.request.root));
const MAX_MESSAGES = CONTRACT.endpoint.max_messages_per_call;
// MessageIDs above 2^53, as Mailjet hands out (send-v3.1.json "response_bulk_partial_failure").
const FIRST_MESSAGE_ID = 70650219165027410n;

/** A message Mailjet accepted. */
export interface Delivery {
  messageId: string;
  customId: string | undefined;
  to: string;
  from: string;
  message: Record<string, unknown>;
  sandbox: boolean;
}

interface ListContact {
  email: string;
  name: string | undefined;
  unsubscribed: boolean;
  properties: Record<string, unknown>;
}

export interface MailjetEmulatorOptions {
  apiKey: string;
  apiSecret: string;
  /** Sender addresses validated in the account; others get send-0008. */
  validatedSenders: readonly string[];
  /** TemplateIDs the account owns; others get send-0010. */
  templates?: readonly number[];
  /** Contact lists that exist. */
  contactLists?: readonly number[];
}

/**
 * Mailjet's Send API v3.1 and the contact calls dunning uses, on 127.0.0.1. Each message is validated
 * as the guide documents (per-message errors with real codes, HTTP 400/403 when any message failed,
 * root-level errors for a malformed request); shapes the documentation does not allow are violations.
 */
export class MailjetEmulator extends HttpEmulator {
  readonly deliveries: Delivery[] = [];
  readonly metadata: { ID: number; Name: string; Datatype: string; NameSpace: string }[] = [];
  readonly lists = new Map<number, Map<string, ListContact>>();
  private nextId = FIRST_MESSAGE_ID;
  private nextJob = 1;

  constructor(readonly options: MailjetEmulatorOptions) {
    super();
    for (const id of options.contactLists ?? []) this.lists.set(id, new Map());
  }

  /** Marks a contact of a list unsubscribed, as the customer would by the unsubscribe link. */
  unsubscribe(listId: number, email: string): void {
    this.lists.get(listId)?.set(email.toLowerCase(), { email, name: undefined, unsubscribed: true, properties: {} });
  }

  /** What Mailjet later learned of a message (GET /v3/REST/message/{ID} `Status`), by MessageID: sent until set. */
  readonly messageStates = new Map<string, { status: string; permanent: boolean }>();

  /** Sets the state of the message sent to `email` (its newest), as Mailjet's delivery events would. */
  setState(email: string, status: string, permanent = false): void {
    const delivery = [...this.deliveries].reverse().find((d) => d.to.toLowerCase() === email.toLowerCase());
    if (delivery === undefined) throw new Error(`no message to ${email}`);
    this.messageStates.set(delivery.messageId, { status, permanent });
  }

  /** How often a message with this CustomID was accepted. */
  deliveredCount(customId: string): number {
    return this.deliveries.filter((d) => d.customId === customId).length;
  }

  protected handle(request: RecordedRequest): Reply {
    const credentials = basicCredentials(request.headers);
    if (credentials?.user !== this.options.apiKey || credentials.password !== this.options.apiSecret) {
      return globalError(401, 'mj-0015', 'API key authentication/authorization failure. You may be unauthorized to access the API or your API key may be expired. Visit API keys management section to check your keys.');
    }
    if (request.method !== 'GET' && !(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return this.reject(request, 'Content-Type is not application/json', globalError(400, 'mj-0002', 'Malformed JSON, please review the syntax and properties types.'));
    }
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /v3.1/send') return this.send(request);
    if (route === 'GET /v3/REST/contactmetadata') return { status: 200, body: { Count: this.metadata.length, Data: this.metadata, Total: this.metadata.length } };
    if (route === 'POST /v3/REST/contactmetadata') return this.addMetadata(request);
    const message = /^\/v3\/REST\/message\/(\d+)$/.exec(request.path);
    if (request.method === 'GET' && message?.[1] !== undefined) return this.messageState(message[1]);
    const manage = /^\/v3\/REST\/contactslist\/(\d+)\/managemanycontacts$/.exec(request.path);
    if (request.method === 'POST' && manage?.[1] !== undefined) return this.manageMany(request, Number(manage[1]));
    return this.reject(request, 'no such resource', { status: 404, body: { ErrorInfo: '', ErrorMessage: 'Object not found', StatusCode: 404 } });
  }

  private send(request: RecordedRequest): Reply {
    const body = request.body;
    if (!isObject(body)) return globalError(400, 'mj-0002', 'Malformed JSON, please review the syntax and properties types.');
    const unknown = Object.keys(body).filter((k) => !ROOT_KEYS.has(k));
    if (unknown.length > 0) return this.reject(request, `undocumented root properties ${unknown.join(', ')}`, globalError(400, 'mj-0004', 'Type mismatch.'));
    const messages = body.Messages;
    if (!Array.isArray(messages) || messages.length === 0) return this.reject(request, 'Messages missing or empty', globalError(400, 'mj-0007', 'Messages is empty'));
    if (messages.length > MAX_MESSAGES) {
      return this.reject(request, `${messages.length} messages in one call (at most ${MAX_MESSAGES})`, globalError(400, 'mj-0008', `Messages has more than ${MAX_MESSAGES} items`));
    }
    const sandbox = body.SandboxMode === true;
    const results = messages.map((message: unknown) => this.sendOne(request, message, sandbox));
    const firstError = results.find((r) => r.Status === 'error')?.errorStatus;
    // Any failed message makes the whole answer a 400 (or 403), successes included (mailjet-apiv3-nodejs#271).
    const raw = JSON.stringify({ Messages: results.map(({ errorStatus: _s, ...r }) => r) }).replace(/"@big@(\d+)"/g, '$1');
    return { status: firstError ?? 200, raw };
  }

  private sendOne(request: RecordedRequest, message: unknown, sandbox: boolean): Record<string, unknown> & { Status: string; errorStatus?: number } {
    const checked = checkMessage(message, { validatedSenders: this.options.validatedSenders, templates: this.options.templates ?? [] });
    for (const violation of checked.violations) this.violations.push(`${request.method} ${request.path}: ${violation}`);
    if (checked.errors.length > 0 || !isObject(message)) return errorResult(checked.errors);
    const to = (message.To as { Email: string }[]).map((r) => {
      const id = sandbox ? 0n : this.nextId++;
      if (!sandbox) this.deliveries.push({ messageId: id.toString(), customId: message.CustomID as string | undefined, to: r.Email, from: (message.From as { Email: string }).Email, message, sandbox });
      return { Email: r.Email, MessageUUID: sandbox ? '' : `uuid-${id}`, MessageID: `@big@${id}`, MessageHref: `https://api.mailjet.com/v3/REST/message/${id}` };
    });
    return { Status: 'success', CustomID: typeof message.CustomID === 'string' ? message.CustomID : '', To: to, Cc: [], Bcc: [] };
  }

  /**
   * GET /v3/REST/message/{message_ID} (Mailjet API reference, "Message"): `{Count, Data: [message], Total}`
   * with the documented fields; Status one of queued, sent, opened, clicked, bounce, spam, unsub,
   * blocked, hardbounced, softbounced, deferred. An ID Mailjet never gave: 404 "Object not found".
   */
  private messageState(id: string): Reply {
    const delivery = this.deliveries.find((d) => d.messageId === id);
    if (delivery === undefined) return { status: 404, body: { ErrorInfo: '', ErrorMessage: 'Object not found', StatusCode: 404 } };
    const state = this.messageStates.get(id) ?? { status: 'sent', permanent: false };
    const data = {
      ArrivedAt: '2026-11-23T08:00:01Z', AttemptCount: 1, ContactAlt: '', ContactID: 1, Delay: 0, DestinationID: 1, FilterTime: 0,
      ID: `@big@${id}`, IsClickTracked: false, IsHTMLPartIncluded: true, IsOpenTracked: false, IsTextPartIncluded: true, IsUnsubTracked: false,
      MessageSize: 4096, SenderID: 1, SpamassassinScore: 0, SpamassRules: '', StatePermanent: state.permanent, Status: state.status,
      Subject: '', UUID: `uuid-${id}`,
    };
    return { status: 200, raw: JSON.stringify({ Count: 1, Data: [data], Total: 1 }).replace(/"@big@(\d+)"/g, '$1') };
  }

  private addMetadata(request: RecordedRequest): Reply {
    const body = isObject(request.body) ? request.body : {};
    const problems = Object.keys(body).filter((k) => !['Name', 'Datatype', 'NameSpace'].includes(k)).map((k) => `undocumented property ${k}`);
    if (typeof body.Name !== 'string' || body.Name === '') problems.push('Name missing');
    if (!['str', 'int', 'float', 'bool', 'datetime'].includes(asText(body.Datatype))) problems.push(`Datatype ${asText(body.Datatype)} not allowed`);
    if (body.NameSpace !== undefined && !['static', 'historic'].includes(asText(body.NameSpace))) problems.push(`NameSpace ${asText(body.NameSpace)} not allowed`);
    if (problems.length > 0) return this.reject(request, problems.join('; '), { status: 400, body: { ErrorInfo: '', ErrorMessage: problems.join('; '), StatusCode: 400 } });
    if (this.metadata.some((m) => m.Name.toLowerCase() === asText(body.Name).toLowerCase())) {
      return { status: 400, body: { ErrorInfo: '', ErrorMessage: `MJ18 A Contact resource with value "${asText(body.Name)}" for Name already exists.`, StatusCode: 400 } };
    }
    const entry = { ID: this.metadata.length + 1, Name: asText(body.Name), Datatype: asText(body.Datatype), NameSpace: body.NameSpace === undefined ? 'static' : asText(body.NameSpace) };
    this.metadata.push(entry);
    return { status: 201, body: { Count: 1, Data: [entry], Total: 1 } };
  }

  private manageMany(request: RecordedRequest, listId: number): Reply {
    const list = this.lists.get(listId);
    if (list === undefined) return { status: 404, body: { ErrorInfo: '', ErrorMessage: 'Object not found', StatusCode: 404 } };
    const body = isObject(request.body) ? request.body : {};
    const problems: string[] = [];
    if (!['addforce', 'addnoforce', 'remove', 'unsub'].includes(asText(body.Action))) problems.push(`Action ${asText(body.Action)} not allowed`);
    const contacts = Array.isArray(body.Contacts) ? body.Contacts : [];
    if (contacts.length === 0) problems.push('Contacts missing or empty');
    for (const contact of contacts) problems.push(...this.contactProblems(contact));
    if (problems.length > 0) return this.reject(request, problems.join('; '), { status: 400, body: { ErrorInfo: '', ErrorMessage: problems.join('; '), StatusCode: 400 } });
    for (const contact of contacts.filter(isObject)) {
      const email = String(contact.Email);
      const known = list.get(email.toLowerCase());
      // addnoforce keeps an unsubscribed contact unsubscribed; addforce resubscribes (CONTRACT.md "Actions").
      const unsubscribed = body.Action === 'unsub' || (known?.unsubscribed === true && body.Action !== 'addforce');
      const properties = { ...known?.properties, ...(isObject(contact.Properties) ? contact.Properties : {}) };
      list.set(email.toLowerCase(), { email, name: typeof contact.Name === 'string' ? contact.Name : known?.name, unsubscribed, properties });
    }
    return { status: 201, body: { Count: 1, Data: [{ JobID: this.nextJob++ }], Total: 1 } };
  }

  private contactProblems(contact: unknown): string[] {
    if (!isObject(contact)) return ['a contact is not an object'];
    const problems = Object.keys(contact).filter((k) => !['Email', 'Name', 'IsExcludedFromCampaigns', 'Properties'].includes(k)).map((k) => `undocumented contact property ${k}`);
    if (typeof contact.Email !== 'string') problems.push('contact without Email');
    for (const [name, value] of Object.entries(isObject(contact.Properties) ? contact.Properties : {})) {
      // Properties must exist as /contactmetadata first (CONTRACT.md "Contacts").
      const meta = this.metadata.find((m) => m.Name.toLowerCase() === name.toLowerCase());
      if (meta === undefined) problems.push(`property ${name} has no contactmetadata`);
      else if (meta.Datatype === 'str' ? typeof value !== 'string' : typeof value !== 'number') problems.push(`property ${name} is not of type ${meta.Datatype}`);
    }
    return problems;
  }
}

function errorResult(errors: readonly MessageError[]): { Status: string; Errors: MessageError[]; errorStatus: number } {
  return { Status: 'error', Errors: [...errors], errorStatus: errors[0]?.StatusCode ?? 400 };
}

let identifiers = 0;
/** A root-level error without Messages (send-v3.1.json "global_error_shape"). */
export function globalError(status: number, code: string, message: string): Reply {
  return { status, body: { ErrorIdentifier: `00000000-0000-4000-9000-${String(++identifiers).padStart(12, '0')}`, ErrorCode: code, ErrorMessage: message, StatusCode: status } };
}

import { basicCredentials, HttpEmulator, isObject, type RecordedRequest, type Reply } from './http-emulator.js';
import { validateSchema } from './json-schema.js';
import {
  checkQuery, ERRORS_URL, findRoute, instance, invalidResource, isCompliance, md5Lower, memberJson, memberKey, notFound, problem, PROBLEM, SPEC, stringsAndNumbers,
  type Audience, type EmulatedMember, type MergeField, type Operation,
} from './mailchimp-contract.js';

export { md5Lower, type EmulatedMember } from './mailchimp-contract.js';

// Every new audience starts with these fields (Mailchimp's defaults).
const DEFAULT_FIELDS: readonly Omit<MergeField, 'merge_id'>[] = [
  { tag: 'FNAME', name: 'First Name', type: 'text', required: false },
  { tag: 'LNAME', name: 'Last Name', type: 'text', required: false },
  { tag: 'ADDRESS', name: 'Address', type: 'address', required: false },
  { tag: 'PHONE', name: 'Phone Number', type: 'phone', required: false },
  { tag: 'BIRTHDAY', name: 'Birthday', type: 'birthday', required: false },
];

// The generated spec types merge-field values as objects (a codegen artefact); the API takes text and numbers.
const MERGE_VALUES = {
  merge_fields: (value: unknown, path: string): string[] =>
    isObject(value) ? Object.entries(value).filter(([, v]) => typeof v !== 'string' && typeof v !== 'number').map(([k]) => `${path}.${k}: expected text or a number`) : [`${path}: expected an object`],
};

/**
 * Mailchimp Marketing API 3.0 on 127.0.0.1: routes, query parameters and bodies are checked against
 * the OpenAPI subset; audiences, members, tags and merge fields behave as documented, including
 * per-member errors in a 200 batch answer, compliance states and problem+json errors.
 */
export class MailchimpEmulator extends HttpEmulator {
  readonly audiences = new Map<string, Audience>();
  /** Addresses deleted for GDPR: the API refuses to re-add them. */
  readonly forgotten = new Set<string>();
  /** Addresses the API calls fake-looking. */
  readonly fakeLooking = new Set<string>();
  private nextMergeId = 1;

  private readonly apiKey: string;
  private readonly prefix: string;

  /** `pathPrefix` is a path before /3.0, as behind a proxy. */
  constructor(options: { apiKey: string; listIds?: readonly string[]; pathPrefix?: string }) {
    super();
    this.apiKey = options.apiKey;
    this.prefix = `${options.pathPrefix ?? ''}/3.0`;
    for (const id of options.listIds ?? ['list0001']) this.audiences.set(id, { id, name: `Audience ${id}`, members: new Map(), fields: DEFAULT_FIELDS.map((f) => ({ ...f, merge_id: this.nextMergeId++ })) });
  }

  /** Adds a member as the merchant has it (e.g. unsubscribed), with tags. */
  addMember(listId: string, email: string, status: string, tags: readonly string[] = []): EmulatedMember {
    const member: EmulatedMember = { id: md5Lower(email), email, status, merge: {}, tags: new Set(tags) };
    this.audience(listId).members.set(member.id, member);
    return member;
  }

  /** The member with this address, if any. */
  member(listId: string, email: string): EmulatedMember | undefined {
    return this.audience(listId).members.get(md5Lower(email));
  }

  /** Tags of the audience's merge fields. */
  mergeTags(listId: string): string[] {
    return this.audience(listId).fields.map((f) => f.tag);
  }

  private audience(listId: string): Audience {
    const audience = this.audiences.get(listId);
    if (audience === undefined) throw new Error(`no audience ${listId}`);
    return audience;
  }

  protected handle(request: RecordedRequest): Reply {
    const credentials = basicCredentials(request.headers);
    if (credentials === undefined) return problem(401, 'API Key Missing', 'Your request did not include an API key.');
    if (credentials.password !== this.apiKey) return problem(401, 'API Key Invalid', "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
    if (!request.path.startsWith(`${this.prefix}/`)) return this.reject(request, `not under ${this.prefix}`, problem(404, 'Resource Not Found', 'The requested resource could not be found.'));
    const route = findRoute(request.path.slice(this.prefix.length));
    if (route === undefined) return this.reject(request, 'no such path in the API', problem(404, 'Resource Not Found', 'The requested resource could not be found.'));
    const operation = route.operations[request.method.toLowerCase()];
    if (operation === undefined) return this.reject(request, `method not allowed on ${route.template}`, problem(405, 'Method Not Allowed', 'The requested method and resource are not compatible.'));
    const problems = [...checkQuery(request, operation), ...this.checkBody(request, operation)];
    if (problems.length > 0) return this.reject(request, problems.join('; '), invalidResource(problems));
    const listId = route.params.list_id ?? '';
    if (route.params.list_id !== undefined && !this.audiences.has(listId)) return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
    return this.dispatch(request, operation.operationId, route.params);
  }

  private checkBody(request: RecordedRequest, operation: Operation): string[] {
    const schema = operation.requestBody?.content['application/json'].schema;
    if (schema === undefined) return request.rawBody === '' ? [] : ['a body where the operation takes none'];
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return ['Content-Type is not application/json'];
    if (request.body === undefined) return ['the body is not JSON'];
    return validateSchema(request.body, schema, SPEC, MERGE_VALUES);
  }

  private dispatch(request: RecordedRequest, operationId: string, params: Record<string, string>): Reply {
    const audience = this.audiences.get(params.list_id ?? '');
    const body = isObject(request.body) ? request.body : {};
    if (operationId === 'getPing') return { status: 200, body: { health_status: "Everything's Chimpy!" } };
    if (audience === undefined) return this.reject(request, `${operationId} is not emulated`, problem(501, 'Not Implemented', 'not emulated'));
    switch (operationId) {
      case 'getListsId':
        return { status: 200, body: { id: audience.id, name: audience.name, stats: { member_count: audience.members.size } } };
      case 'postListsId':
        return this.batch(request, audience, body);
      case 'patchListsIdMembersId':
        return this.patchMember(request, audience, params.subscriber_hash ?? '', body);
      case 'getListsIdMembersId': {
        const member = audience.members.get(memberKey(params.subscriber_hash ?? ''));
        return member === undefined ? notFound() : { status: 200, body: memberJson(audience, member) };
      }
      case 'postListMemberTags':
        return this.tag(audience, params.subscriber_hash ?? '', body);
      case 'getListsIdMergeFields':
        return this.listFields(request, audience);
      case 'postListsIdMergeFields':
        return this.addField(request, audience, body);
      default:
        return this.reject(request, `${operationId} is not emulated`, problem(501, 'Not Implemented', 'not emulated'));
    }
  }

  private batch(request: RecordedRequest, audience: Audience, body: Record<string, unknown>): Reply {
    const members = Array.isArray(body.members) ? body.members.filter(isObject) : [];
    if (members.length > 500) return this.reject(request, `${members.length} members in one batch (at most 500)`, invalidResource(['members: at most 500 members per call']));
    const skipMerge = request.query.get('skip_merge_validation') === 'true';
    const result = { new_members: [] as unknown[], updated_members: [] as unknown[], errors: [] as unknown[] };
    const seen = new Set<string>();
    for (const input of members) {
      const email = typeof input.email_address === 'string' ? input.email_address : '';
      const key = md5Lower(email);
      const refuse = (error: string, code = 'ERROR_GENERIC', field?: string): void => {
        result.errors.push({ email_address: email, error, error_code: code, ...(field === undefined ? {} : { field, field_message: error }) });
      };
      if (seen.has(key) && request.query.get('skip_duplicate_check') !== 'true') { refuse(`${email} is a duplicate in this request`); continue; }
      seen.add(key);
      if (!/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(email) || this.fakeLooking.has(email.toLowerCase())) { refuse(`${email} looks fake or invalid, please enter a real email address.`); continue; }
      if (this.forgotten.has(email.toLowerCase())) { refuse(`${email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`); continue; }
      const merge = isObject(input.merge_fields) ? input.merge_fields : {};
      const mergeProblem = this.mergeProblem(request, audience, merge, skipMerge);
      if (mergeProblem !== undefined) { refuse('Your merge fields were invalid.', 'ERROR_GENERIC', mergeProblem); continue; }
      const existing = audience.members.get(key);
      const status = typeof input.status === 'string' ? input.status : undefined;
      if (existing !== undefined) {
        if (body.update_existing !== true) { refuse(`${email} is already a list member, do you want to update? please provide update_existing:true in the request body`, 'ERROR_CONTACT_EXISTS'); continue; }
        if (status !== undefined && isCompliance(existing.status) && (status === 'subscribed' || status === 'pending')) { refuse(`${email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`); continue; }
        if (status !== undefined) existing.status = status;
        Object.assign(existing.merge, merge);
        result.updated_members.push(memberJson(audience, existing));
        continue;
      }
      if (status === undefined) { refuse(`${email}: a status is required for a new member`); continue; }
      const member: EmulatedMember = { id: key, email, status, merge: { ...stringsAndNumbers(merge) }, tags: new Set() };
      audience.members.set(key, member);
      result.new_members.push(memberJson(audience, member));
    }
    return { status: 200, body: { ...result, total_created: result.new_members.length, total_updated: result.updated_members.length, error_count: result.errors.length } };
  }

  /** Why these merge values are refused (field tag), or undefined. Unknown tags are a contract violation. */
  private mergeProblem(request: RecordedRequest, audience: Audience, merge: Record<string, unknown>, skipRequired: boolean): string | undefined {
    for (const [tag, value] of Object.entries(merge)) {
      const field = audience.fields.find((f) => f.tag === tag);
      if (field === undefined) {
        this.violations.push(`${request.method} ${request.path}: merge field ${tag} does not exist in audience ${audience.id}`);
        return tag;
      }
      if (field.type === 'number' && typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) return tag;
      if (field.type === 'text' && typeof value === 'string' && value.length > 255) return tag;
    }
    if (!skipRequired) return audience.fields.find((f) => f.required && (merge[f.tag] === undefined || merge[f.tag] === ''))?.tag;
    return undefined;
  }

  private patchMember(request: RecordedRequest, audience: Audience, hash: string, body: Record<string, unknown>): Reply {
    const member = audience.members.get(memberKey(hash));
    if (member === undefined) return notFound();
    const merge = isObject(body.merge_fields) ? body.merge_fields : {};
    const mergeProblem = this.mergeProblem(request, audience, merge, request.query.get('skip_merge_validation') === 'true');
    if (mergeProblem !== undefined) return { status: 400, headers: PROBLEM, body: { type: ERRORS_URL, title: 'Invalid Resource', status: 400, detail: 'Your merge fields were invalid.', instance: instance(), errors: [{ field: mergeProblem, message: 'Please enter a valid value' }] } };
    const status = typeof body.status === 'string' ? body.status : undefined;
    if (status !== undefined && isCompliance(member.status) && (status === 'subscribed' || status === 'pending')) {
      return problem(400, 'Member In Compliance State', `${member.email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`);
    }
    if (status !== undefined) member.status = status;
    Object.assign(member.merge, stringsAndNumbers(merge));
    return { status: 200, body: memberJson(audience, member) };
  }

  private tag(audience: Audience, hash: string, body: Record<string, unknown>): Reply {
    const member = audience.members.get(memberKey(hash));
    if (member === undefined) return notFound();
    for (const tag of Array.isArray(body.tags) ? body.tags.filter(isObject) : []) {
      if (tag.status === 'active') member.tags.add(String(tag.name));
      else member.tags.delete(String(tag.name));
    }
    return { status: 204 };
  }

  private listFields(request: RecordedRequest, audience: Audience): Reply {
    const count = Number(request.query.get('count') ?? '10');
    const offset = Number(request.query.get('offset') ?? '0');
    if (count > 1000) return this.reject(request, 'count above 1000', invalidResource(['count: at most 1000']));
    const page = audience.fields.slice(offset, offset + count).map((f) => ({ ...f, list_id: audience.id }));
    return { status: 200, body: { merge_fields: page, list_id: audience.id, total_items: audience.fields.length } };
  }

  private addField(request: RecordedRequest, audience: Audience, body: Record<string, unknown>): Reply {
    const tag = typeof body.tag === 'string' ? body.tag.toUpperCase() : `MMERGE${audience.fields.length + 1}`;
    if (!/^[A-Z0-9_]{1,10}$/.test(tag)) return this.reject(request, `merge tag "${tag}" is not 1-10 letters, digits or _`, invalidResource([`tag: "${tag}" is longer than 10 characters or has other characters`]));
    if (audience.fields.some((f) => f.tag === tag)) return problem(400, 'Invalid Resource', `A Merge Field with the tag "${tag}" already exists for this list.`);
    const field: MergeField = { merge_id: this.nextMergeId++, tag, name: String(body.name), type: String(body.type), required: body.required === true };
    audience.fields.push(field);
    return { status: 200, body: { ...field, list_id: audience.id } };
  }
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RecordedRequest, Reply } from './http-emulator.js';
import type { Schema } from './json-schema.js';

// The documented contract: OpenAPI subset of Mailchimp Marketing API 3.0 (see test/fixtures/providers/SOURCE.md).
export const SPEC = JSON.parse(readFileSync(new URL('../fixtures/providers/mailchimp-openapi-subset.json', import.meta.url), 'utf8')) as Schema;
const PATHS = SPEC.paths as Record<string, Record<string, Operation>>;
export const ERRORS_URL = 'https://mailchimp.com/developer/marketing/docs/errors/';

/** One operation of the OpenAPI subset. */
export interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
}

/** A member of an emulated audience. */
export interface EmulatedMember {
  id: string;
  email: string;
  status: string;
  merge: Record<string, string | number>;
  tags: Set<string>;
}

export interface MergeField {
  merge_id: number;
  tag: string;
  name: string;
  type: string;
  required: boolean;
}

export interface Audience {
  id: string;
  name: string;
  members: Map<string, EmulatedMember>;
  fields: MergeField[];
}

/** Subscriber hash as Mailchimp computes it: MD5 of the lower-cased address. */
export function md5Lower(email: string): string {
  return createHash('md5').update(email.toLowerCase()).digest('hex');
}

/** The documented path a request goes to, its operations and path parameters. */
export function findRoute(path: string): { template: string; operations: Record<string, Operation>; params: Record<string, string> } | undefined {
  for (const [template, operations] of Object.entries(PATHS)) {
    const names: string[] = [];
    const pattern = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (match === null) continue;
    return { template, operations, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')])) };
  }
  return undefined;
}

/** Query parameters the operation does not document, or of the wrong type. */
export function checkQuery(request: RecordedRequest, operation: Operation): string[] {
  const allowed = new Map((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema?.type]));
  return [...request.query.entries()].flatMap(([name, value]) => {
    if (!allowed.has(name)) return [`query parameter "${name}" is not documented for this operation`];
    const type = allowed.get(name);
    if (type === 'boolean' && value !== 'true' && value !== 'false') return [`query ${name}=${value} is not a boolean`];
    if (type === 'integer' && !/^\d+$/.test(value)) return [`query ${name}=${value} is not an integer`];
    return [];
  });
}

// The path also accepts the address itself (CONTRACT.md "subscriber_hash").
export function memberKey(hashOrEmail: string): string {
  return hashOrEmail.includes('@') ? md5Lower(hashOrEmail) : hashOrEmail;
}

/** Unsubscribed and cleaned members cannot be subscribed again by the API. */
export function isCompliance(status: string): boolean {
  return status === 'unsubscribed' || status === 'cleaned';
}

/** The merge values that are text or numbers. */
export function stringsAndNumbers(merge: Record<string, unknown>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(merge).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
}

/** A member as the API returns it (List_Members). */
export function memberJson(audience: Audience, member: EmulatedMember): Record<string, unknown> {
  return {
    id: member.id, email_address: member.email, unique_email_id: member.id.slice(0, 10), status: member.status, merge_fields: member.merge,
    list_id: audience.id, tags_count: member.tags.size, tags: [...member.tags].map((name, i) => ({ id: i + 1, name })),
  };
}

/** Content type of every error answer. */
export const PROBLEM = { 'Content-Type': 'application/problem+json; charset=utf-8' };
let instances = 0;
/** A fresh instance id for an error answer. */
export function instance(): string {
  return `00000000-0000-4000-8000-${String(++instances).padStart(12, '0')}`;
}

/** A problem+json answer (Problem_Detail_Document). */
export function problem(status: number, title: string, detail: string): Reply {
  return { status, headers: PROBLEM, body: { type: ERRORS_URL, title, status, detail, instance: instance() } };
}

/** 404 Resource Not Found. */
export function notFound(): Reply {
  return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
}

/** 400 Invalid Resource with field errors. */
export function invalidResource(problems: readonly string[]): Reply {
  return {
    status: 400,
    headers: PROBLEM,
    body: { type: ERRORS_URL, title: 'Invalid Resource', status: 400, detail: "The resource submitted could not be validated. For field-specific details, see the 'errors' array.", instance: instance(), errors: problems.map((p) => ({ field: p.split(':')[0] ?? '', message: p })) },
  };
}

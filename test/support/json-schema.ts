import { isObject } from './http-emulator.js';

/** An OpenAPI 3.0 schema object (the subset the Mailchimp spec uses). */
export type Schema = Record<string, unknown>;

/** Checks for one property name, instead of its declared schema. */
export type Override = (value: unknown, path: string) => string[];

/**
 * Validates a request body against an OpenAPI schema: types, enums, required properties, items,
 * and no property the schema does not declare (the real API may drop those silently, which is
 * worse than an error, so the emulator refuses them). Read-only properties are refused in requests.
 */
export function validateSchema(value: unknown, schema: Schema, root: Schema, overrides: Record<string, Override> = {}, path = 'body'): string[] {
  const resolved = resolve(schema, root);
  const type = resolved.type;
  if (resolved.enum !== undefined && !(resolved.enum as unknown[]).includes(value)) {
    return [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(resolved.enum)}`];
  }
  if (type === 'object' || resolved.properties !== undefined) return validateObject(value, resolved, root, overrides, path);
  if (type === 'array') {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    const items = resolved.items as Schema | undefined;
    return items === undefined ? [] : value.flatMap((item, i) => validateSchema(item, items, root, overrides, `${path}[${i}]`));
  }
  if (type === 'string') return typeof value === 'string' ? [] : [`${path}: expected a string`];
  if (type === 'boolean') return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
  if (type === 'integer') return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
  if (type === 'number') return typeof value === 'number' ? [] : [`${path}: expected a number`];
  return [];
}

function validateObject(value: unknown, schema: Schema, root: Schema, overrides: Record<string, Override>, path: string): string[] {
  if (!isObject(value)) return [`${path}: expected an object`];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const problems: string[] = [];
  for (const name of (schema.required ?? []) as string[]) {
    if (value[name] === undefined) problems.push(`${path}.${name}: required`);
  }
  for (const [name, item] of Object.entries(value)) {
    const at = `${path}.${name}`;
    const override = overrides[name];
    if (override !== undefined) {
      problems.push(...override(item, at));
      continue;
    }
    const declared = properties[name];
    if (declared !== undefined) {
      if (resolve(declared, root).readOnly === true) problems.push(`${at}: read-only, not accepted in a request`);
      else problems.push(...validateSchema(item, declared, root, overrides, at));
      continue;
    }
    const extra = schema.additionalProperties;
    if (isObject(extra)) problems.push(...validateSchema(item, extra, root, overrides, at));
    else if (extra !== true) problems.push(`${at}: not a documented property`);
  }
  return problems;
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), root);
  if (!isObject(target)) throw new Error(`unresolved ${ref}`);
  return resolve(target, root);
}

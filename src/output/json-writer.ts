/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, in pieces of about 64 KiB: a
 * `--json` document of a million cases is larger than the longest string V8 can hold (512 MiB),
 * and building it whole needed gigabytes. Arrays and plain objects are written part by part;
 * everything else (strings, numbers, values with `toJSON`) as JSON.stringify writes it.
 */
export function writeJson(value: unknown, write: (text: string) => void): void {
  let pending = '';
  const emit = (text: string): void => {
    pending += text;
    if (pending.length >= CHUNK) {
      write(pending);
      pending = '';
    }
  };
  writeValue(value, '', emit);
  if (pending !== '') write(pending);
}

const CHUNK = 1 << 16;
const STEP = '  ';

function writeValue(value: unknown, indent: string, emit: (text: string) => void): void {
  if (!hasToJson(value)) {
    if (Array.isArray(value)) return writeArray(value, indent, emit);
    if (isPlainObject(value)) return writeObject(value, indent, emit);
  }
  // JSON strings never hold a raw line break, so indenting after each one is exact.
  const text = JSON.stringify(value, null, 2) as string | undefined;
  emit(text === undefined ? 'null' : text.replaceAll('\n', `\n${indent}`));
}

function writeArray(items: readonly unknown[], indent: string, emit: (text: string) => void): void {
  if (items.length === 0) return emit('[]');
  const inner = indent + STEP;
  // An index loop, not forEach: a hole is written as null, as JSON.stringify does.
  for (let i = 0; i < items.length; i++) {
    emit(`${i === 0 ? '[' : ','}\n${inner}`);
    writeValue(items[i], inner, emit);
  }
  emit(`\n${indent}]`);
}

function writeObject(object: Record<string, unknown>, indent: string, emit: (text: string) => void): void {
  const inner = indent + STEP;
  let first = true;
  for (const [key, item] of Object.entries(object)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    emit(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
    writeValue(item, inner, emit);
    first = false;
  }
  emit(first ? '{}' : `\n${indent}}`);
}

function hasToJson(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

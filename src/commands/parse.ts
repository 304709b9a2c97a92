import { InvalidArgumentError } from 'commander';
import { SOURCE_NAME } from '../config/schema.js';

/** Parses a whole number of at least 1 for an option. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

/** Checks a source name given on the command line by the rule the config's import.source follows. */
export function parseSourceName(value: string): string {
  if (!SOURCE_NAME.test(value)) throw new InvalidArgumentError('expected lower-case letters, digits, "-" and "_", starting with a letter or digit (e.g. my-shop)');
  return value;
}

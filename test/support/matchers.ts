import { expect } from 'vitest';

/** expect.stringContaining, typed as the string it stands for inside object matchers. */
export function containing(text: string): string {
  return expect.stringContaining(text) as string;
}

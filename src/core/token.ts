/**
 * Why a case's token cannot build a manage link, or null when it can. A case without a usable
 * token gets no link and no message (DESIGN.md "Data rules").
 */
export function tokenProblem(token: string | null, pattern: RegExp | undefined): string | null {
  if (token === null || token.trim() === '') return 'no token in the export';
  if (/[\s\u0000-\u001f\u007f]/.test(token)) return 'the token contains spaces or control characters';
  if (pattern !== undefined && !pattern.test(token)) return 'the token does not match "tokenPattern"';
  return null;
}

/** Compiles the config's tokenPattern so that it must match the whole token. */
export function compileTokenPattern(pattern: string | undefined): RegExp | undefined {
  return pattern === undefined ? undefined : new RegExp(`^(?:${pattern})$`);
}

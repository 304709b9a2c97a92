/** The outcome of parsing one value: the value, or why it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A successful parse. */
export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

/** A failed parse with a reason written for the merchant. */
export function fail<T = never>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** Writes a seeded elopage-style export of `rows` rows to `path` (same seed, same bytes). */
export function generateExport(rows: number, path: string, seed?: number, baseDate?: number): Promise<void>;

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import type { Config } from '../config/schema.js';
import { DunningError } from '../core/errors.js';
import type { PlannedMessage } from '../core/plan.js';
import { termsOfStage } from '../core/promo.js';
import type { Db } from '../store/database.js';
import { addPoolCodes, heldCodeOf, takenPoolCodes, type CodeAssignment } from '../store/promo.js';
import type { MessagePromo } from '../templates/types.js';

/** The promo of one message and the code assignment its claim records. */
export interface MessageCode {
  promo: MessagePromo;
  assignment: CodeAssignment;
}

/**
 * Hands out the codes of a run: a stage's fixed code, or unique codes from its pool (one per
 * customer, never reused). Before anything is sent it checks that every pool holds enough codes.
 */
export class PromoDesk {
  private readonly free = new Map<string, string[]>();

  private constructor(
    private readonly db: Db,
    private readonly config: Config,
  ) {}

  /**
   * Reads the pools of the stages this plan sends (adding new codes to the store unless `dryRun`)
   * and refuses the run, before any message is claimed, when a pool would run out (exit 2).
   */
  static prepare(db: Db, config: Config, baseDir: string, messages: readonly PlannedMessage[], now: Date, dryRun: boolean): PromoDesk {
    const desk = new PromoDesk(db, config);
    const problems: string[] = [];
    for (const stage of config.sequence.stages) {
      const pool = stage.promo?.pool;
      if (pool === undefined) continue;
      const file = resolve(baseDir, pool);
      const codes = readPool(file, stage.name);
      if (!dryRun) addPoolCodes(db, stage.name, codes, now.toISOString());
      const taken = takenPoolCodes(db, stage.name);
      const free = codes.filter((c) => !taken.has(c));
      desk.free.set(stage.name, free);
      const needed = messages.filter((m) => m.stage.name === stage.name && heldCodeOf(db, stage.name, m.customer.emailKey) === undefined).length;
      if (needed > free.length) {
        problems.push(`stage "${stage.name}": ${file} has ${free.length} unused code${free.length === 1 ? '' : 's'}, this run needs ${needed}: add at least ${needed - free.length}`);
      }
    }
    if (problems.length > 0) {
      throw new DunningError('a promo code pool would run out during this run; nothing was sent', {
        details: problems,
        hint: 'add codes to the pool file (one per line) and run again, or lower limits.perRun',
      });
    }
    return desk;
  }

  /** The code and terms of this message, or undefined when its stage has no promo. */
  codeFor(message: PlannedMessage, now: Date): MessageCode | undefined {
    const stage = this.config.sequence.stages.find((s) => s.name === message.stage.name);
    const promo = stage?.promo;
    if (stage === undefined || promo === undefined) return undefined;
    const key = message.customer.emailKey;
    const code = promo.code ?? heldCodeOf(this.db, stage.name, key) ?? this.free.get(stage.name)?.shift();
    if (code === undefined) throw new DunningError(`stage "${stage.name}": the code pool ran out`);
    const terms = termsOfStage(stage.name, promo, message.cases[0]?.currency ?? this.config.currency, now);
    return {
      promo: { code, ...terms },
      assignment: {
        stage: stage.name,
        code,
        pool: promo.pool === undefined ? null : stage.name,
        emailKey: key,
        discountJson: JSON.stringify(terms.discount),
        issuedAt: now.toISOString(),
        expiresAt: terms.expiresAt,
      },
    };
  }
}

/** The codes of a pool file: one per line (a CSV's first column), an optional header, no duplicates. */
function readPool(file: string, stage: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  } catch {
    throw new DunningError(`stage "${stage}": cannot read the promo code pool ${file}`, { hint: 'fix "promo.pool" (relative to the config file)' });
  }
  const cells = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' }).data.map((row) => (row[0] ?? '').trim()).filter((c) => c !== '');
  if (/^(code|codes|gutschein|gutscheincode|coupon|promo ?code)$/i.test(cells[0] ?? '')) cells.shift();
  const seen = new Set<string>();
  for (const code of cells) {
    if (seen.has(code)) throw new DunningError(`stage "${stage}": ${file} lists the code "${code}" twice`, { hint: 'every code in a pool must be unique' });
    if (/[\s\u0000-\u001f]/.test(code)) throw new DunningError(`stage "${stage}": ${file} has a code with spaces or control characters: "${code}"`);
    seen.add(code);
  }
  return cells;
}

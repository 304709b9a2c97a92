import { readPromoPool } from '../../config/promo-pool.js';
import { DunningError } from '../../core/errors.js';
import type { PlannedMessage } from '../../core/plan.js';
import { termsOfStage, type PromoOffer } from '../../core/promo.js';
import type { AppConfig } from '../plan.js';
import type { CodeAssignment, Store } from '../ports.js';

/** The promo of one message and the code assignment its claim records. */
export interface MessageCode {
  promo: PromoOffer;
  assignment: CodeAssignment;
}

/** How many customers of a run will need a new code from each pool stage. */
export type PoolNeeds = ReadonlyMap<string, number>;

/** Whether a message needs a new code from its stage's pool: its stage draws from one and the customer holds none. */
export async function needsPoolCode(store: Store, config: AppConfig, message: PlannedMessage): Promise<boolean> {
  const stage = config.sequence.stages.find((s) => s.name === message.stage.name);
  if (stage?.promo?.pool === undefined) return false;
  if (await unsubscribedFromOffers(store, message.customer.emailKey)) return false;
  return (await store.promos.heldCodeOf(stage.name, message.customer.emailKey)) === undefined;
}

/**
 * Hands out the codes of a run: a stage's fixed code, or unique codes from its pool (one per
 * customer, never reused). Before anything is sent it checks that every pool holds enough codes.
 */
export class PromoDesk {
  private readonly free = new Map<string, string[]>();

  private constructor(
    private readonly store: Store,
    private readonly config: AppConfig,
  ) {}

  /**
   * Reads the pools of the sequence (adding new codes to the store unless `dryRun`) and refuses the
   * run, before any message is claimed, when a pool would run out (exit 2).
   */
  static async prepare(store: Store, config: AppConfig, baseDir: string, needs: PoolNeeds, now: Date, dryRun: boolean): Promise<PromoDesk> {
    const desk = new PromoDesk(store, config);
    const problems: string[] = [];
    for (const stage of config.sequence.stages) {
      const pool = stage.promo?.pool;
      if (pool === undefined) continue;
      const { file, codes } = readPromoPool(baseDir, pool, stage.name);
      if (!dryRun) await store.promos.addPoolCodes(stage.name, codes, now.toISOString());
      const taken = await store.promos.takenPoolCodes(stage.name);
      const free = codes.filter((c) => !taken.has(c));
      desk.free.set(stage.name, free);
      const needed = needs.get(stage.name) ?? 0;
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
  async codeFor(message: PlannedMessage, now: Date): Promise<MessageCode | undefined> {
    const stage = this.config.sequence.stages.find((s) => s.name === message.stage.name);
    const promo = stage?.promo;
    if (stage === undefined || promo === undefined) return undefined;
    const key = message.customer.emailKey;
    // Unsubscribed from offers (issue 23): the plain reminder of the stage, without a code.
    if (await unsubscribedFromOffers(this.store, key)) return undefined;
    const code = promo.code ?? (await this.store.promos.heldCodeOf(stage.name, key)) ?? this.free.get(stage.name)?.shift();
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

/** Whether an address asked for no more offers ("suppress import"): its messages carry no code. */
async function unsubscribedFromOffers(store: Store, emailKey: string): Promise<boolean> {
  return (await store.suppressions.of(emailKey)).some((s) => s.scope === 'offers');
}

import type { PresetName } from '../../config/schema.js';
import type { DateOrder } from '../../core/dates.js';
import type { NumberFormat } from '../../core/money.js';
import type { Field } from '../../core/order-line.js';
import type { StatusRules } from '../../core/order-status.js';

/**
 * A known export layout: which headers mean which field, which rows are open, and how the platform
 * writes values. Plain data, since it travels to the parsing thread with the file's layout.
 */
export interface Preset {
  name: PresetName;
  /** Header names per field, tried in order; matched case- and space-insensitively. */
  headers: Partial<Record<Field, readonly string[]>>;
  /** Fields a file must have to be read with this preset. */
  required: readonly Field[];
  /**
   * The headers of a field are preferences, the first present wins (Shopify's `Outstanding
   * Balance` over `Total`). Without, two present headers of one field are refused as ambiguous.
   */
  firstHeaderWins?: boolean;
  /** Headers only this platform writes: they decide between presets that both fit a header row. */
  signature: readonly string[];
  /** The export lists every pending order, so a missing case has been paid. */
  snapshot: boolean;
  numberFormat?: NumberFormat;
  dateOrder?: DateOrder;
  /** The zone of date-times written without an offset, when it is not the merchant's (Stripe: UTC). */
  wallZone?: string;
  /** The status column's values; without, every row is open. */
  status?: StatusRules;
  /** Days after the order date a row without a due date falls due, unless `import.dueAfterDays` says otherwise. */
  dueAfterDays?: number;
  /** One row per line item: rows that continue the order above (same order ID, no e-mail) join it. */
  lineItems?: boolean;
}

/** Status values of an export whose columns the config maps, or of the generic layout. */
export const GENERIC_STATUS: StatusRules = {
  open: ['open', 'pending', 'unpaid', 'overdue', 'due', 'offen', 'ausstehend', 'überfällig'],
  paid: ['paid', 'complete', 'completed', 'bezahlt'],
  cancelled: ['cancelled', 'canceled', 'refunded', 'void', 'voided', 'storniert', 'erstattet'],
};

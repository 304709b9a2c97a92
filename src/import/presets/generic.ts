import { FIELDS } from '../../core/order-line.js';
import { GENERIC_STATUS, type Preset } from './preset.js';

/** The field names as headers: for a file written by hand or by a script. */
export const generic: Preset = {
  name: 'generic',
  snapshot: false,
  required: ['email', 'order_id', 'open_amount', 'due_date'],
  signature: [],
  status: GENERIC_STATUS,
  headers: Object.fromEntries(FIELDS.map((field) => [field, [field]])),
};

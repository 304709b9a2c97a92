export type { Preset } from './preset.js';
export { GENERIC_STATUS } from './preset.js';
export { mapColumns, normaliseHeader, type ColumnMapping } from './map-columns.js';
export { PRESETS } from './list.js';

import { digistore24 } from './digistore24.js';
import { elopage } from './elopage.js';
import { generic } from './generic.js';
import type { Preset } from './preset.js';
import { shopify } from './shopify.js';
import { stripe } from './stripe.js';
import { woocommerce } from './woocommerce.js';

/**
 * Every preset, one file each (issue 18). Adding a platform: a file beside these, a row here, its
 * name in PRESET_NAMES (config/schema.ts), an example under examples/ and a line in the README.
 * The order breaks ties when a header row fits two presets equally well.
 */
export const PRESETS: readonly Preset[] = [elopage, shopify, woocommerce, stripe, digistore24, generic];

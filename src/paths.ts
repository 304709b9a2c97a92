import { fileURLToPath } from 'node:url';

/** The folder of the installed package (holds schema/, templates/, examples/). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The JSON Schema of dunning.config.json that ships with the package. */
export const CONFIG_SCHEMA_FILE = fileURLToPath(new URL('../schema/dunning.config.schema.json', import.meta.url));

/** The default e-mail templates that ship with the package. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

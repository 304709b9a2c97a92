import { fileURLToPath } from 'node:url';

/** The JSON Schema of dunning.config.json that ships with the package. */
export const CONFIG_SCHEMA_FILE = fileURLToPath(new URL('../schema/dunning.config.schema.json', import.meta.url));

/** The default e-mail templates that ship with the package. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

// The worker threads' entry files, named from here: the build bundles the program (scripts/bundle.mjs),
// and a bundled module no longer sits in its own folder, but this file's code stays at dist/'s top.

/** The parsing thread of a large import. */
export const PARSE_WORKER_FILE = new URL('./import/parallel/parse-worker.js', import.meta.url);

/** The thread that composes MIME messages for a pooled SMTP send. */
export const COMPOSE_WORKER_FILE = new URL('./channels/smtp/compose-worker.js', import.meta.url);

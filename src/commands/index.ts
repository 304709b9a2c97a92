import { registerBounces } from './bounces.js';
import type { RegisterCommand } from './context.js';
import { registerCustomer } from './customer.js';
import { registerDb } from './db.js';
import { registerDkim } from './dkim.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';
import { registerInit } from './init.js';
import { registerMailchimp } from './mailchimp.js';
import { registerPreview } from './preview.js';
import { registerPromo } from './promo.js';
import { registerReport } from './report.js';
import { registerRuns } from './runs.js';
import { registerSend } from './send.js';
import { registerStatus } from './status.js';
import { registerSuppress } from './suppress.js';
import { registerTemplates } from './templates.js';

/**
 * Every command, in the order `dunning --help` lists them. Each is registered up front (for the
 * help), but a command imports its heavy parts (send engine, templates, MIME, channels) inside its
 * action: every run then loads only what its own command needs (`import` without them: 23 MB
 * less memory, which the 1M-row import spends on its parsing thread instead).
 */
export const COMMANDS: readonly RegisterCommand[] = [registerInit, registerImport, registerStatus, registerPreview, registerTemplates, registerSend, registerExport, registerCustomer, registerReport, registerPromo, registerMailchimp, registerBounces, registerSuppress, registerDkim, registerRuns, registerDb];

/**
 * The interfaces the use cases need, implemented by the adapters and handed in by src/cli.ts: the
 * store (src/store/), the channels (src/channels/), the renderer (src/templates/) and the clock.
 *
 * Every store method returns a promise. SQLite (better-sqlite3) answers synchronously and gains
 * nothing from it, but a database server's driver (PostgreSQL, the store's second adapter) only
 * answers asynchronously; a synchronous port would force that adapter to block a thread per call.
 * The calls are coarse (a page of customers, a batch of rows, a batch of claims), so the promise
 * costs a microtask per batch, not per row. See docs/ARCHITECTURE.md.
 */
/** The program's one clock; `--now` fixes it for reproducible runs. */
export interface Clock {
  now(): Date;
}

export * from './ports/store.js';
export * from './ports/import.js';
export * from './ports/channel.js';
export * from './ports/suppression.js';
export * from './ports/tables.js';

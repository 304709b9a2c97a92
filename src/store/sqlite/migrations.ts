/**
 * The schema, one migration per version. Never edit a released migration: add one.
 * PRAGMA user_version holds how many have been applied.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    args TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    exit_code INTEGER,
    summary TEXT,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL
  );

  CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    file TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    file_sha256 TEXT NOT NULL,
    settings_hash TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('snapshot', 'partial')),
    imported_at TEXT NOT NULL,
    rows INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX imports_source ON imports(source, id);

  -- What the merchant decided about one customer (keyed like cases, by the lower-cased address).
  CREATE TABLE customer_controls (
    email_key TEXT PRIMARY KEY,
    snoozed_until TEXT,
    stopped_at TEXT,
    stop_reason TEXT
  );

  -- A case carries its customer's address and name as the newest export gave them: imports then
  -- need one write per row, and a customer is simply the cases that share an email_key.
  CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    order_id TEXT NOT NULL,
    due_date TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    open_minor INTEGER NOT NULL,
    paid_minor INTEGER NOT NULL DEFAULT 0,
    first_open_minor INTEGER NOT NULL,
    token TEXT,
    locale_hint TEXT,
    extra TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'cancelled')),
    closed_reason TEXT,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    first_import_id INTEGER NOT NULL,
    updated_import_id INTEGER NOT NULL,
    snoozed_until TEXT,
    stopped_at TEXT,
    stop_reason TEXT,
    UNIQUE (source, order_id, due_date)
  );

  CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    import_id INTEGER NOT NULL REFERENCES imports(id),
    amount_minor INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('partial', 'in_full', 'missing_from_snapshot')),
    recorded_at TEXT NOT NULL
  );
  CREATE INDEX payments_by_case ON payments(case_id);

  CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    email_key TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    run_id INTEGER NOT NULL REFERENCES runs(id),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    email_key TEXT NOT NULL,
    stage TEXT NOT NULL,
    channel TEXT NOT NULL,
    template TEXT NOT NULL,
    recipient TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'unknown')),
    message_id TEXT NOT NULL UNIQUE,
    provider_id TEXT,
    response TEXT,
    error TEXT,
    permanent INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX messages_by_state ON messages(state);
  CREATE INDEX messages_by_customer ON messages(email_key);

  -- Each case gets each stage at most once, ever (DESIGN.md "Concepts"). A message that failed
  -- releases its claim so a later run may try again; sending, sent and unknown keep it.
  CREATE TABLE message_cases (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    stage TEXT NOT NULL,
    released INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, case_id)
  );
  CREATE UNIQUE INDEX message_cases_once ON message_cases(case_id, stage) WHERE released = 0;

  CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    since TEXT NOT NULL
  );
  `,
  `
  -- Promo codes a stage hands out (issue 6). A pool code is loaded unassigned (email_key NULL) and
  -- given to exactly one customer, in the same transaction that claims the message; never reused.
  -- A fixed code gets one row per customer it is handed to.
  CREATE TABLE promo_codes (
    id INTEGER PRIMARY KEY,
    stage TEXT NOT NULL,
    code TEXT NOT NULL,
    pool TEXT,
    email_key TEXT,
    message_id INTEGER REFERENCES messages(id),
    discount TEXT,
    issued_at TEXT,
    expires_at TEXT,
    loaded_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX promo_codes_in_pool ON promo_codes(pool, code) WHERE pool IS NOT NULL;
  CREATE INDEX promo_codes_by_holder ON promo_codes(email_key, stage);
  `,
  `
  -- Dunning tags removed in Mailchimp from customers with nothing left open (issue 5). What was
  -- tagged is the messages table: a mailchimp message sent (or unknown) tagged its customer, and it is
  -- written in the same transaction as its outcome. One row here per removal attempt; a customer's
  -- newest row says whether their tags are gone, and a push in a later run makes them due again.
  CREATE TABLE mailchimp_tag_removals (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    email_key TEXT NOT NULL,
    email TEXT NOT NULL,
    list_id TEXT NOT NULL,
    tags TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('removed', 'not_in_audience', 'failed')),
    permanent INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    attempted_at TEXT NOT NULL
  );
  CREATE INDEX mailchimp_tag_removals_by_customer ON mailchimp_tag_removals(email_key, id);
  `,
  `
  -- The same cases table with its status rule written as comparisons: SQLite builds a temporary
  -- table for an IN (...) list each time it checks a written row, a sixth of the CPU of a
  -- 1M-row import (npm run bench). Same columns, rule and rows; rebuilt as SQLite's ALTER TABLE
  -- documentation describes (foreign keys are off while migrating and checked before the commit).
  CREATE TABLE cases_v4 (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    order_id TEXT NOT NULL,
    due_date TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    open_minor INTEGER NOT NULL,
    paid_minor INTEGER NOT NULL DEFAULT 0,
    first_open_minor INTEGER NOT NULL,
    token TEXT,
    locale_hint TEXT,
    extra TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status = 'open' OR status = 'paid' OR status = 'cancelled'),
    closed_reason TEXT,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    first_import_id INTEGER NOT NULL,
    updated_import_id INTEGER NOT NULL,
    snoozed_until TEXT,
    stopped_at TEXT,
    stop_reason TEXT,
    UNIQUE (source, order_id, due_date)
  );
  INSERT INTO cases_v4 (id, source, order_id, due_date, email, email_key, first_name, last_name, product, currency, open_minor,
    paid_minor, first_open_minor, token, locale_hint, extra, status, closed_reason, opened_at, closed_at, first_import_id,
    updated_import_id, snoozed_until, stopped_at, stop_reason)
  SELECT id, source, order_id, due_date, email, email_key, first_name, last_name, product, currency, open_minor,
    paid_minor, first_open_minor, token, locale_hint, extra, status, closed_reason, opened_at, closed_at, first_import_id,
    updated_import_id, snoozed_until, stopped_at, stop_reason
  FROM cases;
  DROP TABLE cases;
  ALTER TABLE cases_v4 RENAME TO cases;
  `,
  `
  -- The planner reads each open case with its claims (issue 17: the plan streams customer by
  -- customer); finding a case's claims must not scan every message.
  CREATE INDEX message_cases_by_case ON message_cases(case_id);
  `,
  `
  -- Issue 19: the instant a case is due when the export gave a time of day (NULL: the start of
  -- due_date in the merchant's zone), and which repeat of a repeating last stage a message is
  -- (0: the stage itself): each repeat is its own message, once.
  ALTER TABLE cases ADD COLUMN due_at TEXT;
  ALTER TABLE message_cases ADD COLUMN repeat_number INTEGER NOT NULL DEFAULT 0;
  DROP INDEX message_cases_once;
  CREATE UNIQUE INDEX message_cases_once ON message_cases(case_id, stage, repeat_number) WHERE released = 0;
  `,
  `
  -- Issue 18: the whole URL of the order's pay page when the export has one (Digistore24's
  -- order_details_url, a pay_link column): used as the case's link as it is.
  ALTER TABLE cases ADD COLUMN pay_link TEXT;
  `,
  `
  -- Issue 24: whether the customer is a business or a consumer, from the export's customer_type
  -- column (NULL: the config's lateCharges.customerType). Statutory interest and the flat fee differ.
  ALTER TABLE cases ADD COLUMN customer_type TEXT CHECK (customer_type IN ('b2b', 'b2c'));
  `,
  `
  -- Issue 23: addresses that get no more offers (scope 'offers': unsubscribed) or no more messages
  -- at all (scope 'all': a hard bounce, a spam complaint, an opt-out the merchant imported with
  -- --all). One row per address and scope; the first reason stands until "customer --resume".
  CREATE TABLE IF NOT EXISTS suppressions (
    email_key TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope = 'offers' OR scope = 'all'),
    reason TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'complained')),
    detail TEXT NOT NULL DEFAULT '',
    happened_at TEXT NOT NULL,
    source TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (email_key, scope)
  );

  -- Delivery status notifications and complaints read by "bounces import" or "bounces sync", once
  -- each (report_key: the report's Message-ID or a hash of it): importing a file again changes nothing.
  CREATE TABLE IF NOT EXISTS delivery_reports (
    report_key TEXT PRIMARY KEY,
    email_key TEXT,
    message_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('permanent', 'temporary', 'complaint', 'unsubscribed', 'unmatched')),
    status TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    reported_at TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id)
  );
  CREATE INDEX IF NOT EXISTS delivery_reports_by_address ON delivery_reports(email_key, reported_at);
  `,
];

-- factuur ledger, schema 2 (SQLite): invoice runs, their invoices, the run queue, the staging
-- of workers, return messages and journal exports; per-invoice reporting (a profile may report
-- to the tax black box where its series does not).

-- NULL: the series decides whether the invoice is reported (schema 1's behaviour).
ALTER TABLE invoices ADD COLUMN gks INTEGER CHECK (gks IN (0, 1));

-- One row per run, test or production, from the moment it joins the queue.
CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    mode            TEXT NOT NULL CHECK (mode IN ('test', 'production')),
    profile         TEXT NOT NULL,
    profile_text    TEXT NOT NULL,          -- the profile as it was used (TOML)
    date_from       TEXT NOT NULL,          -- the time window, ISO dates, both included
    date_to         TEXT NOT NULL,
    booking_date    TEXT NOT NULL,
    description     TEXT NOT NULL,
    user_name       TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'committed', 'done',
                        'failed', 'abandoned', 'rolled_back')),
    holder          TEXT NOT NULL,          -- host, process id and start of the process
    heartbeat       INTEGER NOT NULL,
    queued_at       INTEGER NOT NULL,
    started_at      INTEGER,
    finished_at     INTEGER,
    drafts          INTEGER NOT NULL,       -- drafts in the window
    invoices        INTEGER NOT NULL DEFAULT 0,
    failed          INTEGER NOT NULL DEFAULT 0,
    skipped         INTEGER NOT NULL DEFAULT 0,
    progress        INTEGER NOT NULL DEFAULT 0,
    series          TEXT,
    period          INTEGER,
    first_seq       INTEGER,
    last_seq        INTEGER,
    zip_path        TEXT,
    zip_temp        TEXT,
    message         TEXT,
    rolled_back_at  INTEGER,
    rolled_back_by  TEXT,
    rollback_reason TEXT
);
CREATE INDEX runs_state ON runs (state, id);

-- The invoices of a run, in run order: numbered ones, failed ones (with findings) and drafts
-- left out because an earlier run invoiced them.
CREATE TABLE run_invoices (
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    position      INTEGER NOT NULL,
    number        TEXT,
    invoice_id    INTEGER REFERENCES invoices(id),
    draft_key     TEXT NOT NULL,
    source        TEXT NOT NULL,
    type_code     INTEGER NOT NULL,
    status        TEXT NOT NULL,
    customer      TEXT,
    kvk           TEXT,
    issue_date    TEXT NOT NULL,
    currency      TEXT NOT NULL,
    net           TEXT,
    vat           TEXT,
    total         TEXT,
    vat_rates     TEXT NOT NULL,            -- JSON: net and VAT per rate
    findings      TEXT NOT NULL,            -- JSON
    PRIMARY KEY (run_id, position)
);
CREATE INDEX run_invoices_key ON run_invoices (draft_key);
CREATE INDEX run_invoices_invoice ON run_invoices (invoice_id);

-- Staging for workers (PostgreSQL): the numbered drafts of a running run, its slices and the
-- documents rendered, until the run commits or is abandoned.
CREATE TABLE run_items (
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    position  INTEGER NOT NULL,
    invoice   TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE run_slices (
    run_id     INTEGER NOT NULL REFERENCES runs(id),
    slice      INTEGER NOT NULL,
    first_pos  INTEGER NOT NULL,
    last_pos   INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('todo', 'done')),
    worker     TEXT,
    done_at    INTEGER,
    PRIMARY KEY (run_id, slice)
);
CREATE TABLE run_documents (
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    method    INTEGER NOT NULL,
    crc       INTEGER NOT NULL,
    size      INTEGER NOT NULL,
    bytes     BLOB NOT NULL,
    PRIMARY KEY (run_id, position, name)
);

-- Return messages from the customer's side about an invoice: read, approved, partly approved.
CREATE TABLE return_messages (
    seq         INTEGER PRIMARY KEY,
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
    state       TEXT NOT NULL CHECK (state IN ('read', 'approved', 'partly-approved')),
    at          INTEGER NOT NULL,
    user_name   TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX return_messages_invoice ON return_messages (invoice_id);

-- Journal exports (booking lines for the books), of any kind.
CREATE TABLE journal_exports (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    date_from  TEXT NOT NULL,
    date_to    TEXT NOT NULL,
    at         INTEGER NOT NULL,
    user_name  TEXT NOT NULL,
    lines      INTEGER NOT NULL,
    file       TEXT
);

CREATE TRIGGER return_messages_append_only_update BEFORE UPDATE ON return_messages
BEGIN SELECT RAISE(ABORT, 'return messages are append-only'); END;
CREATE TRIGGER return_messages_append_only_delete BEFORE DELETE ON return_messages
BEGIN SELECT RAISE(ABORT, 'return messages are append-only'); END;
CREATE TRIGGER journal_exports_append_only_update BEFORE UPDATE ON journal_exports
BEGIN SELECT RAISE(ABORT, 'journal exports are append-only'); END;
CREATE TRIGGER journal_exports_append_only_delete BEFORE DELETE ON journal_exports
BEGIN SELECT RAISE(ABORT, 'journal exports are append-only'); END;
CREATE TRIGGER runs_never_deleted BEFORE DELETE ON runs
BEGIN SELECT RAISE(ABORT, 'runs are never deleted'); END;
CREATE TRIGGER run_invoices_never_deleted BEFORE DELETE ON run_invoices
BEGIN SELECT RAISE(ABORT, 'the invoices of a run are never deleted'); END;
CREATE TRIGGER lapsed_never_deleted BEFORE DELETE ON lapsed_numbers
BEGIN SELECT RAISE(ABORT, 'lapsed numbers are never deleted'); END;

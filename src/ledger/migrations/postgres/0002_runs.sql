-- factuur ledger, schema 2 (PostgreSQL): the SQLite schema 2 in PostgreSQL's types: invoice
-- runs, their invoices, the run queue, the staging of workers (slices claimed with row locks,
-- SKIP LOCKED), return messages, journal exports, per-invoice reporting.

ALTER TABLE invoices ADD COLUMN gks BOOLEAN;

CREATE TABLE runs (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mode            TEXT NOT NULL CHECK (mode IN ('test', 'production')),
    profile         TEXT NOT NULL,
    profile_text    TEXT NOT NULL,
    date_from       TEXT NOT NULL,
    date_to         TEXT NOT NULL,
    booking_date    TEXT NOT NULL,
    description     TEXT NOT NULL,
    user_name       TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'committed', 'done',
                        'failed', 'abandoned', 'rolled_back')),
    holder          TEXT NOT NULL,
    heartbeat       BIGINT NOT NULL,
    queued_at       BIGINT NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT,
    drafts          BIGINT NOT NULL,
    invoices        BIGINT NOT NULL DEFAULT 0,
    failed          BIGINT NOT NULL DEFAULT 0,
    skipped         BIGINT NOT NULL DEFAULT 0,
    progress        BIGINT NOT NULL DEFAULT 0,
    series          TEXT,
    period          INTEGER,
    first_seq       BIGINT,
    last_seq        BIGINT,
    zip_path        TEXT,
    zip_temp        TEXT,
    message         TEXT,
    rolled_back_at  BIGINT,
    rolled_back_by  TEXT,
    rollback_reason TEXT
);
CREATE INDEX runs_state ON runs (state, id);

CREATE TABLE run_invoices (
    run_id        BIGINT NOT NULL REFERENCES runs(id),
    position      BIGINT NOT NULL,
    number        TEXT,
    invoice_id    BIGINT REFERENCES invoices(id),
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
    vat_rates     TEXT NOT NULL,
    findings      TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX run_invoices_key ON run_invoices (draft_key);
CREATE INDEX run_invoices_invoice ON run_invoices (invoice_id);

CREATE TABLE run_items (
    run_id    BIGINT NOT NULL REFERENCES runs(id),
    position  BIGINT NOT NULL,
    invoice   TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE run_slices (
    run_id     BIGINT NOT NULL REFERENCES runs(id),
    slice      INTEGER NOT NULL,
    first_pos  BIGINT NOT NULL,
    last_pos   BIGINT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('todo', 'done')),
    worker     TEXT,
    done_at    BIGINT,
    PRIMARY KEY (run_id, slice)
);
CREATE TABLE run_documents (
    run_id    BIGINT NOT NULL REFERENCES runs(id),
    position  BIGINT NOT NULL,
    name      TEXT NOT NULL,
    method    INTEGER NOT NULL,
    crc       BIGINT NOT NULL,
    size      BIGINT NOT NULL,
    bytes     BYTEA NOT NULL,
    PRIMARY KEY (run_id, position, name)
);

CREATE TABLE return_messages (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id  BIGINT NOT NULL REFERENCES invoices(id),
    state       TEXT NOT NULL CHECK (state IN ('read', 'approved', 'partly-approved')),
    at          BIGINT NOT NULL,
    user_name   TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX return_messages_invoice ON return_messages (invoice_id);

CREATE TABLE journal_exports (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT NOT NULL,
    date_from  TEXT NOT NULL,
    date_to    TEXT NOT NULL,
    at         BIGINT NOT NULL,
    user_name  TEXT NOT NULL,
    lines      BIGINT NOT NULL,
    file       TEXT
);

CREATE TRIGGER return_messages_append_only BEFORE UPDATE OR DELETE ON return_messages
    FOR EACH ROW EXECUTE FUNCTION factuur_refuse('return messages are append-only');
CREATE TRIGGER journal_exports_append_only BEFORE UPDATE OR DELETE ON journal_exports
    FOR EACH ROW EXECUTE FUNCTION factuur_refuse('journal exports are append-only');
CREATE TRIGGER runs_never_deleted BEFORE DELETE ON runs
    FOR EACH ROW EXECUTE FUNCTION factuur_refuse('runs are never deleted');
CREATE TRIGGER run_invoices_never_deleted BEFORE DELETE ON run_invoices
    FOR EACH ROW EXECUTE FUNCTION factuur_refuse('the invoices of a run are never deleted');
CREATE TRIGGER lapsed_never_deleted BEFORE DELETE ON lapsed_numbers
    FOR EACH ROW EXECUTE FUNCTION factuur_refuse('lapsed numbers are never deleted');

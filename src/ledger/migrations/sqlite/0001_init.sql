-- factuur ledger, schema 1 (SQLite).
-- Times are milliseconds since the Unix epoch (UTC). Invoice content is the model as JSON.
-- Rows of history and attempts are never deleted (triggers below), so their INTEGER PRIMARY KEY
-- only grows, in the order written.

CREATE TABLE series (
    name        TEXT PRIMARY KEY,
    format      TEXT NOT NULL,
    gks         INTEGER NOT NULL DEFAULT 0 CHECK (gks IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- The last sequence given out per series and period (a year, or 0 without {year}).
CREATE TABLE counters (
    series  TEXT NOT NULL REFERENCES series(name),
    period  INTEGER NOT NULL,
    last    INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (series, period)
);

CREATE TABLE invoices (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    series        TEXT REFERENCES series(name),
    period        INTEGER,
    seq           INTEGER,
    imported      INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1)),
    status        TEXT NOT NULL CHECK (status IN ('Concept', 'Proforma', 'Proforma verstuurd',
                      'Definitief', 'Gemeld', 'Verstuurd', 'Vervallen')),
    version       INTEGER NOT NULL CHECK (version >= 1),
    content       TEXT NOT NULL,
    ticket        TEXT,
    reported_at   INTEGER,
    next_attempt  INTEGER,
    attempts      INTEGER NOT NULL DEFAULT 0,
    via           TEXT CHECK (via IN ('email', 'dico')),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (series, period, seq)
);
CREATE INDEX invoices_status ON invoices (status);
-- The reported invoices in the order they fall due.
CREATE INDEX invoices_due ON invoices (status, next_attempt);

-- Append-only: every transition, check result, attempt and ticket.
CREATE TABLE history (
    seq          INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
    version      INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    user_name    TEXT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    detail       TEXT NOT NULL
);
CREATE INDEX history_invoice ON history (invoice_id, seq);

-- Append-only: every answer of the tax black box.
CREATE TABLE attempts (
    seq         INTEGER PRIMARY KEY,
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
    n           INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    answer      TEXT NOT NULL CHECK (answer IN ('ticket', 'none', 'error')),
    detail      TEXT
);
CREATE INDEX attempts_invoice ON attempts (invoice_id, seq);

CREATE TABLE grants (
    user_name   TEXT NOT NULL,
    grant_name  TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    granted_at  INTEGER NOT NULL,
    PRIMARY KEY (user_name, grant_name)
);

-- Numbers given out that belong to no invoice any more (a rolled-back run), and why.
CREATE TABLE lapsed_numbers (
    series  TEXT NOT NULL REFERENCES series(name),
    number  TEXT NOT NULL,
    run     TEXT,
    reason  TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (series, number)
);

CREATE TRIGGER history_append_only_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TRIGGER history_append_only_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TRIGGER attempts_append_only_update BEFORE UPDATE ON attempts
BEGIN SELECT RAISE(ABORT, 'the reporting attempts are append-only'); END;
CREATE TRIGGER attempts_append_only_delete BEFORE DELETE ON attempts
BEGIN SELECT RAISE(ABORT, 'the reporting attempts are append-only'); END;
CREATE TRIGGER invoices_never_deleted BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are never deleted: void them (Vervallen)'); END;
CREATE TRIGGER invoices_number_kept BEFORE UPDATE OF number, series, period, seq ON invoices
WHEN NEW.number IS NOT OLD.number OR NEW.series IS NOT OLD.series
  OR NEW.period IS NOT OLD.period OR NEW.seq IS NOT OLD.seq
BEGIN SELECT RAISE(ABORT, 'an invoice keeps its number'); END;
CREATE TRIGGER invoices_ticket_kept BEFORE UPDATE OF ticket ON invoices
WHEN OLD.ticket IS NOT NULL AND NEW.ticket IS NOT OLD.ticket
BEGIN SELECT RAISE(ABORT, 'a VAT ticket is never changed or removed'); END;
CREATE TRIGGER invoices_version_steps BEFORE UPDATE OF version ON invoices
WHEN NEW.version <> OLD.version + 1
BEGIN SELECT RAISE(ABORT, 'an invoice version goes up by one per change'); END;

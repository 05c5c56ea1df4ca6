-- factuur ledger, schema 1 (PostgreSQL): the SQLite schema with PostgreSQL's types.
-- Times are milliseconds since the Unix epoch (UTC). Invoice content is the model as JSON
-- text (kept byte for byte, unlike jsonb).

CREATE TABLE series (
    name        TEXT PRIMARY KEY,
    format      TEXT NOT NULL,
    gks         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE counters (
    series  TEXT NOT NULL REFERENCES series(name),
    period  INTEGER NOT NULL,
    last    BIGINT NOT NULL CHECK (last > 0),
    PRIMARY KEY (series, period)
);

CREATE TABLE invoices (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    series        TEXT REFERENCES series(name),
    period        INTEGER,
    seq           BIGINT,
    imported      BOOLEAN NOT NULL DEFAULT FALSE,
    status        TEXT NOT NULL CHECK (status IN ('Concept', 'Proforma', 'Proforma verstuurd',
                      'Definitief', 'Gemeld', 'Verstuurd', 'Vervallen')),
    version       BIGINT NOT NULL CHECK (version >= 1),
    content       TEXT NOT NULL,
    ticket        TEXT,
    reported_at   BIGINT,
    next_attempt  BIGINT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    via           TEXT CHECK (via IN ('email', 'dico')),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (series, period, seq)
);
CREATE INDEX invoices_status ON invoices (status);
CREATE INDEX invoices_due ON invoices (next_attempt) WHERE status = 'Gemeld';

CREATE TABLE history (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id   BIGINT NOT NULL REFERENCES invoices(id),
    version      BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    user_name    TEXT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    detail       TEXT NOT NULL
);
CREATE INDEX history_invoice ON history (invoice_id, seq);

CREATE TABLE attempts (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id  BIGINT NOT NULL REFERENCES invoices(id),
    n           INTEGER NOT NULL,
    at          BIGINT NOT NULL,
    answer      TEXT NOT NULL CHECK (answer IN ('ticket', 'none', 'error')),
    detail      TEXT
);
CREATE INDEX attempts_invoice ON attempts (invoice_id, seq);

CREATE TABLE grants (
    user_name   TEXT NOT NULL,
    grant_name  TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    granted_at  BIGINT NOT NULL,
    PRIMARY KEY (user_name, grant_name)
);

CREATE TABLE lapsed_numbers (
    series  TEXT NOT NULL REFERENCES series(name),
    number  TEXT NOT NULL,
    run     TEXT,
    reason  TEXT NOT NULL,
    at      BIGINT NOT NULL,
    PRIMARY KEY (series, number)
);

CREATE FUNCTION factuur_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;

CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION factuur_refuse('the history is append-only');
CREATE TRIGGER attempts_append_only BEFORE UPDATE OR DELETE ON attempts
    FOR EACH ROW EXECUTE FUNCTION factuur_refuse('the reporting attempts are append-only');
CREATE TRIGGER invoices_never_deleted BEFORE DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION factuur_refuse('invoices are never deleted: void them (Vervallen)');
CREATE TRIGGER invoices_number_kept BEFORE UPDATE ON invoices
    FOR EACH ROW
    WHEN (NEW.number IS DISTINCT FROM OLD.number OR NEW.series IS DISTINCT FROM OLD.series
          OR NEW.period IS DISTINCT FROM OLD.period OR NEW.seq IS DISTINCT FROM OLD.seq)
    EXECUTE FUNCTION factuur_refuse('an invoice keeps its number');
CREATE TRIGGER invoices_ticket_kept BEFORE UPDATE ON invoices
    FOR EACH ROW
    WHEN (OLD.ticket IS NOT NULL AND NEW.ticket IS DISTINCT FROM OLD.ticket)
    EXECUTE FUNCTION factuur_refuse('a VAT ticket is never changed or removed');
CREATE TRIGGER invoices_version_steps BEFORE UPDATE ON invoices
    FOR EACH ROW
    WHEN (NEW.version <> OLD.version + 1)
    EXECUTE FUNCTION factuur_refuse('an invoice version goes up by one per change');

//! The ledger's schema as numbered SQL migrations, one list per backend, kept in the crate
//! (`src/ledger/migrations/`). Each is applied once, in its own transaction, and recorded in
//! `schema_migrations`.

/// One migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number: 1, 2, ….
    pub version: i64,
    /// A short name.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// SQLite's migrations, in order.
pub const SQLITE_MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "runs",
        sql: include_str!("migrations/sqlite/0002_runs.sql"),
    },
    Migration {
        version: 3,
        name: "exports_before",
        sql: include_str!("migrations/sqlite/0003_exports_before.sql"),
    },
];

/// PostgreSQL's migrations, in order (the same schema as SQLite's, in PostgreSQL's types).
pub const POSTGRES_MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "runs",
        sql: include_str!("migrations/postgres/0002_runs.sql"),
    },
    Migration {
        version: 3,
        name: "exports_before",
        sql: include_str!("migrations/postgres/0003_exports_before.sql"),
    },
];

/// The newest schema version a backend knows.
pub(crate) fn latest(backend: &str) -> i64 {
    let list = match backend {
        "postgres" => POSTGRES_MIGRATIONS,
        _ => SQLITE_MIGRATIONS,
    };
    list.last().map_or(0, |m| m.version)
}

//! A throwaway PostgreSQL server for the tests: `initdb` into a temporary folder and
//! `pg_ctl start` listening on a Unix socket in that folder only (no TCP port to collide on).
//! One server per test run, a fresh database per test. A watcher stops the server and removes
//! the folder once the test process has gone, however it ended.
//!
//! `FACTUUR_TEST_PG=URL` (a database the tests may create databases from) uses an existing
//! server instead. The binaries are found in `FACTUUR_PG_BIN`, Debian's
//! `/usr/lib/postgresql/*/bin`, or on `PATH`. As root (CI), the server runs as the `postgres`
//! user, since PostgreSQL refuses to run as root.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The admin URL of the server (database `postgres`), or None when PostgreSQL is missing (the
/// caller skips; under CI=true `missing` has already failed the test).
pub fn admin_url() -> Option<&'static str> {
    static SERVER: OnceLock<Option<String>> = OnceLock::new();
    SERVER
        .get_or_init(|| match std::env::var("FACTUUR_TEST_PG") {
            Ok(url) if !url.is_empty() => Some(url),
            _ => match start() {
                Ok(url) => Some(url),
                Err(e) => {
                    crate::missing(&format!("PostgreSQL ({e})"));
                    None
                }
            },
        })
        .as_deref()
}

/// A fresh, empty database on the test server; its URL.
pub fn fresh_db(name: &str) -> Option<String> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let admin = admin_url()?;
    let db = format!(
        "t_{}_{}_{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut client =
        postgres::Client::connect(admin, postgres::NoTls).expect("connect to the test server");
    client
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .expect("create a test database");
    Some(replace_db(admin, &db))
}

/// `url` with its database replaced by `db`.
fn replace_db(url: &str, db: &str) -> String {
    // postgresql://user@host/DB?params
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{db}", &base[..path_start]);
    if !query.is_empty() {
        out.push('?');
        out.push_str(query);
    }
    out
}

fn bin_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("FACTUUR_PG_BIN") {
        return Some(PathBuf::from(d));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|d| d.join("initdb").exists() && d.join("pg_ctl").exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command for a PostgreSQL binary, run as `postgres` when we are root.
fn pg_command(bin: &Path, tool: &str, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn run(mut c: Command, what: &str) -> Result<(), String> {
    let out = c
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn start() -> Result<String, String> {
    let bin = bin_dir().ok_or("no initdb found: install Debian's postgresql package")?;
    let root = is_root();
    let dir = std::env::temp_dir().join(format!("factuur-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if root {
        run(
            {
                let mut c = Command::new("chown");
                c.arg("postgres:postgres").arg(&dir);
                c
            },
            "chown",
        )?;
    }
    let data = dir.join("data");
    let mut initdb = pg_command(&bin, "initdb", root);
    initdb.arg("-D").arg(&data).args([
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
        "--no-locale",
    ]);
    run(initdb, "initdb")?;
    let port = 5432;
    let mut pg_ctl = pg_command(&bin, "pg_ctl", root);
    pg_ctl
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(dir.join("log"))
        .arg("-w")
        .arg("-o")
        .arg(format!(
            "-k {} -c listen_addresses='' -p {port} -c fsync=off -c max_connections=200",
            dir.display()
        ))
        .arg("start");
    run(pg_ctl, "pg_ctl start")?;
    // The watcher: once this process is gone, stop the server and remove the folder.
    let stop = format!(
        "{} {} -D '{}' stop -m immediate",
        if root { "runuser -u postgres --" } else { "" },
        bin.join("pg_ctl").display(),
        data.display()
    );
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        dir = dir.display()
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("watcher: {e}"))?;
    let host: String = dir
        .display()
        .to_string()
        .replace('%', "%25")
        .replace('/', "%2F");
    Ok(format!("postgresql://postgres@{host}:{port}/postgres"))
}

#[test]
fn throwaway_server_answers() {
    let Some(url) = fresh_db("hello") else { return };
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let v: String = c.query_one("SHOW server_version", &[]).unwrap().get(0);
    assert!(!v.is_empty());
    assert_eq!(
        replace_db("postgresql://u@h:1/a?x=1", "b"),
        "postgresql://u@h:1/b?x=1"
    );
}

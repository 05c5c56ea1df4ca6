//! factuur's one integration test binary.

mod alloc;
mod calc_rules;
#[cfg(feature = "cli")]
mod cli;
mod conformance;
mod fuzz_replay;
#[cfg(feature = "pdf")]
mod invoice_sharing;
#[cfg(feature = "ledger")]
mod ledger;
#[cfg(feature = "cli")]
mod ledger_cli;
mod lifecycle;
mod merge;
mod merge_corpus;
mod merge_office;
mod messages;
mod mutants;
mod official;
#[cfg(all(feature = "send", feature = "cli"))]
mod pair;
#[cfg(feature = "pdf")]
mod pdf;
#[cfg(feature = "ledger")]
mod pg;
mod props;
#[cfg(feature = "cli")]
mod runs;
mod samples;
mod schema;
mod schema_check;
mod ubl;
#[cfg(feature = "cli")]
mod validate_cli;

/// Runs the `factuur` binary from the repository root.
#[cfg(feature = "cli")]
pub fn factuur(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_factuur"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run factuur")
}

/// Output bytes as text, for messages and assertions.
#[cfg(feature = "cli")]
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Path of a file in the repository.
pub fn repo(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Every sample invoice, sorted by name.
pub fn sample_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(repo("testdata/invoices"))
        .expect("testdata/invoices")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Reports a missing tool: with `CI=true` the test fails (CI must install it; see `.ci/run`),
/// otherwise a loud notice, and the caller skips the check.
fn missing(what: &str) -> bool {
    let msg = format!(
        "{what} is not available: install it (see .ci/run and tests/tools/requirements.txt)"
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
    false
}

fn run_quietly(name: &str, args: &[&str]) -> std::io::Result<std::process::ExitStatus> {
    std::process::Command::new(name)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
}

/// An external program the tests need (qpdf, pdftotext, …): present when it can be started
/// with `probe` (its exit status does not matter: poppler's tools answer `-v` with 99).
pub fn have_tool(name: &str, probe: &[&str]) -> bool {
    run_quietly(name, probe).is_ok() || missing(&format!("`{name}`"))
}

/// Whether python3 can import `module` (the import must succeed).
pub fn have_python_module(module: &str) -> bool {
    run_quietly("python3", &["-c", &format!("import {module}")]).is_ok_and(|s| s.success())
        || missing(&format!("the Python module `{module}`"))
}

/// A fresh, empty folder under the target directory for one test.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = repo("target/test-scratch").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

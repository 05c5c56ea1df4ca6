//! factuur's one integration test binary.

mod alloc;
mod calc_rules;
#[cfg(feature = "cli")]
mod cli;
mod fuzz_replay;
#[cfg(feature = "pdf")]
mod pdf;
mod props;
mod samples;
mod schema;

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

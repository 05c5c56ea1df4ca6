//! Word documents to PDF through LibreOffice, for users whose invoice must look like their own
//! Word template (merge the template first, then convert the merged `.docx` files here).
//!
//! LibreOffice starts slowly (a second or more), so [`convert`] hands many documents to one
//! `soffice --headless --convert-to pdf` process, in batches of [`OfficeOptions::batch`]. Each
//! run uses a private, throw-away LibreOffice profile, so a LibreOffice the user has open does
//! not interfere. The PDFs are written to a temporary folder inside the output folder and then
//! renamed into place, so a reader never sees a half-written PDF.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why a conversion failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OfficeError {
    /// No LibreOffice program was found.
    #[error(
        "LibreOffice is not installed (no `soffice` or `libreoffice` on PATH{hint}); install it \
         (Debian/Ubuntu: `apt-get install libreoffice-writer-nogui`) or name the program \
         with FACTUUR_SOFFICE"
    )]
    NotFound {
        /// Extra detail, e.g. the FACTUUR_SOFFICE value that did not work.
        hint: String,
    },
    /// An input file is missing or two inputs would give the same PDF name.
    #[error("{path}: {reason}")]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// LibreOffice ran but did not produce a PDF for some inputs.
    #[error("LibreOffice did not convert {files:?} (exit status {status}): {stderr}")]
    Failed {
        /// The inputs without a PDF.
        files: Vec<PathBuf>,
        /// soffice's exit status.
        status: String,
        /// What it printed on standard error (last 2,000 bytes).
        stderr: String,
    },
    /// LibreOffice took longer than the time limit and was stopped.
    #[error("LibreOffice took more than {0:?} for one batch and was stopped")]
    Timeout(Duration),
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
}

/// How to run LibreOffice.
#[derive(Debug, Clone)]
pub struct OfficeOptions {
    /// The program; default: `$FACTUUR_SOFFICE`, else `soffice` or `libreoffice` on PATH.
    pub program: Option<PathBuf>,
    /// Documents per `soffice` process (default 50).
    pub batch: usize,
    /// Time limit per batch (default 10 minutes).
    pub timeout: Duration,
}

impl Default for OfficeOptions {
    fn default() -> OfficeOptions {
        OfficeOptions {
            program: None,
            batch: 50,
            timeout: Duration::from_secs(600),
        }
    }
}

/// Finds LibreOffice: the given program, `$FACTUUR_SOFFICE`, or `soffice` / `libreoffice` on
/// `PATH`.
pub fn find_soffice(program: Option<&Path>) -> Result<PathBuf, OfficeError> {
    if let Some(p) = program {
        return resolve(p.as_os_str()).ok_or_else(|| OfficeError::NotFound {
            hint: format!("; {} does not exist", p.display()),
        });
    }
    if let Some(p) = std::env::var_os("FACTUUR_SOFFICE") {
        return resolve(&p).ok_or_else(|| OfficeError::NotFound {
            hint: format!(
                "; FACTUUR_SOFFICE={} does not exist",
                Path::new(&p).display()
            ),
        });
    }
    for name in ["soffice", "libreoffice"] {
        if let Some(p) = resolve(name.as_ref()) {
            return Ok(p);
        }
    }
    Err(OfficeError::NotFound {
        hint: String::new(),
    })
}

/// A program path as given (when it contains a separator) or looked up on PATH.
fn resolve(name: &std::ffi::OsStr) -> Option<PathBuf> {
    let p = Path::new(name);
    if p.components().count() > 1 || p.is_absolute() {
        return p.is_file().then(|| p.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(p))
        .find(|c| c.is_file())
}

/// Converts Word (or any LibreOffice-readable) documents to PDFs named after them
/// (`a.docx` → `OUT_DIR/a.pdf`), returning the PDFs in input order.
pub fn convert(
    inputs: &[PathBuf],
    out_dir: &Path,
    options: &OfficeOptions,
) -> Result<Vec<PathBuf>, OfficeError> {
    let program = find_soffice(options.program.as_deref())?;
    let mut stems = std::collections::BTreeMap::new();
    for input in inputs {
        if !input.is_file() {
            return Err(OfficeError::Input {
                path: input.clone(),
                reason: "no such file".into(),
            });
        }
        let stem = input
            .file_stem()
            .ok_or_else(|| OfficeError::Input {
                path: input.clone(),
                reason: "has no file name".into(),
            })?
            .to_owned();
        if let Some(other) = stems.insert(stem, input.clone()) {
            return Err(OfficeError::Input {
                path: input.clone(),
                reason: format!(
                    "would give the same PDF name as {}; convert them into different folders",
                    other.display()
                ),
            });
        }
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OfficeError::Io { path, source }
    };
    std::fs::create_dir_all(out_dir).map_err(io(out_dir))?;
    let work = out_dir.join(format!(".factuur-soffice-{}", std::process::id()));
    let result = run_batches(&program, inputs, out_dir, &work, options);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn run_batches(
    program: &Path,
    inputs: &[PathBuf],
    out_dir: &Path,
    work: &Path,
    options: &OfficeOptions,
) -> Result<Vec<PathBuf>, OfficeError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OfficeError::Io { path, source }
    };
    let staging = work.join("out");
    let profile = work.join("profile");
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    let profile_url = file_url(&std::path::absolute(&profile).map_err(io(&profile))?);
    let mut done = Vec::with_capacity(inputs.len());
    for batch in inputs.chunks(options.batch.max(1)) {
        let mut cmd = Command::new(program);
        cmd.arg("--headless")
            .arg("--norestore")
            .arg("--nolockcheck")
            .arg(format!("-env:UserInstallation={profile_url}"))
            .arg("--convert-to")
            .arg("pdf")
            .arg("--outdir")
            .arg(&staging)
            .args(batch)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(io(program))?;
        let mut stderr = child.stderr.take();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stderr.as_mut() {
                let _ = std::io::Read::read_to_end(s, &mut buf);
            }
            buf
        });
        let start = Instant::now();
        let status = loop {
            match child.try_wait().map_err(io(program))? {
                Some(status) => break status,
                None if start.elapsed() > options.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(OfficeError::Timeout(options.timeout));
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        let stderr = reader.join().unwrap_or_default();
        let mut missing = Vec::new();
        for input in batch {
            let mut name: OsString = input.file_stem().unwrap_or_default().to_owned();
            name.push(".pdf");
            let produced = staging.join(&name);
            if produced.is_file() {
                let target = out_dir.join(&name);
                std::fs::rename(&produced, &target).map_err(io(&target))?;
                done.push(target);
            } else {
                missing.push(input.clone());
            }
        }
        if !missing.is_empty() {
            let text = String::from_utf8_lossy(&stderr);
            let tail: String = text
                .chars()
                .rev()
                .take(2000)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            return Err(OfficeError::Failed {
                files: missing,
                status: status.to_string(),
                stderr: tail.trim().to_owned(),
            });
        }
    }
    Ok(done)
}

/// A `file://` URL for a path, percent-encoding what a URL cannot hold.
fn file_url(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_escaped() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/é")),
            "file:///tmp/a%20b/%C3%A9"
        );
    }

    #[test]
    fn a_missing_program_is_a_clear_error() {
        let e = find_soffice(Some(Path::new("/nonexistent/soffice"))).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("LibreOffice is not installed"), "{text}");
        assert!(text.contains("/nonexistent/soffice"), "{text}");
    }
}

//! The official validators: the OASIS UBL 2.1 XSD and the CEN EN 16931 UBL rules through
//! `tests/tools/ubl_check.py` ([`check`]), and all official rule sets (EN 16931, SI-UBL 2.0,
//! Peppol BIS 3) with the XSD through `testdata/official/verdict.py` ([`verdicts`]). CI installs
//! their Python packages; a developer without them gets a loud skip, except when `CI` or
//! `FACTUUR_REQUIRE_TOOLS` is set, where missing tools fail.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One file's verdict. Every field is shown when an assertion prints a rejected verdict.
#[derive(Debug)]
#[allow(dead_code)]
pub struct Verdict {
    pub file: String,
    pub xsd_ok: bool,
    pub xsd_errors: Vec<String>,
    pub fatal: Vec<String>,
    pub warnings: Vec<String>,
    pub error: Option<String>,
}

impl Verdict {
    pub fn accepted(&self) -> bool {
        self.xsd_ok && self.fatal.is_empty() && self.error.is_none()
    }
}

fn required() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("FACTUUR_REQUIRE_TOOLS").is_some()
}

fn script() -> PathBuf {
    crate::repo("tests/tools/ubl_check.py")
}

/// Whether the official tools are installed; panics when they must be and are not.
pub fn available() -> bool {
    let ok = Command::new("python3")
        .arg(script())
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !required(),
            "the official UBL validators are missing: pip install -r tests/tools/requirements.txt"
        );
        eprintln!(
            "SKIPPED: official UBL validation (pip install -r tests/tools/requirements.txt to run it)"
        );
    }
    ok
}

/// Validates files in one batch (the rules are compiled once).
pub fn check(files: &[PathBuf]) -> Vec<Verdict> {
    let mut child = Command::new("python3")
        .arg(script())
        .arg("--stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ubl_check.py");
    {
        let mut stdin = child.stdin.take().unwrap();
        for f in files {
            writeln!(stdin, "{}", f.display()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "ubl_check.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<Verdict> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let failed = v["en16931"]["failed"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let of = |flag: &str| {
                failed
                    .iter()
                    .filter(|f| f[1] == flag)
                    .map(|f| format!("{} at {}", f[0].as_str().unwrap(), f[2].as_str().unwrap()))
                    .collect()
            };
            Verdict {
                file: v["file"].as_str().unwrap().to_owned(),
                xsd_ok: v["xsd_ok"] == true,
                xsd_errors: v["xsd_errors"]
                    .as_array()
                    .map(|a| a.iter().map(|e| e.to_string()).collect())
                    .unwrap_or_default(),
                fatal: of("fatal"),
                warnings: of("warning"),
                error: v["en16931"]["error"].as_str().map(str::to_owned),
            }
        })
        .collect();
    assert_eq!(verdicts.len(), files.len(), "one verdict per file");
    verdicts
}

/// A fresh temporary directory for this test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("factuur-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A failed assert as the official verdict lists it: (rule id, flag, location).
pub type Failed = (String, String, String);

/// One column of the official verdict on a document.
#[derive(Debug)]
pub enum Official {
    /// The column's verdict: whether the document is ok, and the failed asserts, sorted.
    Judged { ok: bool, failed: Vec<Failed> },
    /// The official XSLT stopped with an XPath dynamic error instead (its message).
    Stopped(String),
}

fn verdict_script() -> PathBuf {
    crate::repo("testdata/official/verdict.py")
}

/// Whether `testdata/official/verdict.py` can run (Python with saxonche and lxml); panics when it
/// must and cannot.
pub fn verdicts_available() -> bool {
    let ok = Command::new("python3")
        .arg(verdict_script())
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !required(),
            "the official validators cannot run: pip install -r tests/tools/requirements.txt"
        );
        eprintln!(
            "SKIPPED: official verdicts (pip install -r tests/tools/requirements.txt to run them)"
        );
    }
    ok
}

/// The official verdict on every `*.xml` file below `dir`, by path, with the columns `keys`
/// (rule sets `en16931`, `nlcius`, `peppol`, and `xsd_ok`). Each stylesheet is compiled once.
pub fn verdicts(dir: &Path, keys: &[&str]) -> HashMap<PathBuf, HashMap<String, Official>> {
    let sets: Vec<&str> = keys.iter().copied().filter(|k| *k != "xsd_ok").collect();
    let mut cmd = Command::new("python3");
    cmd.arg(verdict_script()).arg("--rules").arg(sets.join(","));
    if !keys.contains(&"xsd_ok") {
        cmd.arg("--no-xsd");
    }
    let out = cmd.arg(dir).output().expect("run verdict.py");
    assert!(
        out.status.success(),
        "verdict.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all = HashMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = PathBuf::from(v["file"].as_str().unwrap());
        assert!(
            v.get("parse_error").is_none(),
            "{}: not well-formed",
            file.display()
        );
        let mut columns = HashMap::new();
        for key in keys {
            let column = if *key == "xsd_ok" {
                Official::Judged {
                    ok: v["xsd_ok"] == true,
                    failed: Vec::new(),
                }
            } else {
                let set = &v[*key];
                match set.get("error") {
                    Some(e) => Official::Stopped(e.as_str().unwrap_or_default().to_owned()),
                    None => {
                        let mut failed: Vec<Failed> = set["failed"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|f| {
                                let s = |i: usize| f[i].as_str().unwrap_or_default().to_owned();
                                (s(0), s(1), s(2))
                            })
                            .collect();
                        failed.sort();
                        Official::Judged {
                            ok: set["ok"] == true,
                            failed,
                        }
                    }
                }
            };
            columns.insert((*key).to_owned(), column);
        }
        all.insert(file, columns);
    }
    all
}

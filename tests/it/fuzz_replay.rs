//! Stable replay of the fuzz corpora: every saved input of every target runs through the same
//! body the fuzzer runs, so a crash once found stays fixed without nightly or libFuzzer.

#[allow(dead_code)]
#[path = "../../fuzz/bodies/mod.rs"]
mod bodies;

fn replay(target: &str, body: fn(&[u8])) {
    let dir = crate::repo(&format!("fuzz/corpus/{target}"));
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let data = std::fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| body(&data));
        assert!(result.is_ok(), "{target}: {} panics", path.display());
        n += 1;
    }
    assert!(n > 0, "{target}: empty corpus");
}

#[test]
fn json_invoice_corpus() {
    replay("json_invoice", bodies::json_invoice);
}

#[test]
fn ubl_read_corpus() {
    replay("ubl_read", bodies::ubl_read);
}

#[test]
fn ubl_rules_corpus() {
    replay("ubl_rules", bodies::ubl_rules);
}

#[test]
fn validate_bytes_corpus() {
    replay("validate_bytes", bodies::validate_bytes);
}

#[test]
fn ubl_schema_corpus() {
    replay("ubl_schema", bodies::ubl_schema);
}

#[test]
fn ubl_model_corpus() {
    replay("ubl_model", bodies::ubl_model);
}

#[test]
fn field_code_corpus() {
    replay("field_code", bodies::field_code);
}

#[test]
fn docx_corpus() {
    replay("docx", bodies::docx);
}

/// The fast parser against the reference on every saved input of every UBL target and on every
/// conformance document and sample.
#[test]
fn ubl_tree_differential() {
    replay("ubl_tree", bodies::ubl_tree);
    let mut n = 0;
    for target in [
        "ubl_read",
        "ubl_rules",
        "ubl_model",
        "ubl_schema",
        "validate_bytes",
    ] {
        for entry in std::fs::read_dir(crate::repo(&format!("fuzz/corpus/{target}"))).unwrap() {
            bodies::ubl_tree(&std::fs::read(entry.unwrap().path()).unwrap());
            n += 1;
        }
    }
    let mut dirs = vec![crate::repo("testdata")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            {
                bodies::ubl_tree(&std::fs::read(&path).unwrap());
                n += 1;
            }
        }
    }
    assert!(n > 5_000, "{n} inputs");
}

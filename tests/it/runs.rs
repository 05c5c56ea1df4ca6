//! Invoice runs end to end, through the command line, on SQLite and on a throwaway PostgreSQL
//! server: test and production runs, the queue (a second run waits), every rollback condition
//! allowed and refused, lapsed numbers, the journal export, the outputs checked by the
//! official rules, qpdf and LibreOffice, and crash safety (SIGKILL at random moments, with one
//! worker on SQLite and three on PostgreSQL).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use factuur::ledger::{Ledger, RunState};
use serde_json::Value;

use crate::{factuur, repo, text};

/// A folder for one test, removed when it passes.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("factuur-runs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn p(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn ok(out: &Output) -> &Output {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text(&out.stdout), text(&out.stderr)))
}

/// A ledger with anna (admin), bert (clerk) and the series `demo` and `verkoop`.
fn setup(db: &str) {
    ok(&factuur(&["ledger", "init", "--db", db, "--as", "anna"]));
    ok(&factuur(&[
        "ledger", "grant", "bert", "clerk", "--db", db, "--as", "anna",
    ]));
    for s in ["demo", "verkoop"] {
        ok(&factuur(&[
            "ledger",
            "series",
            s,
            "--format",
            "{year}-{seq:5}",
            "--db",
            db,
            "--as",
            "anna",
        ]));
    }
}

/// `factuur run` with the example configuration.
fn run_cmd(
    db: &str,
    user: &str,
    profile: &str,
    window: (&str, &str),
    input: &str,
    zip: &str,
    extra: &[&str],
) -> Output {
    let mut args = vec![
        "run",
        "--db",
        db,
        "--as",
        user,
        "--config",
        "testdata/factuur.toml",
        "--profile",
        profile,
        "--from",
        window.0,
        "--to",
        window.1,
        "--booking-date",
        "2026-04-30",
        "--json",
        input,
        "-o",
        zip,
    ];
    args.extend_from_slice(extra);
    factuur(&args)
}

/// `n` drafts (without numbers) in a JSON-lines file: the first sample with a customer and
/// `lines` lines of its own, dated in March 2026.
pub fn write_drafts(path: &Path, n: usize, tag: &str, lines: usize) {
    let base: Value = serde_json::from_slice(
        &std::fs::read(repo("testdata/invoices/01-domestic-b2b.json")).unwrap(),
    )
    .unwrap();
    let mut out = String::new();
    for i in 0..n {
        let mut d = base.clone();
        let o = d.as_object_mut().unwrap();
        o.remove("number");
        o.remove("external_reference");
        o.insert(
            "issue_date".into(),
            format!("2026-03-{:02}", 1 + i % 28).into(),
        );
        o["customer"]["name"] = format!("Klant {tag} {i}").into();
        let src = o["lines"].as_array().unwrap().clone();
        let mut ls = Vec::new();
        for k in 0..lines {
            let mut l = src[k % src.len()].clone();
            l["id"] = (k + 1).to_string().into();
            l["quantity"] = format!("{}", 1 + (i + k) % 7).into();
            ls.push(l);
        }
        o.insert("lines".into(), Value::Array(ls));
        out.push_str(&serde_json::to_string(&d).unwrap());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

fn zip_names(path: &str) -> Vec<String> {
    let z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut names: Vec<String> = z.file_names().map(str::to_owned).collect();
    names.sort();
    names
}

fn zip_entry(path: &str, name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    z.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

fn ledger(db: &str) -> Ledger {
    let mut l = Ledger::open(db).unwrap();
    l.ready().unwrap();
    l
}

/// Numbers are unique and, per series and period, run 1..counter with every missing one
/// lapsed; every invoice belongs to a committed production run; no run is left running.
fn consistent(db: &str) -> Result<(usize, usize), String> {
    let mut l = ledger(db);
    let store = l.store();
    let numbered = store.numbered().map_err(|e| e.to_string())?;
    let counters = store.counters().map_err(|e| e.to_string())?;
    let mut lapsed = BTreeSet::new();
    for s in store.all_series().map_err(|e| e.to_string())? {
        for x in store.lapsed(&s.name).map_err(|e| e.to_string())? {
            lapsed.insert(x.number);
        }
    }
    let mut by: BTreeMap<(String, i32), Vec<(i64, String)>> = BTreeMap::new();
    for n in &numbered {
        by.entry((n.series.clone(), n.period))
            .or_default()
            .push((n.seq, n.number.clone()));
    }
    for c in &counters {
        let seqs = by
            .get(&(c.series.clone(), c.period))
            .cloned()
            .unwrap_or_default();
        if seqs.len() as i64 != c.last {
            return Err(format!(
                "series {} {}: counter {} but {} numbered invoices",
                c.series,
                c.period,
                c.last,
                seqs.len()
            ));
        }
        for (i, (seq, _)) in seqs.iter().enumerate() {
            if *seq != i as i64 + 1 {
                return Err(format!("series {}: gap before {seq}", c.series));
            }
        }
    }
    let rs = store.runs().unwrap();
    let runs = rs.runs(100_000).map_err(|e| e.to_string())?;
    let mut in_runs = 0;
    for r in &runs {
        if matches!(r.state, RunState::Running | RunState::Queued) {
            return Err(format!("run {} is still {:?}", r.id, r.state));
        }
        let production = r.mode == factuur::ledger::RunMode::Production;
        if production && (r.state.is_committed() || r.state == RunState::RolledBack) {
            let rows = rs.run_invoices(r.id).map_err(|e| e.to_string())?;
            let n = rows.iter().filter(|x| x.invoice_id.is_some()).count();
            if n as i64 != r.invoices {
                return Err(format!(
                    "run {}: {} invoices recorded, {} linked",
                    r.id, r.invoices, n
                ));
            }
            in_runs += n;
            if r.state == RunState::RolledBack {
                for x in rows.iter().filter(|x| x.invoice_id.is_some()) {
                    let num = x.number.clone().unwrap_or_default();
                    if !lapsed.contains(&num) {
                        return Err(format!("{num} of rolled-back run {} did not lapse", r.id));
                    }
                }
            }
        } else {
            let rows = rs.run_invoices(r.id).map_err(|e| e.to_string())?;
            if rows.iter().any(|x| x.invoice_id.is_some()) {
                return Err(format!("run {} ({:?}) has ledger invoices", r.id, r.state));
            }
        }
    }
    if in_runs != numbered.len() {
        return Err(format!(
            "{} numbered invoices, {} of them from committed runs",
            numbered.len(),
            in_runs
        ));
    }
    // The run lock is free.
    if !rs.try_run_lock().map_err(|e| e.to_string())? {
        return Err("the run lock is still held".into());
    }
    rs.release_run_lock().map_err(|e| e.to_string())?;
    Ok((numbered.len(), runs.len()))
}

fn official_ok(xml: &[u8], peppol: bool) {
    let doc = factuur::ubl::parse(xml).unwrap();
    let sets: &[factuur::validate::ubl::RuleSet] = if peppol {
        &[
            factuur::validate::ubl::RuleSet::En16931,
            factuur::validate::ubl::RuleSet::Peppol,
        ]
    } else {
        &[factuur::validate::ubl::RuleSet::Nlcius]
    };
    let report = factuur::validate::ubl::validate_with(&doc, sets);
    assert!(report.is_ok(), "{:#?}", report.findings);
}

#[test]
fn test_and_production_runs_end_to_end() {
    let dir = Dir::new("e2e");
    let db = dir.p("l.sqlite");
    setup(&db);
    let feb = ("2026-02-01", "2026-02-28");
    // A test run: marked documents, test numbers, nothing in the ledger.
    let zip = dir.p("test.zip");
    let out = run_cmd(&db, "bert", "demo", feb, "testdata/invoices", &zip, &[]);
    let v = json(ok(&out));
    assert_eq!(v["mode"], "test");
    assert_eq!(v["invoices"], 4, "{v}");
    assert_eq!(v["failed"], 0);
    assert_eq!(v["zip"], zip.as_str());
    let test_run = v["run"].as_i64().unwrap();
    let names = zip_names(&zip);
    assert_eq!(
        names,
        vec![
            "TEST-0001.pdf",
            "TEST-0001.xml",
            "TEST-0002.pdf",
            "TEST-0002.xml",
            "TEST-0003.pdf",
            "TEST-0003.xml",
            "TEST-0004.pdf",
            "TEST-0004.xml",
            &format!("run-{test_run}.csv"),
            &format!("run-{test_run}.json"),
        ]
    );
    let xml = String::from_utf8(zip_entry(&zip, "TEST-0002.xml")).unwrap();
    assert!(xml.contains("<cbc:ID>TEST-0002</cbc:ID>"), "{xml}");
    official_ok(xml.as_bytes(), false);
    // The draft's own number (2026-00017, also its payment reference) appears nowhere.
    let xml = String::from_utf8(zip_entry(&zip, "TEST-0001.xml")).unwrap();
    assert!(
        xml.contains("<cbc:PaymentID>TEST-0001</cbc:PaymentID>") && !xml.contains("2026-00017"),
        "{xml}"
    );
    let csv = String::from_utf8(zip_entry(&zip, &format!("run-{test_run}.csv"))).unwrap();
    assert!(
        csv.starts_with("position,number,type,customer,kvk"),
        "{csv}"
    );
    assert!(
        csv.contains("TEST-0001,invoice,Bakkerij Jansen V.O.F.,30124517,2026-02-03,EUR,"),
        "{csv}"
    );
    let list = factuur(&["invoice", "list", "--db", &db, "--as", "anna"]);
    assert!(
        text(&ok(&list).stdout).trim().is_empty(),
        "a test run changed the ledger"
    );
    let runs = json(ok(&factuur(&[
        "runs", "--db", &db, "--as", "anna", "--json",
    ])));
    assert_eq!(runs[0]["mode"], "test");
    assert_eq!(runs[0]["state"], "done");

    // Production: the same drafts, numbered from the series, final.
    let zip = dir.p("prod.zip");
    let v = json(ok(&run_cmd(
        &db,
        "bert",
        "demo",
        feb,
        "testdata/invoices",
        &zip,
        &["--production", "--description", "februari"],
    )));
    assert_eq!(v["mode"], "production");
    assert_eq!(v["invoices"], 4);
    assert_eq!(
        v["numbers"],
        serde_json::json!(["2026-00001", "2026-00004"])
    );
    let prod = v["run"].as_i64().unwrap();
    let names = zip_names(&zip);
    assert!(names.contains(&"2026-00004.pdf".to_owned()), "{names:?}");
    for n in 1..=4 {
        let xml = zip_entry(&zip, &format!("2026-0000{n}.xml"));
        official_ok(&xml, false);
        let shown = json(ok(&factuur(&[
            "invoice",
            "show",
            &format!("2026-0000{n}"),
            "--db",
            &db,
            "--as",
            "anna",
            "--json",
        ])));
        assert_eq!(shown["status"], "Definitief");
    }
    let history = text(
        &ok(&factuur(&[
            "history",
            "2026-00001",
            "--db",
            &db,
            "--as",
            "anna",
        ]))
        .stdout,
    );
    assert!(
        history.contains(&format!("by invoice run {prod}")),
        "{history}"
    );
    assert!(history.contains("Concept → Definitief"), "{history}");
    // Again: every draft was invoiced already, nothing new.
    let v = json(ok(&run_cmd(
        &db,
        "bert",
        "demo",
        feb,
        "testdata/invoices",
        &dir.p("again.zip"),
        &["--production"],
    )));
    assert_eq!(
        (v["invoices"].as_i64(), v["skipped"].as_i64()),
        (Some(0), Some(4))
    );
    // run show: per type; a document taken out of the ZIP.
    let shown = text(
        &ok(&factuur(&[
            "run",
            "show",
            &prod.to_string(),
            "--db",
            &db,
            "--as",
            "anna",
        ]))
        .stdout,
    );
    assert!(
        shown.contains("invoice (3)") && shown.contains("credit note (1)"),
        "{shown}"
    );
    assert!(shown.contains("description: februari"), "{shown}");
    let pdf = dir.p("one.pdf");
    ok(&factuur(&[
        "run",
        "show",
        &prod.to_string(),
        "--extract",
        "2026-00002.pdf",
        "-o",
        &pdf,
        "--db",
        &db,
        "--as",
        "anna",
    ]));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // A viewer may not run production; nobody runs with an unusable draft.
    ok(&factuur(&[
        "ledger", "grant", "vera", "viewer", "--db", &db, "--as", "anna",
    ]));
    let out = run_cmd(
        &db,
        "vera",
        "demo",
        feb,
        "testdata/invoices",
        &dir.p("v.zip"),
        &["--production"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let bad = dir.0.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("a.json"), "{\"issue_date\": \"2026-02-30\"}").unwrap();
    let out = run_cmd(
        &db,
        "bert",
        "demo",
        feb,
        bad.to_str().unwrap(),
        &dir.p("b.zip"),
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("a.json"),
        "{}",
        text(&out.stdout)
    );
    assert!(!Path::new(&dir.p("b.zip")).exists());
    consistent(&db).unwrap();
}

#[test]
fn failing_drafts_are_left_out_or_stop_the_run() {
    let dir = Dir::new("fail");
    let db = dir.p("l.sqlite");
    setup(&db);
    let drafts = dir.0.join("drafts.jsonl");
    write_drafts(&drafts, 5, "f", 3);
    // The third draft loses its customer.
    let text_in = std::fs::read_to_string(&drafts).unwrap();
    let mut lines: Vec<String> = text_in.lines().map(str::to_owned).collect();
    let mut v: Value = serde_json::from_str(&lines[2]).unwrap();
    v.as_object_mut().unwrap().remove("customer");
    lines[2] = v.to_string();
    std::fs::write(&drafts, lines.join("\n") + "\n").unwrap();
    let input = drafts.to_str().unwrap();
    let march = ("2026-03-01", "2026-03-31");
    let out = run_cmd(&db, "bert", "demo", march, input, &dir.p("t.zip"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(
        (v["invoices"].as_i64(), v["failed"].as_i64()),
        (Some(4), Some(1))
    );
    assert_eq!(v["failures"][0]["source"], "drafts.jsonl:3");
    assert_eq!(v["failures"][0]["findings"][0]["rule"], "CHK-CUSTOMER");
    let out = run_cmd(
        &db,
        "bert",
        "demo",
        march,
        input,
        &dir.p("s.zip"),
        &["--production", "--stop-on-error"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["state"], "failed");
    assert_eq!(v["invoices"], 0);
    assert!(!Path::new(&dir.p("s.zip")).exists());
    assert_eq!(consistent(&db).unwrap().0, 0);
    // Without --stop-on-error the failing draft is left out and the others numbered
    // consecutively.
    let out = run_cmd(
        &db,
        "bert",
        "demo",
        march,
        input,
        &dir.p("p.zip"),
        &["--production"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(
        v["numbers"],
        serde_json::json!(["2026-00001", "2026-00004"])
    );
    let csv =
        String::from_utf8(zip_entry(&dir.p("p.zip"), &format!("run-{}.csv", v["run"]))).unwrap();
    assert!(
        csv.lines().nth(3).unwrap().contains(",failed,CHK-CUSTOMER"),
        "{csv}"
    );
    assert_eq!(consistent(&db).unwrap().0, 4);
}

#[test]
fn an_unusable_output_path_is_refused_before_the_run_joins_the_queue() {
    let dir = Dir::new("outdir");
    let db = dir.p("l.sqlite");
    setup(&db);
    let drafts = dir.0.join("drafts.jsonl");
    write_drafts(&drafts, 3, "o", 1);
    let input = drafts.to_str().unwrap();
    let march = ("2026-03-01", "2026-03-31");
    let folder = dir.p("out");
    std::fs::create_dir(&folder).unwrap();
    let missing = dir.p("nope/run.zip");
    for (output, why) in [(&folder, "is a folder"), (&missing, "does not exist")] {
        let out = run_cmd(&db, "bert", "demo", march, input, output, &["--production"]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        let v = json(&out);
        let message = v["error"]["message"].as_str().unwrap();
        assert!(message.contains(why), "{message}");
    }
    // Nothing was written: no run, no invoice, no file beside the folder or in it.
    let mut l = ledger(&db);
    assert!(l.store().runs().unwrap().runs(10).unwrap().is_empty());
    assert_eq!(consistent(&db).unwrap().0, 0);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    let mut names: Vec<String> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("l.sqlite"))
        .collect();
    names.sort();
    assert_eq!(names, ["drafts.jsonl", "out"]);
    // The same drafts run once the output is a file.
    let out = run_cmd(
        &db,
        "bert",
        "demo",
        march,
        input,
        &dir.p("run.zip"),
        &["--production"],
    );
    ok(&out);
    assert_eq!(consistent(&db).unwrap().0, 3);
}

#[test]
fn run_show_lists_fifty_per_type_then_points_to_the_zip() {
    let dir = Dir::new("show");
    let db = dir.p("l.sqlite");
    setup(&db);
    let drafts = dir.0.join("d.jsonl");
    write_drafts(&drafts, 57, "s", 1);
    let v = json(ok(&run_cmd(
        &db,
        "anna",
        "demo",
        ("2026-03-01", "2026-03-31"),
        drafts.to_str().unwrap(),
        &dir.p("r.zip"),
        &[],
    )));
    let id = v["run"].to_string();
    let shown = text(&ok(&factuur(&["run", "show", &id, "--db", &db, "--as", "anna"])).stdout);
    assert!(shown.contains("invoice (57)"), "{shown}");
    assert!(
        shown.contains("TEST-0050") && !shown.contains("TEST-0051"),
        "{shown}"
    );
    assert!(
        shown.contains("… and 7 more: the run's ZIP has them all"),
        "{shown}"
    );
    let j = json(ok(&factuur(&[
        "run", "show", &id, "--db", &db, "--as", "anna", "--json",
    ])));
    assert_eq!(j["types"][0]["more"], 7);
    assert_eq!(zip_names(&dir.p("r.zip")).len(), 57 * 2 + 2);
}

#[test]
fn a_second_run_waits_in_the_queue() {
    let dir = Dir::new("queue");
    let db = dir.p("l.sqlite");
    setup(&db);
    // An earlier run, so the queue can estimate the wait.
    ok(&run_cmd(
        &db,
        "anna",
        "demo",
        ("2026-01-01", "2026-12-31"),
        "testdata/invoices",
        &dir.p("0.zip"),
        &[],
    ));
    // This process holds the lock as a running run with 400 invoices to go.
    let mut l = ledger(&db);
    let rs = l.store().runs().unwrap();
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let first = rs
        .register_run(&factuur::ledger::runs::NewRun {
            mode: factuur::ledger::RunMode::Test,
            profile: "demo",
            profile_text: "{}",
            from: d,
            to: d,
            booking_date: d,
            description: "",
            user: "anna",
            holder: "the test",
            at: now,
            drafts: 400,
            zip_path: None,
            zip_temp: None,
        })
        .unwrap();
    assert!(rs.try_run_lock().unwrap());
    rs.start_run(first, now, now - chrono::TimeDelta::seconds(60))
        .unwrap();
    let mut second = Command::new(env!("CARGO_BIN_EXE_factuur"))
        .args([
            "run",
            "--db",
            &db,
            "--as",
            "anna",
            "--config",
            "testdata/factuur.toml",
            "--profile",
            "demo",
            "--from",
            "2026-02-01",
            "--to",
            "2026-02-28",
            "testdata/invoices",
            "-o",
            &dir.p("2.zip"),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // It joins the queue and waits.
    let t = Instant::now();
    loop {
        let q = rs.queue().unwrap();
        if q.len() == 2 && q[1].state == RunState::Queued {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the second run did not queue: {q:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        second.try_wait().unwrap().is_none(),
        "the second run did not wait"
    );
    // The first one ends; the second goes.
    rs.end_run(&factuur::ledger::runs::RunOutcome {
        run: first,
        at: now,
        state: RunState::Done,
        rows: &Vec::new(),
        message: None,
    })
    .unwrap();
    rs.release_run_lock().unwrap();
    let out = second.wait_with_output().unwrap();
    let err = text(&out.stderr);
    ok(&out);
    assert!(
        err.contains("queued: position 2 (1 run(s) ahead), expected wait"),
        "{err}"
    );
    assert!(!err.contains("expected wait unknown"), "{err}");
    let q = rs.queue().unwrap();
    assert!(q.is_empty(), "{q:?}");
    drop(l);
    consistent(&db).unwrap();
}

/// A production run of five March drafts; its id.
fn produce(db: &str, dir: &Dir, tag: &str, window: (&str, &str)) -> i64 {
    let drafts = dir.0.join(format!("{tag}.jsonl"));
    write_drafts(&drafts, 5, tag, 2);
    let v = json(ok(&run_cmd(
        db,
        "bert",
        "demo",
        window,
        drafts.to_str().unwrap(),
        &dir.p(&format!("{tag}.zip")),
        &["--production"],
    )));
    v["run"].as_i64().unwrap()
}

fn rollback(db: &str, run: i64, user: &str) -> Output {
    factuur(&[
        "run",
        "rollback",
        &run.to_string(),
        "--reason",
        "te vroeg gedraaid",
        "--db",
        db,
        "--as",
        user,
        "--json",
    ])
}

fn refused(out: &Output) -> Vec<String> {
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    json(out)["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["condition"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs `sql` on the ledger directly (to set a client's clock wrong).
fn raw_sql(db: &str, sql: &str) {
    if db.starts_with("postgres") || db.contains("host=") {
        let mut c = postgres::Client::connect(db, postgres::NoTls).unwrap();
        c.batch_execute(sql).unwrap();
    } else {
        rusqlite::Connection::open(db)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    }
}

fn journal_export(db: &str, from: &str, to: &str, output: &str) {
    ok(&factuur(&[
        "journal", "export", "--from", from, "--to", to, "-o", output, "--db", db, "--as", "anna",
    ]));
}

fn rollback_conditions(db: &str, dir: &Dir) {
    let march = ("2026-03-01", "2026-03-31");
    // An export recorded before the run does not count as after it even when the run's
    // machine has its clock far behind: the ledger's order decides, not the clocks.
    journal_export(db, "2025-02-01", "2025-02-28", &dir.p("j0.csv"));
    // Allowed: an admin, nothing read, no export since, nothing newer.
    let run = produce(db, dir, "a", march);
    raw_sql(
        db,
        &format!("UPDATE runs SET finished_at = 1 WHERE id = {run}"),
    );
    let v = json(ok(&rollback(db, run, "anna")));
    assert_eq!(v["withdrawn"], 5);
    assert_eq!(v["lapsed"][0], "2026-00001");
    let mut l = ledger(db);
    let lapsed = l.store().lapsed("demo").unwrap();
    assert_eq!(lapsed.len(), 5);
    assert_eq!(lapsed[0].run.as_deref(), Some(run.to_string().as_str()));
    assert!(
        lapsed[0].reason.contains("te vroeg gedraaid"),
        "{:?}",
        lapsed[0]
    );
    let shown = l.store().get("2026-00003").unwrap().unwrap();
    assert_eq!(shown.status, factuur::lifecycle::Status::Vervallen);
    let h = l.store().history("2026-00003").unwrap();
    assert_eq!(
        h.last().unwrap().entry.action,
        factuur::lifecycle::Action::Withdrawn
    );
    drop(l);
    let shown = text(
        &ok(&factuur(&[
            "run",
            "show",
            &run.to_string(),
            "--db",
            db,
            "--as",
            "anna",
        ]))
        .stdout,
    );
    assert!(
        shown.contains("numbers lapsed in series demo: 2026-00001 to 2026-00005 (5 number(s))"),
        "{shown}"
    );
    // Not twice; the drafts are free again and get new numbers after the lapsed ones.
    assert_eq!(refused(&rollback(db, run, "anna")), vec!["run"]);
    let drafts = dir.0.join("a.jsonl");
    let v = json(ok(&run_cmd(
        db,
        "bert",
        "demo",
        march,
        drafts.to_str().unwrap(),
        &dir.p("a2.zip"),
        &["--production"],
    )));
    assert_eq!(
        v["numbers"],
        serde_json::json!(["2026-00006", "2026-00010"])
    );
    let rerun = v["run"].as_i64().unwrap();
    // Refused: not an administrator.
    assert_eq!(refused(&rollback(db, rerun, "bert")), vec!["admin"]);
    // Refused: a return message was read.
    ok(&factuur(&[
        "return-message",
        "2026-00007",
        "--state",
        "read",
        "--db",
        db,
        "--as",
        "bert",
    ]));
    assert_eq!(
        refused(&rollback(db, rerun, "anna")),
        vec!["return-message"]
    );
    // Refused: a journal export after the run (of another period, even).
    let later = produce(db, dir, "b", ("2026-03-01", "2026-03-31"));
    ok(&factuur(&[
        "journal",
        "export",
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
        "-o",
        &dir.p("j.csv"),
        "--db",
        db,
        "--as",
        "anna",
    ]));
    let r = refused(&rollback(db, later, "anna"));
    assert_eq!(r, vec!["journal-export"]);
    // Still refused when the run's machine had its clock far ahead (in 2100).
    raw_sql(
        db,
        &format!("UPDATE runs SET finished_at = 4102444800000 WHERE id = {later}"),
    );
    let r = refused(&rollback(db, later, "anna"));
    assert_eq!(r, vec!["journal-export"]);
    // Refused: a newer production run covers part of the same period.
    let newest = produce(db, dir, "c", ("2026-03-01", "2026-04-30"));
    let r = refused(&rollback(db, later, "anna"));
    assert_eq!(r, vec!["journal-export", "newer-export"]);
    // Each refusal names every failing condition, together.
    let r = refused(&rollback(db, rerun, "bert"));
    assert_eq!(
        r,
        vec!["admin", "return-message", "journal-export", "newer-export"]
    );
    // Refused: an invoice was sent since; and a test run has nothing to roll back.
    ok(&factuur(&[
        "transition",
        "2026-00016",
        "verstuurd",
        "--db",
        db,
        "--as",
        "bert",
    ]));
    let r = refused(&rollback(db, newest, "anna"));
    assert_eq!(r, vec!["sent"]);
    let t = json(ok(&run_cmd(
        db,
        "anna",
        "demo",
        march,
        drafts.to_str().unwrap(),
        &dir.p("t.zip"),
        &[],
    )));
    assert_eq!(
        refused(&rollback(db, t["run"].as_i64().unwrap(), "anna")),
        vec!["run"]
    );
    // The text names each condition.
    let out = factuur(&[
        "run",
        "rollback",
        &rerun.to_string(),
        "--db",
        db,
        "--as",
        "bert",
    ]);
    let err = text(&out.stderr);
    for c in [
        "[admin]",
        "[return-message]",
        "[journal-export]",
        "[newer-export]",
    ] {
        assert!(err.contains(c), "{err}");
    }
    consistent(db).unwrap();
}

#[test]
fn rollback_allowed_and_refused_on_sqlite() {
    let dir = Dir::new("rollback");
    let db = dir.p("l.sqlite");
    setup(&db);
    rollback_conditions(&db, &dir);
}

#[test]
fn rollback_allowed_and_refused_on_postgres() {
    let Some(url) = crate::pg::fresh_db("runs_rollback") else {
        return;
    };
    let dir = Dir::new("rollback-pg");
    setup(&url);
    rollback_conditions(&url, &dir);
}

#[test]
fn journal_export_writes_booking_lines_and_is_recorded() {
    let dir = Dir::new("journal");
    let db = dir.p("l.sqlite");
    setup(&db);
    ok(&run_cmd(
        &db,
        "bert",
        "demo",
        ("2026-01-01", "2026-04-30"),
        "testdata/invoices",
        &dir.p("p.zip"),
        &["--production"],
    ));
    let csv_path = dir.p("journal.csv");
    let v = json(ok(&factuur(&[
        "journal",
        "export",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-o",
        &csv_path,
        "--db",
        &db,
        "--as",
        "anna",
        "--json",
    ])));
    // Every invoice of the run is booked on the run's booking date.
    assert_eq!(v["invoices"], 16);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), factuur::run::journal::HEADER);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len() as i64, v["lines"].as_i64().unwrap());
    assert!(rows.iter().all(|r| r[0] == "2026-04-30"));
    // The net per rate adds up to each invoice's net total in the ledger.
    let mut l = ledger(&db);
    let mut net: BTreeMap<String, rust_decimal::Decimal> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.len() == 10) {
        *net.entry(r[1].to_owned()).or_default() += r[7].parse::<rust_decimal::Decimal>().unwrap();
    }
    let first = l.store().get("2026-00001").unwrap().unwrap();
    assert_eq!(
        net["2026-00001"],
        first.invoice.totals().unwrap().tax_exclusive
    );
    // Another period has none; both exports are recorded.
    let v = json(ok(&factuur(&[
        "journal",
        "export",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "-o",
        &dir.p("empty.csv"),
        "--db",
        &db,
        "--as",
        "anna",
        "--json",
    ])));
    assert_eq!(v["invoices"], 0);
    let exports = l.store().runs().unwrap().journal_exports().unwrap();
    assert_eq!(exports.len(), 2);
    assert_eq!(exports[0].lines, 16);
    // An export whose file cannot be written is not recorded (it blocks no rollback).
    for output in [dir.0.clone(), dir.0.join("missing/j.csv")] {
        let out = factuur(&[
            "journal",
            "export",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "-o",
            output.to_str().unwrap(),
            "--db",
            &db,
            "--as",
            "anna",
            "--json",
        ]);
        assert!(!out.status.success(), "{}", text(&out.stdout));
    }
    let exports = l.store().runs().unwrap().journal_exports().unwrap();
    assert_eq!(exports.len(), 2);
}

fn tool(name: &str, arg: &str) -> bool {
    Command::new(name)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every XML of a production ZIP passes the official rules of its profile, every PDF passes
/// `qpdf --check`, every Word document opens in LibreOffice; one page image per kind goes to
/// `target/run-review/`.
#[test]
fn production_outputs_pass_the_official_rules_qpdf_and_libreoffice() {
    let dir = Dir::new("outputs");
    let db = dir.p("l.sqlite");
    setup(&db);
    ok(&factuur(&[
        "ledger", "series", "peppol", "--format", "P{seq:6}", "--db", &db, "--as", "anna",
    ]));
    let config = dir.p("factuur.toml");
    std::fs::write(
        &config,
        "[profiles.word]\nseries = \"verkoop\"\noutputs = [\"siubl\", \"pdf\", \"docx\"]\n\
         [profiles.peppol]\nseries = \"peppol\"\noutputs = [\"peppol\", \"hybrid\"]\nlanguage = \"en\"\n",
    )
    .unwrap();
    let mut zips = Vec::new();
    for (profile, extra) in [
        ("word", "--production"),
        ("peppol", "--production"),
        ("word", "--description=test"),
    ] {
        let zip = dir.p(&format!("{profile}{extra}.zip"));
        // A draft is invoiced once per ledger: each profile has its own ledger here.
        let db = if profile == "peppol" {
            let other = dir.p("peppol.sqlite");
            if !Path::new(&other).exists() {
                setup(&other);
                ok(&factuur(&[
                    "ledger", "series", "peppol", "--format", "P{seq:6}", "--db", &other, "--as",
                    "anna",
                ]));
            }
            other
        } else {
            db.clone()
        };
        let out = factuur(&[
            "run",
            "--db",
            &db,
            "--as",
            "anna",
            "--config",
            &config,
            "--profile",
            profile,
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
            "testdata/invoices",
            "-o",
            &zip,
            extra,
        ]);
        let v = json(ok(&out));
        assert_eq!(v["invoices"], 16, "{v}");
        zips.push((profile, extra, zip));
    }
    let qpdf = tool("qpdf", "--version") || crate::missing("qpdf");
    let office = (tool("soffice", "--version") && tool("pdftoppm", "-v"))
        || crate::missing("LibreOffice (soffice) and poppler (pdftoppm)");
    let review = repo("target/run-review");
    std::fs::create_dir_all(&review).unwrap();
    let mut docx = Vec::new();
    for (profile, extra, zip) in &zips {
        let unpacked = dir.0.join(format!("{profile}{extra}"));
        std::fs::create_dir_all(&unpacked).unwrap();
        let mut n = (0, 0, 0);
        for name in zip_names(zip) {
            let bytes = zip_entry(zip, &name);
            let path = unpacked.join(&name);
            std::fs::write(&path, &bytes).unwrap();
            if name.ends_with(".xml") {
                official_ok(&bytes, *profile == "peppol");
                n.0 += 1;
            } else if name.ends_with(".pdf") {
                if qpdf {
                    let out = Command::new("qpdf")
                        .arg("--check")
                        .arg(&path)
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{name}: {}", text(&out.stdout));
                }
                n.1 += 1;
            } else if name.ends_with(".docx") {
                docx.push(path);
                n.2 += 1;
            }
        }
        assert_eq!(n.0, 16);
        assert_eq!(n.1, 16);
        if *profile == "word" {
            assert_eq!(n.2, 16);
        }
        // And the validate command over the unpacked ZIP: the structure check and the rules of
        // each document's own profile.
        let out = factuur(&[
            "validate",
            "--rules",
            "auto",
            "--json",
            &unpacked.display().to_string(),
        ]);
        let verdicts = text(&out.stdout);
        assert!(
            out.status.success(),
            "{profile}{extra}: {verdicts}{}",
            text(&out.stderr)
        );
        assert_eq!(verdicts.lines().count(), 16, "{verdicts}");
    }
    // Page images: a test PDF, a production PDF, a hybrid PDF.
    if office {
        for (src, png) in [
            (
                format!("{}/word--description=test/TEST-0001.pdf", dir.0.display()),
                "pdf-test",
            ),
            (
                format!("{}/word--production/2026-00001.pdf", dir.0.display()),
                "pdf-production",
            ),
            (
                format!("{}/peppol--production/P000001.pdf", dir.0.display()),
                "pdf-hybrid",
            ),
        ] {
            let st = Command::new("pdftoppm")
                .args([
                    "-r",
                    "60",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    &src,
                ])
                .arg(review.join(png))
                .status()
                .unwrap();
            assert!(st.success(), "{src}");
        }
        let pdfs = factuur::pdf::office::convert(
            &docx,
            &dir.0.join("office"),
            &factuur::pdf::office::OfficeOptions::default(),
        )
        .expect("LibreOffice converts every Word document of the runs");
        assert_eq!(pdfs.len(), docx.len());
        for p in &pdfs {
            let text = Command::new("pdftotext").arg(p).arg("-").output().unwrap();
            let t = String::from_utf8_lossy(&text.stdout);
            assert!(
                t.contains("FACTUUR") || t.contains("CREDITNOTA"),
                "{}: {t}",
                p.display()
            );
            let test = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("TEST-");
            assert_eq!(t.contains("TESTFACTUUR"), test, "{}", p.display());
        }
        for (name, png) in [
            ("TEST-0001.pdf", "docx-test"),
            ("2026-00001.pdf", "docx-production"),
        ] {
            let st = Command::new("pdftoppm")
                .args(["-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile"])
                .arg(dir.0.join("office").join(name))
                .arg(review.join(png))
                .status()
                .unwrap();
            assert!(st.success());
        }
    }
}

/// Spawns `factuur` with piped output.
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_factuur"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Kills production runs at random moments: afterwards the whole run is in the ledger or
/// nothing of it, numbers are gapless and unique, the lock is free and the next run starts
/// cleanly. `workers` extra `run work` processes join on PostgreSQL.
fn crash(db: &str, dir: &Dir, rounds: usize, drafts: usize, workers: usize) -> String {
    let mut seed = 0x5eed_u64 ^ std::process::id() as u64;
    let (mut committed, mut abandoned, mut early, mut killed_workers) = (0, 0, 0, 0);
    let t0 = Instant::now();
    // How long one undisturbed run takes, to kill within it.
    let input = dir.0.join("warm.jsonl");
    write_drafts(&input, drafts, "warm", 10);
    let t = Instant::now();
    ok(&run_cmd(
        db,
        "bert",
        "demo",
        ("2026-03-01", "2026-03-31"),
        input.to_str().unwrap(),
        &dir.p("warm.zip"),
        &["--production"],
    ));
    let span = t.elapsed().as_millis() as u64 + 200;
    for round in 0..rounds {
        let input = dir.0.join(format!("r{round}.jsonl"));
        write_drafts(&input, drafts, &format!("r{round}"), 10);
        let zip = dir.p(&format!("r{round}.zip"));
        let args = vec![
            "run",
            "--db",
            db,
            "--as",
            "bert",
            "--config",
            "testdata/factuur.toml",
            "--profile",
            "demo",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--production",
            "--json",
            input.to_str().unwrap(),
            "-o",
            &zip,
        ];
        let before = {
            let mut l = ledger(db);
            l.store()
                .runs()
                .unwrap()
                .runs(1)
                .unwrap()
                .pop()
                .map(|r| r.id)
        };
        let mut coordinator = spawn(&args);
        let mut others: Vec<Child> = (0..workers)
            .map(|_| {
                spawn(&[
                    "run",
                    "work",
                    "--until-idle",
                    "1.5",
                    "--db",
                    db,
                    "--as",
                    "bert",
                ])
            })
            .collect();
        let wait = splitmix(&mut seed) % span;
        std::thread::sleep(Duration::from_millis(wait));
        // Kill the coordinator, or (with workers) sometimes a worker instead.
        let victim = if workers > 0 {
            splitmix(&mut seed) % 3
        } else {
            0
        };
        if victim == 0 || victim == 1 {
            let _ = coordinator.kill();
        }
        if victim >= 1 && !others.is_empty() {
            let _ = others[0].kill();
            killed_workers += 1;
        }
        let status = coordinator.wait().unwrap();
        for w in &mut others {
            let _ = w.wait();
        }
        let mut l = ledger(db);
        let rs = l.store().runs().unwrap();
        let last = rs.runs(1).unwrap().pop().unwrap();
        drop(l);
        let joined = Some(last.id) != before;
        if !joined {
            // Killed before it joined the queue: nothing to see.
            early += 1;
        } else if last.state.is_committed() {
            committed += 1;
        } else {
            abandoned += 1;
        }
        if status.success() {
            assert_eq!(last.state, RunState::Done, "{last:?}");
            assert!(Path::new(&zip).exists());
        }
        // A run that is not in the ledger left no ZIP either.
        if joined && !last.state.is_committed() {
            assert!(
                !Path::new(&zip).exists(),
                "round {round}: a ZIP for a run that is not in the ledger"
            );
        }
        // The next run starts cleanly (it finds the killed one abandoned) and finishes.
        let next = dir.0.join(format!("n{round}.jsonl"));
        write_drafts(&next, 3, &format!("n{round}"), 2);
        let v = json(ok(&run_cmd(
            db,
            "bert",
            "demo",
            ("2026-03-01", "2026-03-31"),
            next.to_str().unwrap(),
            &dir.p(&format!("n{round}.zip")),
            &["--production"],
        )));
        assert_eq!(v["invoices"], 3);
        if joined && last.state.is_committed() {
            // Killed after its commit: the next run put its ZIP in place.
            assert!(
                Path::new(&zip).exists(),
                "round {round}: committed, but no ZIP"
            );
        }
        if joined && !last.state.is_committed() && last.state != RunState::Failed {
            assert!(
                v["abandoned"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a.as_i64() == Some(last.id))
                    || last.state == RunState::Abandoned,
                "round {round}: {v} {last:?}"
            );
        }
        consistent(db).unwrap_or_else(|e| panic!("round {round} (killed after {wait} ms): {e}"));
    }
    let (invoices, runs) = consistent(db).unwrap();
    format!(
        "{rounds} SIGKILLs in {:.1} s ({killed_workers} of them a worker): {committed} killed runs were complete, {abandoned} left nothing, {early} were killed before they joined the queue; {invoices} invoices over {runs} runs, gapless, lock free",
        t0.elapsed().as_secs_f64()
    )
}

#[test]
fn crash_at_random_moments_one_worker_on_sqlite() {
    let dir = Dir::new("crash");
    let db = dir.p("l.sqlite");
    setup(&db);
    let summary = crash(&db, &dir, 12, 60, 0);
    eprintln!("SQLite, one worker: {summary}");
}

#[test]
fn crash_at_random_moments_three_workers_on_postgres() {
    let Some(url) = crate::pg::fresh_db("runs_crash") else {
        return;
    };
    let dir = Dir::new("crash-pg");
    setup(&url);
    let summary = crash(&url, &dir, 10, 60, 2);
    eprintln!("PostgreSQL, three workers: {summary}");
}

#[test]
fn workers_share_a_run_on_postgres() {
    let Some(url) = crate::pg::fresh_db("runs_workers") else {
        return;
    };
    let dir = Dir::new("workers");
    setup(&url);
    let input = dir.0.join("d.jsonl");
    write_drafts(&input, 120, "w", 10);
    let workers: Vec<Child> = (0..2)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_factuur"))
                .args([
                    "run",
                    "work",
                    "--until-idle",
                    "3",
                    "--json",
                    "--db",
                    &url,
                    "--as",
                    "bert",
                ])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let zip = dir.p("w.zip");
    let v = json(ok(&run_cmd(
        &url,
        "bert",
        "demo",
        ("2026-03-01", "2026-03-31"),
        input.to_str().unwrap(),
        &zip,
        &["--production"],
    )));
    assert_eq!(v["invoices"], 120);
    let mut slices = 0;
    for w in workers {
        let out = w.wait_with_output().unwrap();
        slices += json(ok(&out))["slices"].as_i64().unwrap();
    }
    assert_eq!(zip_names(&zip).len(), 120 * 2 + 2);
    for n in [1, 60, 120] {
        official_ok(&zip_entry(&zip, &format!("2026-{n:05}.xml")), false);
    }
    eprintln!(
        "workers rendered {slices} of {} slices",
        120usize.div_ceil(factuur::run::exec::SLICE)
    );
    assert_eq!(consistent(&url).unwrap().0, 120);
    // A worker on SQLite is refused with the reason.
    let db = dir.p("l.sqlite");
    setup(&db);
    let out = factuur(&["run", "work", "--db", &db, "--as", "bert"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("PostgreSQL"),
        "{}",
        text(&out.stderr)
    );
}

/// The library's progress callback: checking, then making the documents with the expected time
/// left, then done, with counts that add up.
#[test]
fn the_library_reports_progress_with_the_time_left() {
    use factuur::ledger::RunMode;
    use factuur::run::{Config, Progress, RunRequest, Stage, exec, plan::Window};
    use std::sync::Mutex;

    let dir = Dir::new("progress");
    let db = dir.p("l.sqlite");
    setup(&db);
    let config = Config::read(&repo("testdata/factuur.toml")).unwrap();
    let d = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let input = repo("testdata/invoices");
    let output = dir.0.join("run.zip");
    let request = RunRequest {
        profile: config.profile("demo").unwrap(),
        window: Window::new(d(1, 1), d(12, 31)).unwrap(),
        booking_date: d(12, 31),
        mode: RunMode::Test,
        description: "voortgang".into(),
        stop_on_error: false,
        input: &input,
        output: &output,
        user: "bert",
    };
    let seen: Mutex<Vec<Progress>> = Mutex::new(Vec::new());
    let mut ledger = Ledger::open(&db).unwrap();
    let summary = exec::run(&mut ledger, &request, &|p| {
        seen.lock().unwrap().push(p.clone())
    })
    .unwrap();
    assert_eq!((summary.invoices, summary.failed), (16, 0));
    assert!(output.exists());
    let seen = seen.into_inner().unwrap();
    let checking: Vec<_> = seen.iter().filter(|p| p.stage == Stage::Checking).collect();
    assert_eq!(
        checking.last().map(|p| (p.done, p.total)),
        Some((16, 16)),
        "{seen:?}"
    );
    let rendering: Vec<_> = seen
        .iter()
        .filter(|p| p.stage == Stage::Rendering)
        .collect();
    let last = rendering
        .last()
        .expect("progress while making the documents");
    assert_eq!((last.done, last.total), (16, 16), "{seen:?}");
    assert_eq!(last.eta, Some(Duration::ZERO));
    assert!(
        rendering.windows(2).all(|w| w[0].done <= w[1].done),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .filter(|p| p.done > 0 && p.done < p.total)
            .all(|p| p.eta.is_some()),
        "{seen:?}"
    );
    assert_eq!(seen.last().map(|p| &p.stage), Some(&Stage::Done));
    // The stages come in order: checking, making, done.
    let order: Vec<u8> = seen
        .iter()
        .map(|p| match p.stage {
            Stage::Checking => 0,
            Stage::Queued { .. } => 1,
            Stage::Staging | Stage::Rendering => 2,
            Stage::Committing => 3,
            Stage::Done => 4,
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
}

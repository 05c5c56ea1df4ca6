//! The ledger's command line, a contract: `factuur ledger|invoice|transition|report|history|
//! purchase`, `--db`, `--as`, `--json`, exit codes 0 done, 1 refused, 2 unusable, 3 conflict.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::{repo, text};

struct Cli {
    db: String,
    dir: std::path::PathBuf,
}

impl Cli {
    fn run(&self, user: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_factuur"))
            .args(args)
            .env("FACTUUR_DB", &self.db)
            .env("FACTUUR_USER", user)
            .current_dir(&self.dir)
            .output()
            .expect("run factuur")
    }

    /// Runs and checks the exit status; returns standard output.
    fn ok(&self, user: &str, args: &[&str], code: i32) -> String {
        let out = self.run(user, args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "factuur {args:?} as {user}\nstdout: {}\nstderr: {}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    fn json(&self, user: &str, args: &[&str], code: i32) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.ok(user, &a, code);
        serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"))
    }
}

fn sample(name: &str) -> String {
    repo(&format!("testdata/invoices/{name}"))
        .display()
        .to_string()
}

fn scenario(cli: &Cli) {
    let good = sample("01-domestic-b2b.json");
    let dico = sample("13-dico-work-order.json");
    // Setup: the first user becomes admin.
    let init = cli.json("anna", &["ledger", "init"], 0);
    assert_eq!(init["admin"], "anna");
    assert_eq!(
        cli.json("bert", &["ledger", "init"], 0)["admin"],
        Value::Null
    );
    cli.ok(
        "anna",
        &["ledger", "series", "verkoop", "--format", "{year}-{seq:5}"],
        0,
    );
    cli.ok(
        "anna",
        &[
            "ledger",
            "series",
            "gks",
            "--format",
            "G{year}-{seq:4}",
            "--gks",
        ],
        0,
    );
    cli.ok(
        "anna",
        &["ledger", "series", "bad", "--format", "{year}"],
        2,
    );
    cli.ok("bert", &["ledger", "series", "x", "--format", "{seq:2}"], 1);
    cli.ok("anna", &["ledger", "grant", "rob", "reporter"], 0);
    cli.ok("anna", &["ledger", "grant", "bert", "clerk"], 0);
    cli.ok("anna", &["ledger", "grant", "bert", "wizard"], 2);

    // Add: number and status per invoice.
    let out = cli.ok(
        "bert",
        &["invoice", "add", &good, &dico, "--series", "verkoop"],
        0,
    );
    let year = chrono::Datelike::year(&chrono::DateTime::<chrono::Utc>::from(
        std::time::SystemTime::now(),
    ));
    assert_eq!(
        out,
        format!("{year}-00001\tConcept\n{year}-00002\tConcept\n")
    );
    let n1 = format!("{year}-00001");
    let n2 = format!("{year}-00002");
    cli.ok("bert", &["invoice", "add", &good], 2); // two series: name one
    cli.ok(
        "bert",
        &["invoice", "add", "no-such-file.json", "--series", "verkoop"],
        2,
    );
    let imported = cli.json("bert", &["invoice", "add", &good, "--keep-number"], 0);
    assert_eq!(imported["number"], "2026-00017");
    cli.ok("bert", &["invoice", "add", &good, "--keep-number"], 1); // taken

    // Show: the contract's keys.
    let show = cli.json("bert", &["invoice", "show", &n1], 0);
    for key in ["number", "status", "version", "series", "invoice"] {
        assert!(show.get(key).is_some(), "{key} missing in {show}");
    }
    assert_eq!(show["status"], "Concept");
    assert_eq!(show["version"], 1);
    assert_eq!(show["series"], "verkoop");
    assert_eq!(show["invoice"]["number"], n1.as_str());
    cli.ok("bert", &["invoice", "show", "nope"], 2);

    // The flow, with its exit codes.
    cli.ok("bert", &["transition", &n1, "proforma"], 0);
    cli.ok("bert", &["transition", &n1, "send"], 0);
    let stale = cli.json(
        "bert",
        &["transition", &n1, "reject", "--expect-version", "1"],
        3,
    );
    assert_eq!(stale["error"]["kind"], "conflict");
    cli.ok(
        "bert",
        &[
            "transition",
            &n1,
            "reject",
            "--expect-version",
            "3",
            "--reason",
            "prijs te hoog",
        ],
        0,
    );
    cli.ok("bert", &["transition", &n1, "definitief"], 1);
    cli.ok("bert", &["transition", &n1, "explode"], 2);
    cli.ok("bert", &["transition", &n1, "proforma", "--via", "fax"], 2);
    cli.ok("bert", &["invoice", "edit", &n1, &good], 0);
    cli.ok("bert", &["transition", &n1, "verstuurd"], 0);
    let approved = cli.json("bert", &["transition", &n1, "goedgekeurd"], 0);
    assert_eq!(approved["status"], "Definitief");
    cli.ok("bert", &["invoice", "edit", &n1, &good], 1); // locked
    let refused = cli.json(
        "bert",
        &["transition", &n1, "verstuurd", "--via", "dico"],
        1,
    );
    assert_eq!(refused["error"]["refusal"], "not_dico");
    cli.ok(
        "bert",
        &["transition", &n1, "verstuurd", "--via", "email"],
        0,
    );
    cli.ok("bert", &["transition", &n2, "final"], 0);
    let sent = cli.json("bert", &["transition", &n2, "send", "--via", "dico"], 0);
    assert_eq!(sent["status"], "Verstuurd");

    // The error check as gate: findings printed, exit 1, recorded.
    let mut bad: Value = serde_json::from_slice(&std::fs::read(&good).unwrap()).unwrap();
    bad.as_object_mut().unwrap().remove("branch");
    let bad_path = cli.dir.join("bad.json");
    std::fs::write(&bad_path, bad.to_string()).unwrap();
    let b = cli.json(
        "bert",
        &[
            "invoice",
            "add",
            bad_path.to_str().unwrap(),
            "--series",
            "verkoop",
        ],
        0,
    );
    let nb = b["number"].as_str().unwrap().to_owned();
    let gate = cli.json("bert", &["transition", &nb, "definitief"], 1);
    assert_eq!(gate["findings"][0]["rule"], "CHK-BRANCH");
    let h = cli.ok("bert", &["history", &nb], 0);
    assert!(
        h.contains("check Concept: failed with 1 fatal finding: CHK-BRANCH"),
        "{h}"
    );
    cli.ok("bert", &["transition", &nb, "void"], 0);

    // Reporting: Gemeld, listed with its own permission, offered until the ticket arrives.
    let g = cli.json("bert", &["invoice", "add", &good, "--series", "gks"], 0);
    let ng = g["number"].as_str().unwrap().to_owned();
    cli.ok("bert", &["transition", &ng, "definitief"], 0);
    assert_eq!(
        cli.json("bert", &["transition", &ng, "verstuurd"], 0)["status"],
        "Gemeld"
    );
    cli.ok("bert", &["invoice", "list", "--reported"], 1);
    let listed = cli.ok("rob", &["invoice", "list", "--reported"], 0);
    assert!(listed.starts_with(&format!("{ng}\tGemeld")), "{listed}");
    cli.ok("bert", &["report", "--once", "--black-box", "sim"], 1); // needs report.run
    let round = cli.json(
        "rob",
        &[
            "report",
            "--once",
            "--black-box",
            "sim:late=1",
            "--retry-every",
            "0s",
        ],
        0,
    );
    assert_eq!(round["not_yet"], 1);
    // Unblock while there is no ticket, then send again.
    assert_eq!(
        cli.json("bert", &["transition", &ng, "deblokkeer"], 0)["status"],
        "Definitief"
    );
    cli.ok("bert", &["transition", &ng, "verstuurd"], 0);
    let round = cli.json("rob", &["report", "--once", "--black-box", "sim:late=1"], 0);
    assert_eq!(round["tickets"], 1, "{round}");
    let ticket = round["answers"][0]["detail"].as_str().unwrap().to_owned();
    let shown = cli.json("bert", &["invoice", "show", &ng], 0);
    assert_eq!(shown["status"], "Verstuurd");
    assert_eq!(shown["invoice"]["external_reference"], ticket.as_str());
    let no = cli.json("bert", &["transition", &ng, "unblock"], 1);
    assert_eq!(no["error"]["refusal"], "ticketed");
    let history: Vec<Value> = cli
        .ok("bert", &["history", &ng, "--json"], 0)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<&str> = history
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "check",
            "definitief",
            "verstuurd",
            "attempt",
            "deblokkeer",
            "verstuurd",
            "ticket"
        ]
    );
    assert_eq!(history[7]["to"], "Verstuurd");
    assert_eq!(history[7]["user"], "rob");

    // Lists by status.
    let concept = cli.ok("bert", &["invoice", "list", "--status", "Vervallen"], 0);
    assert!(
        concept.starts_with(&format!("{nb}\tVervallen")),
        "{concept}"
    );
    cli.ok("bert", &["invoice", "list", "--status", "Weg"], 2);
    let all: Vec<Value> = cli
        .ok("bert", &["invoice", "list", "--json"], 0)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(all.len(), 5);
}

#[test]
fn the_ledger_commands_on_sqlite() {
    let dir = crate::scratch("ledger-cli");
    let cli = Cli {
        db: "books.sqlite".into(),
        dir: dir.clone(),
    };
    // No ledger yet: a clear error, nothing created.
    let out = cli.run("anna", &["invoice", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("factuur ledger init"));
    assert!(!dir.join("books.sqlite").exists());
    scenario(&cli);
    // --db wins over $FACTUUR_DB.
    let out = cli.run("anna", &["invoice", "list", "--db", "other.sqlite"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_ledger_commands_on_postgres() {
    let Some(url) = crate::pg::fresh_db("cli") else {
        return;
    };
    let cli = Cli {
        db: url,
        dir: crate::scratch("ledger-cli-pg"),
    };
    scenario(&cli);
}

#[test]
fn report_through_an_external_program() {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::scratch("ledger-cli-exec");
    let cli = Cli {
        db: "l.sqlite".into(),
        dir: dir.clone(),
    };
    let program = dir.join("gks");
    std::fs::write(
        &program,
        "#!/bin/sh\ngrep -q '<cbc:ID>' || exit 9\ncase \"$FACTUUR_ATTEMPT\" in 1) exit 75;; 2) echo 'GKS down' >&2; exit 1;; esac\necho \"BTW-$FACTUUR_INVOICE_NUMBER\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    cli.ok("anna", &["ledger", "init"], 0);
    cli.ok(
        "anna",
        &["ledger", "series", "gks", "--format", "{seq:3}", "--gks"],
        0,
    );
    cli.ok(
        "anna",
        &["invoice", "add", &sample("01-domestic-b2b.json")],
        0,
    );
    cli.ok("anna", &["transition", "001", "definitief"], 0);
    cli.ok("anna", &["transition", "001", "verstuurd"], 0);
    let bb = format!("exec:{}", program.display());
    let args = [
        "report",
        "--once",
        "--black-box",
        bb.as_str(),
        "--retry-every",
        "0s",
    ];
    assert!(cli.ok("anna", &args, 0).contains("001: no ticket yet"));
    assert!(cli.ok("anna", &args, 0).contains("001: error:"));
    assert!(cli.ok("anna", &args, 0).contains("001: VAT ticket BTW-001"));
    let h = cli.ok("anna", &["history", "001"], 0);
    assert!(h.contains("exited with status 1: GKS down"), "{h}");
    let show = cli.json("anna", &["invoice", "show", "001"], 0);
    assert_eq!(show["invoice"]["external_reference"], "BTW-001");
    assert!(Path::new(&dir.join("l.sqlite")).exists());
}

#[test]
fn purchase_check_prints_the_seed_message_per_row() {
    let out = crate::factuur(&[
        "purchase",
        "check",
        "testdata/purchase/credit-direct-purchase.json",
        "--warehouses",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "CN-2026-0031: credit direct purchase, 3 coding line(s)\n\
         \x20 PUR-CREDIT-DIMENSION Rij: 1 - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief\n\
         \x20 PUR-CREDIT-DIMENSION Rij: 3 - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief\n"
    );
    let out = crate::factuur(&[
        "purchase",
        "check",
        "testdata/purchase/direct-purchase.json",
        "--warehouses",
        "1",
        "--default-account",
        "7000",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lines"][0]["gl_account"], "7000", "filled on every line");
    assert!(
        v["export"][0].get("gl_account").is_none(),
        "not passed on for an article line"
    );
    assert_eq!(v["export"][1]["gl_account"], "4610");
    // From a received UBL document.
    let dir = crate::scratch("purchase-ubl");
    let xml = dir.join("in.xml");
    let out = crate::factuur(&[
        "ubl",
        "testdata/invoices/02-credit-note.json",
        "-o",
        xml.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let out = crate::factuur(&[
        "purchase",
        "check",
        xml.to_str().unwrap(),
        "--default-account",
        "7000",
        "--json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["credit"], true, "{v}");
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{v}"
    );
}

#[test]
fn report_watch_keeps_offering_until_the_ticket() {
    let dir = crate::scratch("ledger-cli-watch");
    let cli = Cli {
        db: "w.sqlite".into(),
        dir: dir.clone(),
    };
    cli.ok("anna", &["ledger", "init"], 0);
    cli.ok(
        "anna",
        &["ledger", "series", "gks", "--format", "W{seq:2}", "--gks"],
        0,
    );
    cli.ok(
        "anna",
        &["invoice", "add", &sample("01-domestic-b2b.json")],
        0,
    );
    cli.ok("anna", &["transition", "W01", "definitief"], 0);
    cli.ok("anna", &["transition", "W01", "verstuurd"], 0);
    // Two offers without ticket, one second apart, then the ticket.
    let mut watch = Command::new(env!("CARGO_BIN_EXE_factuur"))
        .args([
            "report",
            "--watch",
            "--black-box",
            "sim:late=2",
            "--retry-every",
            "1s",
            "--poll",
            "200ms",
        ])
        .env("FACTUUR_DB", &cli.db)
        .env("FACTUUR_USER", "anna")
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        let s = cli.json("anna", &["invoice", "show", "W01"], 0);
        if s["status"] == "Verstuurd" || started.elapsed() > std::time::Duration::from_secs(20) {
            break s;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    watch.kill().unwrap();
    let out = watch.wait_with_output().unwrap();
    assert_eq!(status["status"], "Verstuurd", "{}", text(&out.stdout));
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(2),
        "retried after the interval"
    );
    let printed = text(&out.stdout);
    assert_eq!(
        printed.matches("W01: no ticket yet").count(),
        2,
        "{printed}"
    );
    assert!(printed.contains("W01: VAT ticket GKS-"), "{printed}");
}

//! The standard every message of the native UBL rules meets, for every rule of every set: a
//! Dutch and an English text in factuur's own words (not the official rule text), each saying
//! what is wrong and then what to change; and on the 1,501 conformance documents, every finding
//! carries its rule's message, its EN 16931 term where the rule has one, and the value at issue
//! where the rule judges one.

use std::collections::{BTreeMap, BTreeSet};

use factuur::validate::Message;
use factuur::validate::ubl::{self, RuleSet};

use crate::repo;

const SETS: [RuleSet; 3] = [RuleSet::En16931, RuleSet::Nlcius, RuleSet::Peppol];

/// A message and the official text share no run of this many words.
const RUN: usize = 8;

/// Verbs an English message tells the reader to act with, at the start of a clause.
const DO_EN: &[&str] = &[
    "add", "remove", "use", "give", "fill", "set", "correct", "round", "keep", "combine", "write",
    "move", "leave", "make", "split", "shorten", "convert", "name", "send", "complete", "let",
    "replace", "check", "put", "state", "attach", "start",
];

/// The same in Dutch (the imperative, as a Dutch back office writes it).
const DO_NL: &[&str] = &[
    "voeg",
    "verwijder",
    "gebruik",
    "geef",
    "vul",
    "zet",
    "corrigeer",
    "rond",
    "houd",
    "schrijf",
    "verplaats",
    "laat",
    "maak",
    "splits",
    "kort",
    "controleer",
    "verstuur",
    "stuur",
    "noem",
    "vermeld",
    "neem",
    "kies",
    "vervang",
    "factureer",
];

/// Words that may come before the verb at the start of a clause.
const LEAD: &[&str] = &["then", "and", "or", "dan", "en", "of"];

/// The official rule texts (`testdata/conformance/rules.tsv`), by rule id.
fn official() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(repo("testdata/conformance/rules.tsv")).expect("rules.tsv");
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        out.entry(cols[1].to_owned())
            .or_default()
            .push(cols[4].to_owned());
    }
    out
}

/// The words of a text, lower-cased: its runs of letters and digits.
fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The prose of a text, as words: without codes, numbers and identifiers (`S`, `380`, `EUR`,
/// `urn:cen.eu:…`, `cbc:ID`), which a message names as the rule does because they are data.
fn prose(s: &str) -> Vec<String> {
    s.split_whitespace()
        .filter(|t| {
            let t = t.trim_end_matches([':', ';', '.', ',', ')']);
            !t.contains([':', '#', '/'])
        })
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(char::is_lowercase))
        .map(str::to_lowercase)
        .collect()
}

/// A run of [`RUN`] words of prose that `message` shares with `official`, if any (compared
/// case-insensitively).
fn shared_run(message: &str, official: &str) -> Option<String> {
    let theirs: BTreeSet<Vec<String>> = prose(official).windows(RUN).map(<[_]>::to_vec).collect();
    prose(message)
        .windows(RUN)
        .find(|w| theirs.contains(*w))
        .map(|w| w.join(" "))
}

/// Splits a message into clauses at `: `, `; ` and `. ` (punctuation followed by a space or
/// ending the text), so that `cbc:ID` and `urn:cen.eu` stay whole.
fn split_clauses(m: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = m.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        let ends = matches!(c, ':' | ';' | '.') && chars.get(k + 1).is_none_or(|n| *n == ' ');
        if ends {
            out.push(current.trim().to_owned());
            current.clear();
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out.retain(|c| !c.is_empty());
    out
}

/// Whether a clause starts with one of `verbs` (after a leading `then`, `and`, `or`).
fn starts_with_verb(clause: &str, verbs: &[&str]) -> bool {
    let w = words(clause);
    let mut it = w.iter().skip_while(|w| LEAD.contains(&w.as_str()));
    it.next()
        .is_some_and(|first| verbs.contains(&first.as_str()))
}

/// What is wrong with a message, if anything: it must first say what is wrong (a first clause
/// that is no instruction) and then what to do (a later clause starting with a verb of
/// `verbs`).
fn falls_short(m: &str, verbs: &[&str]) -> Option<&'static str> {
    let clauses = split_clauses(m);
    if clauses.len() < 2 {
        return Some("says either what is wrong or what to do, not both");
    }
    if starts_with_verb(&clauses[0], verbs) {
        return Some("starts with what to do instead of what is wrong");
    }
    if !clauses[1..].iter().any(|c| starts_with_verb(c, verbs)) {
        return Some("does not say what to change");
    }
    None
}

/// Everything wrong with the messages of one rule.
fn judge(id: &str, m: &Message, official: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    if m.en.trim().is_empty() || m.nl.trim().is_empty() {
        out.push(format!("{id}: a message is empty"));
        return out;
    }
    if m.en == m.nl {
        out.push(format!("{id}: the Dutch and English messages are the same"));
    }
    for (lang, text, verbs) in [("en", m.en, DO_EN), ("nl", m.nl, DO_NL)] {
        if let Some(why) = falls_short(text, verbs) {
            out.push(format!("{id} ({lang}) {why}: {text}"));
        }
        for theirs in official.get(id).into_iter().flatten() {
            if let Some(run) = shared_run(text, theirs) {
                out.push(format!(
                    "{id} ({lang}) copies the rule text (\"{run}\"): {text}"
                ));
            }
        }
    }
    out
}

#[test]
fn every_rule_of_every_set_has_messages_of_its_own_that_say_what_to_change() {
    let official = official();
    let mut wrong = Vec::new();
    for set in SETS {
        let messages = ubl::messages(set);
        let have: BTreeSet<&str> = messages.iter().map(|(id, _)| *id).collect();
        for id in ubl::rule_ids(set) {
            if !have.contains(id) {
                wrong.push(format!("{set:?}: {id} has no message"));
            }
        }
        for (id, m) in &messages {
            wrong.extend(judge(id, m, &official));
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "{} messages fall short:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_check_catches_a_bad_message() {
    let official = official();
    let ok = Message {
        en: "The buyer's address has no country code: add cac:Country/cbc:IdentificationCode, such as NL.",
        nl: "Het adres van de afnemer heeft geen landcode: voeg cac:Country/cbc:IdentificationCode toe, bijvoorbeeld NL.",
    };
    assert!(judge("BR-11", &ok, &official).is_empty());
    // Only what is wrong, as the messages used to be.
    let only_wrong = Message {
        en: "The buyer's address has no country code.",
        nl: "Het adres van de afnemer heeft geen landcode.",
    };
    assert_eq!(judge("BR-11", &only_wrong, &official).len(), 2);
    // What to do, without what is wrong.
    let only_do = Message {
        en: "Add the country code.",
        nl: "Voeg de landcode toe.",
    };
    assert_eq!(judge("BR-11", &only_do, &official).len(), 2);
    // A colon inside an element name is no clause of its own.
    let no_verb = Message {
        en: "The buyer's address lacks cac:Country/cbc:IdentificationCode: the code is needed.",
        nl: "Het adres van de afnemer mist cac:Country/cbc:IdentificationCode: de code is nodig.",
    };
    assert_eq!(judge("BR-11", &no_verb, &official).len(), 2);
    // The official text, or most of it, with an instruction added.
    let texts = &official["BR-11"];
    let copied = Message {
        en: "The Buyer postal address shall contain a Buyer country code: add it.",
        nl: "Het adres van de afnemer heeft geen landcode: voeg die toe.",
    };
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Buyer postal address shall contain"))
    );
    let found = judge("BR-11", &copied, &official);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("copies the rule text"), "{found:?}");
    // The same text in both languages.
    let same = Message {
        en: ok.en,
        nl: ok.en,
    };
    assert!(
        judge("BR-11", &same, &official)
            .iter()
            .any(|w| w.contains("the same"))
    );
}

/// Rules whose findings always show the value at issue: the element or attribute to leave out,
/// the code, the count of a repeated element, the amounts or dates compared, the rate.
fn shows_a_value(rule: &str) -> bool {
    let always = [
        "UBL-CR-",
        "UBL-DT-",
        "BR-CL-",
        "BR-DEC-",
        "PEPPOL-EN16931-CL",
        "PEPPOL-COMMON-",
    ];
    // Repetition rules, but not the two on a missing element.
    let repetition = rule.starts_with("UBL-SR-") && !matches!(rule, "UBL-SR-07" | "UBL-SR-53");
    let compared = [
        "BR-CO-10", "BR-CO-11", "BR-CO-12", "BR-CO-13", "BR-CO-14", "BR-CO-15", "BR-CO-16",
        "BR-CO-17", "BR-27", "BR-28", "BR-29", "BR-30", "BR-53", "BR-61", "BR-CO-09",
    ];
    // The rates, amounts and exemption reasons of the rules per VAT category.
    let category = ["AE", "E", "G", "IC", "AF", "AG", "O", "S", "Z"]
        .iter()
        .any(|c| {
            ["05", "06", "07", "08", "09", "10"]
                .iter()
                .any(|n| rule == format!("BR-{c}-{n}"))
        });
    always.iter().any(|p| rule.starts_with(p)) || repetition || compared.contains(&rule) || category
}

#[test]
fn every_finding_on_the_conformance_documents_carries_its_message_term_and_value() {
    let dir = repo("testdata/conformance/ubl");
    let text = std::fs::read_to_string(dir.join("expected.jsonl")).expect("expected.jsonl");
    let messages: Vec<(RuleSet, BTreeMap<&str, Vec<Message>>)> = SETS
        .iter()
        .map(|&set| {
            let mut by_id: BTreeMap<&str, Vec<Message>> = BTreeMap::new();
            for (id, m) in ubl::messages(set) {
                by_id.entry(id).or_default().push(m);
            }
            (set, by_id)
        })
        .collect();
    let own: BTreeSet<&str> = ubl::UNJUDGED.iter().copied().collect();
    let mut wrong = BTreeSet::new();
    let mut findings = 0;
    for line in text.lines() {
        let e: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let file = e["file"].as_str().expect("file");
        let xml = std::fs::read(dir.join(file)).expect("the document");
        let Ok(doc) = factuur::ubl::parse(&xml) else {
            continue;
        };
        for (set, by_id) in &messages {
            for f in ubl::validate_with(&doc, &[*set]).findings {
                findings += 1;
                if own.contains(f.rule) {
                    continue;
                }
                if !by_id.get(f.rule).is_some_and(|ms| ms.contains(&f.message)) {
                    wrong.insert(format!("{set:?} {}: a message not listed for it", f.rule));
                }
                if ubl::term(f.rule).is_some() && f.term.is_none() {
                    wrong.insert(format!("{set:?} {}: no term", f.rule));
                }
                if shows_a_value(f.rule) && f.value.as_deref().is_none_or(str::is_empty) {
                    wrong.insert(format!("{set:?} {}: no value ({file})", f.rule));
                }
            }
        }
    }
    assert!(findings > 10_000, "{findings} findings");
    assert!(
        wrong.is_empty(),
        "{} problems:\n{}",
        wrong.len(),
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

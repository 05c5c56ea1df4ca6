//! The public corpus (testdata/docx, see SOURCES): every document merges with a record built
//! from its own fields; nothing of a merge field is left in flatten mode; every XML part of the
//! output parses; parts without merge fields are byte-identical to the input; the output opens
//! again as a template (balanced fields, valid XML); keep-fields mode keeps every field.

use std::collections::BTreeMap;
use std::io::Read;

use factuur::merge::{MergeOptions, Record, Template, Value};

/// Every .docx under testdata/docx, sorted.
pub fn corpus() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![crate::repo("testdata/docx")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "docx") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The parts of a .docx, inflated.
pub fn parts(docx: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().to_owned(), b);
    }
    out
}

/// A record with a value for every merge field of the template: `v-NAME`; each region name is a
/// list of two such records.
pub fn record_for(t: &Template) -> Record {
    let mut names = Vec::new();
    let mut regions = Vec::new();
    for f in t.fields() {
        if let Some(n) = f.name {
            match factuur::merge::field::marker(&n) {
                Some((_, region)) => regions.push(region.to_owned()),
                None => names.push(n),
            }
        }
    }
    let mut item = Record::new();
    for n in &names {
        item.insert(n.clone(), format!("v-{n}"));
    }
    let mut r = item.clone();
    for region in regions {
        r.insert(region, Value::List(vec![item.clone(), item.clone()]));
    }
    r
}

fn xml_parses(name: &str, bytes: &[u8]) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("{name}: {e} at {}", reader.error_position())),
        }
    }
}

fn check(path: &std::path::Path) -> Result<(), String> {
    let bytes = std::fs::read(path).unwrap();
    let t = Template::open(bytes.clone()).map_err(|e| format!("open: {e}"))?;
    let record = record_for(&t);
    let merged = t
        .render_data(&record, &MergeOptions::default())
        .map_err(|e| format!("merge: {e}"))?;
    let again = t
        .render_data(&record, &MergeOptions::default())
        .map_err(|e| format!("merge: {e}"))?;
    if merged.docx != again.docx {
        return Err("two merges of the same input differ".into());
    }
    let input = parts(&bytes);
    let output = parts(&merged.docx);
    if input.keys().collect::<Vec<_>>() != output.keys().collect::<Vec<_>>() {
        return Err("the output's parts differ from the input's".into());
    }
    let fields = t.fields();
    let rewritten: Vec<&str> = fields
        .iter()
        .filter(|f| is_merge(&f.keyword))
        .map(|f| f.part.as_str())
        .collect();
    for (name, data) in &output {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            xml_parses(name, data)?;
        }
        let touched = rewritten.contains(&name.as_str()) || name == "word/settings.xml";
        if !touched && input[name] != *data {
            return Err(format!("{name} has no merge field but changed"));
        }
    }
    if let Some(s) = output.get("word/settings.xml")
        && String::from_utf8_lossy(s).contains("mailMerge")
    {
        return Err("w:mailMerge left in the settings".into());
    }
    // The output reads again as a template, with no merge field left.
    let out_t = Template::open(merged.docx.clone()).map_err(|e| format!("reopen: {e}"))?;
    if let Some(f) = out_t.fields().iter().find(|f| is_merge(&f.keyword)) {
        return Err(format!(
            "field left in flatten mode: {}:{}: {}",
            f.part, f.line, f.instruction
        ));
    }
    // Each top-level MERGEFIELD's value is in its part.
    for f in &fields {
        let Some(name) = &f.name else { continue };
        if f.depth > 0 || factuur::merge::field::marker(name).is_some() {
            continue;
        }
        let text = String::from_utf8_lossy(&output[&f.part]).to_lowercase();
        let want = format!("v-{}", name.to_lowercase());
        let mut escaped = Vec::new();
        for c in want.chars() {
            match c {
                '&' => escaped.extend_from_slice(b"&amp;"),
                '<' => escaped.extend_from_slice(b"&lt;"),
                '>' => escaped.extend_from_slice(b"&gt;"),
                '"' => escaped.extend_from_slice(b"&quot;"),
                c => escaped.extend_from_slice(c.to_string().as_bytes()),
            }
        }
        if !text.contains(&String::from_utf8_lossy(&escaped).into_owned()) {
            return Err(format!("{}:{}: value of {name} missing", f.part, f.line));
        }
    }
    // Keep-fields mode keeps every merge field, and the output still opens.
    let kept = t
        .render_data(
            &record,
            &MergeOptions {
                keep_fields: true,
                ..MergeOptions::default()
            },
        )
        .map_err(|e| format!("keep: {e}"))?;
    let kept_t = Template::open(kept.docx).map_err(|e| format!("reopen kept: {e}"))?;
    let count =
        |fs: &[factuur::merge::FieldUse]| fs.iter().filter(|f| f.keyword == "MERGEFIELD").count();
    if count(&kept_t.fields()) < count(&fields) {
        return Err("keep-fields mode lost fields".into());
    }
    Ok(())
}

fn is_merge(keyword: &str) -> bool {
    matches!(
        keyword,
        "MERGEFIELD" | "IF" | "NEXT" | "NEXTIF" | "SKIPIF" | "MERGEREC" | "MERGESEQ"
    )
}

#[test]
fn every_corpus_document_merges() {
    let files = corpus();
    assert!(files.len() >= 130, "corpus missing: {}", files.len());
    let mut failures = Vec::new();
    let mut fields = 0;
    for p in &files {
        if let Err(e) = check(p) {
            failures.push(format!("{}: {e}", p.display()));
        }
        fields += Template::open(std::fs::read(p).unwrap())
            .map(|t| {
                t.fields()
                    .iter()
                    .filter(|f| f.keyword == "MERGEFIELD")
                    .count()
            })
            .unwrap_or(0);
    }
    eprintln!(
        "corpus: {} of {} documents pass ({fields} MERGEFIELDs)",
        files.len() - failures.len(),
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

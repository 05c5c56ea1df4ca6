//! Word templates: merge invoices (or any data) into customers' own .docx files, as Word's
//! mail merge would, without an office suite.
//!
//! ```
//! use factuur::merge::{MergeOptions, Template};
//! use factuur::Invoice;
//!
//! let template = Template::open(factuur::merge::starter::template()).unwrap();
//! let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
//! let invoice = Invoice::from_json(&json).unwrap();
//! let merged = template.render(&invoice, &MergeOptions::default()).unwrap();
//! assert!(merged.report.warnings.is_empty());
//! assert!(merged.docx.starts_with(b"PK"));
//! ```
//!
//! The package is streamed: parts without merge fields are copied raw, byte for byte; story
//! parts (document, headers, footers, footnotes, endnotes, comments) are rewritten from their
//! XML events; `w:mailMerge` is removed from the settings so Word does not look for a data
//! source. See `schemas/fields.md` for the invoice field catalogue.

pub mod catalogue;
mod error;
pub mod field;
pub mod format;
mod package;
mod record;
mod regions;
mod render;
pub mod starter;
mod stream;
mod xml;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

pub use error::MergeError;
pub use format::Locale;
pub use package::{MAX_ENTRIES, MAX_PART, MAX_TOTAL};
pub use record::{Record, Value};

use crate::Invoice;
use format::Lang;
use package::{Archive, EntryMeta, Out};
use render::{RegionHint, Render};
use stream::{Mode, Op, Story};

/// How to merge.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// Locale numeric pictures are read under and numbers written in (default nl-NL). Month and
    /// day names follow each field's `w:lang`, then the document's default language, then this.
    pub locale: Locale,
    /// Keep the field codes (results updated) so Word can merge the output again, instead of
    /// replacing each field by its result.
    pub keep_fields: bool,
    /// Refuse unknown field names and missing region lists instead of merging them blank.
    pub strict: bool,
}

/// Something worth knowing about a merge that did not stop it, e.g. a field the data lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// The part, e.g. `word/header1.xml`.
    pub part: String,
    /// 1-based line of the field in the part.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The field (or region) name.
    pub field: String,
    /// What happened.
    pub message: String,
}

/// What a merge noticed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MergeReport {
    /// Warnings, in document order per part.
    pub warnings: Vec<Warning>,
}

/// A merged document.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The .docx bytes.
    pub docx: Vec<u8>,
    /// Warnings.
    pub report: MergeReport,
}

/// A field found in a template, as `factuur fields` lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldUse {
    /// The part.
    pub part: String,
    /// 1-based line in the part.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// `simple` (`w:fldSimple`) or `complex` (`fldChar`).
    pub kind: &'static str,
    /// The keyword: `MERGEFIELD`, `IF`, `PAGE`, …
    pub keyword: String,
    /// The instruction, nested fields shown as `{ … }`.
    pub instruction: String,
    /// For `MERGEFIELD`: the name.
    pub name: Option<String>,
    /// Nesting depth (0 = not inside another field).
    pub depth: u32,
    /// Whether the invoice catalogue knows the name (always true for non-merge fields).
    pub known: bool,
}

enum Kind {
    /// Copied raw: untouched, or (settings without `w:mailMerge`) changed once at open.
    Raw(package::RawEntry),
    Story(Box<StoryEntry>),
}

struct StoryEntry {
    story: Story,
    /// The part as stored, for when it is not rewritten.
    raw: package::RawEntry,
    /// Whether it has fields factuur merges (else it is copied raw).
    merges: bool,
    flatten: OnceLock<Result<Vec<Op>, MergeError>>,
    keep: OnceLock<Result<Vec<Op>, MergeError>>,
    /// Length of the last rendering, to size the next one's buffer.
    last_len: AtomicUsize,
}

impl StoryEntry {
    fn plan(&self, mode: Mode) -> Result<&[Op], MergeError> {
        let cell = match mode {
            Mode::Flatten => &self.flatten,
            Mode::Keep => &self.keep,
        };
        match cell.get_or_init(|| self.story.compile(mode)) {
            Ok(ops) => Ok(ops),
            Err(e) => Err(e.clone()),
        }
    }
}

/// A Word template, opened once and merged any number of times (also from several threads).
pub struct Template {
    entries: Vec<EntryMeta>,
    kinds: Vec<Kind>,
    main: usize,
    size: usize,
    first_docpr: u32,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Template")
            .field("parts", &self.entries.len())
            .field("main", &self.entries[self.main].name)
            .finish()
    }
}

const CT_MAIN: &[&str] = &[
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
];
const CT_STORY: &[&str] = &[
    "header+xml",
    "footer+xml",
    "footnotes+xml",
    "endnotes+xml",
    "comments+xml",
];
const CT_SETTINGS: &str = "wordprocessingml.settings+xml";
const CT_STYLES: &str = "wordprocessingml.styles+xml";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Main,
    Story,
    Settings,
    Styles,
    Other,
}

fn roles(
    archive: &mut Archive,
    entries: &[EntryMeta],
    budget: &mut u64,
) -> Result<Vec<Role>, MergeError> {
    let mut roles = vec![Role::Other; entries.len()];
    let mut by_type = false;
    if let Some(ct) = entries.iter().find(|e| e.name == "[Content_Types].xml") {
        let src = package::read(archive, ct, budget)?;
        let doc = xml::tokenize(&ct.name, &src)?;
        for t in &doc.toks {
            if !matches!(t.kind, xml::Kind::Empty | xml::Kind::Start) {
                continue;
            }
            let raw = &src[t.start as usize..t.end as usize];
            if !raw.starts_with(b"<Override") {
                continue;
            }
            let (Some(part), Some(ty)) =
                (xml::attr(raw, "PartName"), xml::attr(raw, "ContentType"))
            else {
                continue;
            };
            let part = part.trim_start_matches('/');
            let Some(k) = entries
                .iter()
                .position(|e| e.name.eq_ignore_ascii_case(part))
            else {
                continue;
            };
            roles[k] = if CT_MAIN.contains(&ty.as_str()) {
                by_type = true;
                Role::Main
            } else if ty.contains("wordprocessingml") && CT_STORY.iter().any(|s| ty.ends_with(s)) {
                Role::Story
            } else if ty.ends_with(CT_SETTINGS) {
                Role::Settings
            } else if ty.ends_with(CT_STYLES) {
                Role::Styles
            } else {
                Role::Other
            };
        }
    }
    if !by_type {
        // No usable content types: go by Word's usual part names.
        for (k, e) in entries.iter().enumerate() {
            let n = e.name.as_str();
            roles[k] = if n == "word/document.xml" {
                Role::Main
            } else if n.starts_with("word/")
                && (n.starts_with("word/header") || n.starts_with("word/footer"))
                && n.ends_with(".xml")
                || matches!(
                    n,
                    "word/footnotes.xml" | "word/endnotes.xml" | "word/comments.xml"
                )
            {
                Role::Story
            } else if n == "word/settings.xml" {
                Role::Settings
            } else if n == "word/styles.xml" {
                Role::Styles
            } else {
                Role::Other
            };
        }
    }
    Ok(roles)
}

/// The document's default language (`w:docDefaults` in the styles), if it says.
fn default_lang(styles: &[u8]) -> Option<Lang> {
    let s = std::str::from_utf8(styles).ok()?;
    let start = s.find("docDefaults")?;
    let end = s[start..]
        .find("/w:docDefaults")
        .map_or(s.len(), |e| start + e);
    let sect = &s[start..end];
    let lang_at = sect.find(":lang ")?;
    let tag_end = sect[lang_at..].find('>')? + lang_at;
    let raw = format!("<w{}>", &sect[lang_at..tag_end].trim_end_matches('/'));
    xml::attr(raw.as_bytes(), "val").and_then(|v| Lang::from_tag(&v))
}

fn has_field_markup(src: &[u8]) -> bool {
    let find = |n: &[u8]| src.windows(n.len()).any(|w| w == n);
    find(b"fldChar") || find(b"fldSimple")
}

/// Largest `wp:docPr` id in a part (drawings in repeated regions get fresh ids above it).
fn max_docpr(src: &[u8]) -> u32 {
    let mut max = 0;
    let mut rest = src;
    while let Some(p) = rest.windows(6).position(|w| w == b"docPr ") {
        rest = &rest[p + 6..];
        let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        let raw = [b"<x:docPr ".as_slice(), &rest[..end], b">"].concat();
        if let Some(id) = xml::attr(&raw, "id").and_then(|v| v.parse::<u32>().ok()) {
            max = max.max(id);
        }
    }
    max
}

impl Template {
    /// Opens a template from the bytes of a .docx (or .dotx / .docm) file: checks the package,
    /// finds every field of every story part, and prepares the rewrite.
    pub fn open(bytes: impl Into<Vec<u8>>) -> Result<Template, MergeError> {
        let bytes: Vec<u8> = bytes.into();
        let size = bytes.len();
        let bytes: Arc<[u8]> = Arc::from(bytes);
        let (mut archive, entries) = package::open(bytes.clone())?;
        let mut budget = MAX_TOTAL;
        let roles = roles(&mut archive, &entries, &mut budget)?;
        let main = roles
            .iter()
            .position(|r| *r == Role::Main)
            .ok_or(MergeError::MissingDocument)?;
        let lang = match roles.iter().position(|r| *r == Role::Styles) {
            Some(k) => default_lang(&package::read(&mut archive, &entries[k], &mut budget)?),
            None => None,
        };
        let mut kinds = Vec::with_capacity(entries.len());
        let mut first_docpr = 0;
        for (k, e) in entries.iter().enumerate() {
            let kind = match roles[k] {
                Role::Main | Role::Story => {
                    let src = package::read(&mut archive, e, &mut budget)?;
                    first_docpr = first_docpr.max(max_docpr(&src));
                    if has_field_markup(&src) {
                        let story = stream::analyse(&e.name, src, lang)?;
                        let merges = story.fields.iter().any(|f| f.merge);
                        if story.fields.is_empty() {
                            Kind::Raw(package::raw(&mut archive, &bytes, e)?)
                        } else {
                            Kind::Story(Box::new(StoryEntry {
                                raw: package::raw(&mut archive, &bytes, e)?,
                                story,
                                merges,
                                flatten: OnceLock::new(),
                                keep: OnceLock::new(),
                                last_len: AtomicUsize::new(0),
                            }))
                        }
                    } else {
                        // Copied raw, but it must still be a well-formed story.
                        xml::tokenize(&e.name, &src)?;
                        Kind::Raw(package::raw(&mut archive, &bytes, e)?)
                    }
                }
                Role::Settings => {
                    let src = package::read(&mut archive, e, &mut budget)?;
                    match remove_mail_merge(&e.name, &src)? {
                        Some(b) => Kind::Raw(package::RawEntry::deflated(&e.name, &b)?),
                        None => Kind::Raw(package::raw(&mut archive, &bytes, e)?),
                    }
                }
                _ => Kind::Raw(package::raw(&mut archive, &bytes, e)?),
            };
            kinds.push(kind);
        }
        let template = Template {
            entries,
            kinds,
            main,
            size,
            first_docpr: first_docpr.saturating_add(1),
        };
        // Compile the flatten plans now, so a template that cannot be merged fails on open.
        for kind in &template.kinds {
            if let Kind::Story(s) = kind
                && s.merges
            {
                s.plan(Mode::Flatten)?;
            }
        }
        Ok(template)
    }

    /// Opens a template file.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Template, crate::Error> {
        let path = path.as_ref();
        let io = |source| crate::Error::Io {
            path: path.display().to_string(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.len() > MAX_TOTAL {
            return Err(MergeError::TooLarge {
                part: path.display().to_string(),
                limit: MAX_TOTAL,
            }
            .into());
        }
        Ok(Template::open(std::fs::read(path).map_err(io)?)?)
    }

    /// Every field of the template, part by part in document order.
    pub fn fields(&self) -> Vec<FieldUse> {
        let mut out = Vec::new();
        for kind in &self.kinds {
            let Kind::Story(s) = kind else { continue };
            let story = &s.story;
            for f in &story.fields {
                let (line, column) = xml::line_col(&story.src, f.offset as usize);
                let name = match &f.code {
                    Some(field::FieldCode::Merge(m)) => Some(m.name.clone()),
                    _ => None,
                };
                let mut depth = 0;
                let mut p = f.parent;
                while p != xml::NONE {
                    depth += 1;
                    p = story.fields[p as usize].parent;
                }
                let known = name.as_deref().is_none_or(catalogue::is_known);
                out.push(FieldUse {
                    part: story.name.clone(),
                    line,
                    column,
                    kind: if f.simple { "simple" } else { "complex" },
                    keyword: f.keyword.clone(),
                    instruction: f.instruction(&story.fields).trim().to_owned(),
                    name,
                    depth,
                    known,
                });
            }
        }
        out
    }

    /// Merges an invoice through the field catalogue ([`catalogue`]).
    pub fn render(
        &self,
        invoice: &Invoice,
        options: &MergeOptions,
    ) -> Result<Merged, crate::Error> {
        let record = catalogue::record(invoice)?;
        Ok(self.render_with(
            std::slice::from_ref(&record),
            options,
            Some(catalogue::region_of),
            0,
        )?)
    }

    /// Merges an invoice with a marking in the field `DOCUMENT_MARKING` (an invoice run's test
    /// documents say `TESTFACTUUR` there); [`Template::render`] leaves it empty.
    pub fn render_marked(
        &self,
        invoice: &Invoice,
        marking: Option<&str>,
        options: &MergeOptions,
    ) -> Result<Merged, crate::Error> {
        let mut record = catalogue::record(invoice)?;
        if let Some(m) = marking {
            record.insert("DOCUMENT_MARKING", m);
        }
        Ok(self.render_with(
            std::slice::from_ref(&record),
            options,
            Some(catalogue::region_of),
            0,
        )?)
    }

    /// Whether the template has a field named `name` (case-insensitive) anywhere.
    pub fn has_field(&self, name: &str) -> bool {
        self.fields().iter().any(|f| {
            f.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    }

    /// Merges one record of any data: top-level values, lists of records for regions.
    pub fn render_data(
        &self,
        record: &Record,
        options: &MergeOptions,
    ) -> Result<Merged, MergeError> {
        self.render_with(std::slice::from_ref(record), options, None, 0)
    }

    fn render_with(
        &self,
        records: &[Record],
        options: &MergeOptions,
        hint: Option<RegionHint>,
        seq: usize,
    ) -> Result<Merged, MergeError> {
        let mut docs = self.render_many(records, options, hint, seq, true)?;
        match docs.pop() {
            Some((m, _)) => Ok(m),
            None => Err(self.skipped_error()),
        }
    }

    fn skipped_error(&self) -> MergeError {
        MergeError::Skipped {
            part: self.entries[self.main].name.clone(),
            line: 0,
            column: 0,
        }
    }

    /// Merges a list of records as Word does: one document per record, except that `NEXT` and
    /// `NEXTIF` move to the following record inside one document, and `SKIPIF` drops a
    /// document. Returns each document with the number of its first record (0-based).
    pub fn render_records(
        &self,
        records: &[Record],
        options: &MergeOptions,
    ) -> Result<Vec<(Merged, usize)>, MergeError> {
        self.render_many(records, options, None, 0, false)
    }

    /// Whether the template moves between records (`NEXT`, `NEXTIF`, `SKIPIF`), so records must
    /// be merged in order rather than one document per record.
    pub fn uses_record_navigation(&self) -> bool {
        self.kinds.iter().any(|k| match k {
            Kind::Story(s) => s
                .story
                .fields
                .iter()
                .any(|f| matches!(f.keyword.as_str(), "NEXT" | "NEXTIF" | "SKIPIF")),
            _ => false,
        })
    }

    fn render_many(
        &self,
        records: &[Record],
        options: &MergeOptions,
        hint: Option<RegionHint>,
        seq0: usize,
        single: bool,
    ) -> Result<Vec<(Merged, usize)>, MergeError> {
        let mode = if options.keep_fields {
            Mode::Keep
        } else {
            Mode::Flatten
        };
        let mut docs = Vec::new();
        let mut start = 0;
        let mut seq = seq0;
        while start < records.len() {
            let mut warnings = Vec::new();
            let mut docpr = self.first_docpr;
            let mut outputs: Vec<Option<Vec<u8>>> = vec![None; self.entries.len()];
            // The main document decides how many records this document takes.
            let mut end = start;
            let mut skipped = None;
            let mut order: Vec<usize> = vec![self.main];
            order.extend((0..self.entries.len()).filter(|&k| k != self.main));
            for k in order {
                let Kind::Story(s) = &self.kinds[k] else {
                    continue;
                };
                if !s.merges {
                    continue;
                }
                let plan = s.plan(mode)?;
                let mut r = Render::new(
                    &s.story,
                    options,
                    records,
                    start,
                    seq + 1,
                    &mut docpr,
                    &mut warnings,
                    hint,
                    s.last_len.load(Ordering::Relaxed),
                );
                r.run(plan)?;
                s.last_len.store(r.out.len(), Ordering::Relaxed);
                if k == self.main {
                    end = r.cursor;
                    skipped = r.skipped;
                    if let Some(offset) = skipped {
                        let (line, column) = xml::line_col(&s.story.src, offset as usize);
                        if single {
                            return Err(MergeError::Skipped {
                                part: s.story.name.clone(),
                                line,
                                column,
                            });
                        }
                        break;
                    }
                }
                outputs[k] = Some(r.out);
            }
            if skipped.is_some() {
                start = end + 1;
                continue;
            }
            let docx = self.write(|k| outputs[k].as_deref())?;
            seq += 1;
            docs.push((
                Merged {
                    docx,
                    report: MergeReport { warnings },
                },
                start,
            ));
            start = end + 1;
            if single {
                break;
            }
        }
        Ok(docs)
    }

    /// The floor the speed target is measured against: the same package written with the story
    /// parts recompressed unchanged and everything else copied raw. Not a merge.
    #[doc(hidden)]
    pub fn copy_floor(&self) -> Result<Vec<u8>, MergeError> {
        self.write(|k| match &self.kinds[k] {
            Kind::Story(s) if s.merges => Some(s.story.src.as_slice()),
            _ => None,
        })
    }

    /// Writes the output: `rendered(k)` for rewritten story parts, the settings without
    /// `w:mailMerge`, every other entry raw.
    fn write<'a>(
        &'a self,
        rendered: impl Fn(usize) -> Option<&'a [u8]>,
    ) -> Result<Vec<u8>, MergeError> {
        let entries = self.entries.iter().enumerate().map(|(k, e)| {
            let out = match (&self.kinds[k], rendered(k)) {
                (_, Some(bytes)) => Out::New(bytes),
                (Kind::Raw(r), None) => Out::Raw(r),
                (Kind::Story(s), None) => Out::Raw(&s.raw),
            };
            (e.name.as_str(), out)
        });
        package::write(entries, self.size + self.size / 2)
    }
}

/// Removes `w:mailMerge` from the settings; `None` when there is none.
fn remove_mail_merge(name: &str, src: &[u8]) -> Result<Option<Vec<u8>>, MergeError> {
    if !src.windows(9).any(|w| w == b"mailMerge") {
        return Ok(None);
    }
    let doc = xml::tokenize(name, src)?;
    let Some(i) = doc
        .toks
        .iter()
        .position(|t| t.tag == xml::Tag::MailMerge && t.kind != xml::Kind::End)
    else {
        return Ok(None);
    };
    let t = doc.toks[i];
    let end = doc.toks[t.pair as usize].end as usize;
    let mut out = src[..t.start as usize].to_vec();
    out.extend_from_slice(&src[end..]);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_language_from_styles() {
        let styles = br#"<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="nl-NL" w:eastAsia="en-US"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"#;
        assert_eq!(default_lang(styles), Some(Lang::Nl));
        assert_eq!(default_lang(b"<w:styles/>"), None);
    }

    #[test]
    fn mail_merge_settings_removed() {
        let s = br#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom/><w:mailMerge><w:mainDocumentType w:val="formLetters"/></w:mailMerge><w:x/></w:settings>"#;
        let out = remove_mail_merge("word/settings.xml", s).unwrap().unwrap();
        assert_eq!(
            out,
            br#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom/><w:x/></w:settings>"#
        );
        assert!(remove_mail_merge("s", b"<w:settings/>").unwrap().is_none());
    }

    #[test]
    fn docpr_ids() {
        assert_eq!(
            max_docpr(br#"<wp:docPr id="3" name="a"/><wp:docPr name="b" id="12"/>"#),
            12
        );
    }
}

//! A flat token list over one XML part: every event with its byte span in the source, its
//! parent and (for start tags) its matching end. Untouched stretches of a part are later copied
//! by span, so the output keeps the template's bytes wherever nothing was merged.

use quick_xml::events::Event;

use super::error::MergeError;

/// Deepest element nesting accepted. Word documents nest tables in tables, but never this deep.
pub(crate) const MAX_DEPTH: usize = 256;

/// Namespaces the merge engine looks at.
const W_NS: &[&[u8]] = &[
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";
const WP_NS: &[&[u8]] = &[
    b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
];

/// What kind of event a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Start,
    End,
    Empty,
    Text,
    Other,
}

/// The elements the engine treats specially; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    Other,
    P,
    R,
    RPr,
    T,
    InstrText,
    FldChar,
    FldSimple,
    Tbl,
    Tr,
    Tc,
    TxbxContent,
    Footnote,
    Endnote,
    Comment,
    BookmarkStart,
    BookmarkEnd,
    Lang,
    Body,
    MailMerge,
    SdtId,
    DocPr,
}

/// One event of the part.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub kind: Kind,
    pub tag: Tag,
    /// Byte span in the source.
    pub start: u32,
    pub end: u32,
    /// For `Start`: index of the matching `End`; for `End`: of the `Start`; else itself.
    pub pair: u32,
    /// Index of the enclosing start tag, `u32::MAX` at the top.
    pub parent: u32,
}

/// A tokenised part.
#[derive(Debug)]
pub(crate) struct Doc {
    pub toks: Vec<Tok>,
    /// The prefix bound to the WordprocessingML namespace (usually `w`), for new markup.
    pub w_prefix: String,
}

pub(crate) const NONE: u32 = u32::MAX;

/// 1-based line and column of a byte offset (column in characters).
pub(crate) fn line_col(src: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// An XML error at a byte offset of a part.
pub(crate) fn xml_error(part: &str, src: &[u8], offset: usize, message: String) -> MergeError {
    let (line, column) = line_col(src, offset);
    MergeError::Xml {
        part: part.to_owned(),
        line,
        column,
        message,
    }
}

/// A field error at a byte offset of a part.
pub(crate) fn field_error(part: &str, src: &[u8], offset: usize, message: String) -> MergeError {
    let (line, column) = line_col(src, offset);
    MergeError::Field {
        part: part.to_owned(),
        line,
        column,
        message,
    }
}

struct Prefixes {
    w: Vec<Vec<u8>>,
    mc: Vec<Vec<u8>>,
    wp: Vec<Vec<u8>>,
}

impl Prefixes {
    fn learn(&mut self, raw: &[u8]) {
        // Only tags that declare namespaces are scanned; Word declares them on the root.
        if !raw.windows(5).any(|w| w == b"xmlns") {
            return;
        }
        let mut rest = raw;
        while let Some(pos) = rest.windows(5).position(|w| w == b"xmlns") {
            rest = &rest[pos + 5..];
            let (prefix, after) = match rest.first() {
                Some(b':') => {
                    let end = rest
                        .iter()
                        .position(|&b| b == b'=' || b.is_ascii_whitespace())
                        .unwrap_or(rest.len());
                    (rest[1..end].to_vec(), &rest[end..])
                }
                Some(b'=') | Some(b' ') => (Vec::new(), rest),
                _ => continue,
            };
            let Some(q) = after.iter().position(|&b| b == b'"' || b == b'\'') else {
                break;
            };
            let quote = after[q];
            let value_start = q + 1;
            let Some(len) = after[value_start..].iter().position(|&b| b == quote) else {
                break;
            };
            let uri = &after[value_start..value_start + len];
            if W_NS.contains(&uri) {
                self.w.push(prefix);
            } else if uri == MC_NS {
                self.mc.push(prefix);
            } else if WP_NS.contains(&uri) {
                self.wp.push(prefix);
            }
            rest = &after[value_start + len..];
        }
    }

    fn classify(&self, qname: &[u8]) -> Tag {
        let (prefix, local) = match qname.iter().position(|&b| b == b':') {
            Some(p) => (&qname[..p], &qname[p + 1..]),
            None => (&qname[..0], qname),
        };
        if self.w.iter().any(|p| p == prefix) {
            match local {
                b"p" => Tag::P,
                b"r" => Tag::R,
                b"rPr" => Tag::RPr,
                b"t" => Tag::T,
                b"instrText" => Tag::InstrText,
                b"fldChar" => Tag::FldChar,
                b"fldSimple" => Tag::FldSimple,
                b"tbl" => Tag::Tbl,
                b"tr" => Tag::Tr,
                b"tc" => Tag::Tc,
                b"txbxContent" => Tag::TxbxContent,
                b"footnote" => Tag::Footnote,
                b"endnote" => Tag::Endnote,
                b"comment" => Tag::Comment,
                b"bookmarkStart" => Tag::BookmarkStart,
                b"bookmarkEnd" => Tag::BookmarkEnd,
                b"lang" => Tag::Lang,
                b"body" => Tag::Body,
                b"mailMerge" => Tag::MailMerge,
                b"id" => Tag::SdtId,
                _ => Tag::Other,
            }
        } else if local == b"docPr" && self.wp.iter().any(|p| p == prefix) {
            Tag::DocPr
        } else {
            let _ = &self.mc;
            Tag::Other
        }
    }
}

/// Tokenises a part. Malformed XML, a non-UTF-8 part and nesting deeper than [`MAX_DEPTH`]
/// are errors naming the part, line and column.
pub(crate) fn tokenize(part: &str, src: &[u8]) -> Result<Doc, MergeError> {
    if src.starts_with(&[0xFF, 0xFE]) || src.starts_with(&[0xFE, 0xFF]) {
        return Err(xml_error(
            part,
            src,
            0,
            "UTF-16 parts are not supported; save the template again from Word".into(),
        ));
    }
    if let Err(e) = std::str::from_utf8(src) {
        return Err(xml_error(
            part,
            src,
            e.valid_up_to(),
            "not UTF-8 text".into(),
        ));
    }
    // A UTF-8 byte order mark is kept as a token of its own; positions stay those of `src`.
    let base: u32 = if src.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let mut reader = quick_xml::Reader::from_reader(&src[base as usize..]);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.allow_unmatched_ends = false;
    config.trim_text(false);
    config.expand_empty_elements = false;
    let mut prefixes = Prefixes {
        w: Vec::new(),
        mc: Vec::new(),
        wp: Vec::new(),
    };
    let mut toks: Vec<Tok> = Vec::with_capacity(src.len() / 24);
    let mut stack: Vec<u32> = Vec::new();
    let mut pos = base;
    let mut seen_root = false;
    if base > 0 {
        toks.push(Tok {
            kind: Kind::Other,
            tag: Tag::Other,
            start: 0,
            end: base,
            pair: 0,
            parent: NONE,
        });
    }
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = usize::try_from(reader.error_position())
                    .unwrap_or(src.len())
                    .saturating_add(base as usize);
                return Err(xml_error(part, src, at, e.to_string()));
            }
        };
        let end = u32::try_from(reader.buffer_position())
            .ok()
            .and_then(|e| e.checked_add(base))
            .ok_or_else(|| xml_error(part, src, 0, "part larger than 4 GiB".into()))?;
        let parent = stack.last().copied().unwrap_or(NONE);
        let index = u32::try_from(toks.len()).unwrap_or(NONE);
        let (kind, tag) = match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let raw = &src[pos as usize..end as usize];
                prefixes.learn(raw);
                if matches!(event, Event::Start(_)) {
                    if stack.len() >= MAX_DEPTH {
                        return Err(xml_error(
                            part,
                            src,
                            pos as usize,
                            format!("elements nested deeper than {MAX_DEPTH} levels"),
                        ));
                    }
                    stack.push(index);
                }
                if parent == NONE {
                    if seen_root {
                        return Err(xml_error(
                            part,
                            src,
                            pos as usize,
                            "a second root element".into(),
                        ));
                    }
                    seen_root = true;
                }
                let kind = if matches!(event, Event::Start(_)) {
                    Kind::Start
                } else {
                    Kind::Empty
                };
                (kind, prefixes.classify(e.name().as_ref().as_bytes()))
            }
            Event::End(e) => {
                let Some(open) = stack.pop() else {
                    return Err(xml_error(
                        part,
                        src,
                        pos as usize,
                        "end tag without a start tag".into(),
                    ));
                };
                let tag = prefixes.classify(e.name().as_ref().as_bytes());
                toks[open as usize].pair = index;
                toks.push(Tok {
                    kind: Kind::End,
                    tag,
                    start: pos,
                    end,
                    pair: open,
                    parent: stack.last().copied().unwrap_or(NONE),
                });
                pos = end;
                continue;
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                if parent == NONE && !src[pos as usize..end as usize].trim_ascii().is_empty() {
                    return Err(xml_error(
                        part,
                        src,
                        pos as usize,
                        "text outside the root element".into(),
                    ));
                }
                (Kind::Text, Tag::Other)
            }
            _ => (Kind::Other, Tag::Other),
        };
        toks.push(Tok {
            kind,
            tag,
            start: pos,
            end,
            pair: index,
            parent,
        });
        pos = end;
    }
    if let Some(&open) = stack.last() {
        return Err(xml_error(
            part,
            src,
            toks[open as usize].start as usize,
            "element never closed (the part ends first)".into(),
        ));
    }
    if !seen_root {
        return Err(xml_error(part, src, 0, "no root element".into()));
    }
    let w_prefix = prefixes
        .w
        .first()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .unwrap_or_else(|| "w".to_owned());
    Ok(Doc { toks, w_prefix })
}

/// Decodes XML character data (entity and character references) to text. Unknown references
/// are kept as written.
pub(crate) fn unescape(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    if !s.contains('&') {
        return s.into_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = &*s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let num = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    None
                };
                num.and_then(char::from_u32)
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Bytes that text content cannot hold as they are: markup characters, controls (tab and line
/// breaks included, as results turn them into `w:tab` and `w:br`) and 0xEF, which starts
/// U+FFFE and U+FFFF in UTF-8.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'&' as usize] = true;
    t[b'"' as usize] = true;
    t[0xEF] = true;
    t
};

/// Whether `text` can be written as text content unchanged, in one segment.
pub(crate) fn plain_text(text: &str) -> bool {
    // Eight bytes per step with a short-circuit per chunk: values are short and nearly always
    // plain.
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        if c.iter().fold(false, |acc, &b| acc | SPECIAL[b as usize]) {
            return false;
        }
    }
    !chunks.remainder().iter().any(|&b| SPECIAL[b as usize])
}

/// Escapes text for XML character data and attribute values. Characters XML 1.0 forbids are
/// dropped.
pub(crate) fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if plain_text(text) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let rep: Option<&[u8]> = match c {
            '<' => Some(b"&lt;"),
            '>' => Some(b"&gt;"),
            '&' => Some(b"&amp;"),
            '"' => Some(b"&quot;"),
            '\t' | '\n' | '\r' => None,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => Some(b""),
            _ => None,
        };
        if let Some(rep) = rep {
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(rep);
            start = i + c.len_utf8();
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

/// The value of attribute `local` (any prefix) on a start or empty tag's raw bytes.
pub(crate) fn attr(raw: &[u8], local: &str) -> Option<String> {
    // Skip the element name.
    let mut i = raw.iter().position(|b| b.is_ascii_whitespace())?;
    while i < raw.len() {
        while i < raw.len() && raw[i].is_ascii_whitespace() {
            i += 1;
        }
        let name_start = i;
        while i < raw.len()
            && raw[i] != b'='
            && !raw[i].is_ascii_whitespace()
            && raw[i] != b'>'
            && raw[i] != b'/'
        {
            i += 1;
        }
        let name = &raw[name_start..i];
        while i < raw.len() && raw[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= raw.len() || raw[i] != b'=' {
            if name.is_empty() {
                i += 1;
            }
            continue;
        }
        i += 1;
        while i < raw.len() && raw[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *raw.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = i + 1;
        let len = raw[value_start..].iter().position(|&b| b == quote)?;
        let value = &raw[value_start..value_start + len];
        i = value_start + len + 1;
        let key_local = name
            .iter()
            .position(|&b| b == b':')
            .map_or(name, |p| &name[p + 1..]);
        if key_local == local.as_bytes() {
            return Some(unescape(value));
        }
    }
    None
}

impl Doc {
    /// The raw bytes of token `i`.
    pub(crate) fn raw<'s>(&self, src: &'s [u8], i: u32) -> &'s [u8] {
        let t = self.toks[i as usize];
        &src[t.start as usize..t.end as usize]
    }

    /// The decoded text inside element `i` (its text children only).
    pub(crate) fn text_of(&self, src: &[u8], i: u32) -> String {
        let t = self.toks[i as usize];
        if t.kind != Kind::Start {
            return String::new();
        }
        // Text and references only: character data of w:t / w:instrText has no child elements.
        let mut raw = Vec::new();
        for k in (i + 1)..t.pair {
            let c = self.toks[k as usize];
            if c.kind == Kind::Text {
                let bytes = &src[c.start as usize..c.end as usize];
                if let Some(cdata) = bytes
                    .strip_prefix(b"<![CDATA[")
                    .and_then(|b| b.strip_suffix(b"]]>"))
                {
                    escape_into(&mut raw, &String::from_utf8_lossy(cdata));
                } else {
                    raw.extend_from_slice(bytes);
                }
            }
        }
        unescape(&raw)
    }

    /// Index of the first child start/empty tag of `i` with `tag`, if any.
    pub(crate) fn child(&self, i: u32, tag: Tag) -> Option<u32> {
        let t = self.toks[i as usize];
        if t.kind != Kind::Start {
            return None;
        }
        let mut k = i + 1;
        while k < t.pair {
            let c = self.toks[k as usize];
            if c.tag == tag && matches!(c.kind, Kind::Start | Kind::Empty) {
                return Some(k);
            }
            k = c.pair.max(k) + 1;
        }
        None
    }

    /// Index just past the subtree of token `i`.
    pub(crate) fn after(&self, i: u32) -> u32 {
        let t = self.toks[i as usize];
        if t.kind == Kind::Start {
            t.pair + 1
        } else {
            i + 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn tokens_pair_and_classify() {
        let src = format!(
            r#"<w:document {W}><w:body><w:p><w:r><w:t>a &amp; b</w:t></w:r></w:p></w:body></w:document>"#
        );
        let doc = tokenize("word/document.xml", src.as_bytes()).unwrap();
        let t = doc.toks.iter().position(|t| t.tag == Tag::T).unwrap() as u32;
        assert_eq!(doc.text_of(src.as_bytes(), t), "a & b");
        let r = doc.toks.iter().position(|t| t.tag == Tag::R).unwrap();
        assert_eq!(doc.toks[doc.toks[r].pair as usize].tag, Tag::R);
        assert_eq!(doc.w_prefix, "w");
        // Spans cover the source exactly.
        let joined: Vec<u8> = doc
            .toks
            .iter()
            .flat_map(|t| src.as_bytes()[t.start as usize..t.end as usize].to_vec())
            .collect();
        assert_eq!(joined, src.as_bytes());
    }

    #[test]
    fn other_prefix_is_resolved() {
        let src = r#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body><x:p/></x:body></x:document>"#;
        let doc = tokenize("p", src.as_bytes()).unwrap();
        assert_eq!(doc.w_prefix, "x");
        assert!(doc.toks.iter().any(|t| t.tag == Tag::P));
    }

    #[test]
    fn malformed_xml_names_line_and_column() {
        let src = format!("<w:document {W}>\n<w:body>\n  <w:p></w:r>\n</w:body></w:document>");
        let err = tokenize("word/document.xml", src.as_bytes()).unwrap_err();
        let MergeError::Xml { part, line, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(part, "word/document.xml");
        assert_eq!(*line, 3);
        for bad in ["", "<a>", "<a></a><b/>", "text", "<a></b>"] {
            assert!(tokenize("p", bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn byte_order_mark_keeps_positions() {
        let src =
            format!("\u{feff}<?xml version=\"1.0\"?>\r\n<w:document {W}><w:body/></w:document>");
        let doc = tokenize("p", src.as_bytes()).unwrap();
        let joined: Vec<u8> = doc
            .toks
            .iter()
            .flat_map(|t| src.as_bytes()[t.start as usize..t.end as usize].to_vec())
            .collect();
        assert_eq!(joined, src.as_bytes());
        assert!(doc.toks.iter().any(|t| t.tag == Tag::Body));
    }

    #[test]
    fn depth_is_capped() {
        let src = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        let err = tokenize("p", src.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("deeper"), "{err}");
    }

    #[test]
    fn unescape_and_attr() {
        assert_eq!(unescape(b"&lt;&#65;&#x42;&bogus;"), "<AB&bogus;");
        let raw = br#"<w:fldChar w:fldCharType="begin" w:dirty="true"/>"#;
        assert_eq!(attr(raw, "fldCharType").as_deref(), Some("begin"));
        assert_eq!(
            attr(
                br#"<w:fldSimple w:instr=" MERGEFIELD &quot;a b&quot; ">"#,
                "instr"
            )
            .as_deref(),
            Some(" MERGEFIELD \"a b\" ")
        );
        let mut out = Vec::new();
        escape_into(&mut out, "a<b>&\"\u{1}");
        assert_eq!(out, b"a&lt;b&gt;&amp;&quot;");
    }
}

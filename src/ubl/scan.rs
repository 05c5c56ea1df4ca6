//! A fast XML scanner for e-invoices: one pass over the bytes, yielding start tags (with their
//! attributes), end tags, text and CDATA, and checking that the document is well-formed XML 1.0
//! on the way: one root element, tags that nest and match, names and characters XML allows,
//! attribute values without `<`, unique attribute names, comments without `--`, processing
//! instructions not named `xml`, character references to characters XML allows, and entity
//! references only to the five XML predefines. A DOCTYPE is refused: no entity is ever declared
//! or expanded.
//!
//! The scanner does not copy: names, values and text are spans of the input. Text and attribute
//! values that hold references or carriage returns are marked, and [`decode_text`] and
//! [`decode_attribute`] turn them into their XML value (line ends normalised, references
//! replaced, and in attributes white space turned into spaces).
//!
//! Namespaces are the caller's business: the scanner checks that a name has at most one colon,
//! not at either end, and leaves resolving prefixes to whoever builds the tree.

use memchr::{memchr, memchr2, memmem};

/// A place in the input where the document stops being well-formed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScanError {
    /// Byte offset in the input.
    pub at: usize,
    /// What is wrong.
    pub kind: ScanErrorKind,
}

/// Why a document is not well-formed (or is refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScanErrorKind {
    /// A DOCTYPE declaration: refused.
    Doctype,
    /// A reference to an entity other than the XML predefines.
    Entity(String),
    /// Anything else, in words.
    Syntax(String),
}

fn syntax(at: usize, message: impl Into<String>) -> ScanError {
    ScanError {
        at,
        kind: ScanErrorKind::Syntax(message.into()),
    }
}

/// A byte range of the input.
pub(crate) type Span = (u32, u32);

/// An attribute of the start tag just scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawAttr {
    /// The qualified name.
    pub name: Span,
    /// The value between the quotes, undecoded.
    pub value: Span,
    /// Whether the value can be used as it stands: no reference, no tab, carriage return or
    /// line feed (which attribute-value normalisation would change).
    pub plain: bool,
}

/// What the scanner found next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// A start tag (`empty` for `<a/>`); its attributes are in [`Scanner::attrs`].
    Start {
        /// The qualified name.
        name: Span,
        /// Offset of the `<`.
        at: usize,
        /// Whether the tag closes itself.
        empty: bool,
    },
    /// An end tag, matching the innermost open start tag (checked).
    End {
        /// Offset of the `<`.
        at: usize,
    },
    /// Character data inside the root element.
    Text {
        /// The raw text.
        raw: Span,
        /// Whether it can be used as it stands: no reference and no carriage return.
        plain: bool,
    },
    /// A CDATA section's content (line ends still to be normalised when it holds a `\r`).
    CData {
        /// The content between `<![CDATA[` and `]]>`.
        raw: Span,
    },
    /// The end of a well-formed document.
    Eof,
}

/// The scanner's place in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the root element (an XML declaration may come first).
    Prolog,
    /// Inside the root element.
    Content,
    /// After the root element: only comments, processing instructions and white space.
    Epilog,
}

/// The scanner. Create it with [`Scanner::new`] on UTF-8 text, then call [`Scanner::next`]
/// until it gives [`Event::Eof`] or an error.
pub(crate) struct Scanner<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    phase: Phase,
    /// Names of the open elements, innermost last.
    open: Vec<Span>,
    attrs: Vec<RawAttr>,
    /// The innermost start tag was empty: its end comes next, without input.
    pending_end: Option<usize>,
}

/// Class of each byte in text: 0 ordinary, else something to look at.
const TEXT_SPECIAL: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = 1; // control characters (tab and line feed are allowed, checked below)
        i += 1;
    }
    t[b'\t' as usize] = 0;
    t[b'\n' as usize] = 0;
    t[b'\r' as usize] = 2;
    t[b'&' as usize] = 3;
    t[b']' as usize] = 4;
    t[b'<' as usize] = 5;
    t[0xEF] = 6; // may start U+FFFE or U+FFFF
    t
};

/// ASCII bytes that may start a name (letters, `_`, `:`); every byte ≥ 0x80 is checked as a
/// character.
const NAME_START: [bool; 128] = {
    let mut t = [false; 128];
    let mut c = b'a';
    while c <= b'z' {
        t[c as usize] = true;
        t[(c - 32) as usize] = true;
        c += 1;
    }
    t[b'_' as usize] = true;
    t[b':' as usize] = true;
    t
};

/// ASCII bytes that may continue a name.
const NAME_CHAR: [bool; 128] = {
    let mut t = NAME_START;
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = true;
        c += 1;
    }
    t[b'-' as usize] = true;
    t[b'.' as usize] = true;
    t
};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// XML 1.0's `NameStartChar` beyond ASCII.
fn name_start_char(c: char) -> bool {
    matches!(c,
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0's `NameChar` beyond ASCII.
fn name_char(c: char) -> bool {
    name_start_char(c) || matches!(c, '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether XML 1.0 allows `c` in a document.
pub(crate) fn xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

impl<'a> Scanner<'a> {
    /// A scanner over `s`, which must not start with a byte-order mark (strip it first).
    pub(crate) fn new(s: &'a str) -> Scanner<'a> {
        Scanner {
            s,
            b: s.as_bytes(),
            pos: 0,
            phase: Phase::Prolog,
            open: Vec::with_capacity(16),
            attrs: Vec::with_capacity(8),
            pending_end: None,
        }
    }

    /// The text of a span of the input.
    pub(crate) fn str(&self, span: Span) -> &'a str {
        &self.s[span.0 as usize..span.1 as usize]
    }

    /// The attributes of the last start tag.
    pub(crate) fn attrs(&self) -> &[RawAttr] {
        &self.attrs
    }

    /// The next event.
    #[allow(clippy::should_implement_trait)]
    pub(crate) fn next(&mut self) -> Result<Event, ScanError> {
        if let Some(at) = self.pending_end.take() {
            self.open.pop();
            if self.open.is_empty() {
                self.phase = Phase::Epilog;
            }
            return Ok(Event::End { at });
        }
        loop {
            let b = self.b;
            if self.pos >= b.len() {
                return match self.phase {
                    Phase::Epilog => Ok(Event::Eof),
                    Phase::Prolog => Err(syntax(self.pos, "no root element")),
                    Phase::Content => Err(syntax(self.pos, "the document ends inside an element")),
                };
            }
            if b[self.pos] != b'<' {
                let start = self.pos;
                let plain = self.text()?;
                if self.phase == Phase::Content {
                    return Ok(Event::Text {
                        raw: (start as u32, self.pos as u32),
                        plain,
                    });
                }
                if !b[start..self.pos].iter().all(|&c| is_space(c)) {
                    let what = if self.phase == Phase::Prolog {
                        "text before the root element"
                    } else {
                        "text after the root element"
                    };
                    return Err(syntax(start, what));
                }
                continue;
            }
            match b.get(self.pos + 1) {
                Some(b'/') => return self.end_tag(),
                Some(b'!') => {
                    if let Some(event) = self.bang()? {
                        return Ok(event);
                    }
                }
                Some(b'?') => self.pi()?,
                _ => return self.start_tag(),
            }
        }
    }

    /// Character data up to the next `<` (or the end): checks characters, references and
    /// `]]>`. Returns whether the text is plain.
    fn text(&mut self) -> Result<bool, ScanError> {
        let b = self.b;
        let mut i = self.pos;
        let mut plain = true;
        while i < b.len() {
            match TEXT_SPECIAL[b[i] as usize] {
                0 => i += 1,
                1 => {
                    return Err(syntax(
                        i,
                        format!("character U+{:04X} is not allowed in XML", b[i]),
                    ));
                }
                2 => {
                    plain = false;
                    i += 1;
                }
                3 => {
                    i = self.reference(i)?;
                    plain = false;
                }
                4 => {
                    if b[i..].starts_with(b"]]>") {
                        return Err(syntax(i, "`]]>` is not allowed in text"));
                    }
                    i += 1;
                }
                5 => break,
                _ => {
                    check_ef(b, i)?;
                    i += 1;
                }
            }
        }
        self.pos = i;
        Ok(plain)
    }

    /// A reference starting at `at` (`&`): checks it and returns the offset after its `;`.
    fn reference(&self, at: usize) -> Result<usize, ScanError> {
        let b = self.b;
        let Some(len) = memchr(b';', &b[at..]) else {
            return Err(syntax(at, "`&` starts a reference that has no `;`"));
        };
        let end = at + len;
        let body = &self.s[at + 1..end];
        if let Some(num) = body.strip_prefix('#') {
            let value = match num.strip_prefix('x') {
                Some(hex) if !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex.trim_start_matches('0'), 16)
                        .ok()
                        .or(if hex.bytes().all(|c| c == b'0') {
                            Some(0)
                        } else {
                            None
                        })
                }
                None if !num.is_empty() && num.bytes().all(|c| c.is_ascii_digit()) => {
                    let digits = num.trim_start_matches('0');
                    if digits.is_empty() {
                        Some(0)
                    } else {
                        digits.parse::<u32>().ok()
                    }
                }
                _ => {
                    return Err(syntax(
                        at,
                        format!("malformed character reference &{body};"),
                    ));
                }
            };
            match value {
                Some(v) if xml_char(v) => Ok(end + 1),
                _ => Err(syntax(
                    at,
                    format!("character reference &{body}; is to a character XML does not allow"),
                )),
            }
        } else {
            match body {
                "lt" | "gt" | "amp" | "apos" | "quot" => Ok(end + 1),
                _ if valid_name(body) && !body.contains(':') => Err(ScanError {
                    at,
                    kind: ScanErrorKind::Entity(body.to_owned()),
                }),
                _ => Err(syntax(at, "`&` starts a malformed reference")),
            }
        }
    }

    /// A name starting at the current position; returns its span. Names of ASCII characters
    /// (all of UBL's) are checked in one pass over their bytes; others character by character.
    fn name(&mut self) -> Result<Span, ScanError> {
        let b = self.b;
        let start = self.pos;
        let mut i = start;
        let mut colons = 0usize;
        let mut colon_at = 0usize;
        while i < b.len() && b[i] < 0x80 && NAME_CHAR[b[i] as usize] {
            if b[i] == b':' {
                colons += 1;
                colon_at = i;
            }
            i += 1;
        }
        let ascii = !(i < b.len() && b[i] >= 0x80);
        if !ascii {
            // Some characters beyond ASCII: walk the rest as characters.
            i = start;
            for (k, c) in self.s[start..].char_indices() {
                let ok = if c.is_ascii() {
                    NAME_CHAR[c as usize]
                } else {
                    name_char(c)
                };
                if !ok {
                    break;
                }
                i = start + k + c.len_utf8();
            }
        }
        let name = &self.s[start..i];
        if name.is_empty() {
            return Err(syntax(start, "a name is expected here"));
        }
        // A name ends at white space or at the markup that may follow one; any other
        // character is one XML does not allow in a name.
        if let Some(c) = self.s[i..].chars().next()
            && !matches!(c, ' ' | '\t' | '\n' | '\r' | '=' | '>' | '/' | '?')
        {
            return Err(syntax(
                i,
                format!("character {c:?} is not allowed in a name"),
            ));
        }
        let (name_ok, qname_ok) = if ascii {
            let first = b[start];
            (
                NAME_START[first as usize],
                colons == 0
                    || (colons == 1 && colon_at != start && colon_at + 1 != i && {
                        let after = b[colon_at + 1];
                        NAME_START[after as usize] && after != b':'
                    }),
            )
        } else {
            (valid_name(name), valid_qname(name))
        };
        if !name_ok {
            return Err(syntax(start, format!("{name:?} is not a valid name")));
        }
        if !qname_ok {
            return Err(syntax(
                start,
                format!(
                    "{name:?} is not a valid qualified name (at most one colon, between two names)"
                ),
            ));
        }
        self.pos = i;
        Ok((start as u32, i as u32))
    }

    fn skip_space(&mut self) -> bool {
        let start = self.pos;
        while self.pos < self.b.len() && is_space(self.b[self.pos]) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn start_tag(&mut self) -> Result<Event, ScanError> {
        let at = self.pos;
        if self.phase == Phase::Epilog {
            return Err(syntax(at, "a second root element"));
        }
        self.pos += 1;
        let name = self.name()?;
        self.attrs.clear();
        loop {
            let spaced = self.skip_space();
            let b = self.b;
            match b.get(self.pos) {
                None => return Err(syntax(at, "a start tag that does not end")),
                Some(b'>') => {
                    self.pos += 1;
                    self.open.push(name);
                    self.phase = Phase::Content;
                    return Ok(Event::Start {
                        name,
                        at,
                        empty: false,
                    });
                }
                Some(b'/') => {
                    if b.get(self.pos + 1) != Some(&b'>') {
                        return Err(syntax(
                            self.pos,
                            "`/` in a start tag must be followed by `>`",
                        ));
                    }
                    self.pos += 2;
                    self.open.push(name);
                    self.phase = Phase::Content;
                    self.pending_end = Some(at);
                    return Ok(Event::Start {
                        name,
                        at,
                        empty: true,
                    });
                }
                Some(_) => {
                    if !spaced {
                        return Err(syntax(
                            self.pos,
                            "attributes must be separated by white space",
                        ));
                    }
                    self.attribute()?;
                }
            }
        }
    }

    fn attribute(&mut self) -> Result<(), ScanError> {
        let name = self.name()?;
        self.skip_space();
        if self.b.get(self.pos) != Some(&b'=') {
            return Err(syntax(self.pos, "`=` expected after an attribute name"));
        }
        self.pos += 1;
        self.skip_space();
        let quote = match self.b.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err(syntax(self.pos, "an attribute value must be quoted")),
        };
        let start = self.pos + 1;
        let b = self.b;
        let Some(len) = memchr(quote, &b[start..]) else {
            return Err(syntax(self.pos, "an attribute value that does not end"));
        };
        let end = start + len;
        let mut plain = true;
        let mut i = start;
        while i < end {
            match b[i] {
                b'<' => return Err(syntax(i, "`<` is not allowed in an attribute value")),
                b'&' => {
                    i = self.reference(i)?;
                    plain = false;
                    continue;
                }
                b'\t' | b'\n' | b'\r' => plain = false,
                c if c < 0x20 => {
                    return Err(syntax(
                        i,
                        format!("character U+{c:04X} is not allowed in XML"),
                    ));
                }
                0xEF => check_ef(b, i)?,
                _ => {}
            }
            i += 1;
        }
        let qname = &self.s[name.0 as usize..name.1 as usize];
        if self.attrs.len() >= MAX_ATTRIBUTES {
            return Err(syntax(
                name.0 as usize,
                "too many attributes on one element",
            ));
        }
        if self
            .attrs
            .iter()
            .any(|a| &self.s[a.name.0 as usize..a.name.1 as usize] == qname)
        {
            return Err(syntax(
                name.0 as usize,
                format!("attribute {qname} appears twice"),
            ));
        }
        self.attrs.push(RawAttr {
            name,
            value: (start as u32, end as u32),
            plain,
        });
        self.pos = end + 1;
        Ok(())
    }

    fn end_tag(&mut self) -> Result<Event, ScanError> {
        let at = self.pos;
        self.pos += 2;
        // The usual case: the name of the innermost open element, then `>` or white space. Its
        // name was checked at the start tag.
        if let Some(&open) = self.open.last() {
            let name = &self.b[open.0 as usize..open.1 as usize];
            let after = self.pos + name.len();
            if self.b.get(self.pos..after) == Some(name)
                && matches!(self.b.get(after), Some(b'>' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                self.pos = after;
                self.skip_space();
                if self.b.get(self.pos) == Some(&b'>') {
                    self.pos += 1;
                    self.open.pop();
                    if self.open.is_empty() {
                        self.phase = Phase::Epilog;
                    }
                    return Ok(Event::End { at });
                }
                return Err(syntax(self.pos, "`>` expected to close the end tag"));
            }
        }
        let name = self.name()?;
        self.skip_space();
        if self.b.get(self.pos) != Some(&b'>') {
            return Err(syntax(self.pos, "`>` expected to close the end tag"));
        }
        self.pos += 1;
        let Some(&open) = self.open.last() else {
            return Err(syntax(at, "an end tag without a start tag"));
        };
        if self.str(open) != self.str(name) {
            return Err(syntax(
                at,
                format!(
                    "end tag </{}> does not match start tag <{}>",
                    self.str(name),
                    self.str(open)
                ),
            ));
        }
        self.open.pop();
        if self.open.is_empty() {
            self.phase = Phase::Epilog;
        }
        Ok(Event::End { at })
    }

    /// `<!`: a comment (skipped: `Ok(None)`), a CDATA section, or a DOCTYPE (refused).
    fn bang(&mut self) -> Result<Option<Event>, ScanError> {
        let at = self.pos;
        let rest = &self.b[at..];
        if rest.starts_with(b"<!--") {
            let body = at + 4;
            let Some(len) = memmem::find(&self.b[body..], b"--") else {
                return Err(syntax(at, "a comment that does not end"));
            };
            let end = body + len;
            if self.b.get(end + 2) != Some(&b'>') {
                return Err(syntax(end, "`--` is not allowed inside a comment"));
            }
            check_chars(self.b, body, end)?;
            self.pos = end + 3;
            return Ok(None);
        }
        if rest.starts_with(b"<![CDATA[") {
            if self.phase != Phase::Content {
                return Err(syntax(at, "a CDATA section outside the root element"));
            }
            let body = at + 9;
            let Some(len) = memmem::find(&self.b[body..], b"]]>") else {
                return Err(syntax(at, "a CDATA section that does not end"));
            };
            let end = body + len;
            check_chars(self.b, body, end)?;
            self.pos = end + 3;
            return Ok(Some(Event::CData {
                raw: (body as u32, end as u32),
            }));
        }
        if rest.starts_with(b"<!DOCTYPE") {
            return Err(ScanError {
                at,
                kind: ScanErrorKind::Doctype,
            });
        }
        Err(syntax(
            at,
            "`<!` starts neither a comment nor a CDATA section",
        ))
    }

    /// `<?`: the XML declaration (only at the very start) or a processing instruction.
    fn pi(&mut self) -> Result<(), ScanError> {
        let at = self.pos;
        self.pos += 2;
        let target = self.name()?;
        let name = self.str(target);
        let spaced = self.skip_space();
        let body = self.pos;
        let Some(len) = memmem::find(&self.b[body..], b"?>") else {
            return Err(syntax(at, "a processing instruction that does not end"));
        };
        let end = body + len;
        if end > body && !spaced {
            return Err(syntax(body, "white space expected after the target name"));
        }
        check_chars(self.b, body, end)?;
        self.pos = end + 2;
        if name.eq_ignore_ascii_case("xml") {
            if name != "xml" || at != 0 {
                return Err(syntax(
                    at,
                    "an XML declaration is only allowed at the very start of the document",
                ));
            }
            check_declaration(&self.s[body..end], body)?;
        } else if name.contains(':') {
            return Err(syntax(
                at,
                "a processing instruction's target may not contain `:`",
            ));
        }
        Ok(())
    }
}

/// Most attributes one element may carry. Real invoices use a handful; the limit keeps the
/// duplicate check cheap on hostile input.
const MAX_ATTRIBUTES: usize = 256;

/// At `i`, byte 0xEF: refuses U+FFFE and U+FFFF (EF BF BE, EF BF BF).
fn check_ef(b: &[u8], i: usize) -> Result<(), ScanError> {
    if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) {
        let c = if b[i + 2] == 0xBE { "FFFE" } else { "FFFF" };
        return Err(syntax(i, format!("character U+{c} is not allowed in XML")));
    }
    Ok(())
}

/// Checks that `b[from..to]` holds only characters XML allows.
fn check_chars(b: &[u8], from: usize, to: usize) -> Result<(), ScanError> {
    for (i, &c) in b[from..to].iter().enumerate() {
        if c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r') {
            return Err(syntax(
                from + i,
                format!("character U+{c:04X} is not allowed in XML"),
            ));
        }
        if c == 0xEF {
            check_ef(b, from + i)?;
        }
    }
    Ok(())
}

/// The pseudo-attributes of an XML declaration: `version` first, then optionally `encoding`
/// and `standalone`, in that order.
fn check_declaration(body: &str, at: usize) -> Result<(), ScanError> {
    let mut rest = body;
    let mut seen = Vec::new();
    while !rest.is_empty() {
        let Some((name, after)) = rest.split_once('=') else {
            return Err(syntax(at, "a malformed XML declaration"));
        };
        let name = name.trim_end_matches(|c: char| is_space(c as u8));
        let after = after.trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8));
        let quote = after.chars().next();
        let (value, tail) = match quote {
            Some(q @ ('"' | '\'')) => match after[1..].split_once(q) {
                Some(v) => v,
                None => return Err(syntax(at, "a malformed XML declaration")),
            },
            _ => return Err(syntax(at, "a malformed XML declaration")),
        };
        let ok = match name {
            "version" => {
                seen.is_empty()
                    && value.len() > 2
                    && value.starts_with("1.")
                    && value[2..].bytes().all(|c| c.is_ascii_digit())
            }
            "encoding" => {
                seen == ["version"]
                    && value
                        .bytes()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic())
                    && value
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
            }
            "standalone" => {
                seen.first() == Some(&"version")
                    && !seen.contains(&"standalone")
                    && matches!(value, "yes" | "no")
            }
            _ => false,
        };
        if !ok {
            return Err(syntax(at, format!("a malformed XML declaration ({name})")));
        }
        seen.push(name);
        if !tail.is_empty() && !tail.starts_with(|c: char| c.is_ascii() && is_space(c as u8)) {
            return Err(syntax(at, "a malformed XML declaration"));
        }
        rest = tail.trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8));
    }
    if seen.first() != Some(&"version") {
        return Err(syntax(at, "an XML declaration must give the version"));
    }
    Ok(())
}

/// Whether `name` is an XML `Name`.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let start_ok = if first.is_ascii() {
        NAME_START[first as usize]
    } else {
        name_start_char(first)
    };
    start_ok
        && chars.all(|c| {
            if c.is_ascii() {
                NAME_CHAR[c as usize]
            } else {
                name_char(c)
            }
        })
}

/// Whether a name is a qualified name of XML namespaces: no colon, or one colon between two
/// non-empty parts, each a name.
fn valid_qname(name: &str) -> bool {
    match name.split_once(':') {
        None => true,
        Some((prefix, local)) => {
            !prefix.is_empty() && !local.is_empty() && !local.contains(':') && valid_name(local)
        }
    }
}

/// Appends the XML value of raw text to `out`: `\r\n` and lone `\r` become `\n`, references are
/// replaced. The text must have passed the scanner.
pub(crate) fn decode_text(raw: &str, out: &mut String) {
    decode(raw, out, false);
}

/// Appends the normalised value of a raw attribute value to `out`: line ends normalised, then
/// tabs, line feeds and carriage returns turned into spaces, and references replaced (a
/// character reference to white space stays as it is). The value must have passed the scanner.
pub(crate) fn decode_attribute(raw: &str, out: &mut String) {
    decode(raw, out, true);
}

fn decode(raw: &str, out: &mut String, attribute: bool) {
    let b = raw.as_bytes();
    let special = |c: u8| c == b'&' || c == b'\r' || (attribute && (c == b'\n' || c == b'\t'));
    let mut i = 0;
    while i < b.len() {
        let next = if attribute {
            b[i..].iter().position(|&c| special(c)).map(|k| i + k)
        } else {
            memchr2(b'&', b'\r', &b[i..]).map(|k| i + k)
        };
        let Some(k) = next else {
            out.push_str(&raw[i..]);
            return;
        };
        out.push_str(&raw[i..k]);
        match b[k] {
            b'\r' => {
                out.push(if attribute { ' ' } else { '\n' });
                i = if b.get(k + 1) == Some(&b'\n') {
                    k + 2
                } else {
                    k + 1
                };
            }
            b'\n' | b'\t' => {
                out.push(' ');
                i = k + 1;
            }
            _ => {
                let end = k + memchr(b';', &b[k..]).unwrap_or(b.len() - k);
                let body = &raw[k + 1..end];
                match body {
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "amp" => out.push('&'),
                    "apos" => out.push('\''),
                    "quot" => out.push('"'),
                    _ => {
                        let num = body.strip_prefix('#').unwrap_or(body);
                        let value = match num.strip_prefix('x') {
                            Some(hex) => u32::from_str_radix(hex, 16).ok(),
                            None => num.parse().ok(),
                        };
                        if let Some(c) = value.and_then(char::from_u32) {
                            out.push(c);
                        }
                    }
                }
                i = end + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans a whole document into a readable list of events.
    fn events(s: &str) -> Result<Vec<String>, ScanError> {
        let mut sc = Scanner::new(s);
        let mut out = Vec::new();
        loop {
            match sc.next()? {
                Event::Start { name, empty, .. } => {
                    let mut e = format!("<{}", sc.str(name));
                    for a in sc.attrs() {
                        let mut v = String::new();
                        decode_attribute(sc.str(a.value), &mut v);
                        e.push_str(&format!(" {}={v:?}", sc.str(a.name)));
                    }
                    if empty {
                        e.push('/');
                    }
                    e.push('>');
                    out.push(e);
                }
                Event::End { .. } => out.push("</>".into()),
                Event::Text { raw, .. } | Event::CData { raw } => {
                    let mut t = String::new();
                    decode_text(sc.str(raw), &mut t);
                    out.push(format!("{t:?}"));
                }
                Event::Eof => return Ok(out),
            }
        }
    }

    fn err(s: &str) -> String {
        match events(s) {
            Ok(e) => panic!("accepted {s:?}: {e:?}"),
            Err(e) => match e.kind {
                ScanErrorKind::Syntax(m) => format!("{}: {m}", e.at),
                ScanErrorKind::Doctype => format!("{}: doctype", e.at),
                ScanErrorKind::Entity(n) => format!("{}: entity {n}", e.at),
            },
        }
    }

    #[test]
    fn scans_elements_attributes_and_text() {
        let got = events(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- hi -->\n<a x='1' y = \"2&amp;3\"><b/>t&lt;&#65;&#x42;<![CDATA[<c>]]></a>\n",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                "<a x=\"1\" y=\"2&3\">",
                "<b/>",
                "</>",
                "\"t<AB\"",
                "\"<c>\"",
                "</>"
            ]
        );
    }

    #[test]
    fn normalises_line_ends_and_attribute_space() {
        let got = events("<a v=\"x\r\ny\tz\n&#10;\">1\r\n2\r3</a>").unwrap();
        assert_eq!(got, ["<a v=\"x y z \\n\">", "\"1\\n2\\n3\"", "</>"]);
    }

    #[test]
    fn refuses_what_is_not_well_formed() {
        assert_eq!(err(""), "0: no root element");
        assert_eq!(err("<a>"), "3: the document ends inside an element");
        assert_eq!(
            err("<a></b>"),
            "3: end tag </b> does not match start tag <a>"
        );
        assert_eq!(err("<a/><b/>"), "4: a second root element");
        assert_eq!(err("x<a/>"), "0: text before the root element");
        assert_eq!(err("<a/>x"), "4: text after the root element");
        assert_eq!(err("<a x='1' x='2'/>"), "9: attribute x appears twice");
        assert_eq!(
            err("<a x='<'/>"),
            "6: `<` is not allowed in an attribute value"
        );
        assert_eq!(err("<a x=1/>"), "5: an attribute value must be quoted");
        assert_eq!(
            err("<a x='1'y='2'/>"),
            "8: attributes must be separated by white space"
        );
        assert_eq!(err("<a>]]></a>"), "3: `]]>` is not allowed in text");
        assert_eq!(err("<a>&foo;</a>"), "3: entity foo");
        assert_eq!(
            err("<a>&#0;</a>"),
            "3: character reference &#0; is to a character XML does not allow"
        );
        assert_eq!(
            err("<a>&#xD800;</a>"),
            "3: character reference &#xD800; is to a character XML does not allow"
        );
        assert_eq!(
            err("<a>& b</a>"),
            "3: `&` starts a reference that has no `;`"
        );
        assert_eq!(
            err("<a>\u{1}</a>"),
            "3: character U+0001 is not allowed in XML"
        );
        assert_eq!(
            err("<a>\u{FFFE}</a>"),
            "3: character U+FFFE is not allowed in XML"
        );
        assert_eq!(err("<!DOCTYPE a><a/>"), "0: doctype");
        assert_eq!(
            err("<a><!-- a -- b --></a>"),
            "10: `--` is not allowed inside a comment"
        );
        assert_eq!(
            err(" <?xml version='1.0'?><a/>"),
            "1: an XML declaration is only allowed at the very start of the document"
        );
        assert_eq!(
            err("<?xml encoding='UTF-8'?><a/>"),
            "6: a malformed XML declaration (encoding)"
        );
        assert_eq!(err("<1a/>"), "1: \"1a\" is not a valid name");
        assert_eq!(
            err("<a:b:c/>"),
            "1: \"a:b:c\" is not a valid qualified name (at most one colon, between two names)"
        );
        assert_eq!(
            err("<![CDATA[x]]><a/>"),
            "0: a CDATA section outside the root element"
        );
        assert_eq!(err("<a></a  x>"), "8: `>` expected to close the end tag");
    }

    #[test]
    fn names_beyond_ascii() {
        assert_eq!(events("<é·x ä='1'/>").unwrap(), ["<é·x ä=\"1\"/>", "</>"]);
        assert!(events("<·x/>").is_err(), "a middle dot cannot start a name");
    }
}

//! Walking a compiled plan with data: field evaluation (`MERGEFIELD`, `IF`, `NEXT`, …),
//! repeating regions, and the runs that carry the results.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use super::error::MergeError;
use super::field::{self, CompareOp, Condition, FieldCode, Switches};
use super::format::{self, Lang, Locale, NumberPicture};
use super::record::{Record, Value};
use super::stream::{LOCALES, Op, Piece, Story};
use super::xml::{self, escape_into, line_col};
use super::{MergeOptions, Warning};

/// Most bytes one rendered part may grow to (regions × items can multiply a part).
pub(crate) const MAX_OUTPUT: usize = 256 * 1024 * 1024;

/// The markup of a result run under a part's `w` prefix, built once per part.
#[derive(Debug, Default)]
pub(crate) struct RunTags {
    pub(crate) r_open: Vec<u8>,
    r_close: Vec<u8>,
    pub(crate) t_open: Vec<u8>,
    t_close: Vec<u8>,
    pub(crate) instr_open: Vec<u8>,
    instr_close: Vec<u8>,
    br: Vec<u8>,
    tab: Vec<u8>,
    /// `</w:t></w:r>`: the end of a one-segment result run.
    t_tail: Vec<u8>,
    /// `</w:instrText></w:r>`.
    instr_tail: Vec<u8>,
}

impl RunTags {
    pub(crate) fn new(w: &str) -> RunTags {
        RunTags {
            r_open: format!("<{w}:r>").into_bytes(),
            r_close: format!("</{w}:r>").into_bytes(),
            t_open: format!("<{w}:t xml:space=\"preserve\">").into_bytes(),
            t_close: format!("</{w}:t>").into_bytes(),
            instr_open: format!("<{w}:instrText xml:space=\"preserve\">").into_bytes(),
            instr_close: format!("</{w}:instrText>").into_bytes(),
            br: format!("<{w}:br/>").into_bytes(),
            tab: format!("<{w}:tab/>").into_bytes(),
            t_tail: format!("</{w}:t></{w}:r>").into_bytes(),
            instr_tail: format!("</{w}:instrText></{w}:r>").into_bytes(),
        }
    }
}

/// Which list a field name belongs to when the data cannot say (an empty list).
pub(crate) type RegionHint = fn(&str) -> Option<&'static str>;

pub(crate) struct Render<'a> {
    pub story: &'a Story,
    pub opts: &'a MergeOptions,
    pub records: &'a [Record],
    /// Index of the current record in `records`.
    pub cursor: usize,
    /// Number of the first record of `records` in the whole data (for `MERGEREC`).
    pub base: usize,
    /// Sequence number of this document (for `MERGESEQ`).
    pub seq: usize,
    pub scopes: Vec<&'a Record>,
    pub copy: bool,
    pub out: Vec<u8>,
    rows: Vec<usize>,
    pub next_docpr: &'a mut u32,
    pub warnings: &'a mut Vec<Warning>,
    warned: HashSet<u32>,
    /// A `SKIPIF` held: the document is dropped.
    pub skipped: Option<u32>,
    pub hint: Option<RegionHint>,
    /// Scratch for field results, reused from value to value.
    text: String,
    /// Per field, the entry its name was last found at (see [`Record::get_upper_hinted`]).
    hints: Vec<u32>,
}

impl<'a> Render<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        story: &'a Story,
        opts: &'a MergeOptions,
        records: &'a [Record],
        cursor: usize,
        seq: usize,
        next_docpr: &'a mut u32,
        warnings: &'a mut Vec<Warning>,
        hint: Option<RegionHint>,
        capacity: usize,
    ) -> Render<'a> {
        Render {
            story,
            opts,
            records,
            cursor,
            base: 0,
            seq,
            scopes: Vec::new(),
            copy: false,
            out: Vec::with_capacity(capacity.max(story.src.len() + story.src.len() / 4)),
            rows: Vec::new(),
            next_docpr,
            warnings,
            warned: HashSet::new(),
            skipped: None,
            hint,
            text: String::new(),
            hints: vec![0; story.fields.len()],
        }
    }

    fn src(&self) -> &'a [u8] {
        &self.story.src
    }

    fn error_at(&self, offset: u32, message: String) -> MergeError {
        xml::field_error(&self.story.name, self.src(), offset as usize, message)
    }

    fn warn(&mut self, field: u32, name: &str, message: String) {
        if !self.warned.insert(field) {
            return;
        }
        let f = &self.story.fields[field as usize];
        let (line, column) = line_col(self.src(), f.offset as usize);
        self.warnings.push(Warning {
            part: self.story.name.clone(),
            line,
            column,
            field: name.to_owned(),
            message,
        });
    }

    /// Runs a plan.
    pub(crate) fn run(&mut self, ops: &'a [Op]) -> Result<(), MergeError> {
        for op in ops {
            match op {
                Op::Copy(a, b) => self
                    .out
                    .extend_from_slice(&self.story.src[*a as usize..*b as usize]),
                Op::Bytes(b) => self.out.extend_from_slice(b),
                Op::Value { field, as_instr } => self.value(*field, *as_instr)?,
                Op::Repeat { region, body } => {
                    let r = &self.story.regions[*region as usize];
                    let items: &'a [Record] = match self.lookup(&r.upper) {
                        Some(Value::List(items)) => items,
                        Some(_) => {
                            let name = r.name.clone();
                            self.region_problem(
                                *region,
                                &name,
                                format!("region {name}: the data's {name} is not a list; the region is left out"),
                            )?;
                            &[]
                        }
                        None => {
                            let name = r.name.clone();
                            self.region_problem(
                                *region,
                                &name,
                                format!("region {name}: no list {name} in the data; the region is left out"),
                            )?;
                            &[]
                        }
                    };
                    self.repeat(items, body)?;
                }
                Op::RowRepeat { anchors, body } => match self.row_list(anchors) {
                    Some(items) => self.repeat(items, body)?,
                    None => self.run(body)?,
                },
                Op::FirstOnly(a, b) => {
                    if !self.copy {
                        self.out
                            .extend_from_slice(&self.story.src[*a as usize..*b as usize]);
                    }
                }
                Op::Variant { first, other } => {
                    if self.copy {
                        self.out.extend_from_slice(other);
                    } else {
                        self.out
                            .extend_from_slice(&self.story.src[first.0 as usize..first.1 as usize]);
                    }
                }
                Op::DocPr { first, head, tail } => {
                    if self.copy {
                        self.out.extend_from_slice(head);
                        self.out
                            .extend_from_slice(self.next_docpr.to_string().as_bytes());
                        self.out.extend_from_slice(tail);
                        *self.next_docpr = self.next_docpr.saturating_add(1);
                    } else {
                        self.out
                            .extend_from_slice(&self.story.src[first.0 as usize..first.1 as usize]);
                    }
                }
                Op::Table { body, in_cell } => {
                    let mark = self.out.len();
                    self.rows.push(0);
                    self.run(body)?;
                    if self.rows.pop() == Some(0) {
                        // Every row repeated zero times: a table without rows is invalid.
                        self.out.truncate(mark);
                        if *in_cell {
                            let w = &self.story.doc.w_prefix;
                            self.out.extend_from_slice(format!("<{w}:p/>").as_bytes());
                        }
                    }
                }
                Op::RowMark => {
                    if let Some(n) = self.rows.last_mut() {
                        *n += 1;
                    }
                }
            }
            if self.out.len() > MAX_OUTPUT {
                return Err(MergeError::TooLarge {
                    part: format!("{} (merged)", self.story.name),
                    limit: MAX_OUTPUT as u64,
                });
            }
        }
        Ok(())
    }

    fn region_problem(
        &mut self,
        region: u32,
        name: &str,
        message: String,
    ) -> Result<(), MergeError> {
        // Regions have no field id of their own; key warnings past the field ids.
        let key = u32::MAX - region;
        if self.opts.strict {
            let r = &self.story.regions[region as usize];
            let at = self.story.doc.toks[r.first as usize].start;
            return Err(self.error_at(at, format!("{message} (strict)")));
        }
        if self.warned.insert(key) {
            let r = &self.story.regions[region as usize];
            let at = self.story.doc.toks[r.first as usize].start;
            let (line, column) = line_col(self.src(), at as usize);
            self.warnings.push(Warning {
                part: self.story.name.clone(),
                line,
                column,
                field: name.to_owned(),
                message,
            });
        }
        Ok(())
    }

    fn repeat(&mut self, items: &'a [Record], body: &'a [Op]) -> Result<(), MergeError> {
        let saved = self.copy;
        for (k, item) in items.iter().enumerate() {
            self.copy = saved || k > 0;
            self.scopes.push(item);
            let result = self.run(body);
            self.scopes.pop();
            result?;
        }
        self.copy = saved;
        Ok(())
    }

    fn root(&self) -> Option<&'a Record> {
        self.records.get(self.cursor)
    }

    /// Looks a name (upper case) up in the region items, innermost first, then the record.
    fn lookup(&self, upper: &str) -> Option<&'a Value> {
        for scope in self.scopes.iter().rev() {
            if let Some(v) = scope.get_upper(upper) {
                return Some(v);
            }
        }
        if let Some(v) = self.root().and_then(|r| r.get_upper(upper)) {
            return Some(v);
        }
        // `Region:Field` names (Syncfusion style) and `$name` / `${name}` placeholders.
        if let Some((_, rest)) = upper.rsplit_once(':')
            && !rest.is_empty()
        {
            return self.lookup(rest);
        }
        None
    }

    /// [`Self::lookup`] for a field's own name, remembering where it was found.
    fn lookup_field(&mut self, field: u32, upper: &str) -> Option<&'a Value> {
        let hint = &mut self.hints[field as usize];
        for scope in self.scopes.iter().rev() {
            if let Some(v) = scope.get_upper_hinted(upper, hint) {
                return Some(v);
            }
        }
        if let Some(v) = self
            .records
            .get(self.cursor)
            .and_then(|r| r.get_upper_hinted(upper, hint))
        {
            return Some(v);
        }
        self.lookup(upper)
    }

    /// The list a docx-mailmerge style row repeats over, if any.
    fn row_list(&self, anchors: &[String]) -> Option<&'a [Record]> {
        for a in anchors {
            if let Some(Value::List(items)) = self.lookup(a) {
                return Some(items);
            }
        }
        for a in anchors {
            if self.lookup(a).is_some() {
                continue;
            }
            if let Some(hint) = self.hint
                && let Some(list) = hint(a)
                && let Some(Value::List(items)) = self.lookup(list)
            {
                return Some(items);
            }
            let scopes = self.scopes.iter().rev().copied().chain(self.root());
            for scope in scopes {
                for (_, v) in scope.iter() {
                    if let Value::List(items) = v
                        && items.first().is_some_and(|it| it.get_upper(a).is_some())
                    {
                        return Some(items);
                    }
                }
            }
        }
        None
    }

    fn lang(&self, field: u32) -> Lang {
        self.story.fields[field as usize]
            .lang
            .or(self.story.default_lang)
            .unwrap_or(self.opts.locale.lang())
    }

    fn value(&mut self, field: u32, as_instr: bool) -> Result<(), MergeError> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        self.eval_into(field, &mut text)?;
        self.write_value(field, as_instr, &text);
        self.text = text;
        Ok(())
    }

    fn write_value(&mut self, field: u32, as_instr: bool, text: &str) {
        if text.is_empty() {
            return;
        }
        let f = &self.story.fields[field as usize];
        let tags = &self.story.tags;
        let out = &mut self.out;
        if xml::plain_text(text) {
            // One segment, nothing to escape: the run's start, the text and its end.
            let (head, tail) = if as_instr {
                (&f.head_instr, &tags.instr_tail)
            } else {
                (&f.head_t, &tags.t_tail)
            };
            out.extend_from_slice(head);
            out.extend_from_slice(text.as_bytes());
            out.extend_from_slice(tail);
            return;
        }
        out.extend_from_slice(&tags.r_open);
        if let Some((a, b)) = f.rpr {
            out.extend_from_slice(&self.story.src[a as usize..b as usize]);
        }
        let (open, close) = if as_instr {
            (&tags.instr_open, &tags.instr_close)
        } else {
            (&tags.t_open, &tags.t_close)
        };
        let write_text = |out: &mut Vec<u8>, seg: &str| {
            if !seg.is_empty() {
                out.extend_from_slice(open);
                escape_into(out, seg);
                out.extend_from_slice(close);
            }
        };
        if !text.bytes().any(|b| matches!(b, b'\n' | b'\r' | b'\t')) {
            write_text(out, text);
        } else {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            for (k, line) in text.split('\n').enumerate() {
                if k > 0 {
                    out.extend_from_slice(&tags.br);
                }
                for (j, seg) in line.split('\t').enumerate() {
                    if j > 0 {
                        out.extend_from_slice(&tags.tab);
                    }
                    write_text(out, seg);
                }
            }
        }
        out.extend_from_slice(&tags.r_close);
    }

    /// The text a field shows.
    pub(crate) fn eval(&mut self, field: u32) -> Result<String, MergeError> {
        let mut text = String::new();
        self.eval_into(field, &mut text)?;
        Ok(text)
    }

    /// Appends the text a field shows to `out` (empty on entry).
    fn eval_into(&mut self, field: u32, out: &mut String) -> Result<(), MergeError> {
        let story = self.story;
        let f = &story.fields[field as usize];
        let code: Cow<'a, FieldCode> = match &f.code {
            Some(c) => Cow::Borrowed(c),
            None => {
                let mut parts: Vec<(String, bool)> = Vec::with_capacity(f.pieces.len());
                for p in &f.pieces {
                    match p {
                        Piece::Text(t) => parts.push((t.clone(), false)),
                        Piece::Child(c) => parts.push((self.eval(*c)?, true)),
                    }
                }
                let refs: Vec<(&str, bool)> = parts.iter().map(|(t, l)| (t.as_str(), *l)).collect();
                match field::parse_pieces(&refs) {
                    Ok(c) => Cow::Owned(c),
                    Err(message) => return Err(self.error_at(f.offset, message)),
                }
            }
        };
        if !f.merge {
            out.push_str(&f.result_text);
            return Ok(());
        }
        // Pictures are cached per field when the code is the field's own (no nested fields).
        let pictures = f.code.as_ref().map(|_| &f.pictures);
        let text = match code.as_ref() {
            FieldCode::Merge(m) => {
                let marker = if f.code.is_some() {
                    f.marker
                } else {
                    m.marker().is_some()
                };
                if marker {
                    return Ok(());
                }
                let upper: Cow<str> = if f.upper_name.is_empty() {
                    Cow::Owned(m.name.to_uppercase())
                } else {
                    Cow::Borrowed(&f.upper_name)
                };
                let value = match self.lookup_field(field, &upper) {
                    Some(v) => v,
                    None => {
                        let message = format!("unknown field {:?}: merged as blank", m.name);
                        if self.opts.strict {
                            return Err(self.error_at(
                                f.offset,
                                format!("unknown field {:?} (strict: every field must have a value in the data)", m.name),
                            ));
                        }
                        self.warn(field, &m.name, message);
                        &Value::Null
                    }
                };
                let lang = self.lang(field);
                self.format_value_into(field, value, &m.switches, lang, pictures, out);
                wrap(out, &m.switches);
                return Ok(());
            }
            FieldCode::If(i) => {
                let holds = self.test(&i.condition);
                let text = if holds { &i.then } else { &i.otherwise };
                let lang = self.lang(field);
                self.text_formats(field, text.clone(), &i.switches, lang)
            }
            FieldCode::Next => {
                self.cursor += 1;
                String::new()
            }
            FieldCode::NextIf(c) => {
                if self.test(c) {
                    self.cursor += 1;
                }
                String::new()
            }
            FieldCode::SkipIf(c) => {
                if self.test(c) {
                    self.skipped = Some(f.offset);
                }
                String::new()
            }
            FieldCode::MergeRec(sw) | FieldCode::MergeSeq(sw) => {
                let n = if matches!(code.as_ref(), FieldCode::MergeRec(_)) {
                    self.base + self.cursor + 1
                } else {
                    self.seq
                };
                let lang = self.lang(field);
                let v = Value::Number(rust_decimal::Decimal::from(n as u64));
                self.format_value_into(field, &v, sw, lang, pictures, out);
                return Ok(());
            }
            FieldCode::Other(_) => f.result_text.clone(),
        };
        out.push_str(&text);
        Ok(())
    }

    fn test(&self, c: &Condition) -> bool {
        let locale = self.opts.locale;
        let Some((op, right)) = &c.op else {
            let l = c.left.trim();
            return !l.is_empty()
                && format::parse_number(l, locale) != Some(rust_decimal::Decimal::ZERO);
        };
        compare(&c.left, *op, right, locale)
    }

    fn format_value_into(
        &mut self,
        field: u32,
        value: &Value,
        sw: &Switches,
        lang: Lang,
        pictures: Option<&[OnceLock<NumberPicture>; LOCALES]>,
        out: &mut String,
    ) {
        let locale = self.opts.locale;
        if let Some(pic) = &sw.number {
            let n = match value {
                Value::Number(d) => Some(*d),
                Value::Text(t) => format::parse_number(t, locale),
                Value::Bool(b) => Some(rust_decimal::Decimal::from(u8::from(*b))),
                _ => None,
            };
            match n {
                Some(n) => match pictures.and_then(|p| p.get(locale as usize)) {
                    Some(cell) => cell
                        .get_or_init(|| NumberPicture::new(pic, locale))
                        .format_into(n, locale, out),
                    None => NumberPicture::new(pic, locale).format_into(n, locale, out),
                },
                None => plain_into(value, locale, out),
            }
        } else if let Some(pic) = &sw.date {
            let d = match value {
                Value::Date(d) => d.and_hms_opt(0, 0, 0),
                Value::DateTime(d) => Some(*d),
                Value::Text(t) => format::parse_date(t, locale),
                _ => None,
            };
            match d {
                Some(d) => out.push_str(&format::format_date(d, pic, lang)),
                None => plain_into(value, locale, out),
            }
        } else {
            plain_into(value, locale, out);
        }
        if !sw.formats.is_empty() {
            let text = std::mem::take(out);
            *out = self.text_formats(field, text, sw, lang);
        }
    }

    fn text_formats(&mut self, field: u32, mut text: String, sw: &Switches, lang: Lang) -> String {
        for fmt in &sw.formats {
            // These change nothing (neither text_format nor number_format knows them).
            if ["MERGEFORMAT", "CHARFORMAT", "MERGEFORMATINET"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(fmt))
            {
                continue;
            }
            if let Some(t) = format::text_format(&text, fmt) {
                text = t;
                continue;
            }
            if let Some(n) = format::parse_number(&text, self.opts.locale)
                && let Some(t) = format::number_format(n, fmt, lang)
            {
                text = t;
                continue;
            }
            let known_noop = ["MERGEFORMAT", "CHARFORMAT", "MERGEFORMATINET", "Arabic"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(fmt));
            if !known_noop {
                let name = self.story.fields[field as usize].keyword.clone();
                self.warn(
                    field,
                    &name,
                    format!("format \\* {fmt} is not supported; ignored"),
                );
            }
        }
        text
    }
}

/// `\b` and `\f`: only around a non-blank value.
fn wrap(text: &mut String, sw: &Switches) {
    if text.is_empty() {
        return;
    }
    if let Some(b) = &sw.before {
        text.insert_str(0, b);
    }
    if let Some(a) = &sw.after {
        text.push_str(a);
    }
}

/// Appends a value as text without a picture.
fn plain_into(value: &Value, locale: Locale, out: &mut String) {
    match value {
        Value::Null | Value::List(_) => {}
        Value::Text(t) => out.push_str(t),
        Value::Number(d) => out.push_str(&format::plain_number(*d, locale)),
        Value::Date(d) => out.push_str(&format::plain_date(
            d.and_hms_opt(0, 0, 0).unwrap_or_default(),
            locale,
        )),
        Value::DateTime(d) => out.push_str(&format::plain_date(*d, locale)),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}

/// Word's comparison: numbers when both sides are numbers, else text (with `?` and `*`
/// wildcards in the right operand of `=` and `<>`).
pub(crate) fn compare(left: &str, op: CompareOp, right: &str, locale: Locale) -> bool {
    use std::cmp::Ordering;
    if matches!(op, CompareOp::Eq | CompareOp::Ne) && (right.contains('*') || right.contains('?')) {
        let m = field::wildcard_match(right, left);
        return (op == CompareOp::Eq) == m;
    }
    let ord = match (
        format::parse_number(left, locale),
        format::parse_number(right, locale),
    ) {
        (Some(a), Some(b)) => a.cmp(&b),
        _ => left.cmp(right),
    };
    match op {
        CompareOp::Eq => ord == Ordering::Equal,
        CompareOp::Ne => ord != Ordering::Equal,
        CompareOp::Lt => ord == Ordering::Less,
        CompareOp::Gt => ord == Ordering::Greater,
        CompareOp::Le => ord != Ordering::Greater,
        CompareOp::Ge => ord != Ordering::Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons() {
        let nl = Locale::NlNl;
        assert!(compare("10", CompareOp::Gt, "9", nl));
        assert!(compare("10,5", CompareOp::Eq, "10.50", nl));
        assert!(compare("abc", CompareOp::Lt, "abd", nl));
        assert!(compare("Jansen", CompareOp::Eq, "Jan*", nl));
        assert!(compare("Jansen", CompareOp::Ne, "Pie?", nl));
        assert!(!compare("Jansen", CompareOp::Eq, "jansen", nl));
        assert!(compare("", CompareOp::Eq, "", nl));
        assert!(compare("2", CompareOp::Le, "2", nl) && compare("3", CompareOp::Ge, "2", nl));
    }
}

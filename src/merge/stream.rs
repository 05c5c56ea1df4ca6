//! The rewrite of a story part (document, header, footer, footnotes, endnotes, comments).
//!
//! A part is tokenised once when the template is opened ([`super::xml`]), its fields are found
//! (`w:fldSimple`, and complex fields whose `fldChar`s and `instrText` pieces may spread over
//! any number of runs and paragraphs, nested to any depth), and it is compiled into a *plan*: a
//! list of operations that copy untouched byte spans of the template verbatim and, where a
//! field was, evaluate it. Rendering an invoice only walks the plan.

use super::error::MergeError;
use super::field::{self, FieldCode, Marker};
use super::format::{Lang, NumberPicture};
use super::regions::{self, Region};
use super::render::RunTags;
use super::xml::{self, Doc, Kind, NONE, Tag, field_error};

/// A piece of a field instruction: typed text, or a nested field.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Text(String),
    Child(u32),
}

/// One field of a part.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub simple: bool,
    /// Enclosing field, or `NONE`.
    pub parent: u32,
    pub pieces: Vec<Piece>,
    /// Token of the begin `fldChar` (complex) or of the `fldSimple` start tag.
    pub begin: u32,
    /// Token of the separate `fldChar`, or `NONE`.
    pub sep: u32,
    /// Token of the end `fldChar`, or the `fldSimple`'s last token.
    pub end: u32,
    /// The run holding the first instruction text, or `NONE`.
    pub code_run: u32,
    /// The run holding the first result text, or `NONE`.
    pub result_run: u32,
    /// The run of the begin `fldChar`.
    pub begin_run: u32,
    /// The field's current result text (what Word last showed).
    pub result_text: String,
    /// The parsed code, when the instruction has no nested fields.
    pub code: Option<FieldCode>,
    /// The keyword (`MERGEFIELD`, `IF`, …) in upper case.
    pub keyword: String,
    /// Whether factuur evaluates the field.
    pub merge: bool,
    /// The `MERGEFIELD` name in upper case, for fast look-up.
    pub upper_name: String,
    /// Whether the `MERGEFIELD` is a region marker (`TableStart:X`, …).
    pub marker: bool,
    /// Byte span of the `w:rPr` the result takes, if any.
    pub rpr: Option<(u32, u32)>,
    /// The start of a result run (`<w:r>`, the `w:rPr`, `<w:t …>`), built once; empty until the
    /// field's run properties are known.
    pub head_t: Box<[u8]>,
    /// The same with `<w:instrText …>`, for results that stand in another field's code.
    pub head_instr: Box<[u8]>,
    /// Language of that run, if it says.
    pub lang: Option<Lang>,
    /// Byte offset of the field's start, for messages.
    pub offset: u32,
    /// The `\#` picture of `code`, read once per locale on first use.
    pub pictures: [std::sync::OnceLock<NumberPicture>; LOCALES],
}

/// Number of [`Locale`](super::format::Locale)s a picture can be read under.
pub(crate) const LOCALES: usize = 6;

impl Field {
    /// The instruction as text, nested fields shown as `{…}` with their own instructions.
    pub(crate) fn instruction(&self, all: &[Field]) -> String {
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => s.push_str(t),
                Piece::Child(c) => {
                    s.push_str("{ ");
                    s.push_str(all[*c as usize].instruction(all).trim());
                    s.push_str(" }");
                }
            }
        }
        s
    }

    fn has_children(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Child(_)))
    }
}

/// Output mode of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Flatten,
    Keep,
}

/// An operation of a plan.
#[derive(Debug)]
pub(crate) enum Op {
    /// Copy a byte span of the template.
    Copy(u32, u32),
    /// Write these bytes.
    Bytes(Box<[u8]>),
    /// Evaluate a field and write its result as a run (or as instruction text).
    Value { field: u32, as_instr: bool },
    /// Repeat the body once per item of a named list (an explicit region).
    Repeat { region: u32, body: Vec<Op> },
    /// A table row with merge fields: repeated when one of them belongs to a list.
    RowRepeat {
        anchors: Box<[String]>,
        body: Vec<Op>,
    },
    /// Write only in the first copy of a repeated body (bookmarks, content-control ids).
    FirstOnly(u32, u32),
    /// In later copies, write `other` instead (a tag without `w14:paraId`).
    Variant { first: (u32, u32), other: Box<[u8]> },
    /// A drawing's `wp:docPr`: later copies get a fresh id between `head` and `tail`.
    DocPr {
        first: (u32, u32),
        head: Box<[u8]>,
        tail: Box<[u8]>,
    },
    /// A table with repeating rows: dropped when no row is left.
    Table { body: Vec<Op>, in_cell: bool },
    /// A row was written (for [`Op::Table`]).
    RowMark,
}

/// A story part ready to render.
#[derive(Debug)]
pub(crate) struct Story {
    pub name: String,
    pub src: Vec<u8>,
    pub doc: Doc,
    pub fields: Vec<Field>,
    pub regions: Vec<Region>,
    /// Outermost merge field containing each field (itself included), or `NONE`.
    pub top: Vec<u32>,
    /// Innermost field owning each token, or `NONE`.
    pub owner: Vec<u32>,
    /// Fallback language of the part (document defaults).
    pub default_lang: Option<Lang>,
    /// The markup of result runs.
    pub tags: RunTags,
}

/// Finds every field of a part.
pub(crate) fn analyse(
    name: &str,
    src: Vec<u8>,
    default_lang: Option<Lang>,
) -> Result<Story, MergeError> {
    let doc = xml::tokenize(name, &src)?;
    let n = doc.toks.len();
    let mut owner = vec![NONE; n];
    let mut fields: Vec<Field> = Vec::new();
    // One stack of open fields per story context (body, text box, footnote, …).
    let mut contexts: Vec<Vec<u32>> = vec![Vec::new()];
    let mut runs: Vec<u32> = Vec::new();
    let err = |at: u32, msg: String| field_error(name, &src, at as usize, msg);
    let mut i = 0u32;
    while (i as usize) < n {
        let t = doc.toks[i as usize];
        let top = contexts.last().and_then(|c| c.last().copied());
        let current_run = runs.last().copied().unwrap_or(NONE);
        owner[i as usize] = top.unwrap_or(NONE);
        match (t.kind, t.tag) {
            (Kind::Start, Tag::R) => runs.push(i),
            (Kind::End, Tag::R) => {
                runs.pop();
            }
            (Kind::Start, Tag::TxbxContent | Tag::Footnote | Tag::Endnote | Tag::Comment) => {
                contexts.push(Vec::new());
                owner[i as usize] = NONE;
            }
            (Kind::End, Tag::TxbxContent | Tag::Footnote | Tag::Endnote | Tag::Comment) => {
                let ctx = contexts.pop().unwrap_or_default();
                if let Some(&open) = ctx.first() {
                    let f = &fields[open as usize];
                    return Err(err(
                        f.offset,
                        "field begins here but never ends (no fldChar end before the end of its text box, note or comment)".into(),
                    ));
                }
                owner[i as usize] = contexts
                    .last()
                    .and_then(|c| c.last().copied())
                    .unwrap_or(NONE);
            }
            (Kind::Start | Kind::Empty, Tag::FldChar) => {
                let raw = doc.raw(&src, i);
                let kind = xml::attr(raw, "fldCharType").unwrap_or_default();
                match kind.as_str() {
                    "begin" => {
                        let id = fields.len() as u32;
                        let parent = top.unwrap_or(NONE);
                        if parent != NONE && fields[parent as usize].sep == NONE {
                            fields[parent as usize].pieces.push(Piece::Child(id));
                        }
                        fields.push(new_field(false, parent, i, t.start, current_run));
                        if let Some(ctx) = contexts.last_mut() {
                            ctx.push(id);
                        }
                        owner[i as usize] = id;
                    }
                    "separate" => {
                        let Some(f) = top else {
                            return Err(err(t.start, "fldChar separate outside any field".into()));
                        };
                        let field = &mut fields[f as usize];
                        if field.sep == NONE {
                            field.sep = i;
                        }
                    }
                    "end" => {
                        let Some(f) = top else {
                            return Err(err(
                                t.start,
                                "fldChar end without a field begin before it".into(),
                            ));
                        };
                        fields[f as usize].end = i;
                        if let Some(ctx) = contexts.last_mut() {
                            ctx.pop();
                        }
                    }
                    other => {
                        return Err(err(
                            t.start,
                            format!("fldChar with unknown fldCharType {other:?}"),
                        ));
                    }
                }
                if t.kind == Kind::Start {
                    let f = owner[i as usize];
                    for k in i..=t.pair {
                        owner[k as usize] = f;
                    }
                    i = t.pair;
                }
            }
            (Kind::Start, Tag::InstrText) | (Kind::Start, Tag::T) => {
                let text = doc.text_of(&src, i);
                if let Some(f) = top {
                    let field = &mut fields[f as usize];
                    if field.sep == NONE && t.tag == Tag::InstrText {
                        if field.code_run == NONE {
                            field.code_run = current_run;
                        }
                        let len: usize = field
                            .pieces
                            .iter()
                            .map(|p| match p {
                                Piece::Text(s) => s.len(),
                                Piece::Child(_) => 0,
                            })
                            .sum();
                        if len + text.len() > field::MAX_INSTRUCTION {
                            return Err(err(
                                field.offset,
                                format!(
                                    "field instruction longer than {} bytes; a real field is a few dozen",
                                    field::MAX_INSTRUCTION
                                ),
                            ));
                        }
                        match field.pieces.last_mut() {
                            Some(Piece::Text(s)) => s.push_str(&text),
                            _ => field.pieces.push(Piece::Text(text)),
                        }
                    } else if field.sep != NONE {
                        if field.result_run == NONE {
                            field.result_run = current_run;
                        }
                        if field.result_text.len() < 64 * 1024 {
                            field.result_text.push_str(&text);
                        }
                    }
                    for k in i..=t.pair {
                        owner[k as usize] = f;
                    }
                }
                i = t.pair;
            }
            (Kind::Start | Kind::Empty, Tag::FldSimple) => {
                let id = fields.len() as u32;
                let parent = top.unwrap_or(NONE);
                if parent != NONE && fields[parent as usize].sep == NONE {
                    fields[parent as usize].pieces.push(Piece::Child(id));
                }
                let raw = doc.raw(&src, i);
                let instr = xml::attr(raw, "instr").unwrap_or_default();
                if instr.len() > field::MAX_INSTRUCTION {
                    return Err(err(
                        t.start,
                        format!(
                            "field instruction longer than {} bytes; a real field is a few dozen",
                            field::MAX_INSTRUCTION
                        ),
                    ));
                }
                let mut f = new_field(true, parent, i, t.start, NONE);
                f.pieces.push(Piece::Text(instr));
                let last = if t.kind == Kind::Start { t.pair } else { i };
                f.end = last;
                // The first run inside gives the formatting; its text is the current result.
                let mut k = i + 1;
                while k < last {
                    let c = doc.toks[k as usize];
                    if c.kind == Kind::Start && c.tag == Tag::R && f.result_run == NONE {
                        f.result_run = k;
                    }
                    if c.kind == Kind::Start && c.tag == Tag::T {
                        f.result_text.push_str(&doc.text_of(&src, k));
                    }
                    k += 1;
                }
                for k in i..=last {
                    owner[k as usize] = id;
                }
                fields.push(f);
                i = last;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(ctx) = contexts.last()
        && let Some(&open) = ctx.first()
    {
        return Err(err(
            fields[open as usize].offset,
            "field begins here but never ends (no fldChar end in the part)".into(),
        ));
    }
    // Parse the instructions.
    for id in 0..fields.len() {
        let f = &fields[id];
        let keyword = f
            .pieces
            .first()
            .and_then(|p| match p {
                Piece::Text(t) => t.split_whitespace().next().map(str::to_ascii_uppercase),
                Piece::Child(_) => None,
            })
            .unwrap_or_default();
        let keyword = keyword.trim_matches('"').to_owned();
        let mut code = None;
        let mut merge = matches!(
            keyword.as_str(),
            "MERGEFIELD" | "IF" | "NEXT" | "NEXTIF" | "SKIPIF" | "MERGEREC" | "MERGESEQ"
        );
        if !f.has_children() {
            let text = f.instruction(&fields);
            match field::parse(&text) {
                Ok(c) => {
                    merge = c.is_merge();
                    code = Some(c);
                }
                Err(message) if merge => {
                    return Err(err(
                        f.offset,
                        format!("{message} in field {:?}", text.trim()),
                    ));
                }
                Err(_) => {}
            }
        }
        let upper_name = match &code {
            Some(FieldCode::Merge(m)) => m.name.to_uppercase(),
            _ => String::new(),
        };
        let marker = matches!(&code, Some(FieldCode::Merge(m)) if m.marker().is_some());
        let f = &mut fields[id];
        f.marker = marker;
        f.keyword = keyword;
        f.merge = merge;
        f.code = code;
        f.upper_name = upper_name;
    }
    // Formatting of each field's result.
    for f in fields.iter_mut() {
        let charformat = match &f.code {
            Some(FieldCode::Merge(m)) => m.switches.has_format("CHARFORMAT"),
            Some(FieldCode::If(m)) => m.switches.has_format("CHARFORMAT"),
            _ => false,
        };
        let run = if charformat {
            [f.code_run, f.result_run, f.begin_run]
        } else {
            [f.result_run, f.code_run, f.begin_run]
        }
        .into_iter()
        .find(|&r| r != NONE);
        let rpr = run.and_then(|r| doc.child(r, Tag::RPr));
        let (span, lang) = match rpr {
            Some(p) => {
                let t = doc.toks[p as usize];
                let end = doc.toks[t.pair as usize].end;
                let lang = doc
                    .child(p, Tag::Lang)
                    .and_then(|l| xml::attr(doc.raw(&src, l), "val"))
                    .and_then(|v| Lang::from_tag(&v));
                (Some((t.start, end)), lang)
            }
            None => (None, None),
        };
        f.rpr = span;
        f.lang = lang;
    }
    let tags = RunTags::new(&doc.w_prefix);
    for f in &mut fields {
        let rpr = f.rpr.map_or(&[][..], |(a, b)| &src[a as usize..b as usize]);
        f.head_t = [&tags.r_open[..], rpr, &tags.t_open].concat().into();
        f.head_instr = [&tags.r_open[..], rpr, &tags.instr_open].concat().into();
    }
    // Outermost merge field around each field.
    let top: Vec<u32> = (0..fields.len())
        .map(|id| {
            let mut outer = NONE;
            let mut k = id as u32;
            while k != NONE {
                if fields[k as usize].merge {
                    outer = k;
                }
                k = fields[k as usize].parent;
            }
            outer
        })
        .collect();
    let mut story = Story {
        name: name.to_owned(),
        src,
        tags,
        doc,
        fields,
        regions: Vec::new(),
        top,
        owner,
        default_lang,
    };
    story.regions = regions::find(&story)?;
    Ok(story)
}

fn new_field(simple: bool, parent: u32, begin: u32, offset: u32, run: u32) -> Field {
    Field {
        simple,
        parent,
        pieces: Vec::new(),
        begin,
        sep: NONE,
        end: NONE,
        code_run: NONE,
        result_run: NONE,
        begin_run: run,
        result_text: String::new(),
        code: None,
        keyword: String::new(),
        merge: false,
        upper_name: String::new(),
        marker: false,
        rpr: None,
        head_t: Box::default(),
        head_instr: Box::default(),
        lang: None,
        pictures: Default::default(),
        offset,
    }
}

/// What to do with one child of a run.
enum Action {
    Keep,
    Drop,
    /// Write the field's value before the child, then keep (or drop) the child.
    Before {
        field: u32,
        keep: bool,
    },
}

struct Compiler<'a> {
    s: &'a Story,
    mode: Mode,
    /// Anchors (field names) of each table row, by the row's token.
    row_anchors: std::collections::HashMap<u32, Vec<String>>,
    /// Region starting at (container, first child).
    region_at: std::collections::HashMap<(u32, u32), Vec<u32>>,
    sep_run: Box<[u8]>,
}

impl Story {
    /// Compiles the plan of this part for a mode.
    pub(crate) fn compile(&self, mode: Mode) -> Result<Vec<Op>, MergeError> {
        let mut row_anchors: std::collections::HashMap<u32, Vec<String>> = Default::default();
        for (id, f) in self.fields.iter().enumerate() {
            if self.top[id] != id as u32 {
                continue;
            }
            let Some(FieldCode::Merge(m)) = &f.code else {
                continue;
            };
            if m.marker().is_some() {
                continue;
            }
            let mut k = self.doc.toks[f.begin as usize].parent;
            while k != NONE {
                let t = self.doc.toks[k as usize];
                if t.tag == Tag::Tr {
                    let list = row_anchors.entry(k).or_default();
                    if !list.contains(&f.upper_name) {
                        list.push(f.upper_name.clone());
                    }
                    break;
                }
                if matches!(t.tag, Tag::TxbxContent | Tag::Body) {
                    break;
                }
                k = t.parent;
            }
        }
        let mut region_at: std::collections::HashMap<(u32, u32), Vec<u32>> = Default::default();
        for (id, r) in self.regions.iter().enumerate() {
            region_at
                .entry((r.container, r.first))
                .or_default()
                .push(id as u32);
        }
        // Outermost (widest) region first.
        for list in region_at.values_mut() {
            list.sort_by_key(|&r| std::cmp::Reverse(self.regions[r as usize].last));
        }
        let w = &self.doc.w_prefix;
        let sep_run = format!(r#"<{w}:r><{w}:fldChar {w}:fldCharType="separate"/></{w}:r>"#)
            .into_bytes()
            .into_boxed_slice();
        let c = Compiler {
            s: self,
            mode,
            row_anchors,
            region_at,
            sep_run,
        };
        let mut ops = Vec::new();
        c.range(0, self.doc.toks.len() as u32, &mut ops, false)?;
        Ok(ops)
    }
}

fn push(ops: &mut Vec<Op>, op: Op) {
    if let (Some(Op::Copy(_, end)), Op::Copy(a, b)) = (ops.last_mut(), &op)
        && *end == *a
    {
        *end = *b;
        return;
    }
    ops.push(op);
}

impl Compiler<'_> {
    fn tok(&self, i: u32) -> xml::Tok {
        self.s.doc.toks[i as usize]
    }

    fn copy_tok(&self, i: u32, ops: &mut Vec<Op>) {
        let t = self.tok(i);
        push(ops, Op::Copy(t.start, t.end));
    }

    /// Compiles tokens `from..to` (a sequence of whole subtrees).
    fn range(
        &self,
        from: u32,
        to: u32,
        ops: &mut Vec<Op>,
        in_region: bool,
    ) -> Result<(), MergeError> {
        let mut i = from;
        while i < to {
            let t = self.tok(i);
            match (t.kind, t.tag) {
                (Kind::Start, Tag::R) => self.run(i, ops, in_region)?,
                (Kind::Start | Kind::Empty, Tag::FldSimple) => self.simple(i, ops),
                (Kind::Start, Tag::Tbl) => {
                    let mut body = Vec::new();
                    self.tag(i, &mut body, in_region);
                    let end = self.children(i, i + 1, t.pair, &mut body, in_region, NONE)?;
                    debug_assert_eq!(end, t.pair);
                    self.copy_tok(t.pair, &mut body);
                    if body
                        .iter()
                        .any(|op| matches!(op, Op::Repeat { .. } | Op::RowRepeat { .. }))
                    {
                        let in_cell = t.parent != NONE && self.tok(t.parent).tag == Tag::Tc;
                        ops.push(Op::Table { body, in_cell });
                    } else {
                        for op in body {
                            push(ops, op);
                        }
                    }
                }
                (Kind::Start, _) => {
                    self.tag(i, ops, in_region);
                    self.children(i, i + 1, t.pair, ops, in_region, NONE)?;
                    self.copy_tok(t.pair, ops);
                }
                (Kind::Empty, _) => self.tag(i, ops, in_region),
                _ => self.copy_tok(i, ops),
            }
            i = self.s.doc.after(i);
        }
        Ok(())
    }

    /// Compiles the children of `el` from token `from` up to `to`, turning regions into
    /// repeats. Returns the token after the last child compiled.
    fn children(
        &self,
        el: u32,
        from: u32,
        to: u32,
        ops: &mut Vec<Op>,
        in_region: bool,
        skip: u32,
    ) -> Result<u32, MergeError> {
        let mut c = from;
        while c < to {
            if let Some(list) = self.region_at.get(&(el, c))
                && let Some(&r) = list.iter().find(|&&r| r != skip && self.outer_of(r, skip))
            {
                let region = &self.s.regions[r as usize];
                let end = self.s.doc.after(region.last);
                if end > to {
                    return Err(field_error(
                        &self.s.name,
                        &self.s.src,
                        self.tok(region.first).start as usize,
                        format!(
                            "region {} overlaps the end of the region around it; regions must nest",
                            region.name
                        ),
                    ));
                }
                let mut body = Vec::new();
                // Nested regions that start at the same child are compiled inside.
                self.children(el, c, end, &mut body, true, r)?;
                ops.push(Op::Repeat { region: r, body });
                c = end;
                continue;
            }
            let t = self.tok(c);
            if t.kind == Kind::Start
                && t.tag == Tag::Tr
                && let Some(anchors) = self.row_anchors.get(&c)
            {
                let mut body = vec![Op::RowMark];
                self.range(c, t.pair + 1, &mut body, true)?;
                ops.push(Op::RowRepeat {
                    anchors: anchors.clone().into_boxed_slice(),
                    body,
                });
                c = t.pair + 1;
                continue;
            }
            if t.kind == Kind::Start && t.tag == Tag::Tr {
                ops.push(Op::RowMark);
            }
            let next = self.s.doc.after(c);
            self.range(c, next, ops, in_region)?;
            c = next;
        }
        Ok(c)
    }

    /// Whether region `r` may be compiled inside region `outer` (a different, narrower one).
    fn outer_of(&self, r: u32, outer: u32) -> bool {
        if outer == NONE {
            return true;
        }
        let a = &self.s.regions[r as usize];
        let b = &self.s.regions[outer as usize];
        a.last < b.last || (a.last == b.last && r > outer)
    }

    /// A start or empty tag, with the id fixes a repeated copy needs.
    fn tag(&self, i: u32, ops: &mut Vec<Op>, in_region: bool) {
        let t = self.tok(i);
        if !in_region {
            self.copy_tok(i, ops);
            return;
        }
        let raw = &self.s.src[t.start as usize..t.end as usize];
        match t.tag {
            Tag::BookmarkStart | Tag::BookmarkEnd | Tag::SdtId if t.kind == Kind::Empty => {
                ops.push(Op::FirstOnly(t.start, t.end));
            }
            Tag::DocPr => {
                if let Some((head, tail)) = split_attr(raw, b"id") {
                    ops.push(Op::DocPr {
                        first: (t.start, t.end),
                        head: head.into(),
                        tail: tail.into(),
                    });
                } else {
                    self.copy_tok(i, ops);
                }
            }
            _ if contains(raw, b"paraId") || contains(raw, b"textId") => {
                let other = strip_attrs(raw, &[b"paraId", b"textId"]);
                ops.push(Op::Variant {
                    first: (t.start, t.end),
                    other: other.into(),
                });
            }
            _ => self.copy_tok(i, ops),
        }
    }

    fn action(&self, c: u32) -> Action {
        let f = self.s.owner[c as usize];
        if f == NONE {
            return Action::Keep;
        }
        let top = self.s.top[f as usize];
        if top == NONE {
            return Action::Keep;
        }
        let field = &self.s.fields[top as usize];
        match self.mode {
            Mode::Flatten => {
                let point = if field.sep != NONE {
                    field.sep
                } else {
                    field.end
                };
                if c == point {
                    Action::Before {
                        field: top,
                        keep: false,
                    }
                } else {
                    Action::Drop
                }
            }
            Mode::Keep => {
                if c == field.end {
                    Action::Before {
                        field: top,
                        keep: true,
                    }
                } else if field.sep != NONE && c > field.sep && c < field.end {
                    Action::Drop
                } else {
                    Action::Keep
                }
            }
        }
    }

    fn as_instr(&self, f: u32) -> bool {
        let field = &self.s.fields[f as usize];
        self.mode == Mode::Flatten && field.parent != NONE && {
            let p = &self.s.fields[field.parent as usize];
            p.sep == NONE || field.begin < p.sep
        }
    }

    fn value(&self, f: u32, ops: &mut Vec<Op>) {
        let field = &self.s.fields[f as usize];
        if self.mode == Mode::Keep && !field.simple && field.sep == NONE {
            ops.push(Op::Bytes(self.sep_run.clone()));
        }
        ops.push(Op::Value {
            field: f,
            as_instr: self.as_instr(f),
        });
    }

    /// A run: children inside merge fields are dropped (or kept, for field codes in keep
    /// mode), values are written where the fields' results were, and the run is closed and
    /// reopened around them with its own formatting.
    fn run(&self, r: u32, ops: &mut Vec<Op>, in_region: bool) -> Result<(), MergeError> {
        let t = self.tok(r);
        let rpr = self.s.doc.child(r, Tag::RPr);
        let head_last = match rpr {
            Some(p) if self.only_space_between(r + 1, p) => self.tok(p).pair.max(p),
            _ => r,
        };
        let head = (t.start, self.tok(head_last).end);
        let mut c = head_last + 1;
        if c >= t.pair {
            push(ops, Op::Copy(t.start, self.tok(t.pair).end));
            return Ok(());
        }
        let mut open = false;
        while c < t.pair {
            let next = self.s.doc.after(c);
            let keep = match self.action(c) {
                Action::Keep => true,
                Action::Drop => false,
                Action::Before { field, keep } => {
                    if open {
                        self.copy_tok(t.pair, ops);
                        open = false;
                    }
                    self.value(field, ops);
                    keep
                }
            };
            if keep {
                if !open {
                    push(ops, Op::Copy(head.0, head.1));
                    open = true;
                }
                self.range(c, next, ops, in_region)?;
            }
            c = next;
        }
        if open {
            self.copy_tok(t.pair, ops);
        }
        Ok(())
    }

    fn only_space_between(&self, from: u32, to: u32) -> bool {
        (from..to).all(|k| {
            let t = self.tok(k);
            t.kind == Kind::Text
                && self.s.src[t.start as usize..t.end as usize]
                    .iter()
                    .all(u8::is_ascii_whitespace)
        })
    }

    /// A `w:fldSimple` element.
    fn simple(&self, i: u32, ops: &mut Vec<Op>) {
        let t = self.tok(i);
        let last = if t.kind == Kind::Start { t.pair } else { i };
        let whole = (t.start, self.tok(last).end);
        let f = self.s.owner[i as usize];
        let top = if f == NONE {
            NONE
        } else {
            self.s.top[f as usize]
        };
        if top == NONE {
            push(ops, Op::Copy(whole.0, whole.1));
            return;
        }
        if top != f {
            // Inside another merge field: gone with it in flatten mode; in keep mode, kept
            // when it is part of that field's code.
            let outer = &self.s.fields[top as usize];
            let in_result = outer.sep != NONE && i > outer.sep;
            if self.mode == Mode::Keep && !in_result {
                push(ops, Op::Copy(whole.0, whole.1));
            }
            return;
        }
        match self.mode {
            Mode::Flatten => self.value(f, ops),
            Mode::Keep => {
                if t.kind == Kind::Empty {
                    let raw = &self.s.src[t.start as usize..t.end as usize];
                    let mut open = raw[..raw.len() - 2].to_vec();
                    while open.last().is_some_and(u8::is_ascii_whitespace) {
                        open.pop();
                    }
                    open.push(b'>');
                    // The end tag repeats the start tag's name as written: the part's usual
                    // prefix need not be the one this element uses.
                    let name_end = raw[1..]
                        .iter()
                        .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
                        .map_or(raw.len(), |k| k + 1);
                    let mut close = b"</".to_vec();
                    close.extend_from_slice(&raw[1..name_end]);
                    close.push(b'>');
                    ops.push(Op::Bytes(open.into()));
                    self.value(f, ops);
                    ops.push(Op::Bytes(close.into()));
                } else {
                    self.copy_tok(i, ops);
                    self.value(f, ops);
                    self.copy_tok(last, ops);
                }
            }
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Splits a tag at the value of attribute `local` (unprefixed): bytes before the value and
/// after it.
fn split_attr<'a>(raw: &'a [u8], local: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let mut from = 0;
    while let Some(p) = raw[from..].windows(local.len() + 1).position(|w| {
        &w[..local.len()] == local
            && (w[local.len()] == b'=' || w[local.len()].is_ascii_whitespace())
    }) {
        let at = from + p;
        let before_ok = at > 0 && (raw[at - 1].is_ascii_whitespace());
        let rest = &raw[at + local.len()..];
        if before_ok && let Some(q) = rest.iter().position(|&b| b == b'"' || b == b'\'') {
            let quote = rest[q];
            let value_start = at + local.len() + q + 1;
            let len = raw[value_start..].iter().position(|&b| b == quote)?;
            return Some((&raw[..value_start], &raw[value_start + len..]));
        }
        from = at + 1;
    }
    None
}

/// Removes attributes whose local name is one of `locals` from a tag.
fn strip_attrs(raw: &[u8], locals: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i].is_ascii_whitespace() {
            // An attribute starts after whitespace: prefix:name="value".
            let start = i;
            let mut j = i;
            while j < raw.len() && raw[j].is_ascii_whitespace() {
                j += 1;
            }
            let name_end = raw[j..]
                .iter()
                .position(|&b| b == b'=' || b.is_ascii_whitespace() || b == b'/' || b == b'>')
                .map_or(raw.len(), |p| j + p);
            let name = &raw[j..name_end];
            let local = name
                .iter()
                .position(|&b| b == b':')
                .map_or(name, |p| &name[p + 1..]);
            if locals.contains(&local)
                && let Some(q) = raw[name_end..]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\'')
            {
                let quote = raw[name_end + q];
                let vstart = name_end + q + 1;
                if let Some(len) = raw[vstart..].iter().position(|&b| b == quote) {
                    i = vstart + len + 1;
                    continue;
                }
            }
            out.extend_from_slice(&raw[start..j]);
            i = j;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

/// Region markers in document order: `(field, marker, name)`.
pub(crate) fn markers(s: &Story) -> Vec<(u32, Marker, String)> {
    let mut out = Vec::new();
    for (id, f) in s.fields.iter().enumerate() {
        if s.top[id] != id as u32 {
            continue;
        }
        if let Some(FieldCode::Merge(m)) = &f.code
            && let Some((role, name)) = m.marker()
        {
            out.push((id as u32, role, name.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_surgery() {
        let raw = br#"<w:p w14:paraId="1A2B" w:rsidR="00" w14:textId="77">"#;
        assert_eq!(
            strip_attrs(raw, &[b"paraId", b"textId"]),
            br#"<w:p w:rsidR="00">"#
        );
        let raw = br#"<wp:docPr id="5" name="Picture 5"/>"#;
        let (h, t) = split_attr(raw, b"id").unwrap();
        assert_eq!(h, br#"<wp:docPr id=""#);
        assert_eq!(t, br#"" name="Picture 5"/>"#);
    }
}

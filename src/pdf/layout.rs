//! A small layout layer over krilla, which only draws single lines: blocks of positioned text,
//! word wrap, and a flow that fills A4 pages, breaks a table across pages with its header
//! repeated, and keeps a block (the totals, the payment instructions) together.
//!
//! Layout produces a display list per page ([`Op`]s in points, origin top left, y down); the
//! painter turns it into PDF afterwards, when the page count is known ("Pagina 1 van 2").

use super::font::{Fonts, Style};

/// A colour as 8-bit sRGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

/// Body text.
pub(crate) const INK: Rgb = Rgb(0x1f, 0x23, 0x28);
/// Labels and secondary text.
pub(crate) const MUTED: Rgb = Rgb(0x5f, 0x66, 0x6d);
/// The accent of headings and rules.
pub(crate) const ACCENT: Rgb = Rgb(0x1d, 0x4e, 0x89);
/// Table header background.
pub(crate) const SHADE: Rgb = Rgb(0xe8, 0xee, 0xf5);
/// Thin rules between rows.
pub(crate) const HAIRLINE: Rgb = Rgb(0xc9, 0xcf, 0xd6);

/// Line height as a multiple of the font size.
pub(crate) const LEADING: f32 = 1.22;

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// A single line of text; `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        style: Style,
        size: f32,
        color: Rgb,
        text: String,
    },
    /// A filled rectangle.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// A horizontal rule.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        color: Rgb,
    },
    /// The logo image, scaled into the box.
    Logo { x: f32, y: f32, w: f32, h: f32 },
}

impl Op {
    /// The op moved down by `dy`.
    fn shifted(mut self, dy: f32) -> Op {
        match &mut self {
            Op::Text { y, .. } | Op::Fill { y, .. } | Op::Rule { y, .. } | Op::Logo { y, .. } => {
                *y += dy
            }
        }
        self
    }

    /// The top of what the op draws, relative to its block.
    fn top(&self) -> f32 {
        match self {
            Op::Text { y, size, .. } => y - size,
            Op::Fill { y, .. } | Op::Logo { y, .. } => *y,
            Op::Rule { y, width, .. } => y - width / 2.0,
        }
    }

    /// The bottom of what the op draws (below the baseline for text: the descenders).
    fn bottom(&self) -> f32 {
        match self {
            Op::Text { y, size, .. } => y + size * 0.25,
            Op::Fill { y, h, .. } | Op::Logo { y, h, .. } => y + h,
            Op::Rule { y, width, .. } => y + width / 2.0,
        }
    }
}

/// Horizontal alignment of text in a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A piece of content with a height, drawn relative to its own top left (x is absolute on the
/// page, y relative to the block's top).
#[derive(Debug, Clone, Default)]
pub(crate) struct Block {
    pub(crate) height: f32,
    pub(crate) ops: Vec<Op>,
}

/// Text style for one call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Font {
    pub(crate) style: Style,
    pub(crate) size: f32,
    pub(crate) color: Rgb,
}

impl Font {
    pub(crate) const fn new(style: Style, size: f32, color: Rgb) -> Font {
        Font { style, size, color }
    }

    /// Height of one line.
    pub(crate) fn line(&self) -> f32 {
        self.size * LEADING
    }
}

/// Writes text into blocks with the shipped fonts.
pub(crate) struct Writer<'f> {
    pub(crate) fonts: &'f Fonts,
}

impl Writer<'_> {
    /// Width of `text` (uncleaned) in `font`.
    #[cfg(test)]
    pub(crate) fn width(&self, text: &str, font: Font) -> f32 {
        let face = self.fonts.face(font.style);
        face.width(&face.clean(text), font.size)
    }

    /// Whether `text` fits on one line of width `w`.
    pub(crate) fn fits(&self, text: &str, w: f32, font: Font) -> bool {
        let face = self.fonts.face(font.style);
        face.width(&face.clean(text), font.size) <= w
    }

    /// One line of text with its line box top at `top`, in a box from `x` of width `w`.
    /// Text wider than the box is cut with an ellipsis rather than drawn over its neighbour.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn line(
        &self,
        block: &mut Block,
        text: &str,
        x: f32,
        w: f32,
        top: f32,
        font: Font,
        align: Align,
    ) {
        let face = self.fonts.face(font.style);
        let mut clean = face.clean(text);
        let mut width = face.width(&clean, font.size);
        if width > w + 0.01 {
            while width > w && !clean.is_empty() {
                clean.pop();
                width = face.width(&clean, font.size) + face.width("…", font.size);
            }
            clean.push('…');
        }
        if clean.trim().is_empty() {
            return;
        }
        let x = match align {
            Align::Left => x,
            Align::Right => x + w - width,
        };
        block.ops.push(Op::Text {
            x,
            y: top + baseline(font, face.ascent),
            style: font.style,
            size: font.size,
            color: font.color,
            text: clean,
        });
    }

    /// Word-wrapped text in a box from `x` of width `w`, starting at `top`; explicit line breaks
    /// are kept; a word wider than the box is broken between characters. Returns the height used.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn paragraph(
        &self,
        block: &mut Block,
        text: &str,
        x: f32,
        w: f32,
        top: f32,
        font: Font,
        align: Align,
    ) -> f32 {
        let lines = self.wrap(text, w, font);
        for (i, l) in lines.iter().enumerate() {
            self.line(block, l, x, w, top + i as f32 * font.line(), font, align);
        }
        lines.len() as f32 * font.line()
    }

    /// The lines `text` wraps into at width `w`.
    pub(crate) fn wrap(&self, text: &str, w: f32, font: Font) -> Vec<String> {
        let face = self.fonts.face(font.style);
        let space = face.width(" ", font.size);
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let clean = face.clean(para.trim_end_matches('\r'));
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in clean.split_whitespace() {
                let word_w = face.width(word, font.size);
                let needed = if line.is_empty() {
                    word_w
                } else {
                    line_w + space + word_w
                };
                if needed <= w {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w = needed;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                if word_w <= w {
                    line.push_str(word);
                    line_w = word_w;
                    continue;
                }
                // A word wider than the box (an IBAN-like code, a URL): break it.
                for c in word.chars() {
                    let mut buf = [0u8; 4];
                    let cw = face.width(c.encode_utf8(&mut buf), font.size);
                    if line_w + cw > w && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
            lines.push(line);
        }
        // Drop trailing empty lines, keep at least one.
        while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
    }
}

/// Offset of the baseline below the top of a line box.
fn baseline(font: Font, ascent: f32) -> f32 {
    // Centre the glyphs' ascent in the extra leading.
    font.size * ascent + (font.line() - font.size * 1.15) / 2.0
}

/// The page geometry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) left: f32,
    pub(crate) right: f32,
    /// Top of the content on continuation pages.
    pub(crate) top: f32,
    /// Bottom of the content area (the footer lies below).
    pub(crate) bottom: f32,
}

impl Geometry {
    /// A4 portrait with 20 mm side margins.
    pub(crate) const A4: Geometry = Geometry {
        width: 595.28,
        height: 841.89,
        left: 56.7,
        right: 595.28 - 56.7,
        top: 52.0,
        bottom: 841.89 - 70.0,
    };

    /// Width of the content.
    pub(crate) fn content_width(&self) -> f32 {
        self.right - self.left
    }
}

/// Fills pages from top to bottom.
pub(crate) struct Flow {
    pub(crate) geometry: Geometry,
    pub(crate) pages: Vec<Vec<Op>>,
    /// Cursor on the current page.
    pub(crate) y: f32,
    /// Drawn at the top of every page after the first (the continuation header).
    continuation: Block,
}

impl Flow {
    /// A flow whose first page starts at the top of the content area.
    pub(crate) fn new(geometry: Geometry, continuation: Block) -> Flow {
        Flow {
            geometry,
            pages: vec![Vec::new()],
            y: geometry.top,
            continuation,
        }
    }

    /// Space left on the current page.
    pub(crate) fn remaining(&self) -> f32 {
        self.geometry.bottom - self.y
    }

    /// Whether nothing has been placed below the continuation header of this page.
    fn fresh(&self) -> bool {
        self.pages.len() > 1 && self.y <= self.geometry.top + self.continuation.height + 0.01
    }

    /// Starts a new page with the continuation header.
    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.geometry.top;
        let header = self.continuation.clone();
        self.put(header);
    }

    /// Places a block at the cursor without checking space.
    fn put(&mut self, block: Block) {
        let dy = self.y;
        let page = self.pages.last_mut().expect("a flow always has a page");
        page.extend(block.ops.into_iter().map(|op| op.shifted(dy)));
        self.y += block.height;
    }

    /// Adds vertical space (dropped at the top of a page).
    pub(crate) fn space(&mut self, h: f32) {
        if !self.fresh() {
            self.y = (self.y + h).min(self.geometry.bottom);
        }
    }

    /// Places a block that must stay together: on a new page when it does not fit here. A
    /// block taller than a whole page is split.
    pub(crate) fn keep(&mut self, block: Block) {
        if block.height > self.remaining() && !self.fresh() {
            self.new_page();
        }
        self.split_place(block, None);
    }

    /// Places a table: the header, then the rows; a row that does not fit goes to the next
    /// page, where the header is repeated. Rows are never split unless one is taller than a
    /// page. `min_rows_first` rows must fit under the header, or the header moves too.
    pub(crate) fn table(&mut self, header: Block, rows: Vec<Block>) {
        let first = rows.first().map_or(0.0, |r| r.height);
        if header.height + first > self.remaining() && !self.fresh() {
            self.new_page();
        }
        self.put(header.clone());
        for row in rows {
            if row.height > self.remaining() {
                self.new_page();
                self.put(header.clone());
            }
            self.split_place(row, Some(&header));
        }
    }

    /// Places a block, splitting it between ops when it is taller than what is left; the part
    /// that does not fit continues on the next page (under the table header, if any).
    fn split_place(&mut self, block: Block, header: Option<&Block>) {
        let mut rest = block;
        let mut force = false;
        loop {
            if rest.height <= self.remaining() + 0.01 {
                self.put(rest);
                return;
            }
            let (now, later) = split(rest, self.remaining(), force);
            if let Some(now) = now {
                self.put(now);
            }
            match later {
                None => return,
                Some(later) => {
                    self.new_page();
                    if let Some(h) = header {
                        self.put(h.clone());
                    }
                    rest = later;
                    force = true;
                }
            }
        }
    }
}

/// Splits a block so that the first part fits in `room`: it keeps the ops that end above
/// `room` and are above the cut, the others move into the second block. With `force`, at
/// least one op stays in the first part, so that a page always makes progress.
fn split(block: Block, room: f32, force: bool) -> (Option<Block>, Option<Block>) {
    let mut tops: Vec<f32> = block.ops.iter().map(Op::top).filter(|t| *t > 0.0).collect();
    tops.sort_by(f32::total_cmp);
    tops.dedup();
    let mut cut = None;
    for &c in &tops {
        if block
            .ops
            .iter()
            .filter(|o| o.top() < c)
            .all(|o| o.bottom() <= room + 0.01)
        {
            cut = Some(c);
        } else {
            break;
        }
    }
    let cut = match (cut, force) {
        (Some(c), _) => c,
        (None, true) => match tops.first() {
            Some(c) => *c,
            None => return (Some(block), None),
        },
        (None, false) => return (None, Some(block)),
    };
    let (now, later): (Vec<Op>, Vec<Op>) = block.ops.into_iter().partition(|op| op.top() < cut);
    let later = Block {
        height: (block.height - cut).max(0.0),
        ops: later.into_iter().map(|op| op.shifted(-cut)).collect(),
    };
    (
        Some(Block {
            height: cut,
            ops: now,
        }),
        Some(later),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::font::fonts;

    fn writer() -> Writer<'static> {
        Writer {
            fonts: fonts().unwrap(),
        }
    }

    const BODY: Font = Font::new(Style::Regular, 10.0, INK);

    #[test]
    fn wraps_at_word_boundaries_and_breaks_long_words() {
        let w = writer();
        let lines = w.wrap("Onderhoud cv-installatie volgens contract", 90.0, BODY);
        assert!(lines.len() > 1, "{lines:?}");
        for l in &lines {
            assert!(w.width(l, BODY) <= 90.0, "{l}");
        }
        assert_eq!(lines.join(" "), "Onderhoud cv-installatie volgens contract");
        let long = "X".repeat(100);
        let lines = w.wrap(&long, 50.0, BODY);
        assert!(lines.len() > 5);
        assert_eq!(lines.concat(), long);
        assert_eq!(w.wrap("a\nb", 100.0, BODY), ["a", "b"]);
        assert_eq!(w.wrap("", 100.0, BODY), [""]);
    }

    #[test]
    fn right_aligned_text_ends_at_the_box_edge() {
        let w = writer();
        let mut b = Block::default();
        w.line(&mut b, "€ 1.234,50", 100.0, 80.0, 0.0, BODY, Align::Right);
        let Op::Text { x, text, .. } = &b.ops[0] else {
            panic!()
        };
        let end = x + w.width(text, BODY);
        assert!((end - 180.0).abs() < 0.01, "{end}");
    }

    #[test]
    fn overlong_line_is_cut_with_an_ellipsis() {
        let w = writer();
        let mut b = Block::default();
        w.line(&mut b, &"W".repeat(80), 0.0, 60.0, 0.0, BODY, Align::Left);
        let Op::Text { text, .. } = &b.ops[0] else {
            panic!()
        };
        assert!(text.ends_with('…'));
        assert!(w.width(text, BODY) <= 60.5);
    }

    fn row(h: f32) -> Block {
        let w = writer();
        let mut b = Block {
            height: h,
            ops: Vec::new(),
        };
        w.line(&mut b, "row", 60.0, 100.0, 0.0, BODY, Align::Left);
        b
    }

    #[test]
    fn table_breaks_across_pages_and_repeats_its_header() {
        let w = writer();
        let mut header = Block {
            height: 20.0,
            ops: Vec::new(),
        };
        w.line(&mut header, "HEADER", 60.0, 100.0, 0.0, BODY, Align::Left);
        let mut flow = Flow::new(Geometry::A4, Block::default());
        flow.table(header, (0..100).map(|_| row(15.0)).collect());
        assert!(flow.pages.len() >= 3);
        let headers = |p: &Vec<Op>| {
            p.iter()
                .filter(|o| matches!(o, Op::Text { text, .. } if text == "HEADER"))
                .count()
        };
        for p in &flow.pages {
            assert_eq!(headers(p), 1);
            for op in p {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= Geometry::A4.bottom, "{y}");
                }
            }
        }
        let rows: usize = flow
            .pages
            .iter()
            .map(|p| {
                p.iter()
                    .filter(|o| matches!(o, Op::Text { text, .. } if text == "row"))
                    .count()
            })
            .sum();
        assert_eq!(rows, 100);
    }

    #[test]
    fn keep_together_moves_a_block_that_does_not_fit() {
        let mut flow = Flow::new(Geometry::A4, Block::default());
        flow.y = Geometry::A4.bottom - 50.0;
        flow.keep(row(100.0));
        assert_eq!(flow.pages.len(), 2);
        assert_eq!(flow.pages[0].len(), 0);
        assert_eq!(flow.pages[1].len(), 1);
    }

    #[test]
    fn a_block_taller_than_a_page_is_split_not_lost() {
        let w = writer();
        let mut tall = Block::default();
        let text = "woord ".repeat(3000);
        tall.height = w.paragraph(&mut tall, &text, 60.0, 400.0, 0.0, BODY, Align::Left);
        let lines = tall.ops.len();
        let mut flow = Flow::new(Geometry::A4, Block::default());
        flow.keep(tall);
        assert!(flow.pages.len() >= 2);
        let drawn: usize = flow.pages.iter().map(Vec::len).sum();
        assert_eq!(drawn, lines);
        for p in &flow.pages {
            for op in p {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= Geometry::A4.bottom + 0.01, "{y}");
                }
            }
        }
    }
}

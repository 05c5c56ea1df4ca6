//! The fonts compiled into factuur, their metrics, and the mapping of text to glyphs.
//!
//! Invoices are Latin text, so factuur does its own simple shaping: one glyph per character
//! from the font's character map, advanced by its horizontal metrics, no kerning (as most
//! invoice printers do). That is exact for measuring (word wrap, right-aligned amounts) and
//! several times faster than a full shaper. A character the font has no glyph for is printed
//! as `?`, so a PDF never carries the font's empty `.notdef` glyph (PDF/A forbids it).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// Liberation Sans Regular 2.1.5 (SIL OFL 1.1), see `assets/fonts/`.
static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
/// Liberation Sans Bold 2.1.5 (SIL OFL 1.1), see `assets/fonts/`.
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

/// Characters below this code point are looked up in a flat table (Basic Latin, Latin-1,
/// Latin Extended-A and -B); the rest in a hash map.
const FAST: usize = 0x250;

/// Which of the two faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Liberation Sans Regular.
    Regular,
    /// Liberation Sans Bold.
    Bold,
}

/// One face: the krilla font and a character → (glyph, advance) table.
pub(crate) struct Face {
    /// The font as krilla embeds it (subset per document).
    pub(crate) font: Font,
    /// Ascent as a fraction of the em.
    pub(crate) ascent: f32,
    fast: Box<[(u16, f32)]>,
    others: HashMap<char, (u16, f32)>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Option<Face> {
        let font_ref = skrifa::FontRef::new(bytes).ok()?;
        let metrics = font_ref.metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(metrics.units_per_em.max(1));
        let advances = font_ref.glyph_metrics(Size::unscaled(), LocationRef::default());
        let mut fast = vec![(0u16, 0f32); FAST].into_boxed_slice();
        let mut others = HashMap::new();
        for (cp, gid) in font_ref.charmap().mappings() {
            let Ok(glyph) = u16::try_from(gid.to_u32()) else {
                continue;
            };
            let Some(ch) = char::from_u32(cp) else {
                continue;
            };
            if glyph == 0 {
                continue;
            }
            let advance = advances.advance_width(gid).unwrap_or(0.0) / upem;
            if (cp as usize) < FAST {
                fast[cp as usize] = (glyph, advance);
            } else {
                others.insert(ch, (glyph, advance));
            }
        }
        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(bytes);
        let font = Font::new(data.into(), 0)?;
        Some(Face {
            font,
            ascent: metrics.ascent / upem,
            fast,
            others,
        })
    }

    /// The glyph and advance (in ems) of a character, if the font has it.
    #[inline]
    fn glyph(&self, c: char) -> Option<(u16, f32)> {
        let cp = c as usize;
        if cp < FAST {
            let g = self.fast[cp];
            (g.0 != 0).then_some(g)
        } else {
            self.others.get(&c).copied()
        }
    }

    /// The text as it will be printed: control characters become spaces, characters without a
    /// glyph become `?`.
    pub(crate) fn clean(&self, text: &str) -> String {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if self.glyph(c).is_some() {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// Width of (cleaned) text at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let mut w = 0.0;
        for c in text.chars() {
            w += self
                .glyph(c)
                .or_else(|| self.glyph('?'))
                .map_or(0.0, |g| g.1);
        }
        w * size
    }

    /// The glyphs of (cleaned) text, each mapped back to its characters for text extraction.
    pub(crate) fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let mut out = Vec::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            let range: Range<usize> = i..i + c.len_utf8();
            // Text reaching here went through `clean`; a stray character still gets `?`.
            let Some((glyph, advance)) = self.glyph(c).or_else(|| self.glyph('?')) else {
                continue;
            };
            out.push(KrillaGlyph::new(
                GlyphId::new(u32::from(glyph)),
                advance,
                0.0,
                0.0,
                0.0,
                range,
                None,
            ));
        }
        out
    }
}

/// Both faces.
pub(crate) struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    /// The face of a style.
    pub(crate) fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }
}

/// The shipped fonts, parsed once per process. `None` only if the files compiled into the crate
/// were unreadable, which the tests rule out.
pub(crate) fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Face::load(REGULAR_TTF)?,
                bold: Face::load(BOLD_TTF)?,
            })
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_fonts_load_and_cover_dutch_text() {
        let f = fonts().expect("fonts");
        let face = f.face(Style::Regular);
        for c in "€ëéèïöüçñßÄÖÜàáâäåæøœ ©½".chars() {
            assert!(face.glyph(c).is_some(), "no glyph for {c:?}");
        }
        assert!(face.ascent > 0.8 && face.ascent < 1.0);
        // Liberation Sans is metric-compatible with Arial: "0" is 0.556 em.
        let w = face.width("0", 1000.0);
        assert!((w - 556.0).abs() < 1.0, "{w}");
        assert!(f.face(Style::Bold).width("Factuur", 10.0) > face.width("Factuur", 10.0));
    }

    #[test]
    fn unknown_characters_become_question_marks() {
        let face = fonts().unwrap().face(Style::Regular);
        assert_eq!(face.clean("a\u{1F600}b\tc\n"), "a?b c ");
        let g = face.glyphs("ë€");
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].text_range, 0..2);
        assert_eq!(g[1].text_range, 2..5);
    }
}

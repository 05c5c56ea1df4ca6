//! Repeating regions: `TableStart:X` … `TableEnd:X` and `BeginGroup:X` … `EndGroup:X`.
//!
//! A region repeats the smallest whole piece of the document that holds both markers: the
//! table rows from the start marker's row to the end marker's row when the markers are in a
//! table (one row or several), the runs between them when both are in one paragraph, else the
//! paragraphs and tables from the start marker's to the end marker's. Regions nest (a VAT
//! breakdown region inside a totals region); a nested region reads its list from the item of
//! the region around it. Rows whose fields belong to a list without any marker (the
//! docx-mailmerge style) are found when the plan is compiled (`stream.rs`).

use super::error::MergeError;
use super::field::Marker;
use super::stream::{Story, markers};
use super::xml::{NONE, Tag, field_error};

/// A region of a story part.
#[derive(Debug, Clone)]
pub(crate) struct Region {
    /// The list's name as written in the markers.
    pub name: String,
    /// The name in upper case, for look-up.
    pub upper: String,
    /// The element whose children repeat.
    pub container: u32,
    /// First repeated child (token index).
    pub first: u32,
    /// Last repeated child (token index).
    pub last: u32,
}

/// Pairs the markers of a part and finds what each region repeats.
pub(crate) fn find(s: &Story) -> Result<Vec<Region>, MergeError> {
    let err = |field: u32, msg: String| {
        field_error(
            &s.name,
            &s.src,
            s.fields[field as usize].offset as usize,
            msg,
        )
    };
    let mut stack: Vec<(u32, String)> = Vec::new();
    let mut out = Vec::new();
    for (field, role, name) in markers(s) {
        match role {
            Marker::Start => stack.push((field, name)),
            Marker::End => {
                let Some((start, open)) = stack.pop() else {
                    return Err(err(
                        field,
                        format!(
                            "region end {name} without a TableStart:{name} / BeginGroup:{name} before it"
                        ),
                    ));
                };
                if !open.eq_ignore_ascii_case(&name) {
                    return Err(err(
                        field,
                        format!(
                            "region end {name} closes region {open}, which is still open; regions must nest"
                        ),
                    ));
                }
                out.push(locate(s, start, field, open)?);
            }
        }
    }
    if let Some((field, name)) = stack.pop() {
        return Err(err(
            field,
            format!("region {name} starts here but has no TableEnd:{name} / EndGroup:{name}"),
        ));
    }
    Ok(out)
}

fn locate(s: &Story, start: u32, end: u32, name: String) -> Result<Region, MergeError> {
    let toks = &s.doc.toks;
    let lo = s.fields[start as usize].begin;
    let hi = s.fields[end as usize].end;
    // Deepest element holding both markers.
    let mut a = toks[lo as usize].parent;
    while a != NONE && toks[a as usize].pair < hi {
        a = toks[a as usize].parent;
    }
    while a != NONE && toks[a as usize].tag == Tag::R {
        a = toks[a as usize].parent;
    }
    if a == NONE {
        return Err(field_error(
            &s.name,
            &s.src,
            s.fields[start as usize].offset as usize,
            format!("region {name}: its markers share no element"),
        ));
    }
    let child_of = |container: u32, x: u32| {
        let mut k = x;
        while toks[k as usize].parent != container {
            k = toks[k as usize].parent;
        }
        k
    };
    let (container, first, last) = if toks[a as usize].tag == Tag::Tbl {
        (a, child_of(a, lo), child_of(a, hi))
    } else {
        let mut n = a;
        let mut row = NONE;
        while n != NONE {
            match toks[n as usize].tag {
                Tag::Tr => {
                    row = n;
                    break;
                }
                Tag::Tbl
                | Tag::Body
                | Tag::TxbxContent
                | Tag::Footnote
                | Tag::Endnote
                | Tag::Comment => break,
                _ => n = toks[n as usize].parent,
            }
        }
        if row != NONE {
            (toks[row as usize].parent, row, row)
        } else {
            (a, child_of(a, lo), child_of(a, hi))
        }
    };
    Ok(Region {
        upper: name.to_uppercase(),
        name,
        container,
        first,
        last,
    })
}

//! The .docx package: a zip archive in, a zip archive out.
//!
//! Entries are read with caps that do not trust the archive's declared sizes: at most
//! [`MAX_ENTRIES`] entries, [`MAX_PART`] inflated bytes per part and [`MAX_TOTAL`] inflated bytes
//! over all parts read. Names that could escape a directory (`../`, absolute, backslashes) are
//! refused. Parts that are not rewritten are copied raw, their compressed bytes untouched;
//! rewritten parts get a fixed timestamp, so the same input always gives the same bytes.

use std::io::{Cursor, Read, Write};
use std::sync::Arc;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::error::MergeError;

/// Most entries accepted in one archive.
pub const MAX_ENTRIES: usize = 10_000;
/// Most inflated bytes accepted for one part.
pub const MAX_PART: u64 = 64 * 1024 * 1024;
/// Most inflated bytes accepted over all parts read from one archive.
pub const MAX_TOTAL: u64 = 256 * 1024 * 1024;
/// Deflate level of rewritten parts: fast, as merged documents are written by the thousand.
pub(crate) const LEVEL: i64 = 1;

pub(crate) type Archive = ZipArchive<Cursor<Arc<[u8]>>>;

/// One entry of the archive.
#[derive(Debug, Clone)]
pub(crate) struct EntryMeta {
    pub name: String,
    pub index: usize,
}

/// Opens an archive and checks its entry names.
pub(crate) fn open(bytes: Arc<[u8]>) -> Result<(Archive, Vec<EntryMeta>), MergeError> {
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| MergeError::NotAZip(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(MergeError::TooManyEntries { limit: MAX_ENTRIES });
    }
    let mut entries = Vec::with_capacity(archive.len());
    let mut seen = std::collections::HashSet::new();
    for index in 0..archive.len() {
        let file = archive
            .by_index_raw(index)
            .map_err(|e| MergeError::NotAZip(format!("entry {index}: {e}")))?;
        let name = file.name().to_owned();
        check_name(&name)?;
        if !seen.insert(name.to_ascii_lowercase()) {
            return Err(MergeError::DuplicateEntry { name });
        }
        entries.push(EntryMeta { name, index });
    }
    Ok((archive, entries))
}

fn check_name(name: &str) -> Result<(), MergeError> {
    let bad = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.as_bytes().get(1) == Some(&b':')
        || name.split('/').any(|seg| seg == ".." || seg == ".");
    if bad {
        Err(MergeError::UnsafeEntryName {
            name: name.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// Inflates one entry, counting against `budget` (bytes left of [`MAX_TOTAL`]).
pub(crate) fn read(
    archive: &mut Archive,
    entry: &EntryMeta,
    budget: &mut u64,
) -> Result<Vec<u8>, MergeError> {
    let file = archive.by_index(entry.index).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m) => MergeError::UnsupportedCompression {
            part: entry.name.clone(),
            method: m.to_string(),
        },
        other => MergeError::NotAZip(format!("{}: {other}", entry.name)),
    })?;
    match file.compression() {
        CompressionMethod::Stored | CompressionMethod::Deflated => {}
        other => {
            return Err(MergeError::UnsupportedCompression {
                part: entry.name.clone(),
                method: format!("{other:?}"),
            });
        }
    }
    let limit = MAX_PART.min(*budget);
    let mut out = Vec::with_capacity(usize::try_from(file.size().min(limit)).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| MergeError::NotAZip(format!("{}: {e}", entry.name)))?;
    if out.len() as u64 > limit {
        return Err(MergeError::TooLarge {
            part: entry.name.clone(),
            limit,
        });
    }
    *budget -= out.len() as u64;
    Ok(out)
}

/// Writes the output archive: entries in the template's order, each either copied raw or
/// replaced by new bytes.
pub(crate) fn write<'b>(
    archive: &Archive,
    entries: &[EntryMeta],
    mut replacement: impl FnMut(usize) -> Option<&'b [u8]>,
    capacity: usize,
) -> Result<Vec<u8>, MergeError> {
    let werr = |e: zip::result::ZipError| MergeError::Write(e.to_string());
    let mut archive = archive.clone();
    let mut w = ZipWriter::new(Cursor::new(Vec::with_capacity(capacity)));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (k, entry) in entries.iter().enumerate() {
        match replacement(k) {
            Some(bytes) => {
                w.start_file(entry.name.as_str(), options).map_err(werr)?;
                w.write_all(bytes)
                    .map_err(|e| MergeError::Write(e.to_string()))?;
            }
            None => {
                let file = archive.by_index_raw(entry.index).map_err(werr)?;
                w.raw_copy_file(file).map_err(werr)?;
            }
        }
    }
    Ok(w.finish().map_err(werr)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names() {
        for bad in [
            "../x",
            "a/../../b",
            "/etc/passwd",
            "a\\b",
            "C:/x",
            "",
            "./a",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for good in [
            "word/document.xml",
            "[Content_Types].xml",
            "customXml/item1.xml",
        ] {
            assert!(check_name(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn not_a_zip() {
        assert!(matches!(
            open(Arc::from(&b"plain text"[..])),
            Err(MergeError::NotAZip(_))
        ));
    }
}

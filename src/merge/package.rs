//! The .docx package: a zip archive in, a zip archive out.
//!
//! Entries are read with caps that do not trust the archive's declared sizes: at most
//! [`MAX_ENTRIES`] entries, [`MAX_PART`] inflated bytes per part and [`MAX_TOTAL`] inflated bytes
//! over all parts read. Names that could escape a directory (`../`, absolute, backslashes) are
//! refused. Parts that are not rewritten are copied raw, their compressed bytes untouched;
//! rewritten parts get a fixed timestamp, so the same input always gives the same bytes.

use std::io::{Cursor, Read};
use std::sync::Arc;

use zip::{CompressionMethod, ZipArchive};

use super::error::MergeError;

/// Most entries accepted in one archive.
pub const MAX_ENTRIES: usize = 10_000;
/// Most inflated bytes accepted for one part.
pub const MAX_PART: u64 = 64 * 1024 * 1024;
/// Most inflated bytes accepted over all parts read from one archive.
pub const MAX_TOTAL: u64 = 256 * 1024 * 1024;
/// Deflate level of rewritten parts: fast, as merged documents are written by the thousand.
pub(crate) const LEVEL: u32 = 1;

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

/// An entry copied raw: its compressed bytes and what the headers need.
#[derive(Debug, Clone)]
pub(crate) struct RawEntry {
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

/// Reads an entry's compressed bytes for raw copying. Only stored and deflated entries are
/// accepted, unencrypted, each under 4 GiB.
pub(crate) fn raw(
    archive: &mut Archive,
    bytes: &[u8],
    entry: &EntryMeta,
) -> Result<RawEntry, MergeError> {
    let file = archive
        .by_index_raw(entry.index)
        .map_err(|e| MergeError::NotAZip(format!("{}: {e}", entry.name)))?;
    let method = match file.compression() {
        CompressionMethod::Stored => 0,
        CompressionMethod::Deflated => 8,
        other => {
            return Err(MergeError::UnsupportedCompression {
                part: entry.name.clone(),
                method: format!("{other:?}"),
            });
        }
    };
    if file.encrypted() {
        return Err(MergeError::UnsupportedCompression {
            part: entry.name.clone(),
            method: "encryption".into(),
        });
    }
    let too_big = |_| MergeError::TooLarge {
        part: entry.name.clone(),
        limit: u64::from(u32::MAX),
    };
    let size = u32::try_from(file.size()).map_err(too_big)?;
    let compressed = u32::try_from(file.compressed_size()).map_err(too_big)?;
    let crc = file.crc32();
    let data = file
        .data_start()
        .and_then(|start| usize::try_from(start).ok())
        .and_then(|start| bytes.get(start..start.checked_add(compressed as usize)?))
        .ok_or_else(|| MergeError::NotAZip(format!("{}: entry data out of bounds", entry.name)))?
        .to_vec();
    Ok(RawEntry {
        method,
        crc,
        size,
        data,
    })
}

impl RawEntry {
    /// New content deflated once, to be copied raw into every output (a part the template
    /// changes the same way for every document).
    pub(crate) fn deflated(part: &str, bytes: &[u8]) -> Result<RawEntry, MergeError> {
        let mut data = Vec::new();
        deflate(bytes, &mut data)?;
        Ok(RawEntry {
            method: 8,
            crc: crc32fast::hash(bytes),
            size: u32::try_from(bytes.len()).map_err(|_| MergeError::TooLarge {
                part: part.to_owned(),
                limit: u64::from(u32::MAX),
            })?,
            data,
        })
    }
}

/// What goes into one entry of the output.
pub(crate) enum Out<'a> {
    /// The template's entry, copied raw.
    Raw(&'a RawEntry),
    /// New content, deflated here.
    New(&'a [u8]),
}

thread_local! {
    /// One deflate state per thread, reset between parts: setting one up costs more than
    /// compressing a typical story part.
    static DEFLATE: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::new(LEVEL), false));
}

fn deflate(input: &[u8], out: &mut Vec<u8>) -> Result<(), MergeError> {
    DEFLATE.with(|d| {
        let mut d = d.borrow_mut();
        d.reset();
        let start_in = d.total_in();
        loop {
            let consumed = (d.total_in() - start_in) as usize;
            out.reserve(input.len() / 2 + 1024);
            let status = d
                .compress_vec(&input[consumed..], out, flate2::FlushCompress::Finish)
                .map_err(|e| MergeError::Write(e.to_string()))?;
            if status == flate2::Status::StreamEnd {
                return Ok(());
            }
        }
    })
}

/// Writes a zip archive: entries in order, fixed timestamps (1980-01-01), no extra fields, so
/// the same entries always give the same bytes.
pub(crate) fn write<'a>(
    entries: impl Iterator<Item = (&'a str, Out<'a>)>,
    capacity: usize,
) -> Result<Vec<u8>, MergeError> {
    const DOS_DATE: u16 = (1 << 5) | 1;
    let mut out = Vec::with_capacity(capacity);
    let mut central = Vec::with_capacity(4096);
    let mut count: u16 = 0;
    let mut scratch = Vec::new();
    let over = || MergeError::Write("the merged archive would exceed 4 GiB".into());
    for (name, entry) in entries {
        let (method, crc, size, data): (u16, u32, u32, &[u8]) = match entry {
            Out::Raw(r) => (r.method, r.crc, r.size, &r.data),
            Out::New(bytes) => {
                scratch.clear();
                deflate(bytes, &mut scratch)?;
                let size = u32::try_from(bytes.len()).map_err(|_| over())?;
                (8, crc32fast::hash(bytes), size, &scratch)
            }
        };
        let offset = u32::try_from(out.len()).map_err(|_| over())?;
        let csize = u32::try_from(data.len()).map_err(|_| over())?;
        let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
        let name_len = u16::try_from(name.len()).map_err(|_| over())?;
        // Local file header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&csize.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory header.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&0x0314u16.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&flags.to_le_bytes());
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&DOS_DATE.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&csize.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&name_len.to_le_bytes());
        central.extend_from_slice(&[0; 8]);
        central.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
        count = count.checked_add(1).ok_or_else(over)?;
    }
    let cd_offset = u32::try_from(out.len()).map_err(|_| over())?;
    let cd_size = u32::try_from(central.len()).map_err(|_| over())?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
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
    fn written_archives_read_back() {
        let raw_src = {
            use std::io::Write;
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            w.start_file("a.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&b"raw raw raw ".repeat(100)).unwrap();
            w.finish().unwrap().into_inner()
        };
        let raw_src: Arc<[u8]> = Arc::from(raw_src);
        let (mut archive, entries) = open(raw_src.clone()).unwrap();
        let r = raw(&mut archive, &raw_src, &entries[0]).unwrap();
        let big = b"<w:t>ijs</w:t>".repeat(10_000);
        let bytes = write(
            [
                ("a.txt", Out::Raw(&r)),
                ("word/document.xml", Out::New(&big)),
                ("leeg", Out::New(b"")),
                ("word/é.xml", Out::New(b"x")),
            ]
            .into_iter(),
            0,
        )
        .unwrap();
        let (mut back, entries) = open(Arc::from(bytes)).unwrap();
        let mut budget = MAX_TOTAL;
        assert_eq!(
            read(&mut back, &entries[0], &mut budget).unwrap(),
            b"raw raw raw ".repeat(100)
        );
        assert_eq!(read(&mut back, &entries[1], &mut budget).unwrap(), big);
        assert_eq!(read(&mut back, &entries[2], &mut budget).unwrap(), b"");
        assert_eq!(entries[3].name, "word/é.xml");
    }

    #[test]
    fn not_a_zip() {
        assert!(matches!(
            open(Arc::from(&b"plain text"[..])),
            Err(MergeError::NotAZip(_))
        ));
    }
}

//! The run's ZIP, streamed to disk: each document is written as soon as it is made (compressed
//! by the thread that made it, PDFs and Word files stored as they are, being compressed
//! already), only the small central directory stays in memory, ZIP64 where the archive needs
//! it, and the file appears under its name only when complete (a temporary file in the same
//! folder, flushed to disk, renamed into place).
//!
//! ```
//! use factuur::run::zip::{Document, ZipOut};
//! let mut z = ZipOut::new(Vec::new());
//! z.add(&Document::deflated("a.xml", b"<a/>"))?;
//! z.add(&Document::stored("b.pdf", b"%PDF-1.7"))?;
//! let bytes = z.finish()?;
//! assert_eq!(&bytes[..4], b"PK\x03\x04");
//! # Ok::<(), std::io::Error>(())
//! ```

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::DeflateEncoder;

use crate::ledger::runs::StagedDocument;

/// A document ready for the ZIP (the same record workers stage in the ledger).
pub type Document = StagedDocument;

impl StagedDocument {
    /// A document stored as it is (PDF, docx: compressed already).
    pub fn stored(name: &str, bytes: &[u8]) -> Document {
        Document {
            position: 0,
            name: name.to_owned(),
            method: 0,
            crc: crc32fast::hash(bytes),
            size: bytes.len() as u64,
            bytes: bytes.to_vec(),
        }
    }

    /// A document compressed with deflate (XML, CSV, JSON).
    pub fn deflated(name: &str, bytes: &[u8]) -> Document {
        let mut e = DeflateEncoder::new(
            Vec::with_capacity(bytes.len() / 4 + 64),
            Compression::new(1),
        );
        e.write_all(bytes).expect("writing to memory cannot fail");
        Document {
            position: 0,
            name: name.to_owned(),
            method: 8,
            crc: crc32fast::hash(bytes),
            size: bytes.len() as u64,
            bytes: e.finish().expect("writing to memory cannot fail"),
        }
    }

    /// With its place in the run.
    pub fn at(mut self, position: i64) -> Document {
        self.position = position;
        self
    }
}

const DOS_DATE: u16 = (1 << 5) | 1; // 1980-01-01: the output does not depend on the clock
const U32_MAX: u64 = 0xFFFF_FFFF;

/// The hash of an entry name (a fixed hasher: the same name, the same hash).
fn name_hash(name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.hash(&mut h);
    h.finish()
}

/// A writer that counts and checksums what passes through it (ZIP entries may exceed 4 GiB).
struct Counted<W: Write> {
    w: W,
    size: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.w.write(buf)?;
        self.crc.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// A ZIP written entry by entry to any writer.
pub struct ZipOut<W: Write> {
    w: W,
    offset: u64,
    central: Vec<u8>,
    count: u64,
    /// Hashes of the names so far (8 bytes an entry; the names are in `central`).
    names: HashSet<u64>,
}

impl<W: Write> ZipOut<W> {
    /// An empty archive on `w`.
    pub fn new(w: W) -> ZipOut<W> {
        ZipOut {
            w,
            offset: 0,
            central: Vec::new(),
            count: 0,
            names: HashSet::new(),
        }
    }

    /// Entries written so far.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// Whether none was written.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Adds an entry. A name used twice is refused.
    pub fn add(&mut self, d: &Document) -> io::Result<()> {
        self.entry(
            &d.name,
            d.method,
            d.crc,
            d.size,
            d.bytes.len() as u64,
            |w| w.write_all(&d.bytes),
        )
    }

    /// Adds a deflated entry whose content `fill` writes, however large: it is compressed
    /// into the temporary file `spool` (removed afterwards, also on failure) and copied from
    /// there into the archive, so the content is never held in memory.
    pub fn add_deflated_with(
        &mut self,
        name: &str,
        spool: &Path,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let result = self.add_spooled(name, spool, fill);
        let _ = std::fs::remove_file(spool);
        result
    }

    fn add_spooled(
        &mut self,
        name: &str,
        spool: &Path,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(spool)?;
        let enc = DeflateEncoder::new(
            BufWriter::with_capacity(64 * 1024, file),
            Compression::new(1),
        );
        let mut counted = Counted {
            w: enc,
            size: 0,
            crc: crc32fast::Hasher::new(),
        };
        fill(&mut counted)?;
        let (sum, size) = (counted.crc.finalize(), counted.size);
        let mut file = counted
            .w
            .finish()?
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        let comp = file.seek(SeekFrom::End(0))?;
        file.seek(SeekFrom::Start(0))?;
        let mut r = io::BufReader::with_capacity(64 * 1024, file).take(comp);
        self.entry(name, 8, sum, size, comp, |w| {
            let copied = io::copy(&mut r, w)?;
            if copied == comp {
                Ok(())
            } else {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the spooled entry got shorter while it was copied",
                ))
            }
        })
    }

    /// Writes one entry: its local header, its (already compressed) body, and its record in
    /// the central directory.
    fn entry(
        &mut self,
        name_text: &str,
        method: u16,
        crc: u32,
        size: u64,
        comp: u64,
        body: impl FnOnce(&mut W) -> io::Result<()>,
    ) -> io::Result<()> {
        if name_text.is_empty() || name_text.len() > 0xFFFF {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "bad entry name",
            ));
        }
        if !self.names.insert(name_hash(name_text)) && self.central_has(name_text.as_bytes()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the ZIP already has an entry {name_text}"),
            ));
        }
        let big = size >= U32_MAX || comp >= U32_MAX;
        let name = name_text.as_bytes();
        // Local header.
        let mut h = Vec::with_capacity(30 + name.len() + 20);
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&(if big { 45u16 } else { 20u16 }).to_le_bytes());
        h.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
        h.extend_from_slice(&method.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&DOS_DATE.to_le_bytes());
        h.extend_from_slice(&crc.to_le_bytes());
        if big {
            h.extend_from_slice(&u32::MAX.to_le_bytes());
            h.extend_from_slice(&u32::MAX.to_le_bytes());
        } else {
            h.extend_from_slice(&(comp as u32).to_le_bytes());
            h.extend_from_slice(&(size as u32).to_le_bytes());
        }
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&(if big { 20u16 } else { 0u16 }).to_le_bytes());
        h.extend_from_slice(name);
        if big {
            h.extend_from_slice(&1u16.to_le_bytes());
            h.extend_from_slice(&16u16.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&comp.to_le_bytes());
        }
        self.w.write_all(&h)?;
        body(&mut self.w)?;
        // Central directory entry.
        let far = self.offset >= U32_MAX;
        let mut extra = Vec::new();
        if big || far {
            let mut body = Vec::new();
            if big {
                body.extend_from_slice(&size.to_le_bytes());
                body.extend_from_slice(&comp.to_le_bytes());
            }
            if far {
                body.extend_from_slice(&self.offset.to_le_bytes());
            }
            extra.extend_from_slice(&1u16.to_le_bytes());
            extra.extend_from_slice(&(body.len() as u16).to_le_bytes());
            extra.extend_from_slice(&body);
        }
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&0x031Eu16.to_le_bytes()); // Unix, ZIP 3.0
        c.extend_from_slice(&(if big || far { 45u16 } else { 20u16 }).to_le_bytes());
        c.extend_from_slice(&0x0800u16.to_le_bytes());
        c.extend_from_slice(&method.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&DOS_DATE.to_le_bytes());
        c.extend_from_slice(&crc.to_le_bytes());
        if big {
            c.extend_from_slice(&u32::MAX.to_le_bytes());
            c.extend_from_slice(&u32::MAX.to_le_bytes());
        } else {
            c.extend_from_slice(&(comp as u32).to_le_bytes());
            c.extend_from_slice(&(size as u32).to_le_bytes());
        }
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes()); // comment
        c.extend_from_slice(&0u16.to_le_bytes()); // disk
        c.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        c.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
        c.extend_from_slice(&(if far { u32::MAX } else { self.offset as u32 }).to_le_bytes());
        c.extend_from_slice(name);
        c.extend_from_slice(&extra);
        self.offset += h.len() as u64 + comp;
        self.count += 1;
        Ok(())
    }

    /// Whether the central directory has an entry named `name` (looked up only when a name's
    /// hash was seen before).
    fn central_has(&self, name: &[u8]) -> bool {
        let c = &self.central;
        let mut at = 0;
        while at + 46 <= c.len() {
            let field = |i: usize| usize::from(u16::from_le_bytes([c[at + i], c[at + i + 1]]));
            let (n, extra, comment) = (field(28), field(30), field(32));
            if c.get(at + 46..at + 46 + n) == Some(name) {
                return true;
            }
            at += 46 + n + extra + comment;
        }
        false
    }

    /// Writes the central directory and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let cd_offset = self.offset;
        let cd_size = self.central.len() as u64;
        self.w.write_all(&self.central)?;
        let zip64 = self.count >= 0xFFFF || cd_offset >= U32_MAX || cd_size >= U32_MAX;
        let mut t = Vec::with_capacity(98);
        if zip64 {
            let eocd64 = cd_offset + cd_size;
            t.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            t.extend_from_slice(&44u64.to_le_bytes());
            t.extend_from_slice(&0x031Eu16.to_le_bytes());
            t.extend_from_slice(&45u16.to_le_bytes());
            t.extend_from_slice(&0u32.to_le_bytes());
            t.extend_from_slice(&0u32.to_le_bytes());
            t.extend_from_slice(&self.count.to_le_bytes());
            t.extend_from_slice(&self.count.to_le_bytes());
            t.extend_from_slice(&cd_size.to_le_bytes());
            t.extend_from_slice(&cd_offset.to_le_bytes());
            t.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            t.extend_from_slice(&0u32.to_le_bytes());
            t.extend_from_slice(&eocd64.to_le_bytes());
            t.extend_from_slice(&1u32.to_le_bytes());
        }
        let n16 = if zip64 { 0xFFFF } else { self.count as u16 };
        t.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        t.extend_from_slice(&0u16.to_le_bytes());
        t.extend_from_slice(&0u16.to_le_bytes());
        t.extend_from_slice(&n16.to_le_bytes());
        t.extend_from_slice(&n16.to_le_bytes());
        t.extend_from_slice(&(if zip64 { u32::MAX } else { cd_size as u32 }).to_le_bytes());
        t.extend_from_slice(&(if zip64 { u32::MAX } else { cd_offset as u32 }).to_le_bytes());
        t.extend_from_slice(&0u16.to_le_bytes());
        self.w.write_all(&t)?;
        self.w.flush()?;
        Ok(self.w)
    }
}

/// A file written under a temporary name in its folder and renamed into place when complete.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    done: bool,
}

impl AtomicFile {
    /// The temporary name that `target` is written under first: hidden, beside it, with this
    /// process's id.
    pub fn temp_for(target: &Path) -> PathBuf {
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run.zip".into());
        dir.join(format!(".{name}.part-{}", std::process::id()))
    }

    /// Creates the temporary file for `target`.
    pub fn create(target: &Path) -> io::Result<(AtomicFile, BufWriter<File>)> {
        let temp = AtomicFile::temp_for(target);
        let file = File::options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        Ok((
            AtomicFile {
                target: target.to_owned(),
                temp,
                done: false,
            },
            BufWriter::with_capacity(1 << 20, file),
        ))
    }

    /// The temporary file's path.
    pub fn temp(&self) -> &Path {
        &self.temp
    }

    /// Flushes `w` to disk (the data, then the rename, then the folder).
    pub fn sync(&self, w: BufWriter<File>) -> io::Result<()> {
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()
    }

    /// Renames the (synced) temporary file into place.
    pub fn commit(mut self) -> io::Result<()> {
        std::fs::rename(&self.temp, &self.target)?;
        self.done = true;
        self.sync_dir();
        Ok(())
    }

    /// Flushes the target's folder (after the rename).
    fn sync_dir(&self) {
        let dir = self
            .target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

impl AtomicFile {
    /// Like [`commit`](Self::commit), but when the rename fails the complete temporary file
    /// is kept (not removed): its path comes back with the error.
    pub fn commit_or_keep(mut self) -> Result<(), (PathBuf, io::Error)> {
        let renamed = std::fs::rename(&self.temp, &self.target);
        self.done = true;
        match renamed {
            Ok(()) => {
                self.sync_dir();
                Ok(())
            }
            Err(e) => Err((self.temp.clone(), e)),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn the_zip_crate_reads_it_back() {
        let mut z = ZipOut::new(Vec::new());
        let xml = b"<Invoice>".repeat(1000);
        z.add(&Document::deflated("2026-00001.xml", &xml)).unwrap();
        z.add(&Document::stored("2026-00001.pdf", b"%PDF-1.7 abc"))
            .unwrap();
        z.add(&Document::stored("ë.csv", b"a,b\r\n")).unwrap();
        assert!(z.add(&Document::stored("ë.csv", b"again")).is_err());
        assert_eq!(z.len(), 3);
        let bytes = z.finish().unwrap();
        let mut a = zip::ZipArchive::new(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(a.len(), 3);
        let mut s = Vec::new();
        a.by_name("2026-00001.xml")
            .unwrap()
            .read_to_end(&mut s)
            .unwrap();
        assert_eq!(s, xml);
        s.clear();
        a.by_name("ë.csv").unwrap().read_to_end(&mut s).unwrap();
        assert_eq!(s, b"a,b\r\n");
        // Deterministic.
        let mut z = ZipOut::new(Vec::new());
        z.add(&Document::deflated("2026-00001.xml", &xml)).unwrap();
        z.add(&Document::stored("2026-00001.pdf", b"%PDF-1.7 abc"))
            .unwrap();
        z.add(&Document::stored("ë.csv", b"a,b\r\n")).unwrap();
        assert_eq!(z.finish().unwrap(), bytes);
    }

    #[test]
    fn names_are_found_in_the_central_directory() {
        let mut z = ZipOut::new(Vec::new());
        for name in ["a.xml", "bb.pdf", "run-1.csv"] {
            z.add(&Document::deflated(name, b"x")).unwrap();
        }
        z.add_deflated_with(
            "run-1.json",
            &std::env::temp_dir().join(format!("factuur-zip-test-{}", std::process::id())),
            |w| w.write_all(b"{}"),
        )
        .unwrap();
        for name in ["a.xml", "bb.pdf", "run-1.csv", "run-1.json"] {
            assert!(z.central_has(name.as_bytes()), "{name}");
            assert!(
                z.add(&Document::stored(name, b"y")).is_err(),
                "{name} twice"
            );
        }
        assert!(!z.central_has(b"a.pdf"));
        assert!(!z.central_has(b"run-1"));
        assert_eq!(z.len(), 4);
    }

    #[test]
    fn many_entries_use_zip64() {
        let mut z = ZipOut::new(Vec::new());
        for i in 0..70_000 {
            z.add(&Document::stored(&format!("{i}.txt"), b"x")).unwrap();
        }
        let bytes = z.finish().unwrap();
        let a = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(a.len(), 70_000);
    }
}

//! What can go wrong when a Word template is read or merged.

/// Why a template could not be read or merged. Every message names the part (and, for XML
/// and fields, the line and column inside that part) so the template's author can find it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// The file is not a zip archive, or its zip structure is broken.
    #[error("not a usable .docx (zip) file: {0}")]
    NotAZip(String),
    /// An entry name that could escape the archive (`../`, an absolute path, a backslash).
    #[error(
        "zip entry {name:?} has an unsafe name (absolute, `..` or backslash); refusing the file"
    )]
    UnsafeEntryName {
        /// The entry's name as stored.
        name: String,
    },
    /// Two entries with the same name.
    #[error("zip entry {name:?} occurs twice")]
    DuplicateEntry {
        /// The entry's name.
        name: String,
    },
    /// More entries than a Word document plausibly has.
    #[error("the archive has more than {limit} entries; a Word document has far fewer")]
    TooManyEntries {
        /// The cap.
        limit: usize,
    },
    /// A part, or the whole archive, inflates to more than the cap (a zip bomb, or a wrong file).
    #[error("{part}: inflates to more than {limit} bytes (zip bomb?); refusing the file")]
    TooLarge {
        /// The part that crossed the cap.
        part: String,
        /// The cap in bytes.
        limit: u64,
    },
    /// A part that must be read uses a compression method other than stored or deflate.
    #[error("{part}: compressed with an unsupported method ({method}); save it again from Word")]
    UnsupportedCompression {
        /// The part.
        part: String,
        /// The method's name.
        method: String,
    },
    /// The archive has no main document part.
    #[error("no word/document.xml (main document part): this is not a Word document")]
    MissingDocument,
    /// A part is not well-formed XML (or not UTF-8).
    #[error("{part}:{line}:{column}: malformed XML: {message}")]
    Xml {
        /// The part, e.g. `word/document.xml`.
        part: String,
        /// 1-based line in the part.
        line: u32,
        /// 1-based column in the part.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// A field that cannot be merged: unbalanced field characters, an instruction that is too
    /// long or cannot be parsed, regions that do not nest, an unknown field under `strict`.
    #[error("{part}:{line}:{column}: {message}")]
    Field {
        /// The part.
        part: String,
        /// 1-based line in the part.
        line: u32,
        /// 1-based column in the part.
        column: u32,
        /// What is wrong, and how to fix it.
        message: String,
    },
    /// `SKIPIF` asked to skip the only record of a single-record merge.
    #[error("{part}:{line}:{column}: SKIPIF skipped the record; nothing to produce")]
    Skipped {
        /// The part.
        part: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// Generic merge data that is not a JSON object of values and lists of objects.
    #[error("merge data: {0}")]
    Data(String),
    /// Writing the output archive failed.
    #[error("writing the merged document: {0}")]
    Write(String),
}

//! Small hand-made documents, one per kind of error: message, line and column.

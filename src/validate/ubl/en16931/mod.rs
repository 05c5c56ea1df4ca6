//! EN 16931's rules on UBL (CEN's UBL binding, version 1.3.16): the business rules of the
//! `UBL-model` pattern ([`model`], with the rules per VAT category in [`vat`]), the code lists of
//! the `Codesmodel` pattern ([`codes`]), and the syntax binding of the `UBL-syntax` pattern
//! (elements EN 16931 has no place for in [`syntax`] and [`forbidden`], repetition and data
//! types in [`repetition`]).

pub(crate) mod codes;
pub(crate) mod forbidden;
pub(crate) mod model;
pub(crate) mod repetition;
pub(crate) mod syntax;
pub(crate) mod vat;

use std::sync::LazyLock;

use super::Cx;
use super::engine::context::Pattern;

/// The `UBL-model` pattern, indexed once.
static MODEL: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(model::MODEL));

/// The `UBL-syntax` pattern's rules on repetition and data types, indexed once.
static REPETITION: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(repetition::STRUCTURE));

/// The `Codesmodel` pattern, indexed once.
static CODES: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(codes::CODES));

/// Runs every EN 16931 rule on the document.
pub(crate) fn run(cx: &mut Cx<'_, '_>) {
    MODEL.run(cx);
    syntax::run(cx);
    REPETITION.run(cx);
    CODES.run(cx);
}

/// The ids of every EN 16931 rule (unsorted, possibly repeated).
pub(crate) fn ids() -> impl Iterator<Item = &'static str> {
    MODEL
        .ids()
        .chain(syntax::ids())
        .chain(REPETITION.ids())
        .chain(CODES.ids())
}

//! The engine the rule sets share: Schematron's choice of which rule looks at which node
//! ([`context`]), XPath's value semantics ([`xpath`]), and what to report where the official
//! rules cannot evaluate a value ([`unjudged`]).

pub(crate) mod context;
pub(crate) mod shared;
pub(crate) mod unjudged;
pub(crate) mod xpath;

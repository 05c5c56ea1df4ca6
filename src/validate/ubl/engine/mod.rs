//! The engine the rule sets share: Schematron's choice of which rule looks at which node
//! ([`context`]) and XPath's value semantics ([`xpath`]).

pub(crate) mod context;
pub(crate) mod xpath;

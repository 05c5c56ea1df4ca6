//! Schematron's way of choosing which rule looks at which node, natively.
//!
//! A rule set is a list of patterns; a pattern is an ordered list of rules, each with a context
//! (an XPath match pattern such as `cac:InvoiceLine/cac:InvoicePeriod`) and asserts. Every
//! element of the document is offered to every pattern, and within a pattern only the **first**
//! rule whose context matches it runs its asserts: a later rule with an overlapping context
//! does not see that element. Contexts are matched bottom-up, from the element's own name to
//! its ancestors, and indexed by the last step's name, so an element is only tried against the
//! few rules that could match it.

use crate::ubl::{Node, Ns};
use crate::validate::{Message, Severity};

use crate::validate::ubl::Cx;

/// One step of a context: an element name, or any element (`*`), with an optional predicate.
#[derive(Clone, Copy)]
pub(crate) struct Step {
    /// `None` for `*`.
    pub name: Option<(Ns, &'static str)>,
    pub pred: Option<fn(Node<'_>) -> bool>,
}

/// One alternative of a context (the parts between `|`).
#[derive(Clone, Copy)]
pub(crate) struct Alt {
    /// Whether the first step is the root element (`/ubl:Invoice/...`, `/*/...`); otherwise the
    /// steps may sit anywhere (`a/b`, `//a/b`).
    pub rooted: bool,
    pub steps: &'static [Step],
}

/// An assert: the rule id, its severity, what passing means, and the message when it fails.
pub(crate) struct Assert {
    pub id: &'static str,
    pub severity: Severity,
    /// Whether the node passes; a test may walk up to the root for document-wide values.
    pub test: fn(Node<'_>) -> bool,
    pub message: Message,
}

/// A Schematron rule: a context and the asserts tried on each node it matches.
pub(crate) struct Rule {
    pub context: &'static [Alt],
    pub asserts: &'static [Assert],
}

/// How one version of a rule set differs from the table a pattern is written as: the official
/// rule sets change between versions by a test here, a dropped or an added assert there, and the
/// pattern of an older version is the table with these edits, not a copy of it.
#[derive(Clone, Copy)]
pub(crate) enum Edit {
    /// The assert with this id tests something else in that version.
    Test(&'static str, Test),
    /// That version has no assert with this id.
    Drop(&'static str),
    /// That version has this rule, placed before the table's rule that holds the assert `before`
    /// (the order of rules decides which one looks at a node).
    Insert {
        before: &'static str,
        rule: &'static Rule,
    },
}

/// An assert's test.
pub(crate) type Test = fn(Node<'_>) -> bool;

/// A rule as a pattern runs it: its context, and its asserts with the tests of the version.
struct Prepared {
    context: &'static [Alt],
    asserts: Vec<(&'static Assert, Test)>,
}

/// A pattern made ready: its rules and an index from element name to the rules whose context
/// ends in that name, in order.
pub(crate) struct Pattern {
    rules: Vec<Prepared>,
    /// Last step's name, and the rules whose context ends in it; sorted by [`key`].
    by_name: Vec<(&'static str, Vec<usize>)>,
    /// Rules with a context ending in `*`, tried on every element.
    any: Vec<usize>,
    /// The values a failed assert shows (the amounts a calculation rule compared, say), worked
    /// out only when an assert fails; `None` shows the node's own value.
    values: Option<Values>,
}

/// Works out what a failed assert (by id) shows about `node`.
pub(crate) type Values = fn(&'static str, Node<'_>) -> Option<String>;

impl Pattern {
    pub(crate) fn new(rules: &'static [Rule]) -> Pattern {
        Pattern::edited(rules, &[])
    }

    /// The pattern of `rules` as another version has it (see [`Edit`]).
    ///
    /// Panics when an edit names an assert the table does not have: the edits are written
    /// against the table, and a stale one is a programming error caught by the tests.
    pub(crate) fn edited(rules: &'static [Rule], edits: &[Edit]) -> Pattern {
        let holds = |r: &Rule, id: &str| r.asserts.iter().any(|a| a.id == id);
        for e in edits {
            let id = match e {
                Edit::Test(id, _) | Edit::Drop(id) => id,
                Edit::Insert { before, .. } => before,
            };
            assert!(
                rules.iter().any(|r| holds(r, id)),
                "an edit names {id}, which the table does not have"
            );
        }
        let prepare = |r: &'static Rule| Prepared {
            context: r.context,
            asserts: r
                .asserts
                .iter()
                .filter(|a| {
                    !edits
                        .iter()
                        .any(|e| matches!(e, Edit::Drop(id) if *id == a.id))
                })
                .map(|a| {
                    let test = edits
                        .iter()
                        .find_map(|e| match e {
                            Edit::Test(id, t) if *id == a.id => Some(*t),
                            _ => None,
                        })
                        .unwrap_or(a.test);
                    (a, test)
                })
                .collect(),
        };
        let mut prepared = Vec::with_capacity(rules.len());
        for r in rules {
            for e in edits {
                if let Edit::Insert { before, rule } = e
                    && holds(r, before)
                {
                    prepared.push(prepare(rule));
                }
            }
            prepared.push(prepare(r));
        }
        let mut by_name: Vec<(&'static str, Vec<usize>)> = Vec::new();
        let mut any = Vec::new();
        for (k, rule) in prepared.iter().enumerate() {
            for alt in rule.context {
                let list = match alt.steps.last().and_then(|s| s.name) {
                    Some((_, name)) => {
                        let at = match by_name.binary_search_by(|e| key(e.0).cmp(&key(name))) {
                            Ok(at) => at,
                            Err(at) => {
                                by_name.insert(at, (name, Vec::new()));
                                at
                            }
                        };
                        &mut by_name[at].1
                    }
                    None => &mut any,
                };
                if list.last() != Some(&k) {
                    list.push(k);
                }
            }
        }
        Pattern {
            rules: prepared,
            by_name,
            any,
            values: None,
        }
    }

    /// The pattern with `values` telling what its failed asserts show.
    pub(crate) fn with_values(self, values: Values) -> Pattern {
        Pattern {
            values: Some(values),
            ..self
        }
    }

    /// The ids of every assert, in order.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules
            .iter()
            .flat_map(|r| r.asserts.iter().map(|(a, _)| a.id))
    }

    /// The id and message of every assert, in order.
    pub(crate) fn messages(&self) -> impl Iterator<Item = (&'static str, Message)> + '_ {
        self.rules
            .iter()
            .flat_map(|r| r.asserts.iter().map(|(a, _)| (a.id, a.message)))
    }

    /// Offers every element of the document to the pattern.
    pub(crate) fn run(&self, cx: &mut Cx<'_, '_>) {
        let doc = cx.root.document();
        // The rules that may look at each symbol (distinct element name) of this document,
        // worked out once per document instead of once per element.
        let named: Vec<&[usize]> = (0..doc.symbols())
            .map(|symbol| {
                let name = doc.symbol_name(symbol as u32);
                match self.by_name.binary_search_by(|e| key(e.0).cmp(&key(name))) {
                    Ok(at) => &self.by_name[at].1[..],
                    Err(_) => &[],
                }
            })
            .collect();
        let symbol_of = doc.symbol_of();
        // Whether assert results are shared with another rule set, decided once per pattern
        // run rather than once per assert.
        let sharing = super::shared::active();
        if self.any.is_empty() {
            // Only the elements some rule names, in document order.
            let mut order: Vec<u32> = named
                .iter()
                .enumerate()
                .filter(|(_, rules)| !rules.is_empty())
                .flat_map(|(symbol, _)| doc.symbol_elements(symbol as u32).iter().copied())
                .collect();
            order.sort_unstable();
            for k in order {
                let rules = named[symbol_of[k as usize] as usize];
                self.visit(cx, doc.node_at(k), rules, sharing);
            }
        } else {
            for k in 0..cx.root.subtree_end() {
                let rules = named[symbol_of[k as usize] as usize];
                self.visit(cx, doc.node_at(k), rules, sharing);
            }
        }
    }

    /// Offers `node` to the first rule, of `named` (the rules whose context ends in its name)
    /// and those ending in `*`, whose context matches it; `sharing` says whether the asserts go
    /// through [`super::shared::passes`].
    fn visit(&self, cx: &mut Cx<'_, '_>, node: Node<'_>, named: &[usize], sharing: bool) {
        if named.is_empty() && self.any.is_empty() {
            return;
        }
        // Both lists are in rule order: walk them merged, first match wins.
        let (mut i, mut j) = (0, 0);
        let rule = loop {
            let k = match (named.get(i), self.any.get(j)) {
                (Some(&a), Some(&b)) if a <= b => {
                    i += 1;
                    a
                }
                (_, Some(&b)) => {
                    j += 1;
                    b
                }
                (Some(&a), None) => {
                    i += 1;
                    a
                }
                (None, None) => break None,
            };
            let r = &self.rules[k];
            if r.context.iter().any(|alt| alt.matches(node)) {
                break Some(r);
            }
        };
        let Some(rule) = rule else {
            return;
        };
        super::unjudged::looking_at(node);
        for &(a, test) in &rule.asserts {
            let pass = if sharing {
                super::shared::passes(test, node)
            } else {
                test(node)
            };
            if !pass {
                let shown = self
                    .values
                    .and_then(|v| super::unjudged::quietly(|| v(a.id, node)));
                cx.fail(a.id, a.severity, node, shown, a.message);
            }
        }
    }
}

/// The order of names for lookups: by length first, so most comparisons end before comparing
/// any bytes.
fn key(name: &str) -> (usize, &str) {
    (name.len(), name)
}

impl Alt {
    fn matches(&self, node: Node<'_>) -> bool {
        let mut at = Some(node);
        for step in self.steps.iter().rev() {
            let Some(n) = at else {
                return false;
            };
            if let Some((ns, name)) = step.name
                && (n.ns() != ns || n.name() != name)
            {
                return false;
            }
            // A predicate the official rules cannot evaluate does not match.
            if step.pred.is_some_and(|p| !super::unjudged::probe(|| p(n))) {
                return false;
            }
            at = n.parent();
        }
        !self.rooted || at.is_none()
    }
}

/// A context alternative that may sit anywhere (`a/b`, `//a/b`).
pub(crate) const fn rel(steps: &'static [Step]) -> Alt {
    Alt {
        rooted: false,
        steps,
    }
}

/// A context alternative whose first step is the root element (`/ubl:Invoice/…`, `/*/…`).
pub(crate) const fn rooted(steps: &'static [Step]) -> Alt {
    Alt {
        rooted: true,
        steps,
    }
}

/// A step without a predicate.
pub(crate) const fn el(ns: Ns, name: &'static str) -> Step {
    Step {
        name: Some((ns, name)),
        pred: None,
    }
}

/// A step with a predicate.
pub(crate) const fn el_if(ns: Ns, name: &'static str, pred: fn(Node<'_>) -> bool) -> Step {
    Step {
        name: Some((ns, name)),
        pred: Some(pred),
    }
}

/// `*`.
pub(crate) const ANY: Step = Step {
    name: None,
    pred: None,
};

/// The root element of an invoice.
pub(crate) const INVOICE: Step = el(Ns::Invoice, "Invoice");
/// The root element of a credit note.
pub(crate) const CREDIT_NOTE: Step = el(Ns::CreditNote, "CreditNote");

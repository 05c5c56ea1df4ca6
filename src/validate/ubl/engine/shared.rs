//! Assert results shared between the rule sets run on one document.
//!
//! SI-UBL embeds its own copy of the EN 16931 rules (CEN 1.3.15), which differs from the EN 16931
//! set (1.3.16) in a handful of asserts only. When one document is judged by both, every other
//! assert would be evaluated twice on the same elements with the same test. Tests are pure
//! functions of the element (and its document), so while [`sharing`] runs, each result is kept
//! with what its evaluation noted ([`super::unjudged`]), and a later evaluation of the same test
//! on the same element takes the result and notes again the same values instead of evaluating
//! anew. Outside [`sharing`] nothing is kept.

use std::cell::RefCell;

use super::context::Test;
use super::unjudged::{self, NotJudged};
use crate::ubl::{FastMap, Node};

#[derive(Default)]
struct Kept {
    /// Whether the rules running now share their results ([`shared`]).
    on: bool,
    /// (test, element id) → the result and the range of `noted` its evaluation noted.
    results: FastMap<(usize, u32), (bool, u32, u32)>,
    noted: Vec<NotJudged>,
}

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// Runs `f` with assert results shared between the rule sets it runs.
pub(crate) fn sharing<T>(f: impl FnOnce() -> T) -> T {
    /// Restores the outer state also when `f` unwinds.
    struct Restore(Option<Kept>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            KEPT.with(|k| *k.borrow_mut() = outer);
        }
    }
    let _restore = Restore(KEPT.with(|k| k.borrow_mut().replace(Kept::default())));
    f()
}

/// Runs `f`, a rule set's part that other sets run too, sharing its assert results (when inside
/// [`sharing`]); other rules keep evaluating their asserts directly.
pub(crate) fn shared<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(Option<bool>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(was) = self.0 {
                KEPT.with(|k| {
                    if let Some(kept) = k.borrow_mut().as_mut() {
                        kept.on = was;
                    }
                });
            }
        }
    }
    let _restore = Restore(KEPT.with(|k| {
        k.borrow_mut()
            .as_mut()
            .map(|kept| std::mem::replace(&mut kept.on, true))
    }));
    f()
}

/// Whether assert results are being shared now (inside both [`sharing`] and [`shared`]).
pub(crate) fn active() -> bool {
    KEPT.with(|k| k.borrow().as_ref().is_some_and(|kept| kept.on))
}

/// Whether `node` passes `test`, evaluated once per element while [`sharing`] and [`shared`].
pub(crate) fn passes(test: Test, node: Node<'_>) -> bool {
    enum Look {
        Off,
        Hit(bool),
        Miss,
    }
    let key = (test as usize, node.id());
    let look = KEPT.with(|k| {
        let k = k.borrow();
        let Some(kept) = k.as_ref().filter(|kept| kept.on) else {
            return Look::Off;
        };
        let Some(&(pass, from, to)) = kept.results.get(&key) else {
            return Look::Miss;
        };
        for n in &kept.noted[from as usize..to as usize] {
            unjudged::note(*n);
        }
        Look::Hit(pass)
    });
    match look {
        Look::Off => test(node),
        Look::Hit(pass) => pass,
        Look::Miss => {
            let before = unjudged::mark();
            let pass = test(node);
            let noted = unjudged::since(before);
            KEPT.with(|k| {
                if let Some(kept) = k.borrow_mut().as_mut() {
                    let from = to_u32(kept.noted.len());
                    kept.noted.extend(noted);
                    let to = to_u32(kept.noted.len());
                    kept.results.insert(key, (pass, from, to));
                }
            });
            pass
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

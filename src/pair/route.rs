//! Routing a batch by the customer's KvK number, as InvoiceSharing does.
//!
//! InvoiceSharing finds the recipient of an invoice by the customer's Chamber of Commerce (KvK)
//! number, so an invoice whose customer has none cannot be delivered through it. [`by_kvk`]
//! groups a batch per customer KvK number and lists every invoice it has to refuse, with the
//! reason in words.
//!
//! ```
//! use factuur::pair::route;
//!
//! let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
//! let good = factuur::Invoice::from_json(&json).unwrap();
//! let mut bad = good.clone();
//! bad.number = "2026-00018".into();
//! bad.customer.as_mut().unwrap().kvk = None;
//!
//! let batch = [good, bad];
//! let routing = route::by_kvk(&batch);
//! assert_eq!(routing.groups.len(), 1);
//! assert_eq!(routing.groups["30124517"].len(), 1);
//! assert_eq!(routing.refused.len(), 1);
//! assert!(routing.refused[0].reason.contains("no KvK number"));
//! ```

use std::collections::BTreeMap;

use crate::Invoice;
use crate::model::Kvk;

/// An item the router could not place, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal<T> {
    /// The refused item.
    pub item: T,
    /// Why, in words a person can act on.
    pub reason: String,
}

/// A batch grouped by customer KvK number (ascending), and what was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing<T> {
    /// Items per customer KvK number, in batch order within a group.
    pub groups: BTreeMap<String, Vec<T>>,
    /// Items that cannot be routed, in batch order.
    pub refused: Vec<Refusal<T>>,
}

impl<T> Routing<T> {
    /// Number of items that can be delivered.
    pub fn routable(&self) -> usize {
        self.groups.values().map(Vec::len).sum()
    }
}

/// Groups items by a KvK number that `kvk` finds for each; `kvk` returns the reason when an item
/// has none.
pub fn group<T>(
    items: impl IntoIterator<Item = T>,
    mut kvk: impl FnMut(&T) -> Result<Kvk, String>,
) -> Routing<T> {
    let mut routing = Routing {
        groups: BTreeMap::new(),
        refused: Vec::new(),
    };
    for item in items {
        match kvk(&item) {
            Ok(k) => routing
                .groups
                .entry(k.as_str().to_owned())
                .or_default()
                .push(item),
            Err(reason) => routing.refused.push(Refusal { item, reason }),
        }
    }
    routing
}

/// The customer's KvK number, or why InvoiceSharing could not route the invoice.
pub fn customer_kvk(invoice: &Invoice) -> Result<Kvk, String> {
    let n = &invoice.number;
    let Some(c) = &invoice.customer else {
        return Err(format!(
            "invoice {n} has no customer; InvoiceSharing finds the recipient by the customer's KvK number"
        ));
    };
    match (&c.kvk, &c.oin) {
        (Some(k), _) => Ok(k.clone()),
        (None, Some(oin)) => Err(format!(
            "invoice {n}: customer {} has an OIN ({oin}) but no KvK number; InvoiceSharing \
             routes by KvK number, so send this invoice to the government body another way \
             (e.g. Peppol)",
            c.name
        )),
        (None, None) => Err(format!(
            "invoice {n}: customer {} has no KvK number; InvoiceSharing finds the recipient by \
             the customer's KvK number, so add it to the customer (customer.kvk)",
            c.name
        )),
    }
}

/// Groups invoices by their customer's KvK number; invoices without one are refused.
pub fn by_kvk(invoices: &[Invoice]) -> Routing<&Invoice> {
    group(invoices.iter(), |i| customer_kvk(i))
}

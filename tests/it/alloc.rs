//! The error check does not allocate when an invoice passes (it runs on every save in a
//! backend). Counted with a global allocator that counts per thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use factuur::Invoice;
use factuur::model::VatCodeTable;
use factuur::validate::{Report, check};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: forwards to the system allocator with the caller's layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwards to the system allocator that made `ptr`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: forwards to the system allocator that made `ptr`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn passing_invoice_allocates_nothing() {
    let table = VatCodeTable::dutch_default();
    for file in crate::sample_files() {
        let inv = Invoice::from_json(&std::fs::read(&file).unwrap()).unwrap();
        let mut ok = true;
        let n = allocations_during(|| {
            let report = check::check(&inv, &table);
            ok = report.is_ok();
        });
        assert!(ok, "{} must pass the check", file.display());
        assert_eq!(n, 0, "{}: the check allocated {n} times", file.display());
    }
}

#[test]
fn failing_invoice_allocates_for_its_findings() {
    // The counter works: findings cost allocations, so a zero above means something.
    let table = VatCodeTable::dutch_default();
    let mut inv = Invoice::from_json(
        &std::fs::read(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap(),
    )
    .unwrap();
    inv.customer = None;
    let mut report = Report::new();
    let n = allocations_during(|| check::check_into(&inv, &table, &mut report));
    assert_eq!(report.findings.len(), 1);
    assert!(n > 0);
}

/// An invoice of `n` lines (the lines of the domestic sample, repeated) as SI-UBL bytes.
fn ubl_with_lines(n: usize) -> Vec<u8> {
    let mut inv = Invoice::from_json(
        &std::fs::read(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap(),
    )
    .unwrap();
    let template = inv.lines.clone();
    inv.lines = (0..n)
        .map(|i| {
            let mut l = template[i % template.len()].clone();
            l.id = (i + 1).to_string();
            l
        })
        .collect();
    factuur::ubl::to_xml(&inv, factuur::ubl::Profile::Nlcius).unwrap()
}

#[test]
fn structure_check_allocates_per_document_not_per_element() {
    // The check keeps one frame per open element and one buffer for values, both reused: a
    // valid document of 1,000 lines costs it no more allocations than one of 10.
    let mut counts = Vec::new();
    for n in [10, 1_000] {
        let xml = ubl_with_lines(n);
        let doc = factuur::ubl::parse(&xml).unwrap();
        let mut errors = 1;
        let allocations = allocations_during(|| {
            errors = factuur::validate::ubl::schema::check(&doc).len();
        });
        assert_eq!(errors, 0, "{n} lines");
        counts.push((doc.len(), allocations));
    }
    let (small, large) = (counts[0], counts[1]);
    assert!(large.0 > 50 * small.0, "{counts:?}");
    assert!(small.1 <= 8 && large.1 <= small.1, "{counts:?}");
}

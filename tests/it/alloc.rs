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

//! Reads UBL files, writes each back (keeping its CustomizationID and ProfileID) into a
//! directory, and reports files that could not be read or written.
//!
//! Run: `cargo run --example roundtrip OUT_DIR FILE.xml...`

use factuur::ubl::{self, Profile};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("usage: roundtrip OUT_DIR FILE.xml...");
    std::fs::create_dir_all(&out).expect("create output directory");
    let mut failed = 0;
    for (i, f) in args.enumerate() {
        let bytes = std::fs::read(&f).expect("read input");
        let result = ubl::from_xml(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|inv| ubl::to_xml(&inv, Profile::Peppol).map_err(|e| e.to_string()));
        match result {
            Ok(xml) => std::fs::write(format!("{out}/{i:04}.xml"), xml).expect("write"),
            Err(e) => {
                failed += 1;
                println!("{f}: {e}");
            }
        }
    }
    println!("{failed} failed");
}

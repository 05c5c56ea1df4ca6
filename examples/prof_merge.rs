//! Profiling harness for the merge: `cargo build --release --example prof_merge`, then
//! `valgrind --tool=callgrind target/release/examples/prof_merge render 1000` (or `floor`).
use factuur::merge::{MergeOptions, Record, Template};

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "render".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let t = Template::open(std::fs::read("benches/peer/template.docx").expect("template"))
        .expect("template opens");
    let r = Record::from_json(&std::fs::read("benches/peer/data.json").expect("data"))
        .expect("data reads");
    let options = MergeOptions::default();
    let start = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += match what.as_str() {
            "floor" => t.copy_floor().expect("floor").len(),
            _ => t.render_data(&r, &options).expect("render").docx.len(),
        };
    }
    let per = start.elapsed() / n as u32;
    println!("{what}: {per:?} per document, {total} bytes");
}

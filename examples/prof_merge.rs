//! The merge against its floor, for profiling and for a noise-resistant ratio.
//!
//! - `cargo run --release --example prof_merge -- ratio [ROUNDS]`: alternates blocks of renders
//!   and floor copies on the benchmark template, so both see the same machine state, and prints
//!   the median time per document of each and their ratio.
//! - `valgrind --tool=callgrind target/release/examples/prof_merge render 1000` (or `floor`):
//!   instruction counts, repeatable whatever else the machine does.
use std::time::{Duration, Instant};

use factuur::merge::{MergeOptions, Record, Template};

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "ratio".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let t = Template::open(std::fs::read("benches/peer/template.docx").expect("template"))
        .expect("template opens");
    let r = Record::from_json(&std::fs::read("benches/peer/data.json").expect("data"))
        .expect("data reads");
    let options = MergeOptions::default();
    let render = || t.render_data(&r, &options).expect("render").docx.len();
    let floor = || t.copy_floor().expect("floor").len();
    match what.as_str() {
        "render" => {
            let total: usize = (0..n).map(|_| render()).sum();
            println!("render: {n} documents, {total} bytes");
        }
        "floor" => {
            let total: usize = (0..n).map(|_| floor()).sum();
            println!("floor: {n} copies, {total} bytes");
        }
        _ => {
            const BLOCK: u32 = 200;
            let time = |f: &dyn Fn() -> usize| {
                let start = Instant::now();
                for _ in 0..BLOCK {
                    std::hint::black_box(f());
                }
                start.elapsed() / BLOCK
            };
            // Warm up both.
            for _ in 0..5 {
                time(&render);
                time(&floor);
            }
            let (mut rs, mut fs): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
            let mut ratios = Vec::new();
            for _ in 0..n.max(1) {
                let a = time(&render);
                let b = time(&floor);
                rs.push(a);
                fs.push(b);
                ratios.push(a.as_secs_f64() / b.as_secs_f64());
            }
            let median = |v: &mut Vec<Duration>| {
                v.sort();
                v[v.len() / 2]
            };
            ratios.sort_by(f64::total_cmp);
            let (mr, mf) = (median(&mut rs), median(&mut fs));
            println!(
                "render {mr:?}, floor {mf:?} per document (medians of {} blocks of {BLOCK}); \
                 ratio of medians {:.2}, median of block ratios {:.2} (quartiles {:.2}-{:.2})",
                rs.len(),
                mr.as_secs_f64() / mf.as_secs_f64(),
                ratios[ratios.len() / 2],
                ratios[ratios.len() / 4],
                ratios[ratios.len() * 3 / 4],
            );
        }
    }
}

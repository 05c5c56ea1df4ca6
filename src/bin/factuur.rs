//! The `factuur` command-line tool. The commands live in `src/cli/`, one file per group; this
//! file only hands over to them.

#[path = "../cli/mod.rs"]
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}

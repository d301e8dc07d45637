//! The `gazette` command line. Raw arguments become validated settings here,
//! then one of the commands in `cli/` runs. Exit codes: 0 success, 1 content
//! errors, 2 usage or I/O errors.

mod cli;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() {
    let args = cli::Args::parse();
    let code = cli::run(args);
    std::process::exit(code);
}

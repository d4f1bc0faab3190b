//! The `residue` binary: parses the command line, runs the command, maps the outcome to an
//! exit code (0 all scored, 1 fatal, 2 usage, 3 some records unreadable, 130 interrupted).
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let _ = ctrlc::set_handler(|| {
        residue::pipeline::INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
        residue::output::remove_temporary_files();
        eprintln!("residue: interrupted; no partial output left behind");
        std::process::exit(130);
    });
    match commands::run(cli.command) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(residue::Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(error @ residue::Error::Usage(_)) => {
            eprintln!("residue: {error}");
            ExitCode::from(2)
        }
        Err(residue::Error::Interrupted) => ExitCode::from(130),
        Err(error) => {
            eprintln!("residue: {error}");
            ExitCode::from(1)
        }
    }
}

//! The library's one error type. Every variant names the file (and line, where there is one)
//! so that the binary can print a message a user can act on.
use std::path::PathBuf;

/// Anything that can go wrong in residue.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model file is missing or malformed.
    #[error("{file}:{line}: {message}")]
    Model { file: String, line: usize, message: String },
    /// An input could not be read at all (missing, unreadable, not a supported format).
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    /// One record of an input could not be read; the rest of the input goes on.
    #[error("{path}:{line}: {message}")]
    Record { path: PathBuf, line: u64, message: String },
    /// The output could not be written.
    #[error("{path}: {source}")]
    Output { path: PathBuf, source: std::io::Error },
    /// The run was interrupted (SIGINT) before it completed.
    #[error("interrupted")]
    Interrupted,
    /// Writing failed because the reader went away (a closed pipe): not an error to report.
    #[error("broken pipe")]
    BrokenPipe,
    /// A usage error found after argument parsing (e.g. conflicting options).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Wraps an I/O error from writing `path`, singling out a closed pipe.
    pub fn output(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            Error::BrokenPipe
        } else {
            Error::Output { path: path.into(), source }
        }
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

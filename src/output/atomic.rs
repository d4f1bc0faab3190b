//! An output that is either complete or absent: a file is written under a temporary name
//! beside its target and renamed over it on `commit`; dropped uncommitted (an error, an
//! interrupt), the temporary file is removed. `-` or no path writes to standard output.
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where output goes.
pub struct Output {
    writer: Option<BufWriter<Box<dyn Write + Send>>>,
    temporary: Option<PathBuf>,
    target: PathBuf,
}

impl Output {
    /// Opens `path` for writing (standard output for `None` or `-`).
    pub fn create(path: Option<&Path>) -> Result<Self> {
        match path {
            None => Ok(Self::stdout()),
            Some(p) if p.as_os_str() == "-" => Ok(Self::stdout()),
            // A device or pipe (/dev/null, a FIFO) is written in place: renaming over it would
            // replace it with a regular file.
            Some(target) if std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
                let file =
                    std::fs::OpenOptions::new().write(true).open(target).map_err(|e| Error::output(target, e))?;
                Ok(Output {
                    writer: Some(BufWriter::with_capacity(1 << 20, Box::new(file))),
                    temporary: None,
                    target: target.to_path_buf(),
                })
            }
            Some(target) => {
                let file_name =
                    target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
                let temporary = target.with_file_name(format!(".{file_name}.residue-{}.tmp", std::process::id()));
                let file = File::create(&temporary).map_err(|e| Error::output(target, e))?;
                TEMPORARY.lock().map(|mut t| t.push(temporary.clone())).ok();
                Ok(Output {
                    writer: Some(BufWriter::with_capacity(1 << 20, Box::new(file))),
                    temporary: Some(temporary),
                    target: target.to_path_buf(),
                })
            }
        }
    }

    fn stdout() -> Self {
        Output {
            writer: Some(BufWriter::with_capacity(1 << 16, Box::new(io::stdout()))),
            temporary: None,
            target: PathBuf::from("<stdout>"),
        }
    }

    /// The path named for messages.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The writer. Errors from it should go through [`Output::error`].
    pub fn writer(&mut self) -> &mut dyn Write {
        self.writer.as_mut().expect("writer present until commit")
    }

    /// Wraps an I/O error from writing this output.
    pub fn error(&self, error: io::Error) -> Error {
        Error::output(&self.target, error)
    }

    /// Flushes, syncs and renames the temporary file to the target.
    pub fn commit(mut self) -> Result<()> {
        let mut writer = self.writer.take().expect("writer present until commit");
        writer.flush().map_err(|e| Error::output(&self.target, e))?;
        if let Some(temporary) = self.temporary.take() {
            let inner = writer.into_inner().map_err(|e| Error::output(&self.target, e.into_error()))?;
            drop(inner);
            if let Err(e) = std::fs::rename(&temporary, &self.target) {
                let _ = std::fs::remove_file(&temporary);
                return Err(Error::output(&self.target, e));
            }
            forget_temporary(&temporary);
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(temporary) = self.temporary.take() {
            self.writer.take();
            let _ = std::fs::remove_file(&temporary);
            forget_temporary(&temporary);
        }
    }
}

/// Temporary files currently open, so that an interrupt handler can remove them.
static TEMPORARY: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn forget_temporary(path: &Path) {
    if let Ok(mut open) = TEMPORARY.lock() {
        open.retain(|p| p != path);
    }
}

/// Removes every temporary output file still open (called on SIGINT before exiting).
pub fn remove_temporary_files() {
    if let Ok(open) = TEMPORARY.lock() {
        for path in open.iter() {
            let _ = std::fs::remove_file(path);
        }
    }
}

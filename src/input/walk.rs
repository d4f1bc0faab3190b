//! Folder walking: recursive, sorted, hidden entries skipped, symlinked folders not
//! followed (no loops), unreadable entries reported.
use std::path::Path;

use super::{InputFile, InputOptions, format_of, io_message};
use crate::error::Error;

pub fn walk(root: &Path, options: &InputOptions, files: &mut Vec<InputFile>, errors: &mut Vec<Error>) {
    visit(root, root, options, files, errors);
}

fn visit(root: &Path, dir: &Path, options: &InputOptions, files: &mut Vec<InputFile>, errors: &mut Vec<Error>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Error::Input { path: dir.to_path_buf(), message: io_message(&e) });
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if meta.is_dir() {
            visit(root, &path, options, files, errors);
        } else if meta.file_type().is_symlink() && path.is_dir() {
            continue; // a symlinked folder could loop back; not followed
        } else if options.format.is_some() || format_of(&path).is_some() {
            let id = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            files.push(InputFile { path, id });
        }
    }
}

//! Embeds every file under `models/` into the binary, so that the default model travels
//! with it and a user's `--model DIR` of the same layout is read exactly the same way.
use std::{env, fs, path::Path};

fn main() {
    let root = Path::new("models");
    println!("cargo:rerun-if-changed=models");
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let mut out = String::from("/// Every file of the default model: (path under `models/`, contents).\n");
    out.push_str("pub static EMBEDDED_MODEL: &[(&str, &str)] = &[\n");
    for file in &files {
        let relative = file.strip_prefix(root).expect("walked below models/").to_string_lossy().replace('\\', "/");
        let absolute = fs::canonicalize(file).expect("model file exists");
        out.push_str(&format!("    ({relative:?}, include_str!({:?})),\n", absolute.display().to_string()));
    }
    out.push_str("];\n");
    let target = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_model.rs");
    fs::write(target, out).expect("OUT_DIR is writable");
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("tsv" | "toml")) {
            files.push(path);
        }
    }
}

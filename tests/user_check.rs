//! Folder-driven snapshot tests of personal-rule diagnostics: each file
//! under `tests/user/check/` is one case, parsed and checked, and its
//! rendered diagnostics are compared with `tests/user/check/snapshots/`.
//! Files under `tests/user/compile/` must compile, and their program
//! listings are compared the same way.

#[path = "user/common.rs"]
mod common;

use std::path::{Path, PathBuf};

use rulec::limits::Limits;
use rulec::span::SourceFile;

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/user/check");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/user/check exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rules"))
        .collect();
    files.sort();
    files
}

#[test]
fn check_cases_match_snapshots() {
    let files = case_files();
    assert!(files.len() >= 18, "found only {} cases", files.len());

    // Run every case before failing, so one failure never hides another.
    let mut failed = Vec::new();
    for path in &files {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let source = SourceFile::new(format!("{name}.rules"), text);
        let rendered = common::render(
            &source,
            &common::diagnostics_of(&source, &Limits::default()),
        );
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({
                snapshot_path => "user/check/snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(name.clone(), rendered);
            });
        });
        if result.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "snapshots differ for: {failed:?}");
}

#[test]
fn every_bad_case_has_an_error_or_warning() {
    for path in case_files() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let source = SourceFile::new(name.clone(), std::fs::read_to_string(&path).unwrap());
        let diagnostics = common::diagnostics_of(&source, &Limits::default());
        if name == "forward_then_delete" {
            assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}");
        } else {
            assert!(!diagnostics.is_empty(), "{name} has no diagnostics");
        }
    }
}

/// Each file under `tests/user/compile/` compiles cleanly, and its program
/// listing matches `tests/user/compile/snapshots/`.
#[test]
fn compile_cases_match_listings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/user/compile");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/user/compile exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rules"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "found only {} cases", files.len());

    let mut failed = Vec::new();
    for path in &files {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let source = SourceFile::new(
            format!("{name}.rules"),
            std::fs::read_to_string(path).unwrap(),
        );
        let (program, diagnostics) =
            rulec::user::build(rulec::span::FileId(0), &source, &Limits::default());
        assert_eq!(diagnostics, vec![], "{name}");
        let listing = program.expect("a clean file compiles").listing();
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({
                snapshot_path => "user/compile/snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(name.clone(), listing);
            });
        });
        if result.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "listings differ for: {failed:?}");
}

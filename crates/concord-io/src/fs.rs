//! Files read into memory and written safely, for every front end (the command line, the
//! server's analyst files, the Python package): regular files only, a size limit, UTF-8 with
//! the position of the first bad byte, Genius folders whose entries must all be files, report
//! folders under a byte limit, writes through a temporary file and a rename, and paths tidied
//! for messages.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use concord_core::model::Source;

use crate::genius::NamedText;

/// The largest input file Concord reads (scenario files, Genius files, configurations, alias
/// files, source texts): far beyond any real negotiation, and a guard against `/dev/zero` or a
/// mistaken data file.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The default limit on a folder of reports read for claim extraction, in bytes: extraction of
/// the shared reports takes about 0.5 CPU-seconds per MiB (bench/RESULTS.md).
pub const MAX_REPORT_BYTES: u64 = 2 << 20;

/// Why a file or folder could not be read or written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum FsError {
    /// The file, folder or entry cannot be used: missing, not a regular file, too large, not
    /// UTF-8, unreadable. The message names it and what was expected.
    #[error("{0}")]
    Bad(String),
    /// The system could not open, read or write a path (missing, no permission, …); `kind`
    /// says which, so that a front end can raise its own kind of error (Python's
    /// `FileNotFoundError`).
    #[error("{message}")]
    Io {
        /// What could not be done, to which path, and the system's reason.
        message: String,
        /// The system's reason.
        kind: std::io::ErrorKind,
    },
    /// The `.txt` reports of a folder hold more bytes than the limit the caller set.
    #[error("the reports of {} hold {total} bytes or more, over the limit of {limit}", dir.display())]
    ReportsTooLarge {
        /// The folder.
        dir: PathBuf,
        /// The bytes counted when the limit was passed.
        total: u64,
        /// The limit.
        limit: u64,
    },
}

fn bad(message: String) -> FsError {
    FsError::Bad(message)
}

fn io(message: String, e: &std::io::Error) -> FsError {
    FsError::Io {
        message: format!("{message}: {e}"),
        kind: e.kind(),
    }
}

/// Reads a text file (`what` names it in messages): a regular file of at most
/// [`MAX_INPUT_BYTES`], in UTF-8. A byte that is not UTF-8 is reported with its byte offset,
/// line and column.
pub fn read_text(path: &Path, what: &str) -> Result<String, FsError> {
    let cannot = |e: std::io::Error| io(format!("cannot read {what} {}", path.display()), &e);
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(bad(format!(
            "{}: not a regular file (a folder, device or pipe); expected a {what}",
            path.display()
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(bad(format!(
            "{}: larger than {} MiB, the most Concord reads as a {what}",
            path.display(),
            MAX_INPUT_BYTES >> 20
        )));
    }
    utf8(bytes, path, what)
}

/// The text of `bytes` read from `path`, or where its first byte that is not UTF-8 sits.
fn utf8(bytes: Vec<u8>, path: &Path, what: &str) -> Result<String, FsError> {
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // Everything before the bad byte is valid UTF-8, so lines and columns are countable.
        let good = std::str::from_utf8(good).unwrap_or_default();
        let line = good.matches('\n').count() + 1;
        let column = good.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        bad(format!(
            "{}:{line}:{column}: found a byte that is not UTF-8 (byte offset {}), expected a {what} in UTF-8",
            path.display(),
            good.len()
        ))
    })
}

/// A file's name as text.
fn name_of(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

/// Whether a path's extension is one of `extensions` (without the dot, any case).
fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The entries of a folder, sorted by name.
fn entries(dir: &Path) -> Result<Vec<PathBuf>, FsError> {
    let cannot = |e: std::io::Error| io(format!("cannot read folder {}", dir.display()), &e);
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(cannot)? {
        paths.push(entry.map_err(cannot)?.path());
    }
    paths.sort();
    Ok(paths)
}

/// The files of a Genius or GeniusWeb folder: its `.xml` and `.json` entries, by name. An entry
/// with such a name that is not a regular file (a dangling link, a link loop, a pipe, a device
/// or a folder) is an error rather than skipped: a profile left out silently would remove a
/// party from the analysis. A folder with no such entry is an error that says what it should
/// hold (and names the scenario files it holds instead, if any).
pub fn read_genius_folder(dir: &Path) -> Result<Vec<NamedText>, FsError> {
    let mut files = Vec::new();
    for path in entries(dir)? {
        if !has_extension(&path, &["xml", "json"]) {
            continue;
        }
        // `metadata` follows links without opening anything, so a pipe never blocks here.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => {
                return Err(bad(format!(
                    "{}: not a regular file (a folder, device or pipe); a Genius folder's .xml and .json entries must be files",
                    path.display()
                )))
            }
            Err(e) => {
                let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
                return Err(bad(format!(
                    "{}: {}; a Genius folder's .xml and .json entries must be files",
                    path.display(),
                    if link {
                        format!("a symbolic link that leads to no file (dangling, or a loop): {e}")
                    } else {
                        format!("cannot be read: {e}")
                    }
                )));
            }
        }
        let text = read_text(&path, "file")?;
        files.push(NamedText {
            name: name_of(&path),
            text,
        });
    }
    if files.is_empty() {
        return Err(not_a_genius_folder(dir));
    }
    Ok(files)
}

/// The error for a folder that holds no Genius or GeniusWeb files: what a folder should hold,
/// and the scenario files it holds instead, if any.
fn not_a_genius_folder(dir: &Path) -> FsError {
    let tomls: Vec<String> = entries(dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| has_extension(p, &["toml"]))
        .map(|p| p.display().to_string())
        .collect();
    let expected = "a folder should be a Genius domain (a domain .xml file and one profile .xml \
                    file per party) or a GeniusWeb domain (.json files)";
    bad(match tomls.first() {
        Some(first) => format!(
            "{} is a folder of {} scenario files, not a Genius folder: name one file (for example {first}); {expected}",
            dir.display(),
            tomls.len()
        ),
        None => format!("{} holds no .xml or .json files: {expected}", dir.display()),
    })
}

/// The `.txt` reports of `dir` as (file name, text), sorted by name; refused when they hold more
/// than `limit` bytes together (counted before they are read, and again while reading, so a
/// growing file or a device cannot pass it), or when there is none.
pub fn read_reports(dir: &Path, limit: u64) -> Result<Vec<(String, String)>, FsError> {
    if !dir.is_dir() {
        return Err(bad(not_a_folder(
            dir,
            "reports",
            "plain-text reports (*.txt)",
        )));
    }
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for path in entries(dir)? {
        if !path.is_file() || !has_extension(&path, &["txt"]) {
            continue;
        }
        let over = |total: u64| FsError::ReportsTooLarge {
            dir: dir.to_path_buf(),
            total,
            limit,
        };
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        if total.saturating_add(size) > limit {
            return Err(over(total.saturating_add(size)));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(&path)
            .and_then(|f| f.take(limit - total + 1).read_to_end(&mut bytes))
            .map_err(|e| io(format!("cannot read {}", path.display()), &e))?;
        total += bytes.len() as u64;
        if total > limit {
            return Err(over(total));
        }
        let text = utf8(bytes, &path, "report")?;
        out.push((name_of(&path), text));
    }
    if out.is_empty() {
        return Err(bad(format!("no .txt reports in {}", dir.display())));
    }
    Ok(out)
}

/// Why `dir`, named as the `what` folder that holds `holds`, cannot be read as a folder: it does
/// not exist, or it is a file.
fn not_a_folder(dir: &Path, what: &str, holds: &str) -> String {
    if dir.exists() {
        format!(
            "{} is a file, not a folder: the {what} folder is a folder that holds {holds}",
            dir.display()
        )
    } else {
        format!("the {what} folder {} does not exist", dir.display())
    }
}

/// The texts of a scenario's sources (its `[[sources]]`), read from `dir`: one per source, in
/// order, `None` for a text that cannot be read (a missing text is a finding of the check, not
/// an error). The api refuses texts none of which could be read.
pub fn read_source_texts(sources: &[Source], dir: &Path) -> Result<Vec<Option<String>>, FsError> {
    if !dir.is_dir() {
        return Err(bad(not_a_folder(dir, "sources", "the sources' texts")));
    }
    Ok(sources
        .iter()
        .map(|s| read_text(&dir.join(&s.file), "source").ok())
        .collect())
}

/// Creates a folder and any missing parents (nothing to do when it exists).
pub fn create_dir(dir: &Path) -> Result<(), FsError> {
    std::fs::create_dir_all(dir).map_err(|e| io(format!("cannot create {}", dir.display()), &e))
}

/// Writes through a temporary file beside `path` and a rename, so that an existing file is never
/// left half written.
pub fn write_new_file(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), FsError> {
    let tmp = path.with_extension("concord-tmp");
    std::fs::write(&tmp, contents)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(format!("cannot write {}", path.display()), &e)
        })
}

/// Writes `files` (`(name, contents)`, as a report's `files()` gives them) into `dir`, creating
/// it if missing, each as [`write_new_file`] does; returns the paths written, tidied for
/// display ([`tidy`]).
pub fn write_files(
    dir: &Path,
    files: impl IntoIterator<Item = (String, Vec<u8>)>,
) -> Result<Vec<PathBuf>, FsError> {
    create_dir(dir)?;
    files
        .into_iter()
        .map(|(name, contents)| {
            let path = dir.join(name);
            write_new_file(&path, contents).map(|()| tidy(&path))
        })
        .collect()
}

/// Streams what `write` writes into the file at `path` (created, or truncated), buffered: for
/// output of any size, which is never held whole in memory. The path is opened as it is, so
/// that it may be a device or a pipe (`/dev/stdout`, a shell's `>(…)`).
pub fn write_stream(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), FsError> {
    let cannot = |e: std::io::Error| io(format!("cannot write {}", path.display()), &e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(cannot)?);
    write(&mut out).and_then(|()| out.flush()).map_err(cannot)
}

/// A path for display with `.` and `name/..` removed (`examples/../results/a.csv` is
/// `results/a.csv`). Lexical: the path used to open the file is left as it is.
pub fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("concord-io-fs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_byte_that_is_not_utf8_is_located() {
        let dir = scratch("utf8");
        let path = dir.join("bad.toml");
        std::fs::write(&path, b"[scenario]\nid = \"a\xffb\"\n").unwrap();
        let e = read_text(&path, "scenario file").unwrap_err().to_string();
        assert!(
            e.contains("bad.toml:2:8: found a byte that is not UTF-8 (byte offset 18)"),
            "{e}"
        );
    }

    #[test]
    fn a_folder_is_not_a_text_file_and_an_empty_one_is_no_genius_folder() {
        let dir = scratch("folders");
        let e = read_text(&dir, "scenario file").unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
        std::fs::write(dir.join("a.toml"), "").unwrap();
        let e = read_genius_folder(&dir).unwrap_err().to_string();
        assert!(
            e.contains("is a folder of 1 scenario files, not a Genius folder"),
            "{e}"
        );
    }

    #[test]
    fn reports_are_sorted_and_held_to_their_limit() {
        let dir = scratch("reports");
        std::fs::write(dir.join("b.txt"), "second").unwrap();
        std::fs::write(dir.join("a.txt"), "first").unwrap();
        std::fs::write(dir.join("notes.md"), "skipped").unwrap();
        let got = read_reports(&dir, 100).unwrap();
        assert_eq!(
            got,
            vec![
                ("a.txt".into(), "first".into()),
                ("b.txt".into(), "second".into())
            ]
        );
        match read_reports(&dir, 8) {
            Err(FsError::ReportsTooLarge {
                total, limit: 8, ..
            }) => assert!(total > 8),
            other => panic!("{other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_in_a_genius_folder_is_an_error() {
        let dir = scratch("dangling");
        std::os::unix::fs::symlink(dir.join("nowhere.xml"), dir.join("profile.xml")).unwrap();
        let e = read_genius_folder(&dir).unwrap_err().to_string();
        assert!(e.contains("dangling"), "{e}");
    }

    #[test]
    fn a_missing_source_text_is_none_and_a_missing_folder_an_error() {
        let dir = scratch("sources");
        std::fs::write(dir.join("a.txt"), "the quote").unwrap();
        let sources: Vec<Source> = ["a.txt", "b.txt"]
            .map(|file| Source {
                file: file.to_string(),
                ..Default::default()
            })
            .into();
        let texts = read_source_texts(&sources, &dir).unwrap();
        assert_eq!(texts, vec![Some("the quote".to_string()), None]);
        let e = read_source_texts(&sources, &dir.join("nowhere"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("the sources folder ") && e.ends_with("does not exist"),
            "{e}"
        );
        let e = read_source_texts(&sources, &dir.join("a.txt"))
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("a.txt is a file, not a folder: the sources folder is a folder that holds the sources' texts"),
            "{e}"
        );
    }

    #[test]
    fn a_file_given_as_the_reports_folder_is_named_as_a_file() {
        let dir = scratch("reports-or-a-file");
        std::fs::write(dir.join("a.txt"), "first").unwrap();
        let e = read_reports(&dir.join("a.txt"), 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("a.txt is a file, not a folder: the reports folder is a folder that holds plain-text reports (*.txt)"),
            "{e}"
        );
        let e = read_reports(&dir.join("nowhere"), 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("the reports folder ") && e.ends_with("does not exist"),
            "{e}"
        );
    }

    #[test]
    fn a_stream_is_written_whole_and_a_folder_is_created_with_its_parents() {
        let dir = scratch("stream").join("a/b");
        create_dir(&dir).unwrap();
        let path = dir.join("lines.jsonl");
        write_stream(&path, |out| writeln!(out, "{{}}")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
        let e = write_stream(&dir.join("no/such/folder"), |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("cannot write "), "{e}");
    }

    #[test]
    fn tidy_removes_dots_and_folders_left_again() {
        let tidied = |p: &str| tidy(Path::new(p)).display().to_string();
        assert_eq!(tidied("examples/../results/./a.csv"), "results/a.csv");
        assert_eq!(tidied("./a/b/../../c"), "c");
        // A `..` with nothing left to remove stays: the path leaves the folder.
        assert_eq!(tidied("../up/x"), "../up/x");
        assert_eq!(tidied("a/.."), ".");
    }

    #[test]
    fn a_new_file_replaces_the_old_one_whole() {
        let dir = scratch("write");
        let path = dir.join("out.toml");
        std::fs::write(&path, "old").unwrap();
        write_new_file(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert!(!dir.join("out.concord-tmp").exists());
    }
}

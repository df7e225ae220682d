//! Where indexes live on disk, and how a rebuilt one replaces the running one.
//!
//! Vocabulary: an [`IndexHome`] is a root directory holding *generations* — complete
//! index directories named `gen-000001`, `gen-000002`, … — and a *pointer file*,
//! `CURRENT`, whose one line names the *active* generation:
//!
//! ```text
//! <root>/CURRENT        "gen-000002\n"
//! <root>/gen-000002/    the active index
//! <root>/gen-000003/    a rebuild in progress (not yet active)
//! ```
//!
//! A *rebuild* writes a new generation beside the active one; *activating* it replaces
//! `CURRENT` atomically (write `CURRENT.tmp`, fsync, rename over `CURRENT`, fsync the
//! root), so after a crash `CURRENT` names either the old or the new generation, both
//! complete. A pointer file rather than a symlink: the same code on every file system,
//! and nothing to resolve. A [`LiveIndex`] is what the running server searches through:
//! swapping it is one pointer store, and searches already running finish on the old
//! index, whose `Arc` keeps it open until they end.
//!
//! The server's rebuild sequence:
//!
//! 1. `let event = newest event id;` then read every post (in that order: see
//!    [`rebuild`](crate::rebuild)).
//! 2. `let fresh = home.rebuild(posts, event, &config)?;` — searches keep using the
//!    live index meanwhile.
//! 3. Catch `fresh` up: `fresh.apply(changes of events after event, last id)`, as the
//!    normal indexing loop does (run this step in that loop, so nothing else applies to
//!    the old index concurrently).
//! 4. `home.activate(&fresh)?; live.replace(fresh);`
//! 5. `home.remove_inactive()?` — deletes old and abandoned generations. Never run it
//!    while a rebuild is in progress.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use crate::document::PostDoc;
use crate::error::Error;
use crate::index::{rebuild, SearchConfig, SearchIndex};

const POINTER: &str = "CURRENT";
const POINTER_TMP: &str = "CURRENT.tmp";
const GENERATION_PREFIX: &str = "gen-";

/// A root directory of index generations with a `CURRENT` pointer file.
#[derive(Debug, Clone)]
pub struct IndexHome {
    root: PathBuf,
}

impl IndexHome {
    /// A home rooted at `root` (created on first use).
    pub fn new(root: impl Into<PathBuf>) -> IndexHome {
        IndexHome { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The active generation's directory name, `None` before the first open.
    pub fn active_generation(&self) -> Result<Option<String>, Error> {
        let path = self.root.join(POINTER);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let name = text.trim();
        if generation_number(name).is_none() {
            return Err(Error::BadPointer {
                path,
                message: format!("`{name}` is not a generation name"),
            });
        }
        Ok(Some(name.to_owned()))
    }

    /// Opens the active generation; on first use, creates `gen-000001` (empty) and
    /// points `CURRENT` at it. An empty index reports no last event, so the server
    /// indexes from the start of its event log.
    ///
    /// An active generation written by another format version (an older schema or
    /// analysis, see [`Error::IncompatibleIndex`]) is replaced the same way: a new, empty
    /// generation is made active and the old one deleted, so an upgraded server rebuilds
    /// its index from the event log (and its start-up self-check re-applies any post the
    /// log no longer names) instead of refusing to start.
    pub fn open(&self, config: &SearchConfig) -> Result<SearchIndex, Error> {
        fs::create_dir_all(&self.root)?;
        if let Some(name) = self.active_generation()? {
            let dir = self.root.join(&name);
            if !dir.is_dir() {
                return Err(Error::BadPointer {
                    path: self.root.join(POINTER),
                    message: format!("names `{name}`, which does not exist; rebuild"),
                });
            }
            match SearchIndex::open(&dir, config) {
                Err(Error::IncompatibleIndex { .. }) => self.replace_incompatible(&dir, config),
                opened => opened,
            }
        } else {
            let dir = self.root.join(generation_name(1));
            let index = SearchIndex::open(&dir, config)?;
            self.activate(&index)?;
            Ok(index)
        }
    }

    /// Starts an empty generation numbered after every existing one, makes it active and
    /// deletes `incompatible` (the previously active one, which no version of this
    /// code can read).
    fn replace_incompatible(
        &self,
        incompatible: &Path,
        config: &SearchConfig,
    ) -> Result<SearchIndex, Error> {
        let next = self.generations()?.into_iter().max().unwrap_or(0) + 1;
        let index = SearchIndex::open(&self.root.join(generation_name(next)), config)?;
        self.activate(&index)?;
        fs::remove_dir_all(incompatible)?;
        Ok(index)
    }

    /// Builds a new generation from `posts` (see [`rebuild`](crate::rebuild)) without
    /// activating it. The new directory is numbered after every existing one.
    pub fn rebuild(
        &self,
        posts: impl IntoIterator<Item = PostDoc>,
        up_to_event: i64,
        config: &SearchConfig,
    ) -> Result<SearchIndex, Error> {
        fs::create_dir_all(&self.root)?;
        let next = self.generations()?.into_iter().max().unwrap_or(0) + 1;
        rebuild(
            &self.root.join(generation_name(next)),
            posts,
            up_to_event,
            config,
        )
    }

    /// Points `CURRENT` at `index`'s directory, atomically and durably. The next
    /// [`open`](IndexHome::open) — after a restart, say — opens it.
    pub fn activate(&self, index: &SearchIndex) -> Result<(), Error> {
        let name = index
            .path()
            .file_name()
            .and_then(|name| name.to_str())
            .filter(|name| generation_number(name).is_some())
            .filter(|_| index.path().parent() == Some(self.root.as_path()))
            .ok_or_else(|| Error::BadPointer {
                path: index.path().to_owned(),
                message: format!("is not a generation of {}", self.root.display()),
            })?;
        let tmp = self.root.join(POINTER_TMP);
        let mut file = File::create(&tmp)?;
        file.write_all(format!("{name}\n").as_bytes())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, self.root.join(POINTER))?;
        File::open(&self.root)?.sync_all()?;
        Ok(())
    }

    /// Deletes every generation but the active one; returns what it deleted.
    pub fn remove_inactive(&self) -> Result<Vec<PathBuf>, Error> {
        let active = self.active_generation()?;
        let mut removed = Vec::new();
        for number in self.generations()? {
            let name = generation_name(number);
            if active.as_deref() != Some(name.as_str()) {
                let dir = self.root.join(name);
                fs::remove_dir_all(&dir)?;
                removed.push(dir);
            }
        }
        Ok(removed)
    }

    fn generations(&self) -> Result<Vec<u64>, Error> {
        let mut numbers = Vec::new();
        for entry in fs::read_dir(&self.root)? {
            let entry = entry?;
            if let Some(number) = entry.file_name().to_str().and_then(generation_number) {
                if entry.file_type()?.is_dir() {
                    numbers.push(number);
                }
            }
        }
        Ok(numbers)
    }
}

fn generation_name(number: u64) -> String {
    format!("{GENERATION_PREFIX}{number:06}")
}

fn generation_number(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(GENERATION_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The index the server searches and updates, swappable while in use.
#[derive(Debug)]
pub struct LiveIndex {
    current: RwLock<Arc<SearchIndex>>,
}

impl LiveIndex {
    pub fn new(index: SearchIndex) -> LiveIndex {
        LiveIndex {
            current: RwLock::new(Arc::new(index)),
        }
    }

    /// The index to use for one search or one batch. Hold the `Arc` only for that long.
    pub fn get(&self) -> Arc<SearchIndex> {
        let guard = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(&guard)
    }

    /// Makes `index` the one [`get`](LiveIndex::get) returns; gives back the previous
    /// one, which closes (and releases its writer lock) when its last user drops it.
    pub fn replace(&self, index: SearchIndex) -> Arc<SearchIndex> {
        let mut guard = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::replace(&mut *guard, Arc::new(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_names() {
        assert_eq!(generation_name(7), "gen-000007");
        assert_eq!(generation_number("gen-000007"), Some(7));
        assert_eq!(generation_number("gen-1234567"), Some(1_234_567));
        for bad in ["gen-", "gen-x1", "CURRENT", "gen--1", "xgen-1"] {
            assert_eq!(generation_number(bad), None, "{bad}");
        }
    }
}

//! Where shoppers' files live. Each stored object is named by its file's unguessable key
//! (32 random bytes, base64url) and a variant (`main`, `thumb`); names are made here, never
//! taken from a request. The default is a directory under the data directory: enough for
//! one instance. Several instances need a shared store behind this trait (an S3-compatible
//! object store is the intended one; not built yet).

use anyhow::Context;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = anyhow::Result<T>> + Send + 'a>>;

/// Which copy of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Main,
    Thumb,
}

impl Variant {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::Thumb => "thumb",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "main" => Some(Self::Main),
            "thumb" => Some(Self::Thumb),
            _ => None,
        }
    }
}

/// A file's key as stored: 43 base64url characters.
pub fn is_key(key: &str) -> bool {
    key.len() == 43
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A new unguessable key.
pub fn new_key() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub trait MediaStore: Send + Sync + 'static {
    fn put<'a>(&'a self, key: &'a str, variant: Variant, bytes: Vec<u8>) -> StoreFuture<'a, ()>;
    /// `None` when there is no such object.
    fn get<'a>(&'a self, key: &'a str, variant: Variant) -> StoreFuture<'a, Option<Vec<u8>>>;
    /// Removes both variants; removing what is not there is no error.
    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;
}

/// Files in a directory (`{data dir}/media` by default), written whole under a temporary
/// name and renamed, so a reader never sees half a file.
pub struct FsMediaStore {
    dir: PathBuf,
}

impl FsMediaStore {
    pub fn new(dir: impl Into<PathBuf>) -> anyhow::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating the media directory {}", dir.display()))?;
        Ok(Self { dir })
    }

    fn path(&self, key: &str, variant: Variant) -> anyhow::Result<PathBuf> {
        anyhow::ensure!(is_key(key), "not a media key");
        Ok(self.dir.join(format!("{key}.{}", variant.as_str())))
    }
}

impl MediaStore for FsMediaStore {
    fn put<'a>(&'a self, key: &'a str, variant: Variant, bytes: Vec<u8>) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key, variant)?;
            let temp = path.with_extension(format!("{}.tmp", variant.as_str()));
            tokio::fs::write(&temp, bytes)
                .await
                .with_context(|| format!("writing {}", temp.display()))?;
            tokio::fs::rename(&temp, &path)
                .await
                .with_context(|| format!("renaming {}", temp.display()))
        })
    }

    fn get<'a>(&'a self, key: &'a str, variant: Variant) -> StoreFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let path = self.path(key, variant)?;
            match tokio::fs::read(&path).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            for variant in [Variant::Main, Variant::Thumb] {
                let path = self.path(key, variant)?;
                match tokio::fs::remove_file(&path).await {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(e).with_context(|| format!("removing {}", path.display()))
                    }
                }
            }
            Ok(())
        })
    }
}

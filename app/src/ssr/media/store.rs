//! Where shoppers' files live. Each stored object is named by its file's unguessable key
//! (32 random bytes, base64url) and a variant (`main`, `thumb`); names are made here, never
//! taken from a request. The default is a directory under the data directory: enough for
//! one instance. Several instances share an S3-compatible bucket ([`ObjectMediaStore`],
//! through the `object_store` crate: Amazon S3, MinIO, Cloudflare R2, Ceph…).

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

/// Where an S3-compatible bucket is and how to sign in (`TRACKLIGHT_MEDIA_S3_*`); what is
/// not set comes from the usual `AWS_*` variables (or the instance's role).
#[derive(Debug, Clone, Default)]
pub struct S3Config {
    /// `s3://bucket` or `s3://bucket/prefix`.
    pub url: String,
    /// An S3-compatible server's URL (MinIO, R2…); `None`: Amazon S3.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<secrecy::SecretString>,
}

impl S3Config {
    /// Checks a bucket URL: `s3://bucket[/prefix]`.
    pub fn parse_url(url: &str) -> Result<String, String> {
        let bad = || format!("must be a URL such as s3://bucket/prefix (got {url:?})");
        let parsed = reqwest::Url::parse(url.trim()).map_err(|_| bad())?;
        if parsed.scheme() != "s3" || parsed.host_str().is_none_or(str::is_empty) {
            return Err(bad());
        }
        Ok(url.trim().to_owned())
    }
}

/// Files in an object store: an S3-compatible bucket for instances that share their files,
/// or any other `object_store` (tests use its in-memory one).
pub struct ObjectMediaStore {
    store: std::sync::Arc<dyn object_store::ObjectStore>,
}

impl ObjectMediaStore {
    pub fn new(store: std::sync::Arc<dyn object_store::ObjectStore>) -> Self {
        Self { store }
    }

    /// The bucket `config` names.
    pub fn s3(config: &S3Config) -> anyhow::Result<Self> {
        use object_store::aws::AmazonS3Builder;
        use secrecy::ExposeSecret;
        let url = S3Config::parse_url(&config.url).map_err(anyhow::Error::msg)?;
        let url = reqwest::Url::parse(&url)?;
        let bucket = url.host_str().unwrap_or_default();
        let prefix = url.path().trim_matches('/').to_owned();
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        if let Some(region) = &config.region {
            builder = builder.with_region(region);
        }
        if let Some(id) = &config.access_key_id {
            builder = builder.with_access_key_id(id);
        }
        if let Some(secret) = &config.secret_access_key {
            builder = builder.with_secret_access_key(secret.expose_secret());
        }
        let s3 = builder
            .build()
            .context("configuring the S3 bucket for media")?;
        let store: std::sync::Arc<dyn object_store::ObjectStore> = if prefix.is_empty() {
            std::sync::Arc::new(s3)
        } else {
            std::sync::Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
        };
        Ok(Self { store })
    }

    fn path(key: &str, variant: Variant) -> anyhow::Result<object_store::path::Path> {
        anyhow::ensure!(is_key(key), "not a media key");
        Ok(object_store::path::Path::from(format!(
            "{key}.{}",
            variant.as_str()
        )))
    }
}

impl MediaStore for ObjectMediaStore {
    fn put<'a>(&'a self, key: &'a str, variant: Variant, bytes: Vec<u8>) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let path = Self::path(key, variant)?;
            self.store
                .put(&path, object_store::PutPayload::from(bytes))
                .await
                .with_context(|| format!("storing {path}"))?;
            Ok(())
        })
    }

    fn get<'a>(&'a self, key: &'a str, variant: Variant) -> StoreFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let path = Self::path(key, variant)?;
            match self.store.get(&path).await {
                Ok(found) => Ok(Some(
                    found
                        .bytes()
                        .await
                        .with_context(|| format!("reading {path}"))?
                        .to_vec(),
                )),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e).with_context(|| format!("reading {path}")),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            for variant in [Variant::Main, Variant::Thumb] {
                let path = Self::path(key, variant)?;
                match self.store.delete(&path).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(e).with_context(|| format!("removing {path}")),
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both stores keep, give back and forget by key; neither takes a name that is not one.
    #[tokio::test]
    async fn stores_keep_give_back_and_forget() {
        let dir = tempfile::tempdir().unwrap();
        let stores: Vec<Box<dyn MediaStore>> = vec![
            Box::new(FsMediaStore::new(dir.path()).unwrap()),
            Box::new(ObjectMediaStore::new(std::sync::Arc::new(
                object_store::memory::InMemory::new(),
            ))),
        ];
        for store in stores {
            let key = new_key();
            assert!(is_key(&key));
            store
                .put(&key, Variant::Main, b"main".to_vec())
                .await
                .unwrap();
            store
                .put(&key, Variant::Thumb, b"thumb".to_vec())
                .await
                .unwrap();
            assert_eq!(
                store.get(&key, Variant::Main).await.unwrap().unwrap(),
                b"main"
            );
            assert_eq!(
                store.get(&key, Variant::Thumb).await.unwrap().unwrap(),
                b"thumb"
            );
            assert_eq!(store.get(&new_key(), Variant::Main).await.unwrap(), None);
            store.delete(&key).await.unwrap();
            assert_eq!(store.get(&key, Variant::Main).await.unwrap(), None);
            store.delete(&key).await.unwrap();
            assert!(store.get("../../etc/passwd", Variant::Main).await.is_err());
        }
    }

    #[test]
    fn bucket_urls_are_checked() {
        assert!(S3Config::parse_url("s3://media/tracklight").is_ok());
        assert!(S3Config::parse_url("s3://media").is_ok());
        assert!(S3Config::parse_url("https://media").is_err());
        assert!(S3Config::parse_url("s3:///nothing").is_err());
    }
}

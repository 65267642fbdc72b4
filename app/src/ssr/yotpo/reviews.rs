//! Yotpo Reviews / Visual UGC (`yotpo-api.md` §10): approved shopper photos and videos
//! imported by their public URLs.
//!
//! These are v1 endpoints with their own authentication: a `utoken` from
//! `POST /oauth/token` (form `client_id` = the store ID / app key, `client_secret` = the API
//! secret, `grant_type=client_credentials`), sent in the body and the query. The import
//! calls' exact paths and bodies are **UNCONFIRMED** in the reference, so both paths are
//! configuration (`TRACKLIGHT_YOTPO_REVIEWS_PATH_*`), and the body follows the fields the
//! reference names (`images` up to 8 a call, more than 3 only when Yotpo enabled it; videos
//! with `domain_keys` up to 8 products and `album_names`).
//!
//! An import is not idempotent as far as the reference says: the job sends each file's
//! `external_id` (its unguessable key), which a real account may use to drop repeats, and
//! records after each call how many of the import's items are sent
//! ([`ImportCall::sent_after`]), so a retry sends only the call whose answer it never had and
//! those after it.

use super::client::budgeted_call;
use super::YotpoError;
use crate::ssr::budget::{CallBudget, LocalBudget};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Images per import call: Yotpo takes up to 8, more than 3 only once its support enables
/// it; 3 is safe for every account.
pub const IMAGES_PER_CALL: usize = 3;
/// Products one video may be tagged with.
pub const PRODUCTS_PER_VIDEO: usize = 8;

/// Where the Reviews calls go. Every path is configuration.
#[derive(Debug, Clone)]
pub struct ReviewsConfig {
    /// `https://api.yotpo.com` for real accounts; the sandbox's URL otherwise.
    pub url: Url,
    /// The v1 token exchange: `POST`, form-encoded.
    pub token_path: String,
    /// Import images: `POST`; `{store_id}` is the app key (UNCONFIRMED path).
    pub images_path: String,
    /// Import videos: `POST` (UNCONFIRMED path).
    pub videos_path: String,
    /// The custom album every import is added to (besides the order's products).
    pub album: String,
    pub timeout: Duration,
}

impl ReviewsConfig {
    pub fn new(url: Url) -> Self {
        Self {
            url,
            token_path: "/oauth/token".into(),
            images_path: "/v1/apps/{store_id}/images/import".into(),
            videos_path: "/v1/apps/{store_id}/videos/import".into(),
            album: "Delivery photos".into(),
            timeout: Duration::from_secs(20),
        }
    }
}

/// One approved file to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportItem {
    pub video: bool,
    /// Where Yotpo fetches it: Tracklight's public, unguessable URL.
    pub url: String,
    /// Its key: the same file imported twice has the same one.
    pub external_id: String,
}

/// What an approved submission sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub items: Vec<ImportItem>,
    pub caption: Option<String>,
    /// The order's products (Yotpo's domain keys); may be empty.
    pub products: Vec<String>,
    pub user_name: Option<String>,
    pub user_email: Option<String>,
}

/// One import call: the images of a chunk, or one video.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportCall {
    /// How many of the import's items are sent once this call is (images first, then
    /// videos, in the import's order).
    pub sent_after: usize,
    video: bool,
    items: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
}

pub struct ReviewsClient {
    http: reqwest::Client,
    config: ReviewsConfig,
    /// Calls per app key, across callers (and every instance, with the database's).
    budget: Arc<dyn CallBudget>,
}

/// Visual UGC allows 5,000 requests a minute per app key (`yotpo-api.md` §3): Tracklight
/// keeps to 50 a second.
const REVIEWS_PER_SECOND: NonZeroU32 = NonZeroU32::new(50).expect("non-zero");

impl ReviewsClient {
    pub fn new(config: ReviewsConfig) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("tracklight/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            config,
            budget: Arc::new(LocalBudget::default()),
        })
    }

    /// Keeps to `budget` (the database's: one for every instance) instead of this
    /// process's own.
    pub fn with_budget(mut self, budget: Arc<dyn CallBudget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn config(&self) -> &ReviewsConfig {
        &self.config
    }

    fn url(&self, template: &str, store_id: &str) -> Result<Url, YotpoError> {
        let path = template.replace("{store_id}", store_id);
        let mut base = self.config.url.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        base.join(path.trim_start_matches('/'))
            .map_err(|e| YotpoError::Protocol(format!("bad reviews path {path:?}: {e}")))
    }

    async fn send(
        &self,
        store_id: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, YotpoError> {
        let key = format!("reviews:{store_id}");
        budgeted_call(
            self.budget.as_ref(),
            &key,
            REVIEWS_PER_SECOND,
            self.config.timeout,
            request,
        )
        .await
    }

    /// A v1 utoken for the store.
    pub async fn utoken(
        &self,
        store_id: &str,
        secret: &SecretString,
    ) -> Result<SecretString, YotpoError> {
        let url = self.url(&self.config.token_path, store_id)?;
        let body = self
            .send(
                store_id,
                self.http.post(url).form(&[
                    ("client_id", store_id),
                    ("client_secret", secret.expose_secret()),
                    ("grant_type", "client_credentials"),
                ]),
            )
            .await?;
        let answer: TokenAnswer =
            serde_json::from_slice(&body).map_err(|e| YotpoError::Protocol(e.to_string()))?;
        Ok(SecretString::from(answer.access_token))
    }

    /// The calls that import every item: the images a few per call, then each video in its
    /// own. The same import always makes the same calls.
    pub fn calls(&self, import: &Import) -> Vec<ImportCall> {
        let images: Vec<&ImportItem> = import.items.iter().filter(|i| !i.video).collect();
        let videos: Vec<&ImportItem> = import.items.iter().filter(|i| i.video).collect();
        let albums = [self.config.album.as_str()];
        let products: Vec<&str> = import
            .products
            .iter()
            .map(String::as_str)
            .take(PRODUCTS_PER_VIDEO)
            .collect();
        let mut calls = Vec::new();
        let mut sent = 0;
        for chunk in images.chunks(IMAGES_PER_CALL) {
            let items = chunk
                .iter()
                .map(|item| {
                    let mut image = serde_json::json!({
                        "image_url": item.url,
                        "external_id": item.external_id,
                        "album_names": albums,
                    });
                    // One product per image (the body names a single `domain_key`,
                    // UNCONFIRMED): the order's first; videos take up to 8.
                    if let Some(product) = products.first() {
                        image["domain_key"] = serde_json::json!(product);
                    }
                    self.about(&mut image, import);
                    image
                })
                .collect();
            sent += chunk.len();
            calls.push(ImportCall {
                sent_after: sent,
                video: false,
                items,
            });
        }
        for item in videos {
            let mut video = serde_json::json!({
                "video_url": item.url,
                "external_id": item.external_id,
                "album_names": albums,
                "domain_keys": products,
            });
            self.about(&mut video, import);
            sent += 1;
            calls.push(ImportCall {
                sent_after: sent,
                video: true,
                items: vec![video],
            });
        }
        calls
    }

    /// Sends one import call with the store's `utoken`.
    pub async fn send_call(
        &self,
        store_id: &str,
        utoken: &SecretString,
        call: &ImportCall,
    ) -> Result<(), YotpoError> {
        let (path, field) = if call.video {
            (&self.config.videos_path, "videos")
        } else {
            (&self.config.images_path, "images")
        };
        let url = self.url(path, store_id)?;
        let mut body = serde_json::json!({ "utoken": utoken.expose_secret() });
        body[field] = serde_json::json!(call.items);
        self.send(
            store_id,
            self.http
                .post(url)
                .query(&[("utoken", utoken.expose_secret())])
                .json(&body),
        )
        .await
        .map(drop)
    }

    /// The caption and who shared it, where known.
    fn about(&self, item: &mut serde_json::Value, import: &Import) {
        if let Some(caption) = &import.caption {
            item["caption"] = serde_json::json!(caption);
        }
        if let Some(name) = &import.user_name {
            item["user_name"] = serde_json::json!(name);
        }
        if let Some(email) = &import.user_email {
            item["user_email"] = serde_json::json!(email);
        }
    }
}

//! Merchant accounts and the settings page's server functions: sign-up, sign-in, sessions
//! (HTTP-only cookie, expiry), CSRF on every change, sign-in rate limits, the Yotpo
//! connection, API keys, and tenants kept apart.

mod common;

use common::{order_body, spawn_app, token_of, Backend, TestApp};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery staple";

/// A browser: the session cookie it was given, if any.
struct Browser<'a> {
    app: &'a TestApp,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self { app, cookie: None }
    }

    async fn call(&mut self, name: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self
            .app
            .client
            .post(self.app.url(&format!("/api/fn/{name}")))
            .form(fields);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let resp = request.send().await.unwrap();
        if let Some(set) = resp.headers().get("set-cookie") {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap().to_owned();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        resp
    }

    async fn save_sms(&mut self, fields: &[(String, String)]) -> reqwest::Response {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.call("settings_sms", &f).await
    }

    async fn save_signup_form(&mut self, csrf: &str, code: &str) -> (u16, Value) {
        let resp = self
            .call(
                "settings_signup_form",
                &[("csrf", csrf), ("form_code", code)],
            )
            .await;
        (resp.status().as_u16(), resp.json().await.unwrap())
    }

    /// A new API key from the settings page.
    async fn create_key(&mut self, csrf: &str, label: &str) -> String {
        let key: Value = self
            .call("settings_create_key", &[("csrf", csrf), ("label", label)])
            .await
            .json()
            .await
            .unwrap();
        key["key"].as_str().expect("a new key").to_owned()
    }

    async fn settings(&mut self) -> reqwest::Response {
        self.call("settings", &[]).await
    }

    async fn csrf(&mut self) -> String {
        let view: Value = self.settings().await.json().await.unwrap();
        view["csrf"].as_str().unwrap().to_owned()
    }

    /// Signs up, then in (sign-up itself starts no session).
    async fn sign_up(&mut self, brand: &str, email: &str) {
        let resp = self
            .call(
                "sign_up",
                &[("brand", brand), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert!(
            resp.status().is_success() || resp.status().is_redirection(),
            "{}",
            resp.status()
        );
        assert!(self.cookie.is_none(), "no session from sign-up alone");
        self.call("sign_in", &[("email", email), ("password", PASSWORD)])
            .await;
        assert!(self.cookie.is_some(), "a session cookie");
    }
}

/// The `frame-ancestors` directive of a response's Content-Security-Policy.
fn frame_ancestors(resp: &reqwest::Response) -> String {
    resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-ancestors"))
        .unwrap_or_default()
        .to_owned()
}

fn error_field(body: &Value) -> &str {
    body["Invalid"]["field"].as_str().unwrap_or_default()
}

async fn accounts_sign_up_sign_in_and_sign_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    let resp = browser
        .call(
            "sign_up",
            &[
                ("brand", "Blue Bottle"),
                ("email", "Owner@Blue.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(resp.status().is_success() || resp.status().is_redirection());
    assert!(
        resp.headers().get("set-cookie").is_none(),
        "sign-up starts no session"
    );
    let resp = browser
        .call(
            "sign_in",
            &[("email", "owner@blue.example"), ("password", PASSWORD)],
        )
        .await;
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=604800"] {
        assert!(
            set_cookie.contains(attribute),
            "{set_cookie} lacks {attribute}"
        );
    }
    let view: Value = browser.settings().await.json().await.unwrap();
    assert_eq!(view["brand"], "Blue Bottle");
    assert_eq!(view["email"], "owner@blue.example");
    assert_eq!(view["sms"]["ready"], false);

    // The same email again: the same answer as for a new one (sign-up does not tell who
    // has an account), and nothing changes.
    let mut other = Browser::new(&app);
    let resp = other
        .call(
            "sign_up",
            &[
                ("brand", "Copycat"),
                ("email", "owner@blue.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert!(other.cookie.is_none());
    assert_eq!(resp.text().await.unwrap(), "null");
    assert_eq!(app.count("merchant_users").await, 1);
    // Weak password, bad email.
    let resp = other
        .call(
            "sign_up",
            &[
                ("brand", "X"),
                ("email", "x@y.example"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(error_field(&resp.json().await.unwrap()), "password");
    let resp = other
        .call(
            "sign_up",
            &[("brand", "X"), ("email", "nope"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(error_field(&resp.json().await.unwrap()), "email");

    // Sign out, then the session is gone.
    let csrf = browser.csrf().await;
    let resp = browser.call("sign_out", &[("csrf", &csrf)]).await;
    assert!(resp.status().is_success() || resp.status().is_redirection());
    assert_eq!(browser.settings().await.status(), 401);

    // Sign in: wrong password, then right.
    let mut again = Browser::new(&app);
    let resp = again
        .call(
            "sign_in",
            &[
                ("email", "owner@blue.example"),
                ("password", "wrong password!!"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert!(again.cookie.is_none());
    again
        .call(
            "sign_in",
            &[("email", "OWNER@blue.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.settings().await.status(), 200);

    // Sessions end after a week.
    app.clock.advance(time::Duration::days(8));
    assert_eq!(again.settings().await.status(), 401);
}

async fn changes_need_the_session_and_its_csrf_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Blue Bottle", "owner@blue.example").await;
    let csrf = browser.csrf().await;
    let resp = browser
        .call(
            "settings_brand",
            &[
                ("csrf", "forged"),
                ("brand", "Hacked"),
                ("accent", ""),
                ("logo", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert_eq!(error_field(&resp.json().await.unwrap()), "form");
    let mut stranger = Browser::new(&app);
    let resp = stranger
        .call(
            "settings_brand",
            &[
                ("csrf", &csrf),
                ("brand", "Hacked"),
                ("accent", ""),
                ("logo", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 401, "a CSRF token alone is not a session");
    let view: Value = browser.settings().await.json().await.unwrap();
    assert_eq!(view["brand"], "Blue Bottle");

    let resp = browser
        .call(
            "settings_brand",
            &[
                ("csrf", &csrf),
                ("brand", "Blue Bottle Coffee"),
                ("accent", "#ffff00"),
                ("logo", ""),
            ],
        )
        .await;
    assert_eq!(
        error_field(&resp.json().await.unwrap()),
        "accent",
        "too light to read"
    );
    let resp = browser
        .call(
            "settings_brand",
            &[
                ("csrf", &csrf),
                ("brand", "Blue Bottle Coffee"),
                ("accent", "#1d4ed8"),
                ("logo", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let view: Value = browser.settings().await.json().await.unwrap();
    assert_eq!(view["brand"], "Blue Bottle Coffee");
    assert_eq!(view["accent_color"], "#1d4ed8");
    let resp = browser
        .call(
            "settings_brand",
            &[
                ("csrf", &csrf),
                ("brand", "Blue Bottle Coffee"),
                ("accent", "#1d4ed8"),
                ("logo", "http://blue.example/logo.png"),
            ],
        )
        .await;
    assert_eq!(
        error_field(&resp.json().await.unwrap()),
        "logo",
        "https only"
    );
    let resp = browser
        .call(
            "settings_brand",
            &[
                ("csrf", &csrf),
                ("brand", "Blue Bottle Coffee"),
                ("accent", "#1d4ed8"),
                ("logo", "https://blue.example/logo.png"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let view: Value = browser.settings().await.json().await.unwrap();
    assert_eq!(view["logo_url"], "https://blue.example/logo.png");
}

async fn sign_in_attempts_are_rate_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Blue Bottle", "owner@blue.example").await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let resp = Browser::new(&app)
            .call(
                "sign_in",
                &[
                    ("email", "owner@blue.example"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        statuses.push(resp.status().as_u16());
    }
    // The sign-up and the sign-in after it counted for this email too: five in all.
    assert_eq!(statuses, [422, 422, 422, 429, 429, 429]);
    // Even the right password waits now.
    let resp = Browser::new(&app)
        .call(
            "sign_in",
            &[("email", "owner@blue.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(resp.status(), 429);
}

async fn a_merchant_connects_yotpo_and_tracking_pages_offer_sign_ups(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Blue Bottle", "owner@blue.example").await;
    let csrf = browser.csrf().await;
    let sms = |store: &str, secret: &str, list: &str| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("store_id".to_owned(), store.to_owned()),
            ("secret".to_owned(), secret.to_owned()),
            ("list_id".to_owned(), list.to_owned()),
            (
                "terms_url".to_owned(),
                "https://blue.example/terms".to_owned(),
            ),
            (
                "privacy_url".to_owned(),
                "https://blue.example/privacy".to_owned(),
            ),
            ("heading".to_owned(), String::new()),
            ("extra".to_owned(), "10% off".to_owned()),
        ]
    };
    let preview: Value = browser
        .call("consent_preview", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        preview,
        Value::Null,
        "nothing to preview before Yotpo is connected"
    );
    // Unknown to Yotpo.
    let resp = browser.save_sms(&sms("nobody", "secret", "1001")).await;
    assert_eq!(error_field(&resp.json().await.unwrap()), "secret");
    let resp = browser
        .save_sms(&sms("bad store/id", "secret", "1001"))
        .await;
    assert_eq!(error_field(&resp.json().await.unwrap()), "store_id");

    // Sandbox mode: a store of the merchant's own in the sandbox.
    let resp = browser
        .call("settings_use_sandbox", &[("csrf", &csrf)])
        .await;
    assert_eq!(resp.status(), 200);
    let view: Value = browser.settings().await.json().await.unwrap();
    let store = view["sms"]["store_id"].as_str().unwrap().to_owned();
    assert_eq!(view["sms"]["has_secret"], true);
    assert_eq!(
        view["sms"]["ready"], false,
        "no Terms and Privacy links yet"
    );
    // A list the account does not have; then the right one, keeping the stored secret.
    let resp = browser.save_sms(&sms(&store, "", "4242")).await;
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_field(&body), "list_id");
    assert!(body["Invalid"]["message"]
        .as_str()
        .unwrap()
        .contains("Tracking page subscribers (1001)"));
    let resp = browser.save_sms(&sms(&store, "", "1001")).await;
    assert_eq!(resp.status(), 200);
    let report: Value = browser
        .call("settings_test_connection", &[("csrf", &csrf)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["lists"][0]["id"], "1001");
    let view: Value = browser.settings().await.json().await.unwrap();
    assert_eq!(view["sms"]["ready"], true);
    let preview: Value = browser
        .call("consent_preview", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview[0]["name"], "Blue Bottle");
    assert_eq!(preview[1]["extra"], "10% off");
    assert!(preview[1]["disclosure"]
        .as_str()
        .unwrap()
        .contains("STOP to cancel"));
    let page = app
        .client
        .get(app.url("/settings/preview"))
        .header("cookie", browser.cookie.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(frame_ancestors(&page), "frame-ancestors 'self'");
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Preview: this copy sends nothing."));
    assert!(view.to_string().contains("10% off"));
    assert!(
        !view.to_string().contains("secret-"),
        "the secret is never shown"
    );

    // An API key from the settings page feeds an order; its page offers the sign-up.
    let key = browser.create_key(&csrf, "warehouse").await;
    let resp = app
        .put_json("/api/v1/orders/9", &key, &order_body("9-1"))
        .await;
    assert_eq!(resp.status(), 201);
    let order: Value = resp.json().await.unwrap();
    // The first view may answer before Yotpo does ("Checking"; the hydrated page asks
    // again); Yotpo's answer then offers the sign-up.
    let token = token_of(&order);
    common::eventually(10, "the offer", || async {
        app.tracking_view(&token).await["consent"]["status"] == "Offer"
    })
    .await;
    let view = app.tracking_view(&token).await;
    assert!(view["consent"]["disclosure"]
        .as_str()
        .unwrap()
        .contains("Blue Bottle"));
    assert_eq!(view["consent"]["extra"], "10% off");
}

async fn merchants_cannot_reach_each_others_settings(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut a = Browser::new(&app);
    a.sign_up("Shop A", "a@a.example").await;
    let mut b = Browser::new(&app);
    b.sign_up("Shop B", "b@b.example").await;
    let (csrf_a, csrf_b) = (a.csrf().await, b.csrf().await);
    let key_b: Value = b
        .call(
            "settings_create_key",
            &[("csrf", &csrf_b), ("label", "b's key")],
        )
        .await
        .json()
        .await
        .unwrap();
    let prefix_b = key_b["prefix"].as_str().unwrap().to_owned();
    // A cannot see or revoke B's key, and B's CSRF token does not work with A's session.
    let view_a: Value = a.settings().await.json().await.unwrap();
    assert_eq!(view_a["api_keys"], serde_json::json!([]));
    let resp = a
        .call(
            "settings_revoke_key",
            &[("csrf", &csrf_a), ("prefix", &prefix_b)],
        )
        .await;
    assert_eq!(resp.status(), 404);
    let resp = a
        .call(
            "settings_brand",
            &[
                ("csrf", &csrf_b),
                ("brand", "Mine"),
                ("accent", ""),
                ("logo", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    let view_b: Value = b.settings().await.json().await.unwrap();
    assert_eq!(view_b["brand"], "Shop B");
    assert_eq!(view_b["api_keys"][0]["prefix"], prefix_b.as_str());
    let key = key_b["key"].as_str().unwrap();
    assert_eq!(
        app.get_auth("/api/v1/orders/none", key).await.status(),
        404,
        "B's key still works"
    );
    // B revokes it; then it stops working.
    let resp = b
        .call(
            "settings_revoke_key",
            &[("csrf", &csrf_b), ("prefix", &prefix_b)],
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(app.get_auth("/api/v1/orders/none", key).await.status(), 401);
}

async fn the_settings_page_sends_strangers_to_sign_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = no_redirects
        .get(app.url("/settings"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    assert_eq!(resp.headers()["location"], "/signin");
    for page in ["/signin", "/signup"] {
        let html = app
            .client
            .get(app.url(page))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("type=\"password\""), "{page}");
    }
}

async fn the_consent_log_shows_each_consent_its_state_and_the_rate(backend: Backend) {
    use sandbox::FaultsPatch;
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Blue Bottle", "owner@blue.example").await;
    let csrf = browser.csrf().await;
    browser
        .call("settings_use_sandbox", &[("csrf", &csrf)])
        .await;
    let view: Value = browser.settings().await.json().await.unwrap();
    let store = view["sms"]["store_id"].as_str().unwrap().to_owned();
    let fields: Vec<(String, String)> = [
        ("csrf", csrf.as_str()),
        ("store_id", store.as_str()),
        ("secret", ""),
        ("list_id", "1001"),
        ("terms_url", "https://blue.example/terms"),
        ("privacy_url", "https://blue.example/privacy"),
        ("heading", ""),
        ("extra", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(browser.save_sms(&fields).await.status(), 200);
    let key = browser.create_key(&csrf, "shop").await;
    let order: Value = app
        .put_json("/api/v1/orders/5", &key, &order_body("5-1"))
        .await
        .json()
        .await
        .unwrap();
    let token = token_of(&order);
    // Two shoppers' page views, one sign-up.
    for _ in 0..2 {
        let page = app
            .client
            .get(app.url(&format!("/t/{token}")))
            .send()
            .await
            .unwrap();
        assert!(page.text().await.unwrap().contains("sms-consent"));
    }
    // The page's Refresh reads it with `fetch` (`Sec-Fetch-Dest: empty`): not a view.
    let refresh = app
        .client
        .get(app.url(&format!("/t/{token}")))
        .header("sec-fetch-dest", "empty")
        .send()
        .await
        .unwrap();
    assert_eq!(refresh.status(), 200);
    let form = app.consent_form(&token, "+14155552671").await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    // Step 1 recorded (not just received by Yotpo): step 2 is now due 60 s later.
    common::eventually(5, "step 1", || async {
        app.consent_state("+14155552671").await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    assert_eq!(app.received(&store, "PATCH", "/customers").len(), 1);
    // Step 2 is refused by Yotpo once: the consent fails with the reason.
    app.sandbox.set_faults(FaultsPatch {
        fail_next: Some(1),
        error_status: Some(400),
        ..Default::default()
    });
    app.clock.advance(time::Duration::seconds(60));
    let cookie = browser.cookie.clone();
    let log = |state: &'static str| {
        let mut b = Browser {
            app: &app,
            cookie: cookie.clone(),
        };
        async move {
            let resp = b.call("consent_log", &[("state", state)]).await;
            assert_eq!(resp.status(), 200);
            resp.json::<Value>().await.unwrap()
        }
    };
    common::eventually(5, "the failure", || async {
        log("failed").await["rows"].as_array().unwrap().len() == 1
    })
    .await;
    let all = log("").await;
    assert_eq!(all["counts"]["views"], 2);
    assert_eq!(all["counts"]["offered"], 2);
    assert_eq!(all["counts"]["consents"], 1);
    assert_eq!(all["counts"]["rate_percent"], 50.0);
    let row = &all["rows"][0];
    assert_eq!(row["phone_masked"], "+1*******671");
    assert_eq!(row["state"], "failed");
    assert!(
        row["reason"].as_str().unwrap().contains("HTTP 400"),
        "{row}"
    );
    assert!(!all.to_string().contains("4155552671"), "phones are masked");
    assert_eq!(log("subscribed").await["rows"], serde_json::json!([]));

    // Another merchant sees nothing of it and cannot retry it.
    let mut other = Browser::new(&app);
    other.sign_up("Other Shop", "other@shop.example").await;
    let other_csrf = other.csrf().await;
    let theirs: Value = other
        .call("consent_log", &[("state", "")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["rows"], serde_json::json!([]));
    let id = row["id"].as_str().unwrap();
    let resp = other
        .call("consent_retry", &[("csrf", &other_csrf), ("id", id)])
        .await;
    assert_eq!(resp.status(), 404);

    // The merchant retries it; it goes through.
    let resp = browser
        .call("consent_retry", &[("csrf", &csrf), ("id", id)])
        .await;
    assert_eq!(resp.status(), 200);
    common::eventually(5, "subscribed after the retry", || async {
        log("subscribed").await["rows"].as_array().unwrap().len() == 1
    })
    .await;

    // CSV: the merchant's own record, full phone numbers; strangers go to sign in.
    let csv = app
        .client
        .get(app.url("/settings/consents.csv"))
        .header("cookie", browser.cookie.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("consent_id,consented_at_utc,phone_e164"));
    let line = lines.next().unwrap();
    assert!(line.contains(",+14155552671,cust-42,subscribed,"), "{line}");
    assert_eq!(lines.next(), None);
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let stranger = no_redirects
        .get(app.url("/settings/consents.csv"))
        .send()
        .await
        .unwrap();
    assert!(stranger.status().is_redirection());
    let theirs = app
        .client
        .get(app.url("/settings/consents.csv"))
        .header("cookie", other.cookie.clone().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(theirs.lines().count(), 1, "only the header: {theirs}");
}

async fn only_allowed_sites_may_frame_the_widget(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Blue Bottle", "owner@blue.example").await;
    let csrf = browser.csrf().await;
    let resp = browser
        .call(
            "settings_embed",
            &[("csrf", &csrf), ("origins", "https://shop.example/track")],
        )
        .await;
    assert_eq!(error_field(&resp.json().await.unwrap()), "origins");
    let resp = browser
        .call(
            "settings_embed",
            &[
                ("csrf", &csrf),
                ("origins", "https://Shop.example/\nhttp://localhost:8080\n"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let view: Value = browser.settings().await.json().await.unwrap();
    assert_eq!(
        view["allowed_origins"],
        serde_json::json!(["https://shop.example", "http://localhost:8080"])
    );
    assert!(view["embed_src"]
        .as_str()
        .unwrap()
        .ends_with("/embed/v1.js"));
    let key = browser.create_key(&csrf, "shop").await;
    let order: Value = app
        .put_json("/api/v1/orders/3", &key, &order_body("3-1"))
        .await
        .json()
        .await
        .unwrap();
    let token = token_of(&order);

    let widget = app
        .client
        .get(app.url(&format!("/embed/t/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(widget.status(), 200);
    assert_eq!(
        frame_ancestors(&widget),
        "frame-ancestors https://shop.example http://localhost:8080"
    );
    let html = widget.text().await.unwrap();
    assert!(html.contains("page--embed") && html.contains("tracklight:height"));
    // The full page and everything else may not be framed at all.
    for path in [format!("/t/{token}"), "/settings".into(), "/".into()] {
        let resp = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(frame_ancestors(&resp), "frame-ancestors 'none'", "{path}");
    }
    // Another merchant's widget (no allowed sites) may not be framed anywhere.
    let other = app.put_order("4", &order_body("4-1")).await;
    let resp = app
        .client
        .get(app.url(&format!("/embed/t/{}", token_of(&other))))
        .send()
        .await
        .unwrap();
    assert_eq!(frame_ancestors(&resp), "frame-ancestors 'none'");

    // The loader: small, cacheable, loadable from other sites.
    let loader = app
        .client
        .get(app.url("/embed/v1.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        loader.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(loader.headers()["cache-control"], "public, max-age=86400");
    let js = loader.text().await.unwrap();
    assert!(
        js.contains("/embed/t/") && js.len() < 3_000,
        "{} bytes",
        js.len()
    );
}

async fn a_merchant_shows_a_published_yotpo_form_instead_of_the_checkbox(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Blue Bottle", "owner@blue.example").await;
    let csrf = browser.csrf().await;
    // Before Yotpo is connected there is nothing to pick from, and nothing to show it to.
    let forms: Value = browser
        .call("settings_signup_forms", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(forms, Value::Null);
    let (status, body) = browser
        .save_signup_form(&csrf, "https://forms.smsbump.com/1/form_2.js")
        .await;
    assert_eq!((status, error_field(&body)), (422, "form_code"), "{body}");

    browser
        .call("settings_use_sandbox", &[("csrf", &csrf)])
        .await;
    let store = browser.settings().await.json::<Value>().await.unwrap()["sms"]["store_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let forms: Value = browser
        .call("settings_signup_forms", &[])
        .await
        .json()
        .await
        .unwrap();
    let script = format!("{}/forms/{store}/form_7001.js", app.sandbox_url);
    assert_eq!(forms, serde_json::json!([{"id": "7001", "script": script}]));

    // Junk, another host, a form that is not published: each says what is wrong.
    for (code, says) in [
        ("hello", "is not an address"),
        ("<div></div>", "no <script"),
        (
            "https://forms.smsbump.com/1/form_2.js",
            "is not a Yotpo form",
        ),
        (
            &format!("{}/forms/{store}/form_9.js", app.sandbox_url),
            "not published in your Yotpo account. Published: form 7001.",
        ),
    ] {
        let (status, body) = browser.save_signup_form(&csrf, code).await;
        assert_eq!((status, error_field(&body)), (422, "form_code"), "{code}");
        let message = body["Invalid"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{code}: {message}");
    }
    // Yotpo's embed snippet as pasted, with no Terms or Privacy links set: the form brings
    // its own consent text.
    let snippet = format!("<div><script src=\"{script}\"></script></div>");
    let (status, body) = browser.save_signup_form(&csrf, &snippet).await;
    assert_eq!(status, 200, "{body}");
    let view: Value = browser.settings().await.json().await.unwrap();
    assert_eq!(view["sms"]["form_script"], script.as_str());
    assert_eq!(view["sms"]["ready"], true);

    let key = browser.create_key(&csrf, "warehouse").await;
    let order: Value = app
        .put_json("/api/v1/orders/9", &key, &order_body("9-1"))
        .await
        .json()
        .await
        .unwrap();
    let token = token_of(&order);
    // The first view may answer before Yotpo does ("Checking"; the page asks again).
    common::eventually(10, "the offer", || async {
        app.tracking_view(&token).await["consent"]["status"] == "Offer"
    })
    .await;
    let view = app.tracking_view(&token).await;
    assert_eq!(view["consent"]["form"], "Provider");
    assert_eq!(view["consent"]["script_src"], script.as_str());
    assert!(view["consent"].get("disclosure").is_none());
    let resp = app
        .client
        .get(app.url(&format!("/t/{token}")))
        .send()
        .await
        .unwrap();
    let policy = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let page = resp.text().await.unwrap();
    // A loader adds the form's script; the page's Content-Security-Policy allows that loader
    // (its hash, which covers the address) and so what it adds.
    let loads = format!("e.src='{script}';");
    let (_, loader) = common::inline_scripts(&page)
        .into_iter()
        .find(|(_, text)| text.contains(&loads))
        .expect("the page loads the form's script");
    assert!(
        policy.contains(&common::csp_hash(&loader)),
        "the policy {policy} allows the form's loader"
    );
    assert!(!page.contains("id=\"sms-consent\""), "no checkbox");
    // Tracklight's own form is refused while the store uses Yotpo's.
    let resp = app
        .server_fn(
            "sms_subscribe",
            &[
                ("token", token.as_str()),
                ("phone", "+14155550123"),
                ("country", "US"),
                ("consent", "yes"),
                ("key", "0123456789abcdef0123"),
                ("disclosure", "x"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert_eq!(error_field(&resp.json().await.unwrap()), "form");
    assert_eq!(app.count("consents").await, 0);

    // Still only for shoppers who are not subscribed. (This test's own calls to the sandbox
    // would trip its 5 requests/second; customers show at once.)
    app.sandbox.set_faults(sandbox::FaultsPatch {
        rate_limit_per_second: Some(0),
        visibility_delay_ms: Some(0),
        ..Default::default()
    });
    let secret = app.sandbox.store(&store).unwrap().secret;
    app.subscribe_in_yotpo(&store, &secret, "cust-77").await;
    let mut body = order_body("10-1");
    body["customer"]["id"] = "cust-77".into();
    let order: Value = app
        .put_json("/api/v1/orders/10", &key, &body)
        .await
        .json()
        .await
        .unwrap();
    // The first view may answer before Yotpo does ("Checking"; the page asks again).
    let token = token_of(&order);
    common::eventually(10, "subscribed: no form", || async {
        app.tracking_view(&token).await["consent"]["status"] == "Subscribed"
    })
    .await;

    // Blank: back to Tracklight's checkbox (which needs the links again).
    let (status, _) = browser.save_signup_form(&csrf, "").await;
    assert_eq!(status, 200);
    let view: Value = browser.settings().await.json().await.unwrap();
    assert_eq!(view["sms"]["form_script"], Value::Null);
    assert_eq!(view["sms"]["ready"], false, "no Terms and Privacy links");
    // Page renders cache settings briefly; a save takes effect at once.
    assert_eq!(app.tracking_view(&token).await["consent"], Value::Null);
}

/// A page of another site cannot sign a merchant in (or call any server function): the
/// browser says where the request comes from.
#[tokio::test]
async fn server_functions_refuse_requests_from_other_sites() {
    let app = spawn_app(Backend::Sqlite).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Blue Bottle", "owner@blue.example").await;
    let host = app.base.trim_start_matches("http://").to_owned();
    for (origin, fetch_site, allowed) in [
        (Some("https://evil.example"), None, false),
        (None, Some("cross-site"), false),
        (Some(app.base.as_str()), Some("same-origin"), true),
    ] {
        let mut request = app
            .client
            .post(app.url("/api/fn/sign_in"))
            .header("host", &host)
            .form(&[("email", "owner@blue.example"), ("password", PASSWORD)]);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = fetch_site {
            request = request.header("sec-fetch-site", site);
        }
        let resp = request.send().await.unwrap();
        assert_eq!(
            resp.status().is_success(),
            allowed,
            "{origin:?} {fetch_site:?}"
        );
        assert_eq!(resp.headers().get("set-cookie").is_some(), allowed);
        if !allowed {
            assert_eq!(resp.status(), 403);
        }
    }
}

/// A merchant answers a shopper's request: downloads what is held for their phone, then
/// erases it; another merchant's data for the same phone stays.
async fn a_merchant_exports_and_erases_a_shoppers_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Blue Bottle", "owner@blue.example").await;
    let csrf = browser.csrf().await;
    let key = browser.create_key(&csrf, "erp").await;
    let mut body = order_body("d-1-1");
    body["customer"]["shipping_postcode"] = serde_json::json!("97205");
    let order = app.put_json("/api/v1/orders/d-1", &key, &body).await;
    assert!(order.status().is_success());
    let other = app.put_order("d-2", &order_body("d-2-1")).await;
    assert!(other.is_object());
    let download = |browser: &Browser| {
        let mut request = app
            .client
            .get(app.url("/settings/subject.json?kind=phone&subject=%28415%29+555-2671"));
        if let Some(cookie) = &browser.cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let resp = download(&browser).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let data: Value = resp.json().await.unwrap();
    assert_eq!(
        data["orders"].as_array().unwrap().len(),
        1,
        "only this merchant's"
    );
    assert_eq!(data["orders"][0]["email"], "ana@example.com");
    assert_eq!(data["orders"][0]["shipping_postcode"], "97205");

    let resp = browser
        .call(
            "settings_erase",
            &[
                ("csrf", &csrf),
                ("kind", "phone"),
                ("subject", "(415) 555-2671"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let message: String = resp.json().await.unwrap();
    assert!(message.contains("personal data of 1 order"), "{message}");
    let data: Value = download(&browser).await.unwrap().json().await.unwrap();
    assert_eq!(data["orders"].as_array().unwrap().len(), 0);
    // The order keeps its tracking, nothing personal (the postcode finds orders too).
    let ours: Value = app
        .get_auth("/api/v1/orders/d-1", &key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ours["customer"]["email"], Value::Null);
    assert_eq!(ours["customer"]["shipping_postcode"], Value::Null);
    assert_eq!(ours["shipments"].as_array().unwrap().len(), 1);
    // The other merchant's order still has its shopper's details.
    let theirs: Value = app
        .get_auth("/api/v1/orders/d-2", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["customer"]["email"], "ana@example.com");
    // Without a session, nothing.
    let resp = download(&Browser::new(&app)).await.unwrap();
    assert!(resp.url().path().ends_with("/signin"), "{}", resp.url());
}

/// Operators can close public sign-up: the page says so, and the function refuses.
#[tokio::test]
async fn sign_up_can_be_closed() {
    let (url, dir) = common::fresh_database(Backend::Sqlite).await;
    let mut settings = server::config::Settings::for_tests(dir.path().to_path_buf(), url);
    settings.public_signup = false;
    let app =
        server::startup::Application::build(&settings, std::sync::Arc::new(app::ssr::SystemClock))
            .await
            .unwrap();
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let page = client
        .get(format!("{base}/signup"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Sign-up is closed"), "{page}");
    let resp = client
        .post(format!("{base}/api/fn/sign_up"))
        .form(&[
            ("brand", "X"),
            ("email", "x@y.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    assert!(body["Invalid"]["message"]
        .as_str()
        .unwrap()
        .contains("closed"));
}

/// The Languages section as a browser posts it (`offered[]` checkboxes, `heading[de]`
/// fields): saved, shown back, and spoken on the store's pages.
async fn a_merchant_chooses_the_stores_languages(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut browser = Browser::new(&app);
    browser.sign_up("Polyglot", "owner@polyglot.example").await;
    let csrf = browser.csrf().await;
    let resp = browser
        .call(
            "settings_languages",
            &[
                ("csrf", csrf.as_str()),
                ("default_language", "de"),
                ("offered[]", "fr"),
                ("offered[]", "ja"),
                ("heading[fr]", "Les SMS de Polyglot"),
                ("extra[fr]", "10 % sur la prochaine commande."),
                ("heading[ja]", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let view: Value = browser.settings().await.json().await.unwrap();
    let langs = &view["languages"];
    assert_eq!(langs["default"], "de");
    let offered: Vec<&str> = langs["choices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["offered"] == true)
        .map(|c| c["tag"].as_str().unwrap())
        .collect();
    assert_eq!(offered, ["de", "fr", "ja"]);
    let fr = langs["choices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["tag"] == "fr")
        .unwrap();
    assert_eq!(fr["heading"], "Les SMS de Polyglot");
    // Unknown languages and overlong texts are refused, by field, with a 4xx.
    for (fields, field) in [
        (vec![("default_language", "xx")], "default_language"),
        (
            vec![("default_language", "en"), ("offered[]", "tlh")],
            "offered",
        ),
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let resp = browser.call("settings_languages", &all).await;
        assert_eq!(resp.status(), 422);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(error_field(&body), field);
    }
    let long = "x".repeat(121);
    let resp = browser
        .call(
            "settings_languages",
            &[
                ("csrf", csrf.as_str()),
                ("default_language", "de"),
                ("heading[sv]", long.as_str()),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_field(&body), "heading_sv");
    // Without the session's token: refused.
    let resp = browser
        .call(
            "settings_languages",
            &[("csrf", "forged"), ("default_language", "en")],
        )
        .await;
    assert!(resp.status().is_client_error(), "{}", resp.status());
}

/// The ids of the merchant pages' messages (`app/locales/en/merchant*.ftl`).
fn merchant_message_ids() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/locales/en");
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("merchant")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        ids.extend(
            text.lines()
                .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
                .filter_map(|line| line.split_once(" ="))
                .map(|(id, _)| id.trim().to_owned()),
        );
    }
    ids
}

/// A page's text, without its markup.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The merchant pages say their texts (Fluent messages through `i18n::mt`), never a
/// message's id: a missing message would show its id.
async fn merchant_pages_show_texts_not_message_ids(backend: Backend) {
    let app = spawn_app(backend).await;
    let ids = merchant_message_ids();
    assert!(ids.len() > 250, "{}", ids.len());
    let prefixes: std::collections::HashSet<&str> = ids
        .iter()
        .filter_map(|id| id.split_once('-'))
        .map(|(p, _)| p)
        .collect();
    let mut browser = Browser::new(&app);
    let mut pages = Vec::new();
    for path in ["/signin", "/signup", "/"] {
        let html = app
            .client
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        pages.push((path, html));
    }
    browser.sign_up("Wordsmith", "owner@words.example").await;
    let csrf = browser.csrf().await;
    browser
        .call("settings_use_sandbox", &[("csrf", &csrf)])
        .await;
    for path in ["/settings", "/settings/consents", "/settings/preview"] {
        let html = app
            .client
            .get(app.url(path))
            .header("cookie", browser.cookie.clone().unwrap())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        pages.push((path, html));
    }
    assert!(pages[3].1.contains("Sign out"), "{}", pages[3].1);
    for (path, html) in &pages {
        let text = text_of(html);
        let words: std::collections::HashSet<&str> = text.split_whitespace().collect();
        // A missing message shows as its id: a word like the ids, with one of their prefixes.
        let shown: Vec<&&str> = words
            .iter()
            .filter(|word| {
                word.split_once('-').is_some_and(|(prefix, rest)| {
                    prefixes.contains(prefix)
                        && !rest.is_empty()
                        && rest
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                })
            })
            .collect();
        assert!(shown.is_empty(), "{path} shows message ids: {shown:?}");
    }
}

on_both_backends!(
    merchant_pages_show_texts_not_message_ids,
    a_merchant_chooses_the_stores_languages,
    a_merchant_exports_and_erases_a_shoppers_data,
    a_merchant_shows_a_published_yotpo_form_instead_of_the_checkbox,
    only_allowed_sites_may_frame_the_widget,
    the_consent_log_shows_each_consent_its_state_and_the_rate,
    accounts_sign_up_sign_in_and_sign_out,
    changes_need_the_session_and_its_csrf_token,
    sign_in_attempts_are_rate_limited,
    a_merchant_connects_yotpo_and_tracking_pages_offer_sign_ups,
    merchants_cannot_reach_each_others_settings,
    the_settings_page_sends_strangers_to_sign_in,
);

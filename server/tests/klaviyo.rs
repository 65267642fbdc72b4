//! SMS consent with Klaviyo as the merchant's list provider, through the whole app and the
//! in-process Klaviyo sandbox (built to `klaviyo-api.md`): the look-up by external ID, the
//! profile and the subscription, double opt-in lists, 429 with `Retry-After`, a 409
//! duplicate profile, a STOP between two attempts, and a provider switch mid-flight.
//! Time is the app's `ManualClock`; the sandbox keeps its own.

mod common;

use common::{eventually, order_body, spawn_app, spawn_app_tuned, token_of, Backend, TestApp};
use sandbox::klaviyo::{KlaviyoFaultsPatch, KlaviyoLimits};
use serde_json::{json, Value};
use time::Duration;

const PHONE: &str = "+14155552671";
const SUBSCRIBE: &str = "/api/profile-subscription-bulk-create-jobs";

/// An app whose test merchant is connected to a Klaviyo sandbox account with `list`, and one
/// order; the account ID and the shopper token.
async fn setup(backend: Backend, list: &str) -> (TestApp, String, String) {
    let app = spawn_app(backend).await;
    let account = app.connect_klaviyo(&app.api_key, list).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    (app, account, token_of(&order))
}

/// The SMS marketing consent of the sandbox profile with `phone`.
fn sms_marketing(app: &TestApp, account: &str, phone: &str) -> Option<Value> {
    app.klaviyo
        .profiles(account)
        .into_iter()
        .find(|p| p["attributes"]["phone_number"] == phone)
        .map(|p| p["attributes"]["subscriptions"]["sms"]["marketing"].clone())
}

async fn a_consent_reaches_klaviyo_as_a_profile_and_a_subscription(backend: Backend) {
    let (app, account, token) = setup(backend, "TrkSub").await;
    // The page asked Klaviyo whether the shopper is subscribed, by the order's customer ID.
    let view = app.tracking_view(&token).await;
    assert_eq!(view["consent"]["status"], "Offer");
    let lookups = app.klaviyo_received(&account, "GET", "/api/profiles");
    assert!(
        lookups.iter().any(|r| r
            .query
            .as_deref()
            .is_some_and(|q| q.contains("external_id") && q.contains("subscriptions"))),
        "{lookups:?}"
    );
    let form = app.consent_form(&token, PHONE).await;
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 200);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(answer["confirm_by_text"], false, "a single opt-in list");
    // No delay by default with Klaviyo: the profile, then the subscription.
    eventually(10, "subscribed", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;
    assert_eq!(
        app.klaviyo_received(&account, "POST", "/api/profile-import")
            .len(),
        1
    );
    let subscribes = app.klaviyo_received(&account, "POST", SUBSCRIBE);
    assert_eq!(subscribes.len(), 1);
    let body = subscribes[0].body.as_ref().unwrap();
    let attributes = &body["data"]["attributes"];
    assert_eq!(attributes["custom_source"], "Tracklight tracking page");
    assert_eq!(
        attributes["profiles"]["data"][0]["attributes"]["subscriptions"],
        json!({"sms": {"marketing": {"consent": "SUBSCRIBED"}}})
    );
    assert!(attributes.get("historical_import").is_none());
    assert_eq!(
        body["data"]["relationships"]["list"]["data"]["id"],
        "TrkSub"
    );
    // What Klaviyo now holds: the profile with the order's details, subscribed, on the list.
    let profile = app
        .klaviyo
        .profiles(&account)
        .into_iter()
        .find(|p| p["attributes"]["phone_number"] == PHONE)
        .expect("a profile with the phone");
    assert_eq!(profile["attributes"]["external_id"], "cust-42");
    assert_eq!(profile["attributes"]["email"], "ana@example.com");
    assert_eq!(profile["attributes"]["first_name"], "Ana");
    // Where the order ships, as the profile's location (the request log masks the city).
    let location = &profile["attributes"]["location"];
    assert_eq!(location["country"], "US");
    assert_eq!(location["city"], "Portland");
    assert_eq!(
        sms_marketing(&app, &account, PHONE).unwrap()["consent"],
        "SUBSCRIBED"
    );
    let id = profile["id"].as_str().unwrap().to_owned();
    assert!(app.klaviyo.list_members(&account, "TrkSub").contains(&id));
    // The consent log says where it went.
    let provider: String = sqlx::query_scalar("SELECT provider FROM consents")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(provider, "klaviyo");
}

async fn a_shopper_klaviyo_says_is_subscribed_sees_no_checkbox(backend: Backend) {
    use app::domain::inputs::PhoneE164;
    use app::ssr::sms::{Account, AccountId, Contact, ListId, OptIn, Source};
    let (app, account, _) = setup(backend, "TrkSub").await;
    // The shopper signed up elsewhere (the store's own pop-up), through Klaviyo's API.
    let klaviyo = Account {
        id: AccountId::parse(&account).unwrap(),
        secret: format!("pk_{account}").into(),
    };
    let phone = PhoneE164::parse("+14155550123", None).unwrap();
    let provider = &app.state.providers.klaviyo;
    let contact = Contact {
        country: None,
        city: None,
        customer_id: "cust-77".into(),
        first_name: None,
        last_name: None,
        email: None,
        phone: Some(phone.clone()),
    };
    provider.upsert_contact(&klaviyo, &contact).await.unwrap();
    let opt_in = OptIn {
        phone,
        list_id: ListId::parse("TrkSub").unwrap(),
        source: Source::tracking_page(),
        email: None,
        first_name: None,
        last_name: None,
    };
    provider.subscribe(&klaviyo, &opt_in).await.unwrap();
    let mut body = order_body("2001-1");
    body["customer"]["id"] = json!("cust-77");
    let order = app.put_order("2001", &body).await;
    let view = app.tracking_view(&token_of(&order)).await;
    assert_eq!(view["consent"]["status"], "Subscribed", "{view}");
    // The checkbox is not in the page.
    let page = app.tracking_page(&order).await.text().await.unwrap();
    assert!(!page.contains("sms-consent"));
}

async fn a_double_opt_in_list_waits_for_the_shoppers_yes(backend: Backend) {
    let (app, account, token) = setup(backend, "NwsLtr").await;
    let form = app.consent_form(&token, PHONE).await;
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 200);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(
        answer["confirm_by_text"], true,
        "the shopper is told to reply"
    );
    // The consent log says it waits for the shopper's reply.
    eventually(10, "delivered", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("confirming".into())
    })
    .await;
    // The page says to reply to the text, also after a reload.
    let view = app.tracking_view(&token).await;
    assert_eq!(view["consent"]["confirm_by_text"], true);
    assert!(
        view["consent"]["status"].get("SignedUp").is_some(),
        "{view}"
    );
    // Klaviyo texted the shopper to confirm; until they reply, no consent.
    let outbox = app.klaviyo.outbox(&account);
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0]["phone_number"], PHONE);
    assert_ne!(
        sms_marketing(&app, &account, PHONE).unwrap()["consent"],
        "SUBSCRIBED"
    );
    assert!(app.klaviyo.confirm(&account, PHONE));
    assert_eq!(
        sms_marketing(&app, &account, PHONE).unwrap()["consent"],
        "SUBSCRIBED"
    );
}

async fn klaviyos_429_is_waited_out_and_nothing_is_lost(backend: Backend) {
    let (app, account, _token) = setup(backend, "TrkSub").await;
    // One subscription a second for this account at Klaviyo: the app's own budget (ten a
    // second) runs into it, and Klaviyo's Retry-After decides.
    app.klaviyo.set_faults(KlaviyoFaultsPatch {
        limits: Some(Some(KlaviyoLimits {
            burst: 1,
            steady: 600,
        })),
        ..Default::default()
    });
    let mut phones = Vec::new();
    for n in 0..4 {
        let order = app
            .put_order(&format!("r-{n}"), &order_body(&format!("r-{n}-1")))
            .await;
        let phone = format!("+1415555{:04}", 7000 + n);
        let form = app.consent_form(&token_of(&order), &phone).await;
        assert_eq!(app.subscribe(&form).await.status(), 200);
        phones.push(phone);
    }
    // A wait longer than the client's own goes back to the queue, due on the app's clock.
    eventually(60, "every consent subscribed", || async {
        app.advance_to_next_due().await;
        for phone in &phones {
            if app.consent_state(phone).await.map(|s| s.0) != Some("subscribed".into()) {
                return false;
            }
        }
        true
    })
    .await;
    let throttled = app
        .klaviyo
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    assert!(throttled > 0, "the limit was reached");
    assert_eq!(app.klaviyo_received(&account, "POST", SUBSCRIBE).len(), 4);
}

async fn a_duplicate_profile_is_a_clear_failure(backend: Backend) {
    let (app, account, token) = setup(backend, "TrkSub").await;
    // Klaviyo already has the order's email on one profile and the phone on another.
    app.klaviyo
        .seed_profile(&account, json!({"email": "ana@example.com"}));
    app.klaviyo
        .seed_profile(&account, json!({"phone_number": PHONE}));
    let form = app.consent_form(&token, PHONE).await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(10, "failed", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("failed".into())
    })
    .await;
    let (_, reason) = app.consent_state(PHONE).await.unwrap();
    let reason = reason.unwrap();
    assert!(reason.contains("two different profiles"), "{reason}");
    assert!(app.klaviyo_received(&account, "POST", SUBSCRIBE).is_empty());
}

async fn a_stop_between_two_attempts_is_never_undone(backend: Backend) {
    let app = spawn_app_tuned(
        backend,
        |s| s.klaviyo.optin_delay = std::time::Duration::from_secs(60),
        std::future::pending(),
    )
    .await
    .0;
    let account = app.connect_klaviyo(&app.api_key, "TrkSub").await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let form = app.consent_form(&token_of(&order), PHONE).await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(10, "profile sent", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    // The subscription's first attempt fails ambiguously (a 503)...
    app.klaviyo.set_faults(KlaviyoFaultsPatch {
        fail_next: Some(1),
        error_status: Some(503),
        ..Default::default()
    });
    app.clock.advance(Duration::seconds(60));
    eventually(10, "an attempt", || async {
        app.klaviyo.requests().iter().any(|r| r.status == 503)
    })
    .await;
    // ...and before the retry the shopper texts STOP.
    assert!(app.klaviyo.stop(&account, PHONE));
    eventually(30, "failed", || async {
        app.advance_to_next_due().await;
        app.consent_state(PHONE).await.map(|s| s.0) == Some("failed".into())
    })
    .await;
    let (_, reason) = app.consent_state(PHONE).await.unwrap();
    assert!(reason.unwrap().contains("unsubscribed"));
    assert!(
        app.klaviyo_received(&account, "POST", SUBSCRIBE).is_empty(),
        "never re-subscribed"
    );
    assert_eq!(
        sms_marketing(&app, &account, PHONE).unwrap()["consent"],
        "UNSUBSCRIBED"
    );
}

async fn switching_provider_never_splits_a_consent(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.connect_sms(&app.api_key).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let form = app.consent_form(&token_of(&order), PHONE).await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(10, "step 1 at Yotpo", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    // The merchant moves to Klaviyo while the Yotpo opt-in waits its 60 s.
    let account = app.connect_klaviyo(&app.api_key, "TrkSub").await;
    app.clock.advance(Duration::seconds(60));
    eventually(10, "the opt-in at Yotpo", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;
    assert_eq!(app.received(&store, "POST", "/subscribers").len(), 1);
    assert!(app.klaviyo.requests().iter().all(|r| r.method == "GET"));
    // A new consent goes to Klaviyo.
    let second = app.put_order("1002", &order_body("1002-1")).await;
    let other_phone = "+14155550199";
    let form = app.consent_form(&token_of(&second), other_phone).await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(10, "the opt-in at Klaviyo", || async {
        app.consent_state(other_phone).await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;
    assert_eq!(app.klaviyo_received(&account, "POST", SUBSCRIBE).len(), 1);
    assert_eq!(app.received(&store, "POST", "/subscribers").len(), 1);
    let providers: Vec<String> =
        sqlx::query_scalar("SELECT provider FROM consents ORDER BY consented_at_ms, provider")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(providers, ["yotpo", "klaviyo"]);
}

async fn a_key_without_a_scope_is_refused_by_name(backend: Backend) {
    use app::ssr::merchant_settings::klaviyo::{save_klaviyo, KlaviyoForm};
    let app = spawn_app(backend).await;
    let merchant = app::ssr::merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    let mut spec = sandbox::klaviyo::standard_klaviyo_account("kl-scopes", "pk_readonly");
    spec.keys[0].scopes.retain(|s| s != "lists:read");
    app.klaviyo.add_account(spec);
    let form = KlaviyoForm {
        key: "pk_readonly".into(),
        list_id: "TrkSub".into(),
        ..Default::default()
    };
    let err = save_klaviyo(&app.state, &merchant, &form)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("lists:read"), "{err}");
    // A list that is not the account's is refused with the account's lists named.
    app.klaviyo
        .add_account(sandbox::klaviyo::standard_klaviyo_account(
            "kl-ok", "pk_full",
        ));
    let form = KlaviyoForm {
        key: "pk_full".into(),
        list_id: "Nope".into(),
        ..Default::default()
    };
    let err = save_klaviyo(&app.state, &merchant, &form)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Tracking page subscribers (TrkSub)"),
        "{err}"
    );
    // Nothing was saved: the store is not connected to Klaviyo.
    let key: Option<String> = sqlx::query_scalar("SELECT klaviyo_key_enc FROM merchants")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(key, None);
}

on_both_backends!(
    a_consent_reaches_klaviyo_as_a_profile_and_a_subscription,
    a_shopper_klaviyo_says_is_subscribed_sees_no_checkbox,
    a_double_opt_in_list_waits_for_the_shoppers_yes,
    klaviyos_429_is_waited_out_and_nothing_is_lost,
    a_duplicate_profile_is_a_clear_failure,
    a_stop_between_two_attempts_is_never_undone,
    switching_provider_never_splits_a_consent,
    a_key_without_a_scope_is_refused_by_name,
);

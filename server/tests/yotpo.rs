//! The Yotpo client against the Yotpo sandbox, over real HTTP: every endpoint, the token
//! exchange and refresh, back-off on 429, retries on 5xx, timeouts; and the sandbox
//! rejecting what Yotpo's docs say Yotpo rejects.

mod common;

use app::domain::inputs::{Email, PersonName, PhoneE164};
use app::ssr::db::PoolConfig;
use app::ssr::secrets::SecretBox;
use app::ssr::sms::{
    Account, AccountId, Contact, ListId, OptIn, ProviderErrorKind, SmsConsent, SmsListProvider,
    Source,
};
use app::ssr::yotpo::{SharedTokens, YotpoClient, YotpoConfig, YotpoError};
use app::ssr::Db;
use reqwest::{StatusCode, Url};
use sandbox::{
    self, FaultsPatch, Recorded, SandboxConfig, SandboxHandle, SandboxStore, SignupFormSpec,
    SmsListSpec,
};
use secrecy::SecretString;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LIST: u64 = 4096107;

fn store(id: &str) -> SandboxStore {
    SandboxStore {
        store_id: id.into(),
        secret: format!("secret-{id}"),
        lists: vec![
            SmsListSpec {
                id: LIST,
                name: "Tracking page".into(),
            },
            SmsListSpec {
                id: 77,
                name: "VIP".into(),
            },
        ],
        forms: vec![SignupFormSpec {
            form_id: 12,
            script_source: "https://forms.smsbump.com/99/form_12.js".into(),
            list_id: None,
            status: "published".into(),
        }],
    }
}

fn account(id: &str) -> Account {
    Account {
        id: AccountId::parse(id).unwrap(),
        secret: SecretString::from(format!("secret-{id}")),
    }
}

/// A sandbox with stores `a`, `b` and `c`; customers become visible after 300 ms.
async fn sandbox() -> SandboxHandle {
    let config = SandboxConfig {
        stores: vec![store("a"), store("b"), store("c")],
        faults: sandbox::Faults {
            visibility_delay_ms: 300,
            ..Default::default()
        },
        ..SandboxConfig::default()
    };
    sandbox::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn config_for(url: &str) -> YotpoConfig {
    let mut config = YotpoConfig::new(Url::parse(url).unwrap());
    config.backoff = Duration::from_millis(50);
    config.timeout = Duration::from_secs(2);
    config
}

fn client(sb: &SandboxHandle) -> YotpoClient {
    YotpoClient::new(config_for(&sb.url())).unwrap()
}

fn contact(customer_id: &str, phone: &str) -> Contact {
    Contact {
        country: None,
        city: None,
        customer_id: customer_id.into(),
        first_name: Some(PersonName::parse("Ana").unwrap()),
        last_name: Some(PersonName::parse("López").unwrap()),
        email: Some(Email::parse(&format!("{customer_id}@example.com")).unwrap()),
        phone: Some(PhoneE164::parse(phone, None).unwrap()),
    }
}

fn opt_in(phone: &str) -> OptIn {
    OptIn {
        phone: PhoneE164::parse(phone, None).unwrap(),
        list_id: ListId::from(LIST),
        source: Source::tracking_page(),
        email: None,
        first_name: None,
        last_name: None,
    }
}

fn paths(requests: &[Recorded]) -> Vec<String> {
    requests
        .iter()
        .map(|r| format!("{} {} {}", r.method, r.path, r.status))
        .collect()
}

#[tokio::test]
async fn customer_upsert_then_read_back_after_the_visibility_delay() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let a = account("a");

    yotpo
        .upsert_customer(&a, &contact("cust-1", "+14155552671"))
        .await
        .unwrap();
    // Eventually consistent, as Yotpo documents: not visible at once.
    assert_eq!(
        yotpo.customer_by_external_id(&a, "cust-1").await.unwrap(),
        None
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    let customer = yotpo
        .customer_by_external_id(&a, "cust-1")
        .await
        .unwrap()
        .expect("visible after the delay");
    assert_eq!(customer.external_id.as_deref(), Some("cust-1"));
    assert_eq!(customer.email.as_deref(), Some("cust-1@example.com"));
    assert_eq!(customer.first_name.as_deref(), Some("Ana"));
    assert_eq!(customer.accepts_sms_marketing, None);
    // Another store sees nothing of it.
    assert_eq!(
        yotpo
            .customer_by_external_id(&account("b"), "cust-1")
            .await
            .unwrap(),
        None
    );

    let requests = sb.sandbox.requests();
    let patch = requests.iter().find(|r| r.method == "PATCH").unwrap();
    assert_eq!(patch.path, "/core/v3/stores/a/customers");
    // The log masks the person; the values themselves were read back above.
    assert_eq!(
        patch.body,
        Some(json!({"customer": {
            "external_id": "cust-1", "email": "c***@example.com",
            "phone_number": "+1*******671", "first_name": "A***", "last_name": "L***"
        }}))
    );
    assert_eq!(sb.sandbox.customers("a")[0]["phone_number"], "+14155552671");
    assert_eq!(sb.sandbox.customers("a")[0]["last_name"], "López");
    let get = requests.iter().find(|r| r.method == "GET").unwrap();
    assert_eq!(get.query.as_deref(), Some("external_ids=cust-1&limit=1"));
}

#[tokio::test]
async fn subscriber_upsert_sends_the_documented_shape() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    yotpo
        .upsert_subscriber(&account("a"), &opt_in("+447911123456"))
        .await
        .unwrap();
    let post = sb.sandbox.requests().pop().unwrap();
    assert_eq!(post.path, "/messaging/v3/stores/a/subscribers");
    assert_eq!(post.status, 200);
    assert_eq!(
        post.body,
        Some(json!({"subscriber": {
            "phone": sandbox::mask::phone("+447911123456"), "list_id": LIST, "source": "tracking_page",
            "channels": {"sms": {"consent": "subscribed"}}
        }}))
    );
    let subscribers = sb.sandbox.subscribers("a");
    assert_eq!(subscribers.len(), 1);
    assert_eq!(subscribers[0]["phone"], "+447911123456");
    assert_eq!(subscribers[0]["list_ids"], json!([LIST]));
}

#[tokio::test]
async fn consent_is_read_through_the_provider_boundary() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let provider: &dyn SmsListProvider = &yotpo;
    let a = account("a");

    assert_eq!(
        provider.sms_consent(&a, "cust-2").await.unwrap(),
        SmsConsent::NotSubscribed
    );
    provider
        .upsert_contact(&a, &contact("cust-2", "+14155550100"))
        .await
        .unwrap();
    // The wait Yotpo asks for between the customer upsert and the opt-in: only a visible
    // customer gets linked to the subscription.
    tokio::time::sleep(Duration::from_millis(350)).await;
    provider
        .subscribe(&a, &opt_in("+14155550100"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(
        provider.sms_consent(&a, "cust-2").await.unwrap(),
        SmsConsent::Subscribed
    );

    // Opting in before the customer is visible does not link them. (A longer delay, so
    // the client's own spacing of calls cannot outlast it.)
    sb.sandbox.set_faults(FaultsPatch {
        visibility_delay_ms: Some(3_000),
        ..Default::default()
    });
    provider
        .upsert_contact(&a, &contact("cust-3", "+14155550101"))
        .await
        .unwrap();
    provider
        .subscribe(&a, &opt_in("+14155550101"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(
        provider.sms_consent(&a, "cust-3").await.unwrap(),
        SmsConsent::NotSubscribed
    );

    let lists = provider.lists(&a).await.unwrap().unwrap();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0].id.number(), Some(LIST));
    assert_eq!(lists[0].name, "Tracking page");
}

#[tokio::test]
async fn published_forms_are_listed() {
    let sb = sandbox().await;
    let forms = client(&sb).published_forms(&account("a")).await.unwrap();
    assert_eq!(forms.len(), 1);
    assert_eq!(
        forms[0].script_source,
        "https://forms.smsbump.com/99/form_12.js"
    );
    let get = sb.sandbox.requests().pop().unwrap();
    assert_eq!(get.query.as_deref(), Some("status=published"));
}

/// A sandbox form (blank `script_source`): listed with the sandbox's own script, which the
/// provider accepts as one of Yotpo's when the forms URL is the sandbox's; the script renders
/// a form whose sign-ups subscribe the phone to the form's list, from any origin (CORS).
#[tokio::test]
async fn sandbox_forms_serve_a_script_and_take_sign_ups() {
    let mut spec = store("f");
    spec.forms = vec![
        SignupFormSpec {
            form_id: 31,
            script_source: String::new(),
            list_id: Some(77),
            status: "published".into(),
        },
        SignupFormSpec {
            form_id: 32,
            script_source: String::new(),
            list_id: None,
            status: "draft".into(),
        },
    ];
    let sb = sandbox::spawn(
        SandboxConfig {
            stores: vec![spec],
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let mut config = config_for(&sb.url());
    config.forms_url = Url::parse(&format!("{}/forms", sb.url())).unwrap();
    let provider = YotpoClient::new(config).unwrap();
    let forms = provider.signup_forms(&account("f")).await.unwrap().unwrap();
    let script = format!("{}/forms/f/form_31.js", sb.url());
    assert_eq!(forms.len(), 1, "only the published form");
    assert_eq!(
        (forms[0].id.as_str(), forms[0].script.as_str()),
        ("31", script.as_str())
    );
    // The real Yotpo's forms are not below the sandbox's forms URL.
    assert!(provider
        .form_script("https://forms.smsbump.com/99/form_12.js")
        .is_err());

    let http = reqwest::Client::new();
    let js = http.get(&script).send().await.unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let js = js.text().await.unwrap();
    assert!(js.contains(&format!("\"{}/forms/f/form_31/subscribe\"", sb.url())));
    assert!(js.contains("document.currentScript"));
    let missing = http
        .get(format!("{}/forms/f/form_99.js", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let subscribe = |phone: &str| {
        http.post(format!("{}/forms/f/form_31/subscribe", sb.url()))
            .header("origin", "https://shop.example")
            .form(&[("phone", phone)])
            .send()
    };
    let bad = subscribe("555").await.unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.headers()["access-control-allow-origin"], "*");
    assert!(sb.sandbox.subscribers("f").is_empty());
    let ok = subscribe("+1 415 555 0199").await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["access-control-allow-origin"], "*");
    let subscribers = sb.sandbox.subscribers("f");
    assert_eq!(subscribers.len(), 1);
    assert_eq!(subscribers[0]["phone"], "+14155550199");
    assert_eq!(subscribers[0]["list_ids"], serde_json::json!([77]));
    assert_eq!(subscribers[0]["channels"]["sms"]["consent"], "subscribed");
    assert_eq!(subscribers[0]["source"], "form_31");
}

#[tokio::test]
async fn a_missing_lists_endpoint_means_lists_are_not_offered() {
    let sb = sandbox().await;
    let mut config = config_for(&sb.url());
    config.paths.lists = "/messaging/v3/stores/{store_id}/no-such-lists".into();
    let yotpo = YotpoClient::new(config).unwrap();
    assert_eq!(
        yotpo.lists(&account("a")).await.unwrap().map(|l| l.len()),
        None
    );
}

#[tokio::test]
async fn the_token_is_exchanged_once_and_reused() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let a = account("a");
    let calls = (0..4).map(|_| yotpo.customer_by_external_id(&a, "x"));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let requests = sb.sandbox.requests();
    let exchanges = requests
        .iter()
        .filter(|r| r.path.ends_with("/access_tokens"))
        .count();
    assert_eq!(exchanges, 1, "{:?}", paths(&requests));
    // The sandbox checks the secret (a wrong one is a 401), and its log never keeps it.
    assert_eq!(requests[0].status, 200, "the exchange sends the API secret");
    assert_eq!(requests[0].body, Some(json!({"secret": "[redacted]"})));
    // A changed secret (the merchant saved a new one) means a new exchange.
    let mut rotated = account("a");
    rotated.secret = SecretString::from("secret-a");
    sb.sandbox.clear_requests();
    yotpo.customer_by_external_id(&rotated, "x").await.unwrap();
    assert_eq!(sb.sandbox.requests().len(), 1, "same secret: cached token");
}

#[tokio::test]
async fn instances_share_one_token_per_connection() {
    let sb = sandbox().await;
    let (url, _dir) = common::fresh_database(common::Backend::Sqlite).await;
    let db = Db::connect(&url, &PoolConfig::default()).await.unwrap();
    let secrets = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
    let tokens = Arc::new(SharedTokens::new(db, secrets));
    // Two instances (or one, restarted): the second uses the token the first exchanged.
    let first = client(&sb).with_shared_tokens(tokens.clone());
    let second = client(&sb).with_shared_tokens(tokens.clone());
    let a = account("a");
    first.customer_by_external_id(&a, "x").await.unwrap();
    second.customer_by_external_id(&a, "x").await.unwrap();
    let exchanges = |sb: &SandboxHandle| {
        sb.sandbox
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("/access_tokens"))
            .count()
    };
    assert_eq!(exchanges(&sb), 1, "{:?}", paths(&sb.sandbox.requests()));
    // Refused (it expired): one instance exchanges a new one, and the other picks it up
    // once its own copy is refused, without an exchange of its own.
    sb.sandbox.expire_tokens();
    first.customer_by_external_id(&a, "x").await.unwrap();
    assert_eq!(exchanges(&sb), 2);
    second.customer_by_external_id(&a, "x").await.unwrap();
    assert_eq!(exchanges(&sb), 2, "{:?}", paths(&sb.sandbox.requests()));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_the_call_retried_once() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let a = account("a");
    yotpo.customer_by_external_id(&a, "x").await.unwrap();
    sb.sandbox.expire_tokens();
    sb.sandbox.clear_requests();

    yotpo.customer_by_external_id(&a, "x").await.unwrap();
    assert_eq!(
        paths(&sb.sandbox.requests()),
        [
            "GET /core/v3/stores/a/customers 401",
            "POST /core/v3/stores/a/access_tokens 200",
            "GET /core/v3/stores/a/customers 200",
        ]
    );
}

#[tokio::test]
async fn tokens_expire_after_their_lifetime() {
    let sb = sandbox().await;
    sb.sandbox.set_faults(FaultsPatch {
        token_ttl_secs: Some(0),
        ..Default::default()
    });
    // Every token is dead on arrival: one refresh, then the client gives up with a clear
    // error instead of looping.
    let err = client(&sb)
        .customer_by_external_id(&account("a"), "x")
        .await
        .unwrap_err();
    assert_eq!(err, YotpoError::BadCredentials);
    assert_eq!(sb.sandbox.requests().len(), 4);
}

#[tokio::test]
async fn a_wrong_secret_is_a_permanent_credentials_error() {
    let sb = sandbox().await;
    let provider: &dyn SmsListProvider = &client(&sb);
    let mut wrong = account("a");
    wrong.secret = SecretString::from("nope");
    let err = provider.check_account(&wrong).await.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::BadCredentials);
    assert!(!err.reason.contains("nope"));
    let err = provider
        .check_account(&account("nobody"))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::BadCredentials);
    // Not retried: one request each.
    assert_eq!(sb.sandbox.requests().len(), 2);
    provider.check_account(&account("a")).await.unwrap();
}

#[tokio::test]
async fn server_errors_are_retried_with_back_off() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let a = account("a");
    yotpo.check_credentials(&a).await.unwrap();
    sb.sandbox.set_faults(FaultsPatch {
        fail_next: Some(2),
        error_status: Some(503),
        ..Default::default()
    });
    sb.sandbox.clear_requests();
    // An upsert by ID is safe to repeat.
    yotpo
        .upsert_customer(&a, &contact("c-1", "+14155550199"))
        .await
        .unwrap();
    let statuses: Vec<u16> = sb.sandbox.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 503, 200]);
    let gaps: Vec<i64> = sb
        .sandbox
        .requests()
        .windows(2)
        .map(|w| w[1].at_ms - w[0].at_ms)
        .collect();
    assert!(gaps[1] >= gaps[0].min(100), "back-off grows: {gaps:?}");

    // An opt-in is a POST that a 5xx may have let through: not repeated here, but handed
    // back to the job queue, which reads the shopper's state back before sending it again.
    sb.sandbox.set_faults(FaultsPatch {
        fail_next: Some(1),
        error_status: Some(503),
        ..Default::default()
    });
    sb.sandbox.clear_requests();
    let err = yotpo
        .upsert_subscriber(&a, &opt_in("+14155550199"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, YotpoError::Server { status: 503, .. }),
        "{err}"
    );
    assert!(err.is_retryable() && !err.not_processed());
    assert_eq!(sb.sandbox.requests().len(), 1, "sent once");

    // A longer outage: the attempts run out and the error says to retry later.
    sb.sandbox.set_faults(FaultsPatch {
        fail_next: Some(10),
        error_status: Some(500),
        ..Default::default()
    });
    let err = yotpo
        .upsert_customer(&a, &contact("c-1", "+14155550199"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, YotpoError::Server { status: 500, .. }),
        "{err}"
    );
    assert!(err.is_retryable());
    assert!(err.to_string().contains("injected"), "reason kept: {err}");
}

#[tokio::test]
async fn rate_limited_calls_wait_for_the_reset_and_succeed() {
    let sb = sandbox().await;
    // A stricter sandbox than the client's budget: 429s are certain.
    sb.sandbox.set_faults(FaultsPatch {
        rate_limit_per_second: Some(2),
        ..Default::default()
    });
    let yotpo = client(&sb);
    let a = account("a");
    // Queue work, which gets four of the client's five calls a second.
    let calls = (0..6).map(|i| {
        let phone = format!("+1415555010{i}");
        let yotpo = &yotpo;
        let a = &a;
        async move { yotpo.upsert_subscriber(a, &opt_in(&phone)).await }
    });
    let started = Instant::now();
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let requests = sb.sandbox.requests();
    let limited: Vec<&Recorded> = requests.iter().filter(|r| r.status == 429).collect();
    assert!(!limited.is_empty(), "{:?}", paths(&requests));
    // After a 429 the store pauses for RateLimit-Reset (1 s): nobody hammers it.
    let first_429 = limited[0].at_ms;
    let next = requests
        .iter()
        .find(|r| r.at_ms > first_429 && r.seq > limited[0].seq)
        .unwrap();
    assert!(next.at_ms - first_429 >= 900, "{:?}", paths(&requests));
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn the_client_stays_under_five_requests_per_second_per_store() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let a = account("a");
    let b = account("b");
    // 12 callers on store a (look-ups and queue work) and 4 on store b at once.
    let calls = (0..16).map(|i| {
        let account = if i < 12 { a.clone() } else { b.clone() };
        let yotpo = &yotpo;
        async move {
            if i % 2 == 0 {
                yotpo.customer_by_external_id(&account, "x").await.map(drop)
            } else {
                yotpo
                    .upsert_subscriber(&account, &opt_in(&format!("+141555501{i:02}")))
                    .await
            }
        }
    });
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let requests = sb.sandbox.requests();
    assert!(
        requests.iter().all(|r| r.status != 429),
        "{:?}",
        paths(&requests)
    );
    let on_a: Vec<i64> = requests
        .iter()
        .filter(|r| r.store_id.as_deref() == Some("a"))
        .map(|r| r.at_ms)
        .collect();
    assert_eq!(on_a.len(), 13);
    for (i, start) in on_a.iter().enumerate() {
        let in_window = on_a[i..].iter().take_while(|t| **t - start < 1000).count();
        assert!(
            in_window <= 5,
            "{in_window} requests within a second: {on_a:?}"
        );
    }
}

#[tokio::test]
async fn page_view_look_ups_never_queue_ahead_of_queue_work() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let a = account("a");
    // A burst of page views asks "already subscribed?" while an opt-in is due.
    let look_ups = (0..8).map(|i| {
        let yotpo = &yotpo;
        let a = &a;
        async move {
            yotpo
                .customer_by_external_id(a, &format!("c{i}"))
                .await
                .map(drop)
        }
    });
    let opt_in_call = async {
        // Started after every look-up has queued.
        tokio::task::yield_now().await;
        yotpo.upsert_subscriber(&a, &opt_in("+14155550142")).await
    };
    let (found, subscribed) = tokio::join!(futures_util::future::join_all(look_ups), opt_in_call);
    subscribed.unwrap();
    for result in found {
        result.unwrap();
    }
    let requests = sb.sandbox.requests();
    let on_a: Vec<&Recorded> = requests
        .iter()
        .filter(|r| r.store_id.as_deref() == Some("a"))
        .collect();
    let opt_in_at = on_a
        .iter()
        .position(|r| r.method == "POST" && r.path.ends_with("/subscribers"))
        .unwrap();
    let look_ups_before = on_a[..opt_in_at]
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    // The look-ups get one call a second; the opt-in has its own share of the budget.
    assert!(look_ups_before <= 2, "{:?}", paths(&requests));
}

#[tokio::test]
async fn slow_answers_time_out_as_retryable_errors() {
    let sb = sandbox().await;
    let mut config = config_for(&sb.url());
    config.timeout = Duration::from_millis(200);
    config.max_attempts = 1;
    let yotpo = YotpoClient::new(config).unwrap();
    sb.sandbox.set_faults(FaultsPatch {
        latency_ms: Some(5_000),
        ..Default::default()
    });
    let started = Instant::now();
    let err = yotpo
        .customer_by_external_id(&account("a"), "x")
        .await
        .unwrap_err();
    assert!(matches!(err, YotpoError::Timeout(_)), "{err}");
    assert!(err.is_retryable());
    // Gave up long before the answer came (a loose bound, not a measure of speed).
    assert!(started.elapsed() < Duration::from_millis(4_000));
}

#[tokio::test]
async fn an_unreachable_yotpo_is_a_retryable_connection_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = config_for(&format!("http://127.0.0.1:{port}"));
    config.max_attempts = 2;
    let err = YotpoClient::new(config)
        .unwrap()
        .customer_by_external_id(&account("a"), "x")
        .await
        .unwrap_err();
    assert!(matches!(err, YotpoError::Connection(_)), "{err}");
    assert!(err.is_retryable());
    assert!(
        !err.to_string().contains("127.0.0.1"),
        "no URL in reasons: {err}"
    );
}

#[tokio::test]
async fn permanent_rejections_are_not_retried_and_keep_the_reason() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let a = account("a");
    let mut unknown_list = opt_in("+14155550123");
    unknown_list.list_id = ListId::from(999);
    let err = yotpo
        .upsert_subscriber(&a, &unknown_list)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        YotpoError::Rejected {
            status: 400,
            reason: "list_id 999 does not exist in this store".into()
        }
    );
    assert!(!err.is_retryable());
    let posts = sb
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/subscribers"))
        .count();
    assert_eq!(posts, 1);
}

// --- The sandbox rejects what Yotpo rejects -------------------------------------------

async fn exchange(http: &reqwest::Client, sb: &SandboxHandle, store: &str) -> String {
    let answer: Value = http
        .post(format!("{}/core/v3/stores/{store}/access_tokens", sb.url()))
        .json(&json!({"secret": format!("secret-{store}")}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_sandbox_validates_as_documented() {
    let sb = sandbox().await;
    sb.sandbox.set_faults(FaultsPatch {
        rate_limit_per_second: Some(0),
        ..Default::default()
    });
    let http = reqwest::Client::new();
    let token = exchange(&http, &sb, "a").await;
    let customers = format!("{}/core/v3/stores/a/customers", sb.url());
    let subscribers = format!("{}/messaging/v3/stores/a/subscribers", sb.url());

    let cases: Vec<(&str, &str, Value, StatusCode)> = vec![
        (
            "customer by external_id",
            "PATCH",
            json!({"customer": {"external_id": "c1", "email": "a@b.co", "phone_number": "+14155552671"}}),
            StatusCode::OK,
        ),
        (
            "customer by email only",
            "PATCH",
            json!({"customer": {"email": "a@b.co"}}),
            StatusCode::OK,
        ),
        (
            "customer by phone only",
            "PATCH",
            json!({"customer": {"phone_number": "+14155552671"}}),
            StatusCode::OK,
        ),
        (
            "email and phone without external_id",
            "PATCH",
            json!({"customer": {"email": "a@b.co", "phone_number": "+14155552671"}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "no identifier",
            "PATCH",
            json!({"customer": {"first_name": "Ana"}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "not wrapped in customer",
            "PATCH",
            json!({"external_id": "c1"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "phone not E.164",
            "PATCH",
            json!({"customer": {"external_id": "c1", "phone_number": "415 555 2671"}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "bad email",
            "PATCH",
            json!({"customer": {"external_id": "c1", "email": "nope"}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "consent not a boolean",
            "PATCH",
            json!({"customer": {"external_id": "c1", "accepts_sms_marketing": "yes"}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "subscriber",
            "POST",
            json!({"subscriber": {"phone": "+14155552671", "list_id": LIST, "source": "tracking_page"}}),
            StatusCode::OK,
        ),
        (
            "subscriber to the default list",
            "POST",
            json!({"subscriber": {"phone": "+14155552671"}}),
            StatusCode::OK,
        ),
        (
            "no phone",
            "POST",
            json!({"subscriber": {"list_id": LIST}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "national phone",
            "POST",
            json!({"subscriber": {"phone": "4155552671", "list_id": LIST}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "phone over 15 characters",
            "POST",
            json!({"subscriber": {"phone": "+1415555267112345", "list_id": LIST}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "list_id as a string",
            "POST",
            json!({"subscriber": {"phone": "+14155552671", "list_id": "4096107"}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "list_id not an integer",
            "POST",
            json!({"subscriber": {"phone": "+14155552671", "list_id": 1.5}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "unknown list",
            "POST",
            json!({"subscriber": {"phone": "+14155552671", "list_id": 5}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "source too short",
            "POST",
            json!({"subscriber": {"phone": "+14155552671", "list_id": LIST, "source": "tp"}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "source too long",
            "POST",
            json!({"subscriber": {"phone": "+14155552671", "list_id": LIST, "source": "x".repeat(41)}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "bad consent",
            "POST",
            json!({"subscriber": {"phone": "+14155552671", "list_id": LIST, "channels": {"sms": {"consent": "maybe"}}}}),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (name, method, body, expected) in cases {
        let url = if method == "PATCH" {
            &customers
        } else {
            &subscribers
        };
        let response = http
            .request(method.parse().unwrap(), url)
            .header("X-Yotpo-Token", &token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let answer: Value = response.json().await.unwrap();
        assert_eq!(status, expected, "{name}: {answer}");
        if status == StatusCode::BAD_REQUEST {
            assert!(
                answer["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{name}: {answer}"
            );
        }
    }

    // Authentication.
    for (name, header) in [("no token", None), ("wrong token", Some("nope"))] {
        let mut request = http.get(&customers);
        if let Some(h) = header {
            request = request.header("X-Yotpo-Token", h);
        }
        assert_eq!(
            request.send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{name}"
        );
    }
    let other_store = http
        .get(format!("{}/core/v3/stores/b/customers", sb.url()))
        .header("X-Yotpo-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        other_store.status(),
        StatusCode::UNAUTHORIZED,
        "a token is for one store"
    );

    // Paging: cursor-based, limit at most 100.
    for i in 0..3 {
        http.patch(&customers)
            .header("X-Yotpo-Token", &token)
            .json(&json!({"customer": {"external_id": format!("p{i}"), "tags": "paged"}}))
            .send()
            .await
            .unwrap();
    }
    sb.sandbox.set_faults(FaultsPatch {
        visibility_delay_ms: Some(0),
        ..Default::default()
    });
    tokio::time::sleep(Duration::from_millis(350)).await;
    let page = |query: String| {
        let http = http.clone();
        let url = format!("{customers}?{query}");
        let token = token.clone();
        async move {
            let r = http
                .get(url)
                .header("X-Yotpo-Token", token)
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, first) = page("external_ids=p0,p1,p2&limit=2".into()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["customers"].as_array().unwrap().len(), 2);
    let cursor = first["pagination"]["next_page_info"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, second) = page(format!("page_info={cursor}&limit=2")).await;
    assert_eq!(second["customers"].as_array().unwrap().len(), 1);
    assert_eq!(second["customers"][0]["external_id"], "p2");
    assert_eq!(second["pagination"]["next_page_info"], Value::Null);
    assert_eq!(page("limit=101".into()).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        page("page_info=garbage".into()).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_sandbox_limits_each_store_to_five_requests_a_second() {
    let sb = sandbox().await;
    let http = reqwest::Client::new();
    let token = exchange(&http, &sb, "c").await;
    let url = format!("{}/core/v3/stores/c/customers", sb.url());
    let mut statuses = Vec::new();
    let mut limited = None;
    for _ in 0..6 {
        let r = http
            .get(&url)
            .header("X-Yotpo-Token", &token)
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
        }
    }
    // The token exchange was the first of the five.
    assert_eq!(statuses, [200, 200, 200, 200, 429, 429]);
    let limited = limited.unwrap();
    assert_eq!(limited.headers()["RateLimit-Remaining"], "0");
    let reset: u64 = limited.headers()["RateLimit-Reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=1).contains(&reset));
    // Another store has its own budget.
    let b = exchange(&http, &sb, "b").await;
    assert!(!b.is_empty());
    tokio::time::sleep(Duration::from_millis(1050)).await;
    let again = http
        .get(&url)
        .header("X-Yotpo-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn faults_can_be_switched_over_http() {
    let sb = sandbox().await;
    let http = reqwest::Client::new();
    let faults: Value = http
        .put(format!("{}/sandbox/faults", sb.url()))
        .json(&json!({"error_rate": 1.0, "error_status": 500}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["error_rate"], 1.0);
    assert_eq!(faults["rate_limit_per_second"], 5, "others unchanged");
    let r = http
        .post(format!("{}/core/v3/stores/a/access_tokens", sb.url()))
        .json(&json!({"secret": "secret-a"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let bad = http
        .put(format!("{}/sandbox/faults", sb.url()))
        .json(&json!({"error_rate": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let unknown = http
        .put(format!("{}/sandbox/faults", sb.url()))
        .json(&json!({"typo": 1}))
        .send()
        .await
        .unwrap();
    assert!(unknown.status().is_client_error());

    let log: Value = http
        .get(format!("{}/sandbox/requests?store_id=a", sb.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log["requests"][0]["status"], 500);
    assert_eq!(
        log["requests"][0]["path"],
        "/core/v3/stores/a/access_tokens"
    );

    http.post(format!("{}/sandbox/stores", sb.url()))
        .json(&json!({"store_id": "new", "secret": "s3cret", "lists": [{"id": 1, "name": "Main"}]}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let store: Value = http
        .get(format!("{}/sandbox/stores/new", sb.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(store["lists"][0]["name"], "Main");
}

/// A merchant who types another's store ID (with their own, wrong secret) gets a connection
/// of their own: checking it neither evicts the other's token nor spends a new exchange of it.
#[tokio::test]
async fn another_merchants_store_id_does_not_evict_its_token() {
    let sb = sandbox().await;
    let yotpo = client(&sb);
    let owner = account("a");
    yotpo.customer_by_external_id(&owner, "x").await.unwrap();
    let mut intruder = account("a");
    intruder.secret = SecretString::from("not-the-secret");
    let err = yotpo.check_credentials(&intruder).await.unwrap_err();
    assert!(matches!(err, YotpoError::BadCredentials), "{err}");
    sb.sandbox.clear_requests();
    yotpo.customer_by_external_id(&owner, "x").await.unwrap();
    let requests = sb.sandbox.requests();
    assert_eq!(requests.len(), 1, "{:?}", paths(&requests));
    assert!(
        requests[0].path.ends_with("/customers"),
        "no new exchange for the owner"
    );
}

/// Yotpo Loyalty (§2b, §9) in the sandbox, through Tracklight's loyalty client: credentials
/// checked, an action recorded and found in the customer's history, recording not
/// idempotent (the reason the job reads first), a campaign Yotpo does not know refused with
/// 400, a wrong key with 401, and the request log masking the customer's email.
#[tokio::test]
async fn loyalty_actions_are_recorded_and_read_back_as_documented() {
    use app::ssr::yotpo::{CustomAction, LoyaltyAccount, LoyaltyClient, LoyaltyConfig};
    let sb = sandbox().await;
    let client = LoyaltyClient::new(LoyaltyConfig::new(Url::parse(&sb.url()).unwrap())).unwrap();
    let good = LoyaltyAccount {
        guid: "a".into(),
        api_key: SecretString::from("secret-a".to_owned()),
    };
    let bad = LoyaltyAccount {
        guid: "a".into(),
        api_key: SecretString::from("wrong".to_owned()),
    };
    client.check(&good).await.unwrap();
    assert_eq!(client.check(&bad).await, Err(YotpoError::BadCredentials));
    let action = CustomAction {
        customer_email: "Ana@Example.com".into(),
        action_name: sandbox::loyalty::DEFAULT_CAMPAIGNS[0].0.into(),
        created_at: "2026-11-24T12:00:00Z".into(),
    };
    assert!(!client.action_landed(&good, &action).await.unwrap());
    client.record(&good, &action).await.unwrap();
    assert!(client.action_landed(&good, &action).await.unwrap());
    // Not idempotent: sent again, it is awarded again.
    client.record(&good, &action).await.unwrap();
    let (points, history) = sb.sandbox.loyalty_customer("a", "ana@example.com").unwrap();
    assert_eq!((points, history.len()), (200, 2));
    assert_eq!(history[0]["completed_at"], "2026-11-24T12:00:00Z");
    let unknown = CustomAction {
        action_name: "No such campaign".into(),
        ..action.clone()
    };
    match client.record(&good, &unknown).await {
        Err(YotpoError::Rejected {
            status: 400,
            reason,
        }) => {
            assert!(reason.contains("campaign"), "{reason}")
        }
        other => panic!("an unknown campaign was not refused: {other:?}"),
    }
    assert_eq!(
        client.record(&bad, &action).await,
        Err(YotpoError::BadCredentials)
    );
    // The log has the shapes, not the shopper's email.
    let logged = sb.sandbox.requests();
    let post = logged
        .iter()
        .find(|r| r.method == "POST" && r.path == "/api/v2/actions")
        .unwrap();
    assert_eq!(post.store_id.as_deref(), Some("a"));
    assert_ne!(
        post.body.as_ref().unwrap()["customer_email"],
        "Ana@Example.com"
    );
    assert!(logged
        .iter()
        .filter_map(|r| r.query.as_deref())
        .all(|q| !q.contains("ana%40example.com") && !q.contains("ana@example.com")));
}

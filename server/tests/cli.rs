//! The operator commands: create a merchant and keys, revoke a key, list merchants; and the
//! keys they print work against the API.

mod common;

use app::ssr::clock::ManualClock;
use app::ssr::db::PoolConfig;
use app::ssr::secrets::SecretBox;
use app::ssr::Db;
use common::{fresh_database, order_body, Backend};
use server::cli::{execute, ApiKeyCommand, Command, MerchantCommand, Operator};
use server::config::Settings;
use server::startup::Application;
use std::sync::Arc;

fn key_in(output: &str) -> String {
    output
        .split_whitespace()
        .find(|w| w.starts_with("tl_") && w.len() > 20)
        .unwrap_or_else(|| panic!("no key in {output:?}"))
        .to_owned()
}

#[tokio::test]
async fn operators_onboard_a_merchant_and_manage_its_keys() {
    let (url, dir) = fresh_database(Backend::Sqlite).await;
    let db = Db::connect(&url, &PoolConfig::default()).await.unwrap();
    let clock = ManualClock::new(time::OffsetDateTime::UNIX_EPOCH);
    let secrets = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();

    let created = execute(
        &Command::Merchant(MerchantCommand::Create {
            name: "Blue Bottle".into(),
            accent: Some("#1d4ed8".into()),
        }),
        &Operator::new(&db, &clock, &secrets),
    )
    .await
    .unwrap();
    let first_key = key_in(&created);
    let merchant_id = created.split_whitespace().nth(2).unwrap().to_owned();

    let second = execute(
        &Command::ApiKey(ApiKeyCommand::Create {
            merchant: merchant_id.clone(),
            label: "3pl".into(),
        }),
        &Operator::new(&db, &clock, &secrets),
    )
    .await
    .unwrap();
    let second_key = key_in(&second);

    let user = execute(
        &Command::Merchant(MerchantCommand::User {
            merchant: merchant_id.clone(),
            email: "ops@blue.example".into(),
            password: "correct horse battery".into(),
        }),
        &Operator::new(&db, &clock, &secrets),
    )
    .await
    .unwrap();
    assert!(user.contains("ops@blue.example can now sign in"), "{user}");
    let signed_in =
        app::ssr::accounts::check_password(&db, "ops@blue.example", "correct horse battery")
            .await
            .unwrap();
    assert_eq!(signed_in.unwrap().1.as_str(), merchant_id);
    let weak = execute(
        &Command::Merchant(MerchantCommand::User {
            merchant: merchant_id.clone(),
            email: "weak@blue.example".into(),
            password: "short".into(),
        }),
        &Operator::new(&db, &clock, &secrets),
    )
    .await
    .unwrap_err();
    assert!(weak.to_string().contains("TRACKLIGHT_PASSWORD"), "{weak}");

    let listed = execute(
        &Command::Merchant(MerchantCommand::List),
        &Operator::new(&db, &clock, &secrets),
    )
    .await
    .unwrap();
    assert!(
        listed.contains("Blue Bottle") && listed.contains(&merchant_id),
        "{listed}"
    );
    assert!(
        listed
            .lines()
            .any(|l| l.contains(&merchant_id) && l.contains(" 2  ")),
        "{listed}"
    );

    // The printed keys work against the API of a server on the same database.
    let settings = Settings::for_tests(dir.path().to_path_buf(), url);
    let app = Application::build(&settings, Arc::new(clock.clone()))
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let put = |key: String| {
        let request = client
            .put(format!("{base}/api/v1/orders/1"))
            .bearer_auth(key)
            .json(&order_body("1-1"));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(put(first_key.clone()).await, 201);
    assert_eq!(put(second_key.clone()).await, 200);

    let prefix = &first_key[..9];
    let revoked = execute(
        &Command::ApiKey(ApiKeyCommand::Revoke {
            merchant: merchant_id.clone(),
            prefix: prefix.into(),
        }),
        &Operator::new(&db, &clock, &secrets),
    )
    .await
    .unwrap();
    assert!(revoked.contains("Revoked 1"), "{revoked}");
    assert_eq!(put(first_key).await, 401, "a revoked key is refused");
    assert_eq!(put(second_key).await, 200, "other keys keep working");
}

#[tokio::test]
async fn bad_operator_input_is_explained() {
    let (url, _dir) = fresh_database(Backend::Sqlite).await;
    let db = Db::connect(&url, &PoolConfig::default()).await.unwrap();
    let clock = ManualClock::new(time::OffsetDateTime::UNIX_EPOCH);
    let secrets = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
    let create = |name: &str, accent: Option<&str>| {
        Command::Merchant(MerchantCommand::Create {
            name: name.into(),
            accent: accent.map(Into::into),
        })
    };
    let err = |r: anyhow::Result<String>| format!("{:#}", r.unwrap_err());

    assert!(
        err(execute(&create(" ", None), &Operator::new(&db, &clock, &secrets),).await)
            .starts_with("--name must not be empty")
    );
    assert!(err(execute(
        &create("Shop", Some("#ffff00")),
        &Operator::new(&db, &clock, &secrets),
    )
    .await)
    .contains("--accent is too light"));
    let unknown = Command::ApiKey(ApiKeyCommand::Create {
        merchant: "nope".into(),
        label: "x".into(),
    });
    assert!(
        err(execute(&unknown, &Operator::new(&db, &clock, &secrets),).await)
            .contains("no merchant with ID nope")
    );
    let created = execute(&create("Shop", None), &Operator::new(&db, &clock, &secrets))
        .await
        .unwrap();
    let id = created.split_whitespace().nth(2).unwrap().to_owned();
    let revoke = Command::ApiKey(ApiKeyCommand::Revoke {
        merchant: id,
        prefix: "tl_zzzzzz".into(),
    });
    assert!(
        err(execute(&revoke, &Operator::new(&db, &clock, &secrets),).await)
            .contains("no live API key")
    );
}

#[test]
fn the_binary_runs_operator_commands() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tracklight"))
            .args(args)
            .env("TRACKLIGHT_DATA_DIR", dir.path())
            .env("TRACKLIGHT_LOG", "warn")
            .output()
            .unwrap()
    };
    let created = run(&["merchant", "create", "--name", "Corner Shop"]);
    assert!(created.status.success(), "{created:?}");
    let stdout = String::from_utf8_lossy(&created.stdout);
    assert!(stdout.contains("API key (shown once"), "{stdout}");
    key_in(&stdout);

    let listed = run(&["merchant", "list"]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Corner Shop"));

    let bad = run(&["merchant", "create", "--name", ""]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--name must not be empty"));

    let help = run(&["--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("api-key"));
}

/// `merchant sms` connects a merchant to Yotpo: checked against Yotpo when an API URL is
/// configured, the secret stored encrypted.
#[tokio::test]
async fn operators_connect_a_merchant_to_yotpo() {
    use app::ssr::consent::settings;
    use app::ssr::yotpo::{YotpoClient, YotpoConfig};
    use sandbox::{SandboxConfig, SandboxStore, SmsListSpec};
    let (url, _dir) = fresh_database(Backend::Sqlite).await;
    let db = Db::connect(&url, &PoolConfig::default()).await.unwrap();
    let clock = ManualClock::new(time::OffsetDateTime::UNIX_EPOCH);
    let secrets = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
    let sandbox = sandbox::spawn(
        SandboxConfig {
            stores: vec![SandboxStore {
                store_id: "shop1".into(),
                secret: "right".into(),
                lists: vec![SmsListSpec {
                    id: 11,
                    name: "Main".into(),
                }],
                forms: Vec::new(),
            }],
            ..SandboxConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let yotpo = YotpoClient::new(YotpoConfig::new(sandbox.url().parse().unwrap())).unwrap();
    let created = execute(
        &Command::Merchant(MerchantCommand::Create {
            name: "Blue Bottle".into(),
            accent: None,
        }),
        &Operator::new(&db, &clock, &secrets),
    )
    .await
    .unwrap();
    let merchant = created.split_whitespace().nth(2).unwrap().to_owned();
    let sms = |secret: &str, list: &str| {
        Command::Merchant(MerchantCommand::Sms {
            merchant: merchant.clone(),
            store_id: "shop1".into(),
            secret: secret.into(),
            list_id: list.into(),
            terms_url: "https://blue.example/terms".into(),
            privacy_url: "https://blue.example/privacy".into(),
            heading: None,
            extra: Some("10% off".into()),
        })
    };
    let checked = Operator {
        sms: Some(&yotpo),
        ..Operator::new(&db, &clock, &secrets)
    };
    let err = execute(&sms("wrong", "11"), &checked).await.unwrap_err();
    assert!(err.to_string().contains("did not accept"), "{err}");
    let err = execute(&sms("right", "12"), &checked).await.unwrap_err();
    assert!(err.to_string().contains("11 (Main)"), "{err}");
    let err = execute(&sms("right", "abc"), &checked).await.unwrap_err();
    assert!(err.to_string().contains("--list-id"), "{err}");
    let out = execute(&sms("right", "11"), &checked).await.unwrap();
    assert!(out.contains("checked with Yotpo"), "{out}");

    let id = app::ssr::merchants::find(&db, &merchant)
        .await
        .unwrap()
        .unwrap();
    let stored = settings::load(&db, &secrets, &id).await.unwrap().unwrap();
    assert!(stored.ready().is_some());
    assert_eq!(stored.extra.as_deref(), Some("10% off"));
    use secrecy::ExposeSecret;
    assert_eq!(stored.account.unwrap().secret.expose_secret(), "right");
    use sqlx::Row;
    let raw: String = sqlx::query("SELECT sms_secret_enc FROM merchants")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert!(
        raw.starts_with("v1:") && !raw.contains("right"),
        "encrypted at rest"
    );
}

/// `merchant klaviyo` connects a merchant to Klaviyo and makes it the provider: checked
/// against Klaviyo when an API URL is configured (the key's account, the list and its
/// opt-in process), the key stored encrypted.
#[tokio::test]
async fn operators_connect_a_merchant_to_klaviyo() {
    use app::domain::ListProvider;
    use app::ssr::consent::settings;
    use app::ssr::klaviyo::{KlaviyoClient, KlaviyoConfig};
    use sandbox::klaviyo::{spawn_klaviyo, standard_klaviyo_account};
    let (url, _dir) = fresh_database(Backend::Sqlite).await;
    let db = Db::connect(&url, &PoolConfig::default()).await.unwrap();
    let clock = ManualClock::new(time::OffsetDateTime::UNIX_EPOCH);
    let secrets = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
    let sandbox = spawn_klaviyo(
        sandbox::klaviyo::KlaviyoConfig {
            accounts: vec![standard_klaviyo_account("kl-blue", "pk_blue")],
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let klaviyo = KlaviyoClient::new(KlaviyoConfig::new(sandbox.url().parse().unwrap())).unwrap();
    let created = execute(
        &Command::Merchant(MerchantCommand::Create {
            name: "Blue Bottle".into(),
            accent: None,
        }),
        &Operator::new(&db, &clock, &secrets),
    )
    .await
    .unwrap();
    let merchant = created.split_whitespace().nth(2).unwrap().to_owned();
    let connect = |account: &str, key: &str, list: &str| {
        Command::Merchant(MerchantCommand::Klaviyo {
            merchant: merchant.clone(),
            account_id: account.into(),
            key: key.into(),
            list_id: list.into(),
            double_opt_in: false,
            terms_url: "https://blue.example/terms".into(),
            privacy_url: "https://blue.example/privacy".into(),
        })
    };
    let checked = Operator {
        klaviyo: Some(&klaviyo),
        ..Operator::new(&db, &clock, &secrets)
    };
    let err = execute(&connect("kl-blue", "pk_wrong", "TrkSub"), &checked)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("did not accept"), "{err}");
    let err = execute(&connect("kl-other", "pk_blue", "TrkSub"), &checked)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("belongs to"), "{err}");
    let err = execute(&connect("kl-blue", "pk_blue", "Nope"), &checked)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("TrkSub"), "{err}");
    // The double opt-in list is read as such from Klaviyo, whatever the flag said.
    let out = execute(&connect("kl-blue", "pk_blue", "NwsLtr"), &checked)
        .await
        .unwrap();
    assert!(out.contains("checked with Klaviyo"), "{out}");

    let id = app::ssr::merchants::find(&db, &merchant)
        .await
        .unwrap()
        .unwrap();
    let stored = settings::load(&db, &secrets, &id).await.unwrap().unwrap();
    assert_eq!(stored.provider, ListProvider::Klaviyo);
    let connection = stored.connection(ListProvider::Klaviyo).unwrap();
    assert!(connection.double_opt_in);
    assert_eq!(connection.account.id.as_str(), "kl-blue");
    let raw: Option<String> = sqlx::query_scalar("SELECT klaviyo_key_enc FROM merchants")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(
        raw.is_some_and(|r| r.starts_with("v1:") && !r.contains("pk_blue")),
        "encrypted at rest"
    );
}

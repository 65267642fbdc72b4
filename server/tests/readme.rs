//! The README's curl examples work: each `curl` in its API section is replayed, in order,
//! against a fresh app, and must succeed.

mod common;

use common::{spawn_app, Backend};

struct Example {
    method: String,
    path: String,
    body: Option<String>,
}

/// Reads the `curl` commands of the README's bash blocks that talk to `$TRACKLIGHT`.
fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_bash = false;
    let mut command = String::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_bash = line.trim() == "```bash";
            continue;
        }
        if !in_bash {
            continue;
        }
        let line = line.split(" # ").next().unwrap_or(line);
        if line.trim_start().starts_with('#') {
            continue;
        }
        command.push_str(line.trim_end_matches('\\'));
        command.push('\n');
        // A command ends on a line without a continuation and outside a quoted body.
        if !line.ends_with('\\') && command.matches('\'').count().is_multiple_of(2) {
            if let Some(e) = parse(&command) {
                out.push(e);
            }
            command.clear();
        }
    }
    out
}

fn parse(command: &str) -> Option<Example> {
    let start = command.find("curl ")?;
    let cmd = &command[start..];
    let url_start = cmd.find("\"$TRACKLIGHT")? + "\"$TRACKLIGHT".len();
    let path = cmd[url_start..].split('"').next()?.to_owned();
    let method = cmd
        .split("-X ")
        .nth(1)
        .and_then(|m| m.split_whitespace().next())
        .unwrap_or("GET")
        .to_owned();
    let body = cmd
        .split("-d '")
        .nth(1)
        .and_then(|b| b.split('\'').next())
        .map(str::to_owned);
    Some(Example { method, path, body })
}

#[tokio::test]
async fn readme_curl_examples_succeed() {
    let readme = include_str!("../../README.md");
    let examples = examples(readme);
    assert!(
        examples.len() >= 4,
        "found only {} curl examples",
        examples.len()
    );
    let app = spawn_app(Backend::Sqlite).await;
    for e in examples {
        let mut req = app
            .client
            .request(e.method.parse().unwrap(), app.url(&e.path))
            .bearer_auth(&app.api_key);
        if let Some(body) = &e.body {
            let json: serde_json::Value = serde_json::from_str(body)
                .unwrap_or_else(|err| panic!("README body for {} is not JSON: {err}", e.path));
            req = req.json(&json);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(
            status.is_success(),
            "{} {} → {status}: {text}",
            e.method,
            e.path
        );
    }
}

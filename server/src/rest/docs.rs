//! A readable, dependency-free HTML page of the API, rendered once at start from the same
//! OpenAPI document that is served as JSON (so the two never disagree). It works offline,
//! unlike documentation viewers that load their scripts from a CDN.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi, RefOr};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes text and renders `code` spans, the only markup the descriptions use.
fn text(s: &str) -> String {
    esc(s)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

fn schema_name(r: &RefOr<utoipa::openapi::schema::Schema>) -> String {
    match r {
        RefOr::Ref(r) => r
            .ref_location
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned(),
        RefOr::T(_) => "inline".to_owned(),
    }
}

fn operation_html(method: &str, path: &str, op: &Operation) -> String {
    let mut html = format!(
        "<section class=\"op\"><h3><span class=\"method method--{m}\">{M}</span> <code>{p}</code></h3>",
        m = method,
        M = method.to_uppercase(),
        p = esc(path)
    );
    if let Some(summary) = &op.summary {
        html.push_str(&format!("<p><strong>{}</strong></p>", esc(summary)));
    }
    if let Some(description) = &op.description {
        html.push_str(&format!("<p>{}</p>", text(description)));
    }
    if let Some(body) = &op.request_body {
        for (mime, content) in &body.content {
            html.push_str(&format!(
                "<p>Request body ({}): <a href=\"#schema-{n}\">{n}</a></p>",
                esc(mime),
                n = esc(&schema_name(&content.schema.clone().unwrap_or_default()))
            ));
        }
    }
    html.push_str("<table><thead><tr><th>Status</th><th>Meaning</th></tr></thead><tbody>");
    for (status, response) in &op.responses.responses {
        let text = match response {
            RefOr::T(r) => esc(&r.description),
            RefOr::Ref(r) => esc(&r.ref_location),
        };
        html.push_str(&format!("<tr><td>{}</td><td>{text}</td></tr>", esc(status)));
    }
    html.push_str("</tbody></table></section>");
    html
}

pub fn render(doc: &OpenApi) -> String {
    let mut body = String::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("get", &item.get),
            ("put", &item.put),
            ("post", &item.post),
            ("patch", &item.patch),
            ("delete", &item.delete),
        ] {
            if let Some(op) = op {
                body.push_str(&operation_html(method, path, op));
            }
        }
    }
    let mut schemas = String::new();
    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            let json = serde_json::to_string_pretty(schema).unwrap_or_default();
            schemas.push_str(&format!(
                "<section class=\"schema\" id=\"schema-{n}\"><h3>{n}</h3><pre>{}</pre></section>",
                esc(&json),
                n = esc(name)
            ));
        }
    }
    let description = doc.info.description.clone().unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} documentation</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/pkg/tracklight.css"></head>
<body><main class="page page--wide api-docs">
<h1>{title} <small>v{version}</small></h1>
<p>{description}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Example</h2>
<pre>curl -X PUT "$TRACKLIGHT/api/v1/orders/1001" \
  -H "Authorization: Bearer $TRACKLIGHT_API_KEY" -H "Content-Type: application/json" \
  -d '{{"customer": {{"id": "c-42", "first_name": "Ana", "shipping_country": "US"}},
       "shipments": [{{"id": "1001-1", "carrier": "UPS", "tracking_number": "1Z999AA10123456784"}}]}}'</pre>
<h2>Operations</h2>
{body}
<h2>Schemas</h2>
{schemas}
</main></body></html>"#,
        title = esc(&doc.info.title),
        version = esc(&doc.info.version),
        description = text(&description),
    )
}

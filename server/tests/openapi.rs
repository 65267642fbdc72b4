//! Keeps the served OpenAPI document true: every documented operation answers at its path
//! and method, and real responses have exactly the documented shape.

mod common;

use common::{order_body, spawn_app, Backend};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Checks `value` against a schema of the document: property names (no undocumented and no
/// missing required ones), and JSON types, following `$ref`s.
fn check_shape(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        let target = &doc["components"]["schemas"][name];
        assert!(!target.is_null(), "{at}: dangling $ref {r}");
        return check_shape(doc, target, value, at);
    }
    if let Some(alts) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        if value.is_null() && alts.iter().any(|a| a["type"] == "null") {
            return;
        }
        let non_null: Vec<&Value> = alts.iter().filter(|a| a["type"] != "null").collect();
        assert_eq!(non_null.len(), 1, "{at}: unsupported union");
        return check_shape(doc, non_null[0], value, at);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !types.is_empty() {
        let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        assert!(ok, "{at}: documented as {types:?}, got {actual} ({value})");
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        assert!(
            values.contains(value),
            "{at}: {value} is not one of {values:?}"
        );
    }
    match value {
        Value::Object(map) => {
            let props = schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for key in map.keys() {
                assert!(props.contains_key(key), "{at}.{key} is not documented");
            }
            for req in schema["required"].as_array().into_iter().flatten() {
                let req = req.as_str().unwrap();
                assert!(
                    map.contains_key(req),
                    "{at}.{req} is documented as required but missing"
                );
            }
            for (key, v) in map {
                check_shape(doc, &props[key], v, &format!("{at}.{key}"));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_shape(doc, &schema["items"], item, &format!("{at}[{i}]"));
            }
        }
        _ => {}
    }
}

fn response_schema<'a>(doc: &'a Value, path: &str, method: &str, status: &str) -> &'a Value {
    let s =
        &doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"];
    assert!(!s.is_null(), "{method} {path} documents no {status} body");
    s
}

#[tokio::test]
async fn documented_operations_exist_and_responses_match_the_schemas() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));

    // Every documented operation is routed (401 without a key, not 404/405).
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
            let url = app.url(
                &path
                    .replace("{order_id}", "1")
                    .replace("{shipment_id}", "1")
                    .replace("{customer_id}", "1")
                    .replace("{phone}", "+14155552671"),
            );
            let resp = app
                .client
                .request(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    url,
                )
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        }
    }
    operations.sort();
    assert_eq!(
        operations,
        [
            "DELETE /api/v1/customers/{customer_id}",
            "DELETE /api/v1/phones/{phone}",
            "GET /api/v1/customers/{customer_id}/data",
            "GET /api/v1/orders/{order_id}",
            "GET /api/v1/phones/{phone}/data",
            "GET /api/v1/shipments/{shipment_id}",
            "POST /api/v1/shipments/{shipment_id}/checkpoints",
            "PUT /api/v1/orders/{order_id}",
        ]
    );
    assert!(doc["components"]["securitySchemes"]["api_key"].is_object());

    // Real responses against their documented schemas.
    let created = app
        .put_json("/api/v1/orders/1001", &app.api_key, &order_body("1001-1"))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = created.json().await.unwrap();
    check_shape(
        &doc,
        response_schema(&doc, "/api/v1/orders/{order_id}", "put", "201"),
        &body,
        "PUT order",
    );

    let cps = json!({"checkpoints": [{"time": "2026-11-24T10:00:00Z", "location": "Hub", "message": "Arrived", "status": "in_transit"}]});
    let resp: Value = app
        .post_json("/api/v1/shipments/1001-1/checkpoints", &app.api_key, &cps)
        .await
        .json()
        .await
        .unwrap();
    check_shape(
        &doc,
        response_schema(
            &doc,
            "/api/v1/shipments/{shipment_id}/checkpoints",
            "post",
            "200",
        ),
        &resp,
        "POST checkpoints",
    );

    let shipment: Value = app
        .get_auth("/api/v1/shipments/1001-1", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    check_shape(
        &doc,
        response_schema(&doc, "/api/v1/shipments/{shipment_id}", "get", "200"),
        &shipment,
        "GET shipment",
    );

    let mut bad = order_body("1001-1");
    bad["customer"]["email"] = json!("x");
    bad["customer"]["shipping_country"] = json!("ZZ");
    let err: Value = app
        .put_json("/api/v1/orders/1001", &app.api_key, &bad)
        .await
        .json()
        .await
        .unwrap();
    check_shape(
        &doc,
        response_schema(&doc, "/api/v1/orders/{order_id}", "put", "422"),
        &err,
        "422 error",
    );

    // A shopper's data, exported then erased.
    let data: Value = app
        .get_auth("/api/v1/customers/cust-42/data", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(data["orders"][0]["order_id"], "1001");
    let resp = app
        .client
        .delete(app.url("/api/v1/customers/cust-42"))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let erased: Value = resp.json().await.unwrap();
    check_shape(
        &doc,
        response_schema(&doc, "/api/v1/customers/{customer_id}", "delete", "200"),
        &erased,
        "DELETE customer",
    );
    assert_eq!(erased["orders"], 1);
    let resp = app
        .client
        .delete(app.url("/api/v1/phones/not-a-phone"))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = resp.json().await.unwrap();
    check_shape(
        &doc,
        response_schema(&doc, "/api/v1/phones/{phone}", "delete", "422"),
        &err,
        "422 phone",
    );

    // Request examples in the document are accepted by the API.
    let example = json!({
        "customer": {"id": "7781234567", "first_name": "Ana", "shipping_country": "US", "phone": "+1 415 555 2671"},
        "shipments": [{"id": "ex-1", "carrier": "UPS", "tracking_number": "1Z999AA10123456784", "estimated_delivery": "2026-11-27", "status": "info_received"}]
    });
    let resp = app
        .put_json("/api/v1/orders/ex", &app.api_key, &example)
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let docs = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.unwrap();
    assert!(html.contains("/api/v1/shipments/{shipment_id}/checkpoints"));
    assert!(html.contains("OrderRequest"));
}

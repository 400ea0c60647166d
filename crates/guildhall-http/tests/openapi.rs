//! The UI's TypeScript types are generated from `ui/src/api/openapi.json`; this keeps that file
//! identical to the document the server builds from its handlers.

#[test]
fn the_checked_in_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/api/openapi.json");
    let checked_in = std::fs::read_to_string(path).expect("ui/src/api/openapi.json");
    let current = guildhall_http::openapi_json();
    assert!(
        checked_in == current,
        "ui/src/api/openapi.json is stale: run `cargo xtask openapi` and then `npm run gen:api` in ui/, and commit both"
    );
}

#[test]
fn every_operation_documents_its_responses() {
    let doc = serde_json::to_value(guildhall_http::openapi()).expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 15, "{} paths", paths.len());
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("item") {
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path}");
            assert!(op.get("summary").is_some() || op.get("description").is_some(), "{method} {path} is undocumented");
        }
    }
}

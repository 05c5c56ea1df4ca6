//! The checked-in JSON Schema is the one the types generate. Regenerate with
//! `FACTUUR_BLESS=1 cargo test --test it schema` (or `factuur schema > schemas/invoice.schema.json`).

#[test]
fn schema_file_is_current() {
    let path = crate::repo("schemas/invoice.schema.json");
    let generated = factuur::model::invoice_schema();
    if std::env::var_os("FACTUUR_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "schemas/invoice.schema.json is stale: run `FACTUUR_BLESS=1 cargo test --test it schema`"
    );
}

#[test]
fn schema_refuses_unknown_fields_everywhere() {
    let schema: serde_json::Value =
        serde_json::from_str(&factuur::model::invoice_schema()).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    for (name, def) in schema["$defs"].as_object().unwrap() {
        if def["type"] == "object" {
            assert_eq!(def["additionalProperties"], false, "{name}");
        }
    }
}

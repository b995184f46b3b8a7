//! Every locale file has exactly the keys of the default one, so no text is left untranslated.

use std::collections::BTreeSet;

fn keys(value: &serde_json::Value, prefix: &str, into: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                keys(child, &format!("{prefix}{key}."), into);
            }
        }
        _ => {
            into.insert(prefix.trim_end_matches('.').to_string());
        }
    }
}

fn locale_keys(locale: &str) -> BTreeSet<String> {
    let path = format!("{}/locales/{locale}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut found = BTreeSet::new();
    keys(&value, "", &mut found);
    found
}

#[test]
fn french_has_every_english_key_and_no_other() {
    let english = locale_keys("en");
    let french = locale_keys("fr");
    let missing: Vec<_> = english.difference(&french).collect();
    let extra: Vec<_> = french.difference(&english).collect();
    assert!(missing.is_empty(), "missing in fr.json: {missing:?}");
    assert!(extra.is_empty(), "only in fr.json: {extra:?}");
    assert!(english.len() > 50, "the locale files were read");
}

//! Every locale file has exactly the keys of the default one, each with the same
//! placeholders, so no text is left untranslated and no value is dropped from a sentence.

use std::collections::{BTreeMap, BTreeSet};

const LOCALES: [&str; 4] = ["en", "fr", "de", "it"];

fn flatten(value: &serde_json::Value, prefix: &str, into: &mut BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                flatten(child, &format!("{prefix}{key}."), into);
            }
        }
        other => {
            let text = other.as_str().unwrap_or_default().to_string();
            into.insert(prefix.trim_end_matches('.').to_string(), text);
        }
    }
}

fn texts(locale: &str) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{locale}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut found = BTreeMap::new();
    flatten(&value, "", &mut found);
    found
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn every_locale_has_every_english_key_and_no_other() {
    let english = texts("en");
    assert!(english.len() > 50, "the locale files were read");
    for locale in &LOCALES[1..] {
        let other = texts(locale);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "missing in {locale}.json: {missing:?}");
        assert!(extra.is_empty(), "only in {locale}.json: {extra:?}");
        for (key, text) in &other {
            assert!(!text.trim().is_empty(), "{locale}.json: {key} is empty");
            assert_eq!(
                placeholders(text),
                placeholders(&english[key]),
                "{locale}.json: {key} has other placeholders than English"
            );
        }
    }
}

#[test]
fn the_locale_files_are_the_declared_locales() {
    let dir = format!("{}/locales", env!("CARGO_MANIFEST_DIR"));
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let declared: BTreeSet<String> = LOCALES.iter().map(|l| format!("{l}.json")).collect();
    assert_eq!(files, declared);
    let manifest = std::fs::read_to_string(format!("{}/Cargo.toml", env!("CARGO_MANIFEST_DIR")))
        .expect("app/Cargo.toml");
    let listed = manifest
        .lines()
        .find_map(|line| line.strip_prefix("locales = "))
        .expect("the leptos-i18n locales line");
    for locale in LOCALES {
        assert!(
            listed.contains(&format!("\"{locale}\"")),
            "{locale} not built"
        );
    }
}

/// The Italian texts speak to the user as "Lei", as the French and German ones say "vous"
/// and "Sie": no "voi" (you, plural) and no "tu" (you, familiar).
#[test]
fn italian_addresses_the_user_formally() {
    const FAMILIAR_OR_PLURAL: [&str; 14] = [
        "inserite",
        "scegliete",
        "copiate",
        "conservatelo",
        "vostro",
        "vostra",
        "vostri",
        "vostre",
        "tuo",
        "tua",
        "tuoi",
        "tue",
        "hai",
        "puoi",
    ];
    for (key, text) in texts("it") {
        let lower = text.to_lowercase();
        for word in lower.split(|c: char| !c.is_alphabetic()) {
            assert!(
                !FAMILIAR_OR_PLURAL.contains(&word),
                "it.json {key}: \"{word}\" in \"{text}\""
            );
        }
    }
}

//! How a page starts the browser bundle. Leptos' `HydrationScripts` preloads the WASM from
//! the page's head, so on a slow connection its download competes with the page's own
//! bytes, and Lighthouse counts it into the page's largest paint. This loader asks for the
//! bundle once the page has been painted; the page is complete and readable before that.

use std::sync::OnceLock;

use leptos::nonce::use_nonce;
use leptos::prelude::*;

#[component]
pub fn StartBundle(options: LeptosOptions) -> impl IntoView {
    static NAMES: OnceLock<(String, String)> = OnceLock::new();
    let (js, wasm) = NAMES.get_or_init(|| file_names(&options));
    let pkg = &options.site_pkg_dir;
    // After `load`, then after the next frame has been painted.
    let script = format!(
        "addEventListener(\"load\", () => requestAnimationFrame(() => setTimeout(() => \
         import(\"/{pkg}/{js}\").then((bundle) => \
         bundle.default({{ module_or_path: \"/{pkg}/{wasm}\" }}).then(() => bundle.hydrate())))));"
    );
    view! { <script type="module" nonce=use_nonce()>{script}</script> }
}

/// The bundle's script and WASM, named with their content hashes when cargo-leptos wrote
/// those beside the server binary (`hash-files` in Cargo.toml).
fn file_names(options: &LeptosOptions) -> (String, String) {
    let name = &options.output_name;
    let hashes = options
        .hash_files
        .then(|| {
            let file = std::env::current_exe()
                .ok()?
                .parent()?
                .join(options.hash_file.as_ref());
            std::fs::read_to_string(file).ok()
        })
        .flatten()
        .unwrap_or_default();
    let hash_of = |kind: &str| {
        hashes.lines().find_map(|line| {
            let (file, hash) = line.split_once(':')?;
            (file.trim() == kind).then(|| hash.trim().to_string())
        })
    };
    match (hash_of("js"), hash_of("wasm")) {
        (Some(js), Some(wasm)) => (format!("{name}.{js}.js"), format!("{name}.{wasm}.wasm")),
        _ => (format!("{name}.js"), format!("{name}.wasm")),
    }
}

//! Choices the browser keeps for a year, so that the server draws the next page with them
//! (the Organization, the language, the time zone).

/// The `Set-Cookie` / `document.cookie` text that keeps `value` under `name`.
pub fn kept_for_a_year(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax")
}

/// Keeps a choice made in the browser. (The page's own script writes it: the server learns
/// it with the next request.)
#[cfg(feature = "hydrate")]
pub fn remember(name: &str, value: &str) {
    use wasm_bindgen::JsCast;
    if let Some(document) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
    {
        let _ = document.set_cookie(&kept_for_a_year(name, value));
    }
}

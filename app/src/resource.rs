//! How a page's data travels from the server's rendering into the browser.

use std::future::Future;

use leptos::prelude::Resource;
use leptos::server::codee::{Decoder, Encoder};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// JSON, read back from bytes. Server-function responses are read from bytes
/// (`serde_json::from_slice`); Leptos's default resource codec reads from a `&str`, and the
/// two readers gave every type that does both a second JSON decoder in the WASM.
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(encoded: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(encoded.as_bytes())
    }
}

/// Data a page loads, carried from the server's rendering as [`JsonBytes`].
pub type Fetched<T> = Resource<T, JsonBytes>;

/// Like `Resource::new`: fetched on the server while it renders, then again in the browser
/// each time `source` changes.
pub fn fetched<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Fetched<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use crate::paging::{Page, PageRequest};

    type Loaded = Result<Page<String>, AppError>;

    fn carried(value: &Loaded) -> Loaded {
        let encoded = <JsonBytes as Encoder<Loaded>>::encode(value).expect("encodes");
        <JsonBytes as Decoder<Loaded>>::decode(&encoded).expect("decodes")
    }

    #[test]
    fn a_page_and_an_error_reach_the_browser_as_the_server_rendered_them() {
        let page = Ok(Page {
            items: vec!["Équipe Genève".to_string(), "kDrive \"Ops\" 😀".to_string()],
            total: 42,
            request: PageRequest::new(Some(2), Some(25)),
        });
        assert_eq!(carried(&page), page);
        assert_eq!(carried(&Err(AppError::NotFound)), Err(AppError::NotFound));
    }

    #[test]
    fn what_the_server_wrote_with_leptos_default_codec_reads_back_the_same() {
        use leptos::server::codee::string::JsonSerdeCodec;
        let page: Loaded = Ok(Page {
            items: vec!["Organisation n° 1".to_string()],
            total: 1,
            request: PageRequest::new(None, None),
        });
        let encoded = <JsonSerdeCodec as Encoder<Loaded>>::encode(&page).expect("encodes");
        assert_eq!(
            <JsonBytes as Decoder<Loaded>>::decode(&encoded).expect("decodes"),
            page
        );
    }
}

//! Lists come a page at a time: every list server function takes a bounded page, so no
//! request can ask for a whole table, and a page's HTML stays small whatever the data.

use std::rc::Rc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::erased::IntoErased;
use crate::i18n::*;
use crate::ui::{fill_all, format_count};

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 100;

/// Which page of a list, counted from 1, and how long a page is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub page: u32,
    pub size: u32,
}

impl PageRequest {
    /// What a caller asked for, bounded: a size beyond the maximum gets the maximum, a
    /// missing or zero page is the first.
    pub fn new(page: Option<u32>, size: Option<u32>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            size: size.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE),
        }
    }

    pub fn offset(self) -> i64 {
        (i64::from(self.page) - 1) * i64::from(self.size)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.size)
    }

    /// This page of a list the caller holds whole.
    pub fn of<T: Clone>(self, all: &[T]) -> Page<T> {
        let start = usize::try_from(self.offset())
            .unwrap_or(usize::MAX)
            .min(all.len());
        let end = all.len().min(start + self.size as usize);
        Page {
            items: all[start..end].to_vec(),
            total: all.len() as u64,
            request: self,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items the whole list holds.
    pub total: u64,
    pub request: PageRequest,
}

/// Where a page lies in its list: what a [`Pager`] shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PagePosition {
    pub page: u32,
    pub pages: u32,
    pub total: u64,
    pub size: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.request.size)).max(1);
        u32::try_from(pages).unwrap_or(u32::MAX)
    }

    pub fn position(&self) -> PagePosition {
        PagePosition {
            page: self.request.page,
            pages: self.pages(),
            total: self.total,
            size: self.request.size,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            request: self.request,
        }
    }
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            total: 0,
            request: PageRequest::new(None, None),
        }
    }
}

/// The page number in a URL's query, 1 when absent or not a number.
pub fn page_param(value: Option<String>) -> u32 {
    value.and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

/// The address of page `page` of the list at `path`.
pub fn page_href(path: &str, page: u32) -> String {
    href_with(path, &[("page", &page.to_string())])
}

/// `path` with `params` as its query, empty values left out.
pub fn href_with(path: &str, params: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in params.iter().filter(|(_, value)| !value.is_empty()) {
        query.append_pair(key, value);
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// "51–100 of 10,000" and links to the pages around. `href` gives a page's address, so
/// each page has a URL (reload and back keep it) and the links work before the WASM loads.
#[component]
pub fn Pager(position: PagePosition, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    pager(position, Rc::new(href))
}

/// [`Pager`] apart from its generic part, so that its code is in the bundle once, not once
/// for each list.
fn pager(position: PagePosition, href: Rc<dyn Fn(u32) -> String>) -> impl IntoView {
    let i18n = use_i18n();
    let PagePosition {
        page,
        pages,
        total,
        size,
    } = position;
    let first = u64::from(page - 1) * u64::from(size) + 1;
    let last = (first + u64::from(size) - 1).min(total);
    // Drawn in a closure: the words and the digits' grouping follow a change of language.
    let range = move || {
        let range = if total == 0 || first > total {
            format_count(i18n, 0_u64)
        } else {
            format!("{}–{}", format_count(i18n, first), format_count(i18n, last))
        };
        fill_all(
            t_string!(i18n, paging.range),
            &[("range", &range), ("total", &format_count(i18n, total))],
        )
    };
    let link = move |target: u32,
                     label: fn(leptos_i18n::I18nContext<Locale>) -> &'static str,
                     enabled: bool| {
        let label = move || label(i18n);
        if enabled {
            view! { <a href=href(target) rel=if target < page { "prev" } else { "next" }>{label}</a> }
                .into_erased()
        } else {
            view! { <span class="muted" aria-disabled="true">{label}</span> }.into_erased()
        }
    };
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, paging.label)>
            {link(page - 1, |i18n| t_string!(i18n, paging.previous), page > 1)}
            <span aria-live="polite">{range}</span>
            {link(page + 1, |i18n| t_string!(i18n, paging.next), page < pages)}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_bounded() {
        assert_eq!(
            PageRequest::new(None, None),
            PageRequest { page: 1, size: 50 }
        );
        assert_eq!(
            PageRequest::new(Some(0), Some(1_000_000)),
            PageRequest { page: 1, size: 100 }
        );
        assert_eq!(PageRequest::new(Some(3), Some(0)).size, 1);
        assert_eq!(PageRequest::new(Some(3), Some(20)).offset(), 40);
    }

    #[test]
    fn a_held_list_is_paged_like_a_stored_one() {
        let all: Vec<u32> = (1..=120).collect();
        let page = PageRequest::new(Some(3), None).of(&all);
        assert_eq!(page.items, (101..=120).collect::<Vec<_>>());
        assert_eq!((page.total, page.pages()), (120, 3));
        assert!(PageRequest::new(Some(9), None).of(&all).items.is_empty());
        assert_eq!(Page::<u32>::default().pages(), 1);
    }

    #[test]
    fn links_keep_only_the_parameters_set() {
        assert_eq!(
            href_with("/products", &[("q", ""), ("page", "1")]),
            "/products?page=1"
        );
        assert_eq!(
            href_with("/products", &[("q", "a b&c"), ("kind", "")]),
            "/products?q=a+b%26c"
        );
        assert_eq!(href_with("/products", &[]), "/products");
    }
}

//! Dates and times as the reader writes them: in their language and their time zone.
//! The browser knows its zone and tells the server in a cookie, so that pages are drawn
//! on the server in it too; without one (a first visit), the server draws UTC and the
//! browser its own zone.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Locale};

/// The browser's IANA time zone, as it last told the server.
pub const TIME_ZONE_COOKIE: &str = "manager_tz";

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;
const ENGLISH_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A civil date: (year, month 1–12, day 1–31).
fn civil(local_ms: i64) -> (i64, i64, i64) {
    let days = local_ms.div_euclid(DAY_MS);
    // Civil-from-days (Howard Hinnant), so no date library lands in the browser.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// An instant as RFC 3339 in UTC, to the millisecond, as `<time datetime>` and APIs take it.
pub fn rfc3339(millis: i64) -> String {
    let (year, month, day) = civil(millis);
    let in_day = millis.rem_euclid(DAY_MS);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / MINUTE_MS % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// A date written the way `locale` writes it, for a time already in the reader's zone.
pub fn date_in(locale: Locale, local_ms: i64) -> String {
    let (year, month, day) = civil(local_ms);
    match locale {
        Locale::en => format!("{day} {} {year}", ENGLISH_MONTHS[(month - 1) as usize]),
        Locale::fr => format!("{day:02}/{month:02}/{year}"),
        // de-CH and it-CH, the provider's Swiss customers, both write 23.11.2026.
        Locale::de | Locale::it => format!("{day:02}.{month:02}.{year}"),
    }
}

/// A date and a time to the minute, for histories.
pub fn date_time_in(locale: Locale, local_ms: i64) -> String {
    let minutes = local_ms.div_euclid(MINUTE_MS).rem_euclid(24 * 60);
    let separator = if locale == Locale::fr { " " } else { ", " };
    format!(
        "{}{separator}{:02}:{:02}",
        date_in(locale, local_ms),
        minutes / 60,
        minutes % 60
    )
}

/// How far the reader's clock is ahead of UTC at `millis`.
#[cfg(feature = "hydrate")]
fn offset_ms(millis: i64) -> i64 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis as f64));
    // getTimezoneOffset counts minutes behind UTC.
    -(date.get_timezone_offset() as i64) * MINUTE_MS
}

#[cfg(not(feature = "hydrate"))]
fn offset_ms(millis: i64) -> i64 {
    #[cfg(feature = "ssr")]
    {
        use chrono::{Offset, TimeZone};
        let zone = use_context::<http::request::Parts>()
            .and_then(|parts| crate::backend::cookie_value(&parts.headers, TIME_ZONE_COOKIE))
            .and_then(|name| name.parse::<chrono_tz::Tz>().ok());
        if let (Some(zone), Some(at)) = (zone, chrono::DateTime::from_timestamp_millis(millis)) {
            return i64::from(
                zone.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc(),
            ) * 1_000;
        }
    }
    let _ = millis;
    0
}

/// A date in the reader's language and zone, with its exact instant for machines.
#[component]
pub fn LocalDate(millis: i64) -> impl IntoView {
    let i18n = use_i18n();
    let local = millis + offset_ms(millis);
    view! { <time datetime=rfc3339(millis)>{move || date_in(i18n.get_locale(), local)}</time> }
}

/// A date and time in the reader's language and zone.
#[component]
pub fn LocalDateTime(millis: i64) -> impl IntoView {
    let i18n = use_i18n();
    let local = millis + offset_ms(millis);
    view! { <time datetime=rfc3339(millis)>{move || date_time_in(i18n.get_locale(), local)}</time> }
}

/// Tells the server the browser's time zone, for the pages it draws next.
#[cfg(feature = "hydrate")]
pub fn remember_time_zone() {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    let zone = js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|zone| zone.as_string())
        .filter(|zone| {
            zone.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
        });
    if let Some(zone) = zone {
        crate::cookies::remember(TIME_ZONE_COOKIE, &zone);
    }
}

#[cfg(test)]
mod tests {
    use super::{date_in, date_time_in, rfc3339};
    use crate::i18n::Locale;

    const NOV_23_2026: i64 = 1_795_392_000_000;

    #[test]
    fn dates_are_civil() {
        assert_eq!(date_in(Locale::de, 0), "01.01.1970");
        assert_eq!(date_in(Locale::fr, 951_782_400_000), "29/02/2000");
        assert_eq!(date_in(Locale::en, NOV_23_2026), "23 Nov 2026");
        assert_eq!(date_in(Locale::it, NOV_23_2026 - 1), "22.11.2026");
    }

    #[test]
    fn times_are_to_the_minute_in_each_language() {
        let at = NOV_23_2026 + 8 * 3_600_000 + 31 * 60_000 + 59_999;
        assert_eq!(date_time_in(Locale::en, at), "23 Nov 2026, 08:31");
        assert_eq!(date_time_in(Locale::fr, at), "23/11/2026 08:31");
        assert_eq!(date_time_in(Locale::de, at), "23.11.2026, 08:31");
        assert_eq!(rfc3339(at), "2026-11-23T08:31:59.999Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
    }
}

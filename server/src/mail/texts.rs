//! What the Manager writes, in each language it speaks, through the same translation
//! layer as its pages.

use app::dates::date_time_in;
use app::i18n::{td_string, Locale};
use app::ui::{fill_all, group_count};
use leptos_i18n::Locale as _;

use crate::store::outbox::Email;

/// Names listed in an email; a transfer of thousands says how many more there are.
const LISTED: usize = 50;

/// One email written in every language, for recipients who each read their own.
pub fn in_every_language(write: impl Fn(Locale) -> Email) -> Vec<(Locale, Email)> {
    Locale::get_all()
        .iter()
        .map(|locale| (*locale, write(*locale)))
        .collect()
}

fn list(locale: Locale, products: &[String]) -> String {
    let mut items: String = (products.iter().take(LISTED))
        .map(|name| format!("  - {name}\n"))
        .collect();
    if products.len() > LISTED {
        let more = group_count(locale, (products.len() - LISTED) as u64);
        items.push_str("  ");
        items.push_str(&fill_all(
            td_string!(locale, email.and_more),
            &[("n", &more)],
        ));
        items.push('\n');
    }
    items
}

pub fn link(
    locale: Locale,
    source: &str,
    products: &[String],
    link: &str,
    expires_ms: i64,
) -> Email {
    // The reader's time zone is not known: the instant is given in UTC, and says so.
    let expires = format!("{} UTC", date_time_in(locale, expires_ms));
    let names = [("source", source), ("expires", expires.as_str())];
    Email {
        subject: fill_all(td_string!(locale, email.link_subject), &names),
        body: format!(
            "{intro}\n{items}\n{action}\n{link}\n",
            intro = fill_all(td_string!(locale, email.link_intro), &names),
            items = list(locale, products),
            action = fill_all(td_string!(locale, email.link_action), &names),
        ),
    }
}

pub fn completed(locale: Locale, source: &str, destination: &str, products: &[String]) -> Email {
    let names = [("source", source), ("destination", destination)];
    Email {
        subject: fill_all(td_string!(locale, email.completed_subject), &names),
        body: format!(
            "{intro}\n{items}\n{invoices}\n",
            intro = fill_all(td_string!(locale, email.completed_intro), &names),
            items = list(locale, products),
            invoices = fill_all(td_string!(locale, email.completed_invoices), &names),
        ),
    }
}

pub fn declined(locale: Locale, source: &str, products: &[String]) -> Email {
    let subject = td_string!(locale, email.declined_subject);
    notice(
        locale,
        subject,
        td_string!(locale, email.declined_intro),
        source,
        products,
    )
}

pub fn expired(locale: Locale, source: &str, products: &[String]) -> Email {
    let subject = td_string!(locale, email.expired_subject);
    notice(
        locale,
        subject,
        td_string!(locale, email.expired_intro),
        source,
        products,
    )
}

/// The HTML part of an email: its plain text, escaped, with its product lists as lists
/// and its link as a link, so both parts say the same.
pub fn html(text: &str) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html><body>\n");
    let mut in_list = false;
    for line in text.lines() {
        if let Some(item) = line.strip_prefix("  ") {
            if !in_list {
                out.push_str("<ul>\n");
                in_list = true;
            }
            let item = item.strip_prefix("- ").unwrap_or(item);
            out.push_str(&format!("<li>{}</li>\n", escape(item)));
            continue;
        }
        if in_list {
            out.push_str("</ul>\n");
            in_list = false;
        }
        let is_link = (line.starts_with("https://") || line.starts_with("http://"))
            && !line.contains(char::is_whitespace);
        match line {
            "" => {}
            link if is_link => {
                let link = escape(link);
                out.push_str(&format!("<p><a href=\"{link}\">{link}</a></p>\n"));
            }
            _ => out.push_str(&format!("<p>{}</p>\n", escape(line))),
        }
    }
    if in_list {
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    out
}

fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

pub fn cancelled(locale: Locale, source: &str, products: &[String]) -> Email {
    let subject = td_string!(locale, email.cancelled_subject);
    notice(
        locale,
        subject,
        td_string!(locale, email.cancelled_intro),
        source,
        products,
    )
}

/// A transfer's end, told in a sentence about its source and the list of its products.
fn notice(locale: Locale, subject: &str, intro: &str, source: &str, products: &[String]) -> Email {
    Email {
        subject: subject.to_string(),
        body: format!(
            "{intro}\n{items}",
            intro = fill_all(intro, &[("source", source)]),
            items = list(locale, products),
        ),
    }
}

#[cfg(test)]
mod tests {
    use app::i18n::Locale;

    #[test]
    fn the_html_part_says_what_the_text_says_escaped() {
        let email = super::link(
            Locale::en,
            "<Acme & Co>",
            &["a \"drive\"".into()],
            "https://manager.example/receive/abc",
            1_795_392_000_000,
        );
        let html = super::html(&email.body);
        assert!(
            html.contains("<p>&lt;Acme &amp; Co&gt; is transferring these products to you:</p>"),
            "{html}"
        );
        assert!(
            html.contains("<ul>\n<li>a &quot;drive&quot;</li>\n</ul>"),
            "{html}"
        );
        assert!(html.contains(
            "<p><a href=\"https://manager.example/receive/abc\">https://manager.example/receive/abc</a></p>"
        ));
        assert!(!html.contains("<Acme"));
    }

    #[test]
    fn a_long_list_of_products_is_cut_with_a_count_in_the_readers_language() {
        let names: Vec<String> = (1..=1_052).map(|n| format!("p{n}")).collect();
        let body = super::expired(Locale::en, "Acme", &names).body;
        assert!(body.contains("  - p50\n"));
        assert!(!body.contains("  - p51\n"));
        assert!(body.contains("… and 1,002 more"));
        let body = super::expired(Locale::de, "Acme", &names).body;
        assert!(body.contains("… und 1’002 weitere"), "{body}");
    }

    #[test]
    fn every_language_has_its_own_words() {
        let emails = super::in_every_language(|locale| {
            super::completed(locale, "Acme", "Beta", &["Drive".into()])
        });
        let subjects: Vec<&str> = emails
            .iter()
            .map(|(_, email)| email.subject.as_str())
            .collect();
        assert_eq!(
            subjects,
            [
                "Transfer completed: Acme → Beta",
                "Transfert terminé : Acme → Beta",
                "Übertragung abgeschlossen: Acme → Beta",
                "Trasferimento completato: Acme → Beta",
            ]
        );
        for (_, email) in &emails {
            assert!(email.body.contains("  - Drive\n") && !email.body.contains('{'));
        }
    }
}

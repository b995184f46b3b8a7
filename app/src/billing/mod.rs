//! The current Organization's invoices.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use transfer_rules::{InvoiceId, OrganizationId};

use crate::dates::LocalDate;
use crate::erased::IntoErased;
use crate::error::AppError;
use crate::i18n::*;
use crate::paging::{page_href, Page, Pager};
use crate::shell::organization_page_resource;
use crate::ui::{Breakable, Loaded, PageTitle};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: InvoiceId,
    pub number: String,
    pub product_name: String,
    pub amount_cents: i64,
    pub currency: String,
    pub issued_at: i64,
}

#[server(endpoint = "list_invoices")]
pub async fn list_invoices(
    organization: OrganizationId,
    page: Option<u32>,
    size: Option<u32>,
) -> Result<Page<InvoiceSummary>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .invoices(
            &user,
            &organization,
            crate::paging::PageRequest::new(page, size),
        )
        .await
}

fn format_amount(cents: i64, currency: &str) -> String {
    // The sign is written apart: a credit under one unit has no negative unit part.
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{currency} {sign}{}.{:02}", cents / 100, cents % 100)
}

#[component]
pub fn BillingPage() -> impl IntoView {
    let i18n = use_i18n();
    let invoices = organization_page_resource(|organization, page| {
        list_invoices(organization, Some(page), None)
    });
    view! {
        <PageTitle text=move || t_string!(i18n, billing.title).to_string()/>
        <h1>{t!(i18n, billing.title)}</h1>
        <Loaded
            resource=invoices
            ok=move |value| match value {
                list if list.total == 0 => {
                    view! { <p class="empty">{t!(i18n, billing.empty)}</p> }.into_erased()
                }
                list => {
                    let position = list.position();
                    view! {
                        <table class="list">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, billing.number)}</th>
                                    <th scope="col">{t!(i18n, billing.product)}</th>
                                    <th scope="col">{t!(i18n, billing.date)}</th>
                                    <th scope="col" class="number">{t!(i18n, billing.amount)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .items
                                    .into_iter()
                                    .map(|invoice| {
                                        view! {
                                            <tr>
                                                <td>{invoice.number}</td>
                                                <td><Breakable text=invoice.product_name/></td>
                                                <td><LocalDate millis=invoice.issued_at/></td>
                                                <td class="number">
                                                    {format_amount(invoice.amount_cents, &invoice.currency)}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <Pager position href=|page| page_href("/billing", page)/>
                    }
                        .into_erased()
                }
            }
        />
    }
}

#[cfg(test)]
mod tests {
    use super::format_amount;

    #[test]
    fn amounts_show_cents() {
        assert_eq!(format_amount(12_050, "CHF"), "CHF 120.50");
        assert_eq!(format_amount(7, "EUR"), "EUR 0.07");
        assert_eq!(format_amount(-50, "CHF"), "CHF -0.50");
        assert_eq!(format_amount(-12_050, "CHF"), "CHF -120.50");
    }
}

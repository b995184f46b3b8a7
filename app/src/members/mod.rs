//! The current Organization's members and their roles.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use transfer_rules::{OrganizationId, Role, UserId};

use crate::error::AppError;
use crate::i18n::*;
use crate::paging::{page_href, Page, Pager};
use crate::shell::organization_page_resource;
use crate::ui::{Breakable, Loaded, PageTitle};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSummary {
    pub user: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
}

#[server(endpoint = "list_members")]
pub async fn list_members(
    organization: OrganizationId,
    page: Option<u32>,
    size: Option<u32>,
) -> Result<Page<MemberSummary>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .members(
            &user,
            &organization,
            crate::paging::PageRequest::new(page, size),
        )
        .await
}

pub fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::LegalRepresentative => t_string!(i18n, roles.legal_representative),
        Role::Administrator => t_string!(i18n, roles.administrator),
        Role::User => t_string!(i18n, roles.user),
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let members = organization_page_resource(|organization, page| {
        list_members(organization, Some(page), None)
    });
    view! {
        <PageTitle text=move || t_string!(i18n, members.title).to_string()/>
        <h1>{t!(i18n, members.title)}</h1>
        <Loaded
            resource=members
            ok={move |list: Page<MemberSummary>| {
                let position = list.position();
                view! {
                    <table class="list">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, members.name)}</th>
                                <th scope="col">{t!(i18n, members.email)}</th>
                                <th scope="col">{t!(i18n, members.role)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .items
                                .into_iter()
                                .map(|member| {
                                    let role = member.role;
                                    view! {
                                        <tr>
                                            <td>{member.name}</td>
                                            <td><Breakable text=member.email/></td>
                                            <td>{move || role_label(i18n, role)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <Pager position href=|page| page_href("/users", page)/>
                }
            }}
        />
    }
}

//! The current Organization's members and their roles.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use transfer_rules::{OrganizationId, Role, UserId};

use crate::error::AppError;
use crate::i18n::*;
use crate::shell::organization_resource;
use crate::ui::{Loaded, PageTitle};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSummary {
    pub user: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
}

#[server(endpoint = "list_members")]
pub async fn list_members(organization: OrganizationId) -> Result<Vec<MemberSummary>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.members(&user, &organization).await
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
    let members = organization_resource(list_members);
    view! {
        <PageTitle text=move || t_string!(i18n, members.title).to_string()/>
        <h1>{t!(i18n, members.title)}</h1>
        <Loaded
            resource=members
            ok={move |list: Vec<MemberSummary>| {
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
                                .into_iter()
                                .map(|member| {
                                    let role = member.role;
                                    view! {
                                        <tr>
                                            <td>{member.name}</td>
                                            <td>{member.email}</td>
                                            <td>{move || role_label(i18n, role)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            }}
        />
    }
}

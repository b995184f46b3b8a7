//! The transfer API's server side: rights, the rules crate's decisions, and the store.

use app::error::{AppError, InputProblem};
use app::paging::{Page, PageRequest};
use app::session::Membership;
use app::transfers::api::{
    Direction, FrozenProduct, LinkView, ProductChoice, Received, TransferBackend, TransferDetail,
    TransferEvent, TransferFilter, TransferKey, TransferSummary, CONDITIONS_VERSION,
};
use async_trait::async_trait;
use transfer_rules::{
    check_cancel, check_decline, is_expired, may_receive, may_send, plan_receipt, plan_transfer,
    transferability, warnings_for, OrganizationId, OrganizationName, ProductId, Role,
    SenderSnapshot, Timestamp, TransferEventKind, TransferId, TransferStatus, UserId, Warnings,
};

use super::{now_ms, valid_email, Services};
use crate::auth::new_token;
use crate::mail::texts;
use crate::store::transfers::{
    Closing, FrozenRow, LinkEmail, LinkEmailLimits, LinkEmailed, NewTransfer, Receipt,
    ReceiptRequest, TransferRow, TransferSearch,
};
use crate::store::{decode, StoreError};
use app::i18n::Locale;
use leptos_i18n::Locale as _;

/// Failed link look-ups per client over the throttling window.
const MAX_LINK_FAILURES_PER_CLIENT: i64 = 20;
const LINK_WINDOW_MS: i64 = super::ATTEMPTS_WINDOW_MS;
/// Creating an Organization is one click on the receive page: a bound keeps a script from
/// filling the database through it, and is far above what a person needs in a day.
const MAX_ORGANIZATIONS_PER_DAY: i64 = 5;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Links go out from the provider's own address: a bound per sender and per Organization
/// keeps the Manager from being used to send mail in bulk.
const LINK_EMAIL_LIMITS: LinkEmailLimits = LinkEmailLimits {
    per_sender: 20,
    per_source: 50,
    window_ms: 60 * 60 * 1000,
};

/// A pending transfer past its expiry is expired, whether or not the sweeper wrote it yet.
fn visible_status(row: &TransferRow, now: i64) -> Result<TransferStatus, AppError> {
    let status = row.status()?;
    Ok(
        if status == TransferStatus::InProgress
            && is_expired(
                Timestamp::from_millis(row.expires_at),
                Timestamp::from_millis(now),
            )
        {
            TransferStatus::Expired
        } else {
            status
        },
    )
}

fn frozen_product(row: FrozenRow) -> Result<FrozenProduct, AppError> {
    Ok(FrozenProduct {
        kind: row.kind()?,
        id: decode(ProductId::parse(&row.product_id))?,
        name: row.name,
    })
}

fn names(products: &[FrozenProduct]) -> Vec<String> {
    products.iter().map(|p| p.name.clone()).collect()
}

impl Services {
    /// The caller's role where they would send from: administrators only.
    async fn sender_role(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<Role, AppError> {
        let role = self.role_in(user, organization).await?;
        if may_send(Some(role)) {
            Ok(role)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Everything the rules need to decide on a transfer out of `organization`.
    async fn sender_snapshot(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<SenderSnapshot, AppError> {
        let role = self.sender_role(user, organization).await?;
        Ok(SenderSnapshot {
            actor: user.clone(),
            actor_role: Some(role),
            source: organization.clone(),
            holdings: self.store.sender_holdings(organization, now_ms()).await?,
        })
    }

    /// The transfer behind a key, if the caller may see it: by id, an administrator of
    /// either side; by link, anyone holding it while the transfer is open.
    async fn transfer_by_key(
        &self,
        user: &UserId,
        key: &TransferKey,
        client: &str,
    ) -> Result<TransferRow, AppError> {
        match key {
            TransferKey::Id(transfer) => Ok(self.visible_transfer(user, transfer).await?.0),
            TransferKey::Link(token) => {
                let row = self.by_token(token, client).await?;
                if visible_status(&row, now_ms())? == TransferStatus::InProgress {
                    Ok(row)
                } else {
                    Err(AppError::LinkUnavailable)
                }
            }
        }
    }

    /// The products a transfer froze when it started, as they were then.
    async fn frozen_products(&self, transfer: &TransferId) -> Result<Vec<FrozenProduct>, AppError> {
        (self.store.frozen_products(transfer).await?.into_iter())
            .map(frozen_product)
            .collect()
    }

    /// What the emails about a transfer list.
    async fn product_names(&self, transfer: &TransferId) -> Result<Vec<String>, AppError> {
        Ok(names(&self.frozen_products(transfer).await?))
    }

    fn link_for(&self, token: &str) -> String {
        format!("{}/receive/{token}", self.config.public_url)
    }

    /// The organizations where the user may receive, other than `source`.
    async fn destinations(
        &self,
        user: &UserId,
        source: &OrganizationId,
    ) -> Result<Vec<Membership>, AppError> {
        Ok(self
            .store
            .memberships(user)
            .await?
            .into_iter()
            .filter(|m| &m.organization != source && may_receive(Some(m.role)))
            .collect())
    }

    /// The transfer behind a link, counting failed look-ups against the client.
    async fn by_token(&self, token: &str, client: &str) -> Result<TransferRow, AppError> {
        let subject = format!("link:{client}");
        let now = now_ms();
        if self
            .store
            .recent_failures(&subject, now - LINK_WINDOW_MS)
            .await?
            >= MAX_LINK_FAILURES_PER_CLIENT
        {
            return Err(AppError::Throttled);
        }
        let found = if token.len() == 43
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            self.store
                .transfer_by_lookup(&self.links.lookup(token))
                .await?
        } else {
            None
        };
        match found {
            Some(row) => Ok(row),
            None => {
                self.store.record_failures(&[&subject], now).await?;
                Err(AppError::LinkUnavailable)
            }
        }
    }

    /// The caller's right to see a transfer: an admin of its source or of its destination.
    async fn visible_transfer(
        &self,
        user: &UserId,
        transfer: &TransferId,
    ) -> Result<(TransferRow, Option<Role>), AppError> {
        let row = self.store.transfer_row(transfer).await?;
        let source_role = self.store.role(user, &row.source()?).await?;
        let destination_role = match &row.destination_id {
            Some(destination) => {
                self.store
                    .role(user, &decode(OrganizationId::parse(destination))?)
                    .await?
            }
            None => None,
        };
        if may_send(source_role) || may_receive(destination_role) {
            Ok((row, source_role))
        } else {
            Err(AppError::NotFound)
        }
    }

    async fn complete(
        &self,
        user: &UserId,
        row: &TransferRow,
        destination: &OrganizationId,
    ) -> Result<Received, AppError> {
        let transfer = row.transfer_id()?;
        let now = now_ms();
        let products = self.product_names(&transfer).await?;
        let destination_name = self
            .store
            .organization_name(destination)
            .await
            .unwrap_or_default();
        let outcome = self
            .store
            .receive(
                ReceiptRequest {
                    transfer: &transfer,
                    destination,
                    actor: user,
                    now,
                    conditions_version: CONDITIONS_VERSION,
                    announcement: self
                        .links
                        .seal_translated(texts::in_every_language(|locale| {
                            texts::completed(locale, &row.source_name, &destination_name, &products)
                        })),
                },
                |snapshot| plan_receipt(snapshot, Timestamp::from_millis(now)),
            )
            .await;
        match outcome {
            Ok(Receipt::Done(plan)) => {
                tracing::info!(transfer = %transfer, destination = %destination, products = plan.moved.len(), "transfer received");
                Ok(Received {
                    transfer,
                    destination: destination.clone(),
                })
            }
            Ok(Receipt::Refused(refusal)) => Err(AppError::ReceiptRefused(refusal)),
            Err(StoreError::Conflict) => Err(AppError::ReceiptRefused(
                transfer_rules::ReceiptRefusal::Closed(
                    transfer_rules::TransferStateRefusal::AlreadyCompleted,
                ),
            )),
            Err(error) => Err(error.into()),
        }
    }

    /// Expires a transfer past its date: unlocks its products and tells the source.
    pub async fn expire(&self, transfer: &TransferId) -> Result<bool, AppError> {
        let row = self.store.transfer_row(transfer).await?;
        let products = self.product_names(transfer).await?;
        Ok(self
            .store
            .close_transfer(
                transfer,
                Closing {
                    status: TransferStatus::Expired,
                    actor: None,
                    organization: None,
                    now: now_ms(),
                    notify_source: Some(self.links.seal_translated(texts::in_every_language(
                        |locale| texts::expired(locale, &row.source_name, &products),
                    ))),
                    notify_link_recipients: None,
                },
            )
            .await?)
    }

    /// Whether `user` may follow `organization`'s transfers: its Administrators may; its
    /// other members are refused; to anyone else it does not exist.
    pub async fn may_follow_transfers(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<(), AppError> {
        self.require_admin(user, organization).await
    }

    /// Expires the transfers past their date, all of them or those out of `source`;
    /// returns how many.
    pub async fn expire_due(&self, source: Option<&OrganizationId>) -> Result<usize, AppError> {
        let mut expired = 0;
        for transfer in self.store.due_for_expiry(now_ms(), source).await? {
            if self.expire(&transfer).await? {
                expired += 1;
            }
        }
        Ok(expired)
    }
}

#[async_trait]
impl TransferBackend for Services {
    async fn transfers(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        filter: TransferFilter,
        product_name: &str,
        page: PageRequest,
    ) -> Result<Page<TransferSummary>, AppError> {
        self.may_follow_transfers(user, organization).await?;
        let now = now_ms();
        let found = self
            .store
            .transfer_page(
                &TransferSearch {
                    organization,
                    status: filter,
                    product_name_contains: product_name,
                    now,
                },
                page,
            )
            .await?;
        let items = (found.rows.into_iter())
            .map(|row| {
                let outgoing = row.source_id == organization.as_str();
                Ok(TransferSummary {
                    status: visible_status(&row, now)?,
                    direction: if outgoing {
                        Direction::Outgoing
                    } else {
                        Direction::Incoming
                    },
                    other_organization: if outgoing {
                        row.destination_name.clone()
                    } else {
                        Some(row.source_name.clone())
                    },
                    products: (found.first_names.iter())
                        .filter(|p| p.transfer_id == row.id)
                        .map(|p| p.name.clone())
                        .collect(),
                    product_count: (found.counts.iter())
                        .find(|(id, _)| *id == row.id)
                        .map_or(0, |(_, count)| u64::try_from(*count).unwrap_or_default()),
                    created_at: Timestamp::from_millis(row.created_at),
                    closed_at: row.closed_at.map(Timestamp::from_millis),
                    id: row.transfer_id()?,
                })
            })
            .collect::<Result<_, AppError>>()?;
        Ok(Page {
            items,
            total: found.total,
            request: page,
        })
    }

    async fn transfers_in_progress(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<u32, AppError> {
        if !self.role_in(user, organization).await?.is_admin() {
            return Ok(0);
        }
        let count = self.store.count_in_progress(organization, now_ms()).await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    async fn product_choices(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<Vec<ProductChoice>, AppError> {
        self.sender_role(user, organization).await?;
        let (products, locked) = self.store.sender_products(organization, now_ms()).await?;
        let locked = locked.into_iter().collect();
        Ok(products
            .into_iter()
            .map(|product| ProductChoice {
                blocked: transferability(&product, organization, &locked).err(),
                id: product.id,
                name: product.name,
                kind: product.kind,
            })
            .collect())
    }

    async fn preview_transfer(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        products: &[ProductId],
    ) -> Result<Warnings, AppError> {
        let snapshot = self.sender_snapshot(user, organization).await?;
        let plan = plan_transfer(
            &snapshot,
            products,
            &self.limits,
            Timestamp::from_millis(now_ms()),
        )
        .map_err(AppError::TransferRefused)?;
        Ok(plan.warnings)
    }

    async fn start_transfer(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        products: &[ProductId],
    ) -> Result<TransferId, AppError> {
        let snapshot = self.sender_snapshot(user, organization).await?;
        let now = now_ms();
        let plan = plan_transfer(
            &snapshot,
            products,
            &self.limits,
            Timestamp::from_millis(now),
        )
        .map_err(AppError::TransferRefused)?;
        // The plan already ignores transfers past their date, but their lock rows stay until
        // they are expired: do that for this Organization, once the caller may send from it.
        self.expire_due(Some(organization)).await?;
        let chosen: Vec<_> = snapshot
            .holdings
            .products
            .into_iter()
            .filter(|p| plan.products.binary_search(&p.id).is_ok())
            .collect();
        let id = TransferId::parse(&format!("trf-{}", &new_token()[..22]))
            .map_err(|_| AppError::Internal)?;
        let token = new_token();
        let inserted = self
            .store
            .insert_transfer(NewTransfer {
                id: &id,
                source: organization,
                creator: user,
                products: &chosen,
                created_at: now,
                expires_at: plan.expires_at.as_millis(),
                token_lookup: &self.links.lookup(&token),
                token_sealed: &self.links.seal(&token),
                conditions_version: CONDITIONS_VERSION,
            })
            .await;
        match inserted {
            Ok(()) => {
                tracing::info!(transfer = %id, source = %organization, products = chosen.len(), "transfer started");
                Ok(id)
            }
            // Another transfer locked one of these products in the meantime.
            Err(StoreError::Conflict) => {
                let snapshot = self.sender_snapshot(user, organization).await?;
                Err(
                    match plan_transfer(
                        &snapshot,
                        products,
                        &self.limits,
                        Timestamp::from_millis(now),
                    ) {
                        Err(refusal) => AppError::TransferRefused(refusal),
                        Ok(_) => AppError::Internal,
                    },
                )
            }
            Err(error) => Err(error.into()),
        }
    }

    async fn transfer(
        &self,
        user: &UserId,
        transfer: &TransferId,
    ) -> Result<TransferDetail, AppError> {
        let (row, source_role) = self.visible_transfer(user, transfer).await?;
        let now = now_ms();
        let status = visible_status(&row, now)?;
        let source = row.source()?;
        let sender_side = may_send(source_role);
        let open = status == TransferStatus::InProgress;
        let mut events = self
            .store
            .events(transfer)
            .await?
            .into_iter()
            .map(|event| {
                Ok(TransferEvent {
                    kind: decode(TransferEventKind::parse(&event.kind))?,
                    actor: event.actor_name,
                    organization: event.organization_name,
                    detail: event.detail,
                    at: Timestamp::from_millis(event.at),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        // Whom the source emailed its link to is the source's business.
        if !sender_side {
            events.retain(|event| {
                !matches!(
                    event.kind,
                    TransferEventKind::LinkEmailed | TransferEventKind::EmailFailed
                )
            });
        }
        Ok(TransferDetail {
            id: transfer.clone(),
            status,
            link: if sender_side && open {
                self.links
                    .open(&row.token_sealed)
                    .map(|token| self.link_for(&token))
            } else {
                None
            },
            direct_destinations: if sender_side && open {
                self.destinations(user, &source).await?
            } else {
                Vec::new()
            },
            // Only a direct move asks, and only the source's administrators see it.
            conditions_accepted: sender_side
                && open
                && self.store.started_by(transfer, user).await?,
            can_cancel: sender_side && open,
            source_name: row.source_name.clone(),
            destination: row
                .destination_id
                .as_deref()
                .map(|id| decode(OrganizationId::parse(id)))
                .transpose()?,
            destination_name: row.destination_name.clone(),
            kinds: self.store.frozen_kinds(transfer).await?,
            created_at: Timestamp::from_millis(row.created_at),
            expires_at: Timestamp::from_millis(row.expires_at),
            closed_at: row.closed_at.map(Timestamp::from_millis),
            events,
            source,
        })
    }

    async fn cancel_transfer(&self, user: &UserId, transfer: &TransferId) -> Result<(), AppError> {
        let row = self.store.transfer_row(transfer).await?;
        let record = self.store.transfer_record(&row).await?;
        let role = self.store.role(user, &record.source).await?;
        if role.is_none() {
            return Err(AppError::NotFound);
        }
        let now = now_ms();
        check_cancel(role, &record, Timestamp::from_millis(now))
            .map_err(AppError::TransferClosed)?;
        let products = self.product_names(transfer).await?;
        let closing = Closing {
            status: TransferStatus::Cancelled,
            actor: Some(user),
            organization: Some(&record.source),
            now,
            notify_source: None,
            notify_link_recipients: Some(self.links.seal_translated(texts::in_every_language(
                |locale| texts::cancelled(locale, &row.source_name, &products),
            ))),
        };
        if self.store.close_transfer(transfer, closing).await? {
            Ok(())
        } else {
            Err(AppError::TransferClosed(
                transfer_rules::TransferStateRefusal::AlreadyCompleted,
            ))
        }
    }

    async fn email_link(
        &self,
        user: &UserId,
        transfer: &TransferId,
        email: &str,
        language: Option<&str>,
    ) -> Result<(), AppError> {
        let chosen = match language {
            Some(code) => {
                Some(app::ui::language(code).ok_or(AppError::Invalid(InputProblem::Language))?)
            }
            None => None,
        };
        let detail = self.transfer(user, transfer).await?;
        let Some(link) = detail.link else {
            return Err(if detail.status == TransferStatus::InProgress {
                AppError::NotFound
            } else {
                AppError::TransferClosed(transfer_rules::TransferStateRefusal::AlreadyCompleted)
            });
        };
        let email = email.to_lowercase();
        if !valid_email(&email) {
            return Err(AppError::Invalid(InputProblem::Email));
        }
        // A user who chose a language reads it; anyone else, the one the sender picked, or
        // else the sender's own.
        let recipient_language =
            (self.store.user_by_email(&email).await?).and_then(|recipient| recipient.language);
        let sender_language = || async { Ok::<_, AppError>(self.store.user(user).await?.language) };
        let locale = match (
            recipient_language.as_deref().and_then(app::ui::language),
            chosen,
        ) {
            (Some(theirs), _) => theirs,
            (None, Some(chosen)) => chosen,
            (None, None) => (sender_language().await?)
                .as_deref()
                .and_then(app::ui::language)
                .unwrap_or(Locale::en),
        };
        let message = texts::link(
            locale,
            &detail.source_name,
            &self.product_names(transfer).await?,
            &link,
            detail.expires_at.as_millis(),
        );
        let outcome = self
            .store
            .email_link(LinkEmail {
                transfer,
                source: &detail.source,
                sender: user,
                recipient: &email,
                language: locale.as_str(),
                email: &self.links.seal_email(message),
                now: now_ms(),
                limits: LINK_EMAIL_LIMITS,
            })
            .await?;
        match outcome {
            LinkEmailed::Queued => Ok(()),
            LinkEmailed::Closed => Err(AppError::TransferClosed(
                transfer_rules::TransferStateRefusal::AlreadyCompleted,
            )),
            LinkEmailed::OverLimit => Err(AppError::EmailLimit),
        }
    }

    async fn transfer_directly(
        &self,
        user: &UserId,
        transfer: &TransferId,
        destination: &OrganizationId,
        accepted_conditions: bool,
    ) -> Result<Received, AppError> {
        let (row, source_role) = self.visible_transfer(user, transfer).await?;
        if !may_send(source_role) {
            return Err(AppError::NotFound);
        }
        if !accepted_conditions && !self.store.started_by(transfer, user).await? {
            return Err(AppError::ConditionsNotAccepted);
        }
        self.complete(user, &row, destination).await
    }

    async fn open_link(
        &self,
        user: &UserId,
        token: &str,
        client: &str,
    ) -> Result<LinkView, AppError> {
        let row = self.by_token(token, client).await?;
        let now = now_ms();
        if visible_status(&row, now)? != TransferStatus::InProgress {
            return Err(AppError::LinkUnavailable);
        }
        Ok(LinkView {
            kinds: self.store.frozen_kinds(&row.transfer_id()?).await?,
            destinations: self.destinations(user, &row.source()?).await?,
            source: row.source()?,
            source_since: Timestamp::from_millis(row.source_created_at),
            source_name: row.source_name,
            expires_at: Timestamp::from_millis(row.expires_at),
        })
    }

    async fn transfer_products(
        &self,
        user: &UserId,
        key: &TransferKey,
        client: &str,
        page: PageRequest,
    ) -> Result<Page<FrozenProduct>, AppError> {
        let row = self.transfer_by_key(user, key, client).await?;
        let transfer = row.transfer_id()?;
        let total = self
            .store
            .frozen_kinds(&transfer)
            .await?
            .iter()
            .map(|(_, n)| n)
            .sum();
        let items = (self.store.frozen_page(&transfer, page).await?.into_iter())
            .map(frozen_product)
            .collect::<Result<_, AppError>>()?;
        Ok(Page {
            items,
            total,
            request: page,
        })
    }

    async fn transfer_warnings(
        &self,
        user: &UserId,
        key: &TransferKey,
        client: &str,
    ) -> Result<Warnings, AppError> {
        let row = self.transfer_by_key(user, key, client).await?;
        let now = now_ms();
        if visible_status(&row, now)? != TransferStatus::InProgress {
            return Err(AppError::TransferClosed(
                transfer_rules::TransferStateRefusal::AlreadyCompleted,
            ));
        }
        let transfer = row.transfer_id()?;
        let record = self.store.transfer_record(&row).await?;
        let holdings = self.store.transfer_holdings(&transfer, now).await?;
        Ok(warnings_for(&holdings, &record.products))
    }

    async fn receive(
        &self,
        user: &UserId,
        token: &str,
        destination: &OrganizationId,
        client: &str,
    ) -> Result<Received, AppError> {
        let row = self.by_token(token, client).await?;
        self.complete(user, &row, destination).await
    }

    async fn decline(&self, user: &UserId, token: &str, client: &str) -> Result<(), AppError> {
        let row = self.by_token(token, client).await?;
        let record = self.store.transfer_record(&row).await?;
        let now = now_ms();
        check_decline(&record, Timestamp::from_millis(now))
            .map_err(|_| AppError::LinkUnavailable)?;
        let products = self.product_names(&record.id).await?;
        let closing =
            Closing {
                status: TransferStatus::Declined,
                actor: Some(user),
                organization: None,
                now,
                notify_source: Some(self.links.seal_translated(texts::in_every_language(
                    |locale| texts::declined(locale, &row.source_name, &products),
                ))),
                notify_link_recipients: None,
            };
        if self.store.close_transfer(&record.id, closing).await? {
            Ok(())
        } else {
            Err(AppError::LinkUnavailable)
        }
    }

    async fn create_organization(&self, user: &UserId, name: &str) -> Result<Membership, AppError> {
        let name = OrganizationName::parse(name)
            .map_err(|_| AppError::Invalid(InputProblem::OrganizationName))?;
        let now = now_ms();
        let id = OrganizationId::parse(&format!("org-{}", &new_token()[..22]))
            .map_err(|_| AppError::Internal)?;
        let bound = (MAX_ORGANIZATIONS_PER_DAY, now - DAY_MS);
        if !self
            .store
            .create_organization(&id, name.as_str(), user, now, bound)
            .await?
        {
            return Err(AppError::OrganizationLimit);
        }
        Ok(Membership {
            organization: id,
            name: name.to_string(),
            role: Role::LegalRepresentative,
        })
    }
}

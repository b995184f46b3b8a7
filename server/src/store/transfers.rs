//! Transfers in the database. Each state change and the event row recording it (and any
//! email announcing it) are written in one transaction; statements never multiply with
//! the number of products: product lists travel as one JSON parameter.

use sqlx::{AnyConnection, Connection};
use transfer_rules::{
    Holdings, OrganizationId, Product, ProductId, ProductKind, ReceiptPlan, ReceiptRefusal,
    ReceiptSnapshot, Role, Timestamp, TransferEventKind, TransferId, TransferRecord,
    TransferStatus, UserId,
};

use app::paging::PageRequest;
use app::transfers::api::TransferFilter;

use super::catalogue::like_pattern;
use super::holdings::{self, Scope};
use super::outbox::{self, SealedEmail, Translated};
use super::{decode, Dialect, Store, StoreError, StoreResult, Turn};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct TransferRow {
    pub id: String,
    pub source_id: String,
    pub source_name: String,
    pub destination_id: Option<String>,
    pub destination_name: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub closed_at: Option<i64>,
    pub token_sealed: String,
    pub source_created_at: i64,
}

const TRANSFER_SELECT: &str = "SELECT t.id, t.source_id, s.name AS source_name, s.created_at AS source_created_at, t.destination_id, \
     d.name AS destination_name, t.status, t.created_at, t.expires_at, t.closed_at, t.token_sealed \
     FROM transfers t JOIN organizations s ON s.id = t.source_id \
     LEFT JOIN organizations d ON d.id = t.destination_id";

impl TransferRow {
    pub fn status(&self) -> StoreResult<TransferStatus> {
        decode(TransferStatus::parse(&self.status))
    }

    pub fn source(&self) -> StoreResult<OrganizationId> {
        decode(OrganizationId::parse(&self.source_id))
    }

    pub fn transfer_id(&self) -> StoreResult<TransferId> {
        decode(TransferId::parse(&self.id))
    }
}

#[derive(sqlx::FromRow)]
pub struct FrozenRow {
    pub transfer_id: String,
    pub product_id: String,
    pub name: String,
    pub kind: String,
}

impl FrozenRow {
    pub fn kind(&self) -> StoreResult<ProductKind> {
        decode(ProductKind::parse(&self.kind))
    }
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub kind: String,
    pub actor_name: Option<String>,
    pub organization_name: Option<String>,
    pub detail: Option<String>,
    pub at: i64,
}

pub struct NewTransfer<'a> {
    pub id: &'a TransferId,
    pub source: &'a OrganizationId,
    pub creator: &'a UserId,
    pub products: &'a [Product],
    pub created_at: i64,
    pub expires_at: i64,
    pub token_lookup: &'a str,
    pub token_sealed: &'a str,
    pub conditions_version: &'a str,
}

/// A change that closes a transfer, with what to record and whom to tell.
pub struct Closing<'a> {
    pub status: TransferStatus,
    pub actor: Option<&'a UserId>,
    pub organization: Option<&'a OrganizationId>,
    pub now: i64,
    /// Told to the source's administrators.
    pub notify_source: Option<Translated>,
    /// Told to every address the link was emailed to.
    pub notify_link_recipients: Option<Translated>,
}

/// A transfer link to email, from whom, to whom, in which language.
pub struct LinkEmail<'a> {
    pub transfer: &'a TransferId,
    pub source: &'a OrganizationId,
    pub sender: &'a UserId,
    pub recipient: &'a str,
    pub language: &'a str,
    pub email: &'a SealedEmail,
    pub now: i64,
    pub limits: LinkEmailLimits,
}

/// How many links may be emailed within a window, by one user and about one
/// Organization's transfers.
#[derive(Clone, Copy)]
pub struct LinkEmailLimits {
    pub per_sender: i64,
    pub per_source: i64,
    pub window_ms: i64,
}

pub enum LinkEmailed {
    Queued,
    /// The transfer is no longer in progress.
    Closed,
    OverLimit,
}

/// Who receives a transfer where, and the email announcing it to both sides.
pub struct ReceiptRequest<'a> {
    pub transfer: &'a TransferId,
    pub destination: &'a OrganizationId,
    pub actor: &'a UserId,
    pub now: i64,
    pub conditions_version: &'a str,
    pub announcement: Translated,
}

/// Which transfers a list shows.
pub struct TransferSearch<'a> {
    pub organization: &'a OrganizationId,
    pub status: TransferFilter,
    /// Matched anywhere in the name of one of the transfer's products.
    pub product_name_contains: &'a str,
    /// Decides which pending transfers have expired.
    pub now: i64,
}

/// How many product names each transfer of a list shows.
const NAMES_PER_TRANSFER: i64 = 3;

pub struct TransferPage {
    pub rows: Vec<TransferRow>,
    pub total: u64,
    /// The first [`NAMES_PER_TRANSFER`] products of each transfer, by name.
    pub first_names: Vec<FrozenRow>,
    /// How many products each transfer holds.
    pub counts: Vec<(String, i64)>,
}

/// The outcome of an attempt to receive.
pub enum Receipt {
    Done(ReceiptPlan),
    Refused(ReceiptRefusal),
}

fn json_list<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    serde_json::to_string(&values.into_iter().collect::<Vec<_>>())
        .expect("a list of strings serialises")
}

/// Pairs of ids as `a/b` keys, matched in SQL against `a_id || '/' || b_id`.
fn pair_list<A: std::fmt::Display, B: std::fmt::Display>(pairs: &[(A, B)]) -> String {
    let keys: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}/{b}")).collect();
    serde_json::to_string(&keys).expect("a list of strings serialises")
}

impl Store {
    /// A subquery yielding the strings of a JSON array parameter `$n`.
    fn json_values(&self, n: usize) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("SELECT value FROM json_each(${n})"),
            Dialect::Postgres => {
                format!("SELECT value FROM json_array_elements_text(CAST(${n} AS json))")
            }
        }
    }

    pub async fn sender_holdings(
        &self,
        organization: &OrganizationId,
        now: i64,
    ) -> StoreResult<Holdings> {
        let mut connection = self.pool.acquire().await?;
        holdings::load(
            &mut connection,
            &Scope::Organization(organization),
            now,
            None,
        )
        .await
    }

    /// The Organization's products and which of them a transfer in progress holds.
    pub async fn sender_products(
        &self,
        organization: &OrganizationId,
        now: i64,
    ) -> StoreResult<(Vec<Product>, Vec<ProductId>)> {
        let mut connection = self.pool.acquire().await?;
        holdings::products_and_locks(&mut connection, &Scope::Organization(organization), now).await
    }

    pub async fn transfer_holdings(
        &self,
        transfer: &TransferId,
        now: i64,
    ) -> StoreResult<Holdings> {
        let mut connection = self.pool.acquire().await?;
        let scope = Scope::Transfer(transfer);
        let mut holdings = holdings::load(&mut connection, &scope, now, Some(transfer)).await?;
        holdings
            .products
            .extend(holdings::linked_outside(&mut connection, &scope).await?);
        Ok(holdings)
    }

    /// Creates a transfer and locks its products; `Conflict` when another transfer took
    /// one of them first, or one no longer belongs to the source.
    pub async fn insert_transfer(&self, new: NewTransfer<'_>) -> StoreResult<()> {
        let ids = json_list(new.products.iter().map(|p| p.id.as_str()));
        let names = serde_json::to_string(
            &new.products
                .iter()
                .map(|p| [p.id.as_str(), &p.name, p.kind.as_str()])
                .collect::<Vec<_>>(),
        )
        .expect("names serialise");
        let mut tx = self.pool.begin().await?;
        // A write on the products first: it waits for a receipt moving any of them, then
        // matches only those the source still owns. The sender's snapshot was read before
        // this transaction; a product that moved since must not be locked here.
        let still_owned = sqlx::query(&format!(
            "UPDATE products SET organization_id = organization_id \
             WHERE id IN ({}) AND organization_id = $2",
            self.json_values(1)
        ))
        .bind(&ids)
        .bind(new.source.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if still_owned != new.products.len() as u64 {
            return Err(StoreError::Conflict);
        }
        sqlx::query(
            "INSERT INTO transfers (id, source_id, status, created_by, created_at, expires_at, \
             token_lookup, token_sealed) VALUES ($1, $2, 'in_progress', $3, $4, $5, $6, $7)",
        )
        .bind(new.id.as_str())
        .bind(new.source.as_str())
        .bind(new.creator.as_str())
        .bind(new.created_at)
        .bind(new.expires_at)
        .bind(new.token_lookup)
        .bind(new.token_sealed)
        .execute(&mut *tx)
        .await?;
        let triples = match self.dialect {
            Dialect::Sqlite => {
                "SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS name, \
                 json_extract(value, '$[2]') AS kind FROM json_each($2)"
            }
            Dialect::Postgres => {
                "SELECT value->>0 AS id, value->>1 AS name, value->>2 AS kind \
                 FROM json_array_elements(CAST($2 AS json))"
            }
        };
        sqlx::query(&format!(
            "INSERT INTO transfer_products (transfer_id, product_id, name, kind) \
             SELECT $1, f.id, f.name, f.kind FROM ({triples}) f"
        ))
        .bind(new.id.as_str())
        .bind(&names)
        .execute(&mut *tx)
        .await?;
        let locked = sqlx::query(&format!(
            "INSERT INTO product_locks (product_id, transfer_id) SELECT value, $1 FROM ({}) AS ids",
            self.json_values(2)
        ))
        .bind(new.id.as_str())
        .bind(&ids)
        .execute(&mut *tx)
        .await;
        if let Err(error) = locked {
            return Err(match &error {
                sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
                _ => error.into(),
            });
        }
        record_event(
            &mut tx,
            new.id,
            TransferEventKind::Created,
            Some(new.creator),
            Some(new.source),
            None,
            new.created_at,
        )
        .await?;
        record_acceptance(
            &mut tx,
            new.id,
            "sender",
            new.creator,
            new.conditions_version,
            new.created_at,
        )
        .await?;
        self.commit_announcing(tx, new.id).await?;
        Ok(())
    }

    pub async fn transfer_row(&self, transfer: &TransferId) -> StoreResult<TransferRow> {
        sqlx::query_as::<_, TransferRow>(&format!("{TRANSFER_SELECT} WHERE t.id = $1"))
            .bind(transfer.as_str())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn transfer_by_lookup(&self, lookup: &str) -> StoreResult<Option<TransferRow>> {
        Ok(sqlx::query_as::<_, TransferRow>(&format!(
            "{TRANSFER_SELECT} WHERE t.token_lookup = $1"
        ))
        .bind(lookup)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A page of the transfers an Organization sent or received, newest first, with how
    /// many match in all, and the first few product names (by name) of each.
    pub async fn transfer_page(
        &self,
        search: &TransferSearch<'_>,
        page: PageRequest,
    ) -> StoreResult<TransferPage> {
        let filter = format!(
            "(t.source_id = $1 OR t.destination_id = $1) AND {} \
             AND ($3 = '%%' OR EXISTS (SELECT 1 FROM transfer_products p \
               WHERE p.transfer_id = t.id AND LOWER(p.name) LIKE $3 ESCAPE '\\'))",
            match search.status {
                TransferFilter::InProgress => "t.status = 'in_progress' AND t.expires_at > $2",
                TransferFilter::Completed => "t.status = 'completed' AND $2 = $2",
                TransferFilter::All => "$2 = $2",
            }
        );
        let pattern = like_pattern(search.product_name_contains);
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM transfers t WHERE {filter}"))
                .bind(search.organization.as_str())
                .bind(search.now)
                .bind(&pattern)
                .fetch_one(&self.pool)
                .await?;
        let rows = sqlx::query_as::<_, TransferRow>(&format!(
            "{TRANSFER_SELECT} WHERE {filter} ORDER BY t.created_at DESC, t.id LIMIT $4 OFFSET $5"
        ))
        .bind(search.organization.as_str())
        .bind(search.now)
        .bind(&pattern)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&self.pool)
        .await?;
        let ids = json_list(rows.iter().map(|row| row.id.as_str()));
        let first_names = sqlx::query_as::<_, FrozenRow>(&format!(
            "SELECT transfer_id, product_id, name, kind FROM (SELECT p.transfer_id, p.product_id, \
             p.name, p.kind, ROW_NUMBER() OVER (PARTITION BY p.transfer_id \
             ORDER BY p.name, p.product_id) AS place FROM transfer_products p \
             WHERE p.transfer_id IN ({})) ranked WHERE place <= $2 ORDER BY name, product_id",
            self.json_values(1)
        ))
        .bind(&ids)
        .bind(NAMES_PER_TRANSFER)
        .fetch_all(&self.pool)
        .await?;
        let counts: Vec<(String, i64)> = sqlx::query_as(&format!(
            "SELECT transfer_id, COUNT(*) FROM transfer_products WHERE transfer_id IN ({}) \
             GROUP BY transfer_id",
            self.json_values(1)
        ))
        .bind(&ids)
        .fetch_all(&self.pool)
        .await?;
        Ok(TransferPage {
            rows,
            total: u64::try_from(total).unwrap_or_default(),
            first_names,
            counts,
        })
    }

    pub async fn count_in_progress(
        &self,
        organization: &OrganizationId,
        now: i64,
    ) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM transfers WHERE source_id = $1 AND status = 'in_progress' \
             AND expires_at > $2",
        )
        .bind(organization.as_str())
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn transfer_record(&self, row: &TransferRow) -> StoreResult<TransferRecord> {
        let products: Vec<String> =
            sqlx::query_scalar("SELECT product_id FROM transfer_products WHERE transfer_id = $1")
                .bind(&row.id)
                .fetch_all(&self.pool)
                .await?;
        record_of(row, products)
    }

    pub async fn frozen_products(&self, transfer: &TransferId) -> StoreResult<Vec<FrozenRow>> {
        Ok(sqlx::query_as::<_, FrozenRow>(
            "SELECT transfer_id, product_id, name, kind FROM transfer_products \
             WHERE transfer_id = $1 ORDER BY name, product_id",
        )
        .bind(transfer.as_str())
        .fetch_all(&self.pool)
        .await?)
    }

    /// A page of the products a transfer froze, by name.
    pub async fn frozen_page(
        &self,
        transfer: &TransferId,
        page: PageRequest,
    ) -> StoreResult<Vec<FrozenRow>> {
        Ok(sqlx::query_as::<_, FrozenRow>(
            "SELECT transfer_id, product_id, name, kind FROM transfer_products \
             WHERE transfer_id = $1 ORDER BY name, product_id LIMIT $2 OFFSET $3",
        )
        .bind(transfer.as_str())
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whether `user` accepted the general conditions when starting `transfer`.
    pub async fn started_by(&self, transfer: &TransferId, user: &UserId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM condition_acceptances \
             WHERE transfer_id = $1 AND party = 'sender' AND user_id = $2",
        )
        .bind(transfer.as_str())
        .bind(user.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// How many products of each kind a transfer froze.
    pub async fn frozen_kinds(
        &self,
        transfer: &TransferId,
    ) -> StoreResult<Vec<(ProductKind, u64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT kind, COUNT(*) FROM transfer_products WHERE transfer_id = $1 \
             GROUP BY kind ORDER BY kind",
        )
        .bind(transfer.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(kind, count)| {
                Ok((
                    decode(ProductKind::parse(&kind))?,
                    u64::try_from(count).unwrap_or_default(),
                ))
            })
            .collect()
    }

    pub async fn events(&self, transfer: &TransferId) -> StoreResult<Vec<EventRow>> {
        Ok(sqlx::query_as::<_, EventRow>(
            "SELECT e.kind, u.name AS actor_name, o.name AS organization_name, e.detail, e.at \
             FROM transfer_events e LEFT JOIN users u ON u.id = e.actor_id \
             LEFT JOIN organizations o ON o.id = e.organization_id \
             WHERE e.transfer_id = $1 ORDER BY e.seq",
        )
        .bind(transfer.as_str())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records the link being emailed and queues the email, together, if the transfer is
    /// still open and the hour's limits allow (counted on the sender's and the source's
    /// turns).
    pub async fn email_link(&self, link: LinkEmail<'_>) -> StoreResult<LinkEmailed> {
        let mut tx = self.pool.begin().await?;
        Turn::User(link.sender).take(&mut tx).await?;
        Turn::Organization(link.source).take(&mut tx).await?;
        let open = sqlx::query(
            "UPDATE transfers SET last_event_seq = last_event_seq \
             WHERE id = $1 AND status = 'in_progress' AND expires_at > $2",
        )
        .bind(link.transfer.as_str())
        .bind(link.now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if open == 0 {
            return Ok(LinkEmailed::Closed);
        }
        let kind = TransferEventKind::LinkEmailed.as_str();
        let since = link.now - link.limits.window_ms;
        let by_sender: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM transfer_events WHERE actor_id = $1 AND kind = $2 AND at >= $3",
        )
        .bind(link.sender.as_str())
        .bind(kind)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        let by_source: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM transfer_events e JOIN transfers t ON t.id = e.transfer_id \
             WHERE t.source_id = $1 AND e.kind = $2 AND e.at >= $3",
        )
        .bind(link.source.as_str())
        .bind(kind)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        if by_sender >= link.limits.per_sender || by_source >= link.limits.per_source {
            return Ok(LinkEmailed::OverLimit);
        }
        let seq = record_event(
            &mut tx,
            link.transfer,
            TransferEventKind::LinkEmailed,
            Some(link.sender),
            None,
            Some(link.recipient),
            link.now,
        )
        .await?;
        sqlx::query("UPDATE transfer_events SET language = $1 WHERE transfer_id = $2 AND seq = $3")
            .bind(link.language)
            .bind(link.transfer.as_str())
            .bind(seq)
            .execute(&mut *tx)
            .await?;
        outbox::enqueue(
            &mut tx,
            &format!("{}:link:{seq}", link.transfer),
            link.transfer,
            link.recipient,
            link.email,
            link.now,
        )
        .await?;
        self.commit_announcing(tx, link.transfer).await?;
        Ok(LinkEmailed::Queued)
    }

    /// Closes a transfer still in progress (cancel, decline, expire) and unlocks its
    /// products. Returns false when it was no longer in progress.
    pub async fn close_transfer(
        &self,
        transfer: &TransferId,
        closing: Closing<'_>,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE transfers SET status = $2, closed_at = $3 WHERE id = $1 AND status = 'in_progress'",
        )
        .bind(transfer.as_str())
        .bind(closing.status.as_str())
        .bind(closing.now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM product_locks WHERE transfer_id = $1")
            .bind(transfer.as_str())
            .execute(&mut *tx)
            .await?;
        let kind = TransferEventKind::for_status(closing.status)
            .ok_or_else(|| StoreError::Corrupt(format!("{} closes no transfer", closing.status)))?;
        record_event(
            &mut tx,
            transfer,
            kind,
            closing.actor,
            closing.organization,
            None,
            closing.now,
        )
        .await?;
        if let Some(emails) = &closing.notify_link_recipients {
            outbox::enqueue_to_link_recipients(
                &mut tx,
                &format!("{transfer}:{kind}"),
                transfer,
                emails,
                closing.now,
            )
            .await?;
        }
        if let Some(email) = &closing.notify_source {
            let source: String =
                sqlx::query_scalar("SELECT source_id FROM transfers WHERE id = $1")
                    .bind(transfer.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
            let source = decode(OrganizationId::parse(&source))?;
            outbox::enqueue_to_admins(
                &mut tx,
                &format!("{transfer}:{kind}"),
                transfer,
                &source,
                email,
                closing.now,
            )
            .await?;
        }
        self.commit_announcing(tx, transfer).await?;
        Ok(true)
    }

    /// Open transfers past their date: all of them, or those out of one Organization.
    pub async fn due_for_expiry(
        &self,
        now: i64,
        source: Option<&OrganizationId>,
    ) -> StoreResult<Vec<TransferId>> {
        let due = "SELECT id FROM transfers WHERE status = 'in_progress' AND expires_at <= $1";
        let ids: Vec<String> = match source {
            None => {
                sqlx::query_scalar(&format!("{due} ORDER BY expires_at"))
                    .bind(now)
                    .fetch_all(&self.pool)
                    .await?
            }
            Some(source) => {
                sqlx::query_scalar(&format!("{due} AND source_id = $2 ORDER BY expires_at"))
                    .bind(now)
                    .bind(source.as_str())
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        ids.iter().map(|id| decode(TransferId::parse(id))).collect()
    }

    /// Receives a transfer in one transaction: claims it, loads the current state, asks the
    /// rules for a plan, and applies it — or changes nothing.
    pub async fn receive(
        &self,
        request: ReceiptRequest<'_>,
        plan: impl FnOnce(&ReceiptSnapshot) -> Result<ReceiptPlan, ReceiptRefusal>,
    ) -> StoreResult<Receipt> {
        let transfer = request.transfer;
        let mut connection = self.pool.acquire().await?;
        let mut tx = connection.begin().await?;
        // A write first: concurrent receipts of one link queue here, and only the first
        // finds it still in progress.
        let claimed = sqlx::query(
            "UPDATE transfers SET status = status WHERE id = $1 AND status = 'in_progress'",
        )
        .bind(transfer.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let snapshot = receipt_snapshot(
            &mut tx,
            transfer,
            request.destination,
            request.actor,
            request.now,
        )
        .await?;
        let plan = match plan(&snapshot) {
            Ok(plan) if claimed => plan,
            Ok(_) => return Err(StoreError::Conflict),
            Err(refusal) => return Ok(Receipt::Refused(refusal)),
        };
        self.apply_receipt(&mut tx, &plan, &request).await?;
        self.commit_announcing(tx, transfer).await?;
        Ok(Receipt::Done(plan))
    }

    /// Runs `statement` (a DELETE or UPDATE of a table with a `product_id` column) on the
    /// rows whose `column`/product key is in `pairs`. Matching `moved` first lets the
    /// product index narrow the rows before the keys are built.
    async fn on_moved_pairs(
        &self,
        tx: &mut AnyConnection,
        statement: &str,
        column: &str,
        moved: &str,
        pairs: String,
    ) -> StoreResult<()> {
        sqlx::query(&format!(
            "{statement} WHERE product_id IN ({}) AND {column} || '/' || product_id IN ({})",
            self.json_values(1),
            self.json_values(2)
        ))
        .bind(moved)
        .bind(pairs)
        .execute(tx)
        .await?;
        Ok(())
    }

    async fn apply_receipt(
        &self,
        tx: &mut AnyConnection,
        plan: &ReceiptPlan,
        request: &ReceiptRequest<'_>,
    ) -> StoreResult<()> {
        let (actor, now) = (request.actor, request.now);
        let moved = json_list(plan.moved.iter().map(ProductId::as_str));
        let moved_in = self.json_values(2);
        sqlx::query(&format!(
            "UPDATE products SET organization_id = $1 WHERE id IN ({moved_in})"
        ))
        .bind(plan.destination.as_str())
        .bind(&moved)
        .execute(&mut *tx)
        .await?;
        for (statement, column, pairs) in [
            ("DELETE FROM access_grants", "user_id", &plan.grants_removed),
            (
                "UPDATE access_grants SET management = 0",
                "user_id",
                &plan.management_revoked,
            ),
        ] {
            self.on_moved_pairs(&mut *tx, statement, column, &moved, pair_list(pairs))
                .await?;
        }
        let teams = pair_list(&plan.team_rights_removed);
        self.on_moved_pairs(
            &mut *tx,
            "DELETE FROM team_rights",
            "team_id",
            &moved,
            teams,
        )
        .await?;
        sqlx::query(&format!(
            // Another receipt into the same destination may have added the same kDrive user
            // since this one read the members: they are a member either way.
            "INSERT INTO memberships (organization_id, user_id, role) SELECT $1, value, '{}' FROM ({}) AS ids \
             WHERE 1 = 1 ON CONFLICT (organization_id, user_id) DO NOTHING",
            Role::User.as_str(),
            self.json_values(2)
        ))
        .bind(plan.destination.as_str())
        .bind(json_list(plan.members_added.iter().map(UserId::as_str)))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM product_locks WHERE transfer_id = $1")
            .bind(plan.transfer.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE transfers SET status = 'completed', destination_id = $2, closed_at = $3 WHERE id = $1",
        )
        .bind(plan.transfer.as_str())
        .bind(plan.destination.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        record_event(
            &mut *tx,
            &plan.transfer,
            TransferEventKind::Completed,
            Some(actor),
            Some(&plan.destination),
            None,
            now,
        )
        .await?;
        record_acceptance(
            &mut *tx,
            &plan.transfer,
            "receiver",
            actor,
            request.conditions_version,
            now,
        )
        .await?;
        let prefix = format!("{}:completed", plan.transfer);
        outbox::enqueue_to_admins(
            &mut *tx,
            &format!("{prefix}:source"),
            &plan.transfer,
            &plan.source,
            &request.announcement,
            now,
        )
        .await?;
        outbox::enqueue_to_admins(
            &mut *tx,
            &format!("{prefix}:destination"),
            &plan.transfer,
            &plan.destination,
            &request.announcement,
            now,
        )
        .await?;
        Ok(())
    }
}

async fn receipt_snapshot(
    connection: &mut AnyConnection,
    transfer: &TransferId,
    destination: &OrganizationId,
    actor: &UserId,
    now: i64,
) -> StoreResult<ReceiptSnapshot> {
    let row = sqlx::query_as::<_, TransferRow>(&format!("{TRANSFER_SELECT} WHERE t.id = $1"))
        .bind(transfer.as_str())
        .fetch_optional(&mut *connection)
        .await?
        .ok_or(StoreError::NotFound)?;
    let products: Vec<String> =
        sqlx::query_scalar("SELECT product_id FROM transfer_products WHERE transfer_id = $1")
            .bind(transfer.as_str())
            .fetch_all(&mut *connection)
            .await?;
    let transfer_record = record_of(&row, products)?;
    let role: Option<String> = sqlx::query_scalar(
        "SELECT role FROM memberships WHERE user_id = $1 AND organization_id = $2",
    )
    .bind(actor.as_str())
    .bind(destination.as_str())
    .fetch_optional(&mut *connection)
    .await?;
    let members: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM memberships WHERE organization_id = $1")
            .bind(destination.as_str())
            .fetch_all(&mut *connection)
            .await?;
    Ok(ReceiptSnapshot {
        actor: actor.clone(),
        actor_role_in_destination: role.map(|role| decode(Role::parse(&role))).transpose()?,
        destination: destination.clone(),
        destination_members: members
            .iter()
            .map(|id| decode(UserId::parse(id)))
            .collect::<StoreResult<_>>()?,
        transfer: transfer_record,
        holdings: holdings::load(connection, &Scope::Transfer(transfer), now, Some(transfer))
            .await?,
    })
}

fn record_of(row: &TransferRow, products: Vec<String>) -> StoreResult<TransferRecord> {
    Ok(TransferRecord {
        id: row.transfer_id()?,
        source: row.source()?,
        status: row.status()?,
        products: products
            .iter()
            .map(|id| decode(ProductId::parse(id)))
            .collect::<StoreResult<_>>()?,
        started_at: Timestamp::from_millis(row.created_at),
        expires_at: Timestamp::from_millis(row.expires_at),
    })
}

/// Appends an event, and queues the webhook it announces; returns its sequence number
/// within the transfer. Taking the number updates the transfer's row, so events written
/// concurrently on one transfer queue there.
pub(super) async fn record_event(
    connection: &mut AnyConnection,
    transfer: &TransferId,
    kind: TransferEventKind,
    actor: Option<&UserId>,
    organization: Option<&OrganizationId>,
    detail: Option<&str>,
    now: i64,
) -> StoreResult<i64> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE transfers SET last_event_seq = last_event_seq + 1 WHERE id = $1 \
         RETURNING last_event_seq",
    )
    .bind(transfer.as_str())
    .fetch_one(&mut *connection)
    .await?;
    sqlx::query(
        "INSERT INTO transfer_events (transfer_id, seq, kind, actor_id, organization_id, detail, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(transfer.as_str())
    .bind(seq)
    .bind(kind.as_str())
    .bind(actor.map(UserId::as_str))
    .bind(organization.map(OrganizationId::as_str))
    .bind(detail)
    .bind(now)
    .execute(&mut *connection)
    .await?;
    super::webhooks::enqueue_webhooks(connection, transfer, kind, seq, now).await?;
    Ok(seq)
}

async fn record_acceptance(
    connection: &mut AnyConnection,
    transfer: &TransferId,
    party: &str,
    user: &UserId,
    version: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO condition_acceptances (transfer_id, party, user_id, conditions_version, accepted_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(transfer.as_str())
    .bind(party)
    .bind(user.as_str())
    .bind(version)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

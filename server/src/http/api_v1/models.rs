//! What `/api/v1` reads and writes: its own types, so that the pages' wire types can
//! change without breaking a script. Ids and codes are strings; instants are RFC 3339.

use app::dates::rfc3339;
use app::paging::Page;
use app::transfers::api::{
    Direction, LinkView, Received, TransferDetail, TransferEvent, TransferSummary,
};
use serde::{Deserialize, Serialize};
use transfer_rules::{ProductKind, ProductRef, Timestamp};
use utoipa::{IntoParams, ToSchema};

fn instant(at: Timestamp) -> String {
    rfc3339(at.as_millis())
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    pub items: Vec<T>,
    /// How many items the whole list holds.
    pub total: u64,
    pub page: u32,
    pub size: u32,
}

impl<T: ToSchema> Paged<T> {
    pub fn from_page<U>(page: Page<U>, convert: impl Fn(U) -> T) -> Self {
        Paged {
            total: page.total,
            page: page.request.page,
            size: page.request.size,
            items: page.items.into_iter().map(convert).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// 1-based page number (default 1).
    pub page: Option<u32>,
    /// Items per page (default 50, at most 100).
    pub size: Option<u32>,
    /// Only products whose name contains this text.
    pub search: Option<String>,
    /// Only products of this kind (`kdrive`, `domain`, `web_hosting`, …).
    pub kind: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferQuery {
    /// 1-based page number (default 1).
    pub page: Option<u32>,
    /// Items per page (default 50, at most 100).
    pub size: Option<u32>,
    /// Only transfers holding a product whose name contains this text.
    pub search: Option<String>,
    /// `in_progress`, `completed` or `all` (default).
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Product {
    pub id: String,
    pub name: String,
    /// The product's kind code (`kdrive`, `domain`, `web_hosting`, …).
    pub kind: String,
}

impl From<ProductRef> for Product {
    fn from(product: ProductRef) -> Self {
        Product {
            id: product.id.to_string(),
            name: product.name.to_string(),
            kind: product.kind.as_str().to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferListItem {
    pub id: String,
    /// `outgoing` (this Organization sends) or `incoming`.
    pub direction: String,
    /// `in_progress`, `completed`, `cancelled`, `declined` or `expired`.
    pub status: String,
    pub other_organization: Option<String>,
    /// The first few product names; `product_count` says how many there are.
    pub products: Vec<String>,
    pub product_count: u64,
    pub created_at: String,
    pub closed_at: Option<String>,
}

impl From<TransferSummary> for TransferListItem {
    fn from(summary: TransferSummary) -> Self {
        TransferListItem {
            id: summary.id.to_string(),
            direction: match summary.direction {
                Direction::Outgoing => "outgoing",
                Direction::Incoming => "incoming",
            }
            .into(),
            status: summary.status.as_str().into(),
            other_organization: summary.other_organization,
            products: summary.products,
            product_count: summary.product_count,
            created_at: instant(summary.created_at),
            closed_at: summary.closed_at.map(instant),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KindCount {
    pub kind: String,
    pub count: u64,
}

fn kind_counts(kinds: Vec<(ProductKind, u64)>) -> Vec<KindCount> {
    kinds
        .into_iter()
        .map(|(kind, count)| KindCount {
            kind: kind.as_str().into(),
            count,
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    /// `created`, `link_emailed`, `completed`, `cancelled`, `declined`, `expired`, …
    pub kind: String,
    pub actor: Option<String>,
    pub organization: Option<String>,
    pub detail: Option<String>,
    pub at: String,
}

impl From<TransferEvent> for Event {
    fn from(event: TransferEvent) -> Self {
        Event {
            kind: event.kind.as_str().into(),
            actor: event.actor,
            organization: event.organization,
            detail: event.detail,
            at: instant(event.at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Transfer {
    pub id: String,
    pub status: String,
    pub source: String,
    pub source_name: String,
    pub destination: Option<String>,
    pub destination_name: Option<String>,
    pub kinds: Vec<KindCount>,
    pub created_at: String,
    pub expires_at: String,
    pub closed_at: Option<String>,
    /// The transfer link, for the source while the transfer is in progress. A secret:
    /// whoever holds it can receive the products.
    pub link: Option<String>,
    pub can_cancel: bool,
    pub events: Vec<Event>,
}

impl From<TransferDetail> for Transfer {
    fn from(detail: TransferDetail) -> Self {
        Transfer {
            id: detail.id.to_string(),
            status: detail.status.as_str().into(),
            source: detail.source.to_string(),
            source_name: detail.source_name,
            destination: detail.destination.map(|id| id.to_string()),
            destination_name: detail.destination_name,
            kinds: kind_counts(detail.kinds),
            created_at: instant(detail.created_at),
            expires_at: instant(detail.expires_at),
            closed_at: detail.closed_at.map(instant),
            link: detail.link,
            can_cancel: detail.can_cancel,
            events: detail.events.into_iter().map(Event::from).collect(),
        }
    }
}

/// What a transfer link offers, before receiving it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    pub source: String,
    pub source_name: String,
    /// When the sending Organization was created: tells the real sender from a look-alike.
    pub source_since: String,
    pub kinds: Vec<KindCount>,
    pub expires_at: String,
    /// Whether the token's Organization may receive it.
    pub can_receive: bool,
}

impl Link {
    pub fn new(view: LinkView, can_receive: bool) -> Self {
        Link {
            source: view.source.to_string(),
            source_name: view.source_name,
            source_since: instant(view.source_since),
            kinds: kind_counts(view.kinds),
            expires_at: instant(view.expires_at),
            can_receive,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub transfer: String,
    pub destination: String,
}

impl From<Received> for Receipt {
    fn from(received: Received) -> Self {
        Receipt {
            transfer: received.transfer.to_string(),
            destination: received.destination.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartTransfer {
    /// The products to transfer, by id (at most 10,000).
    pub products: Vec<String>,
    /// The general conditions of transfer must be accepted.
    pub accept_conditions: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EmailLink {
    pub email: String,
    /// `en`, `fr`, `de` or `it`; a Manager user's own choice wins.
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveTransfer {
    /// Another Organization of the token's creator, where they are an Administrator.
    pub destination: String,
    /// The general conditions of transfer, accepted on the receiving side. Needed unless
    /// the token's creator started this transfer (and accepted them then).
    #[serde(default)]
    pub accept_conditions: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkRequest {
    /// The transfer link, or the token at its end.
    pub link: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReceiveLink {
    /// The transfer link, or the token at its end.
    pub link: String,
    /// The general conditions of transfer must be accepted.
    pub accept_conditions: bool,
    /// Where to receive: when given, it must be the token's Organization (a script
    /// naming its destination is told if it holds the wrong token).
    pub organization: Option<String>,
}

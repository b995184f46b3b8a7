//! What the server loads from the database before asking for a decision.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::access::{AccessGrant, TeamRight};
use crate::ids::{InvoiceId, OrganizationId, ProductId, TeamId, UserId};
use crate::product::Product;
use crate::role::Role;
use crate::transfer::TransferRecord;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: UserId,
    pub name: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRef {
    pub id: TeamId,
    pub name: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRef {
    pub id: InvoiceId,
    pub number: Arc<str>,
    pub product: ProductId,
}

/// Two products that work together (a domain used by a mail service or a hosting).
/// The direction carries no meaning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductLink {
    pub from: ProductId,
    pub to: ProductId,
}

/// Everything the rules need to know about a set of products. Order never matters:
/// every output is sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holdings {
    pub products: Vec<Product>,
    /// Names of the users appearing in `grants`.
    pub users: Vec<UserRef>,
    /// Names of the teams appearing in `team_rights`.
    pub teams: Vec<TeamRef>,
    pub grants: Vec<AccessGrant>,
    pub team_rights: Vec<TeamRight>,
    pub invoices: Vec<InvoiceRef>,
    pub links: Vec<ProductLink>,
    /// Products in a transfer in progress. In a [`ReceiptSnapshot`], only those of
    /// other transfers: the transfer being received does not lock out its own products.
    pub locked: Vec<ProductId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenderSnapshot {
    pub actor: UserId,
    /// The actor's role in `source`; `None` when not a member.
    pub actor_role: Option<Role>,
    pub source: OrganizationId,
    /// The source's products and everything attached to them.
    pub holdings: Holdings,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptSnapshot {
    pub actor: UserId,
    pub actor_role_in_destination: Option<Role>,
    pub destination: OrganizationId,
    pub destination_members: Vec<UserId>,
    pub transfer: TransferRecord,
    /// The current state of the transfer's products (their owner may have changed since
    /// the transfer started) and of everything attached to them.
    pub holdings: Holdings,
}

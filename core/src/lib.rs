//! The rules of moving products between Organizations (DESIGN.md §2).
//!
//! Every rule is a pure function from a snapshot loaded by the server to a decision or a
//! plan, so the same code runs in the browser (to show warnings) and on the server (to
//! enforce them). Reasons are typed values, never sentences: the UI translates them.

mod access;
mod api_token;
mod authority;
mod codes;
mod grouping;
mod ids;
mod index;
mod names;
mod product;
mod receive;
mod role;
mod send;
mod snapshot;
mod time;
mod transfer;
mod transferability;
mod warnings;
mod webhook;

#[cfg(test)]
mod fixtures;

pub use access::{AccessGrant, AccessLevel, TeamRight};
pub use api_token::{
    api_token_expiry, check_api_token, ApiScope, ApiTokenRefusal, ApiTokenState, MAX_API_TOKEN_DAYS,
};
pub use authority::{
    check_cancel, check_decline, check_open, may_receive, may_send, TransferStateRefusal,
};
pub use codes::ParseError;
pub use grouping::{group_warnings, quiet_products, warnings_csv, WarningGroup, WarningSubject};
pub use ids::{
    ApiTokenId, IdError, InvoiceId, OrganizationId, ProductId, TeamId, TransferId, UserId,
    WebhookEndpointId,
};
pub use names::{NameProblem, OrganizationName};
pub use product::{Product, ProductKind, ProductRef};
pub use receive::{plan_receipt, ReceiptPlan, ReceiptRefusal};
pub use role::Role;
pub use send::{plan_transfer, Limits, TransferPlan, TransferRefusal};
pub use snapshot::{
    Holdings, InvoiceRef, ProductLink, ReceiptSnapshot, SenderSnapshot, TeamRef, UserRef,
};
pub use time::{is_expired, ExpiryPolicy, ExpiryPolicyError, Timestamp};
pub use transfer::{TransferEventKind, TransferRecord, TransferStatus};
pub use transferability::{transferability, NotTransferable};
pub use warnings::{warnings_for, ProductWarnings, Warnings};
pub use webhook::{is_public_address, webhook_retry_delay, WebhookEvent};

//! A small world after DESIGN.md §8, shared by the unit tests.

use crate::access::{AccessGrant, AccessLevel, TeamRight};
use crate::ids::{InvoiceId, OrganizationId, ProductId, TeamId, TransferId, UserId};
use crate::product::{Product, ProductKind};
use crate::role::Role;
use crate::snapshot::{Holdings, InvoiceRef, ProductLink, ReceiptSnapshot, TeamRef, UserRef};
use crate::time::Timestamp;
use crate::transfer::{TransferRecord, TransferStatus};

pub const SOURCE: &str = "alice-studio";
pub const DESTINATION: &str = "bob-consulting";
pub const STARTED: Timestamp = Timestamp::from_millis(1_000_000);
pub const EXPIRES: Timestamp = Timestamp::from_millis(2_000_000);

pub fn org(id: &str) -> OrganizationId {
    OrganizationId::parse(id).unwrap()
}

pub fn pid(id: &str) -> ProductId {
    ProductId::parse(id).unwrap()
}

pub fn uid(id: &str) -> UserId {
    UserId::parse(id).unwrap()
}

pub fn product(id: &str, kind: ProductKind, owner: &str) -> Product {
    Product {
        id: pid(id),
        name: format!("{id} name").into(),
        kind,
        owner: org(owner),
    }
}

fn grant(user: &str, product: &str, level: AccessLevel, management: bool) -> AccessGrant {
    AccessGrant {
        user: uid(user),
        product: pid(product),
        level,
        management,
    }
}

fn invoice(id: &str, number: &str, product: &str) -> InvoiceRef {
    InvoiceRef {
        id: InvoiceId::parse(id).unwrap(),
        number: number.into(),
        product: pid(product),
    }
}

/// Alice Studio's products: carol uses the drive (managing it) and the hosting, dave the
/// drive; team Designers has rights on the hosting; the domain serves mail and hosting;
/// the backup has nothing attached.
pub fn holdings() -> Holdings {
    use ProductKind::*;
    let designers = TeamId::parse("designers").unwrap();
    Holdings {
        products: vec![
            product("drive", KDrive, SOURCE),
            product("hosting", WebHosting, SOURCE),
            product("domain", Domain, SOURCE),
            product("mail", MailService, SOURCE),
            product("myks", MyKSuite, SOURCE),
            product("env", JelasticCloud, SOURCE),
            product("vps", Vps, SOURCE),
            product("backup", SwissBackup, SOURCE),
        ],
        users: vec![
            UserRef {
                id: uid("dave"),
                name: "Dave".into(),
            },
            UserRef {
                id: uid("carol"),
                name: "Carol".into(),
            },
        ],
        teams: vec![TeamRef {
            id: designers.clone(),
            name: "Designers".into(),
        }],
        grants: vec![
            grant("dave", "drive", AccessLevel::Read, false),
            grant("carol", "drive", AccessLevel::Write, true),
            grant("carol", "hosting", AccessLevel::Read, false),
        ],
        team_rights: vec![TeamRight {
            team: designers,
            product: pid("hosting"),
        }],
        invoices: vec![
            invoice("inv-1", "2024-001", "hosting"),
            invoice("inv-2", "2024-002", "vps"),
        ],
        links: vec![
            ProductLink {
                from: pid("domain"),
                to: pid("mail"),
            },
            ProductLink {
                from: pid("hosting"),
                to: pid("domain"),
            },
        ],
        locked: Vec::new(),
    }
}

pub fn record(status: TransferStatus, products: &[&str]) -> TransferRecord {
    TransferRecord {
        id: TransferId::parse("t1").unwrap(),
        source: org(SOURCE),
        status,
        products: products.iter().map(|id| pid(id)).collect(),
        started_at: STARTED,
        expires_at: EXPIRES,
    }
}

/// Bob, administrator of the destination, receives `products`; dave is already a member.
pub fn receipt(products: &[&str]) -> ReceiptSnapshot {
    ReceiptSnapshot {
        actor: uid("bob"),
        actor_role_in_destination: Some(Role::Administrator),
        destination: org(DESTINATION),
        destination_members: vec![uid("bob"), uid("dave")],
        transfer: record(TransferStatus::InProgress, products),
        holdings: holdings(),
    }
}

//! `cargo bench -p transfer-rules --bench planning`: both planners over a source with
//! 50 users and 10 teams, every product carrying 2-3 grants, some team rights, an invoice
//! and, for every fourth one, a link.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use transfer_rules::{
    plan_receipt, plan_transfer, AccessGrant, AccessLevel, Holdings, InvoiceRef, Limits,
    OrganizationId, Product, ProductId, ProductKind, ProductLink, ReceiptSnapshot, Role,
    SenderSnapshot, TeamId, TeamRef, TeamRight, Timestamp, TransferId, TransferRecord,
    TransferStatus, UserId, UserRef,
};

const USERS: usize = 50;
const TEAMS: usize = 10;
const SIZES: [usize; 3] = [10, 1_000, 10_000];
const NOW: Timestamp = Timestamp::from_millis(1_700_000_000_000);

fn id<T: std::str::FromStr<Err = transfer_rules::IdError>>(raw: String) -> T {
    raw.parse().unwrap()
}

fn holdings(source: &OrganizationId, n: usize) -> Holdings {
    let transferable: Vec<ProductKind> = ProductKind::ALL
        .into_iter()
        .filter(|kind| !matches!(kind, ProductKind::MyKSuite | ProductKind::JelasticCloud))
        .collect();
    let product = |i: usize| -> ProductId { id(format!("p{i:05}")) };
    let user = |u: usize| -> UserId { id(format!("u{u:02}")) };
    let team = |t: usize| -> TeamId { id(format!("t{t:02}")) };
    let mut h = Holdings {
        users: (0..USERS)
            .map(|u| UserRef {
                id: user(u),
                name: format!("User {u}").into(),
            })
            .collect(),
        teams: (0..TEAMS)
            .map(|t| TeamRef {
                id: team(t),
                name: format!("Team {t}").into(),
            })
            .collect(),
        ..Holdings::default()
    };
    for i in 0..n {
        h.products.push(Product {
            id: product(i),
            name: format!("Product {i}").into(),
            kind: transferable[i % transferable.len()],
            owner: source.clone(),
        });
        for k in 0..2 + i % 2 {
            h.grants.push(AccessGrant {
                user: user((i * 7 + k * 13) % USERS),
                product: product(i),
                level: if k == 0 {
                    AccessLevel::Write
                } else {
                    AccessLevel::Read
                },
                management: k == 0,
            });
        }
        if i % 3 == 0 {
            h.team_rights.push(TeamRight {
                team: team(i % TEAMS),
                product: product(i),
            });
        }
        h.invoices.push(InvoiceRef {
            id: id(format!("i{i:05}")),
            number: format!("2024-{i:05}").into(),
            product: product(i),
        });
        if i % 4 == 0 && i + 1 < n {
            h.links.push(ProductLink {
                from: product(i),
                to: product(i + 1),
            });
        }
    }
    h
}

fn planning(c: &mut Criterion) {
    let source: OrganizationId = id("source".into());
    for n in SIZES {
        let holdings = holdings(&source, n);
        let selection: Vec<ProductId> = holdings.products.iter().map(|p| p.id.clone()).collect();
        let sender = SenderSnapshot {
            actor: id("alice".into()),
            actor_role: Some(Role::Administrator),
            source: source.clone(),
            holdings: holdings.clone(),
        };
        let limits = Limits::default();
        c.benchmark_group("plan_transfer")
            .bench_function(BenchmarkId::from_parameter(n), |b| {
                b.iter(|| {
                    plan_transfer(black_box(&sender), black_box(&selection), &limits, NOW).unwrap()
                })
            });

        let receipt = ReceiptSnapshot {
            actor: id("bob".into()),
            actor_role_in_destination: Some(Role::LegalRepresentative),
            destination: id("destination".into()),
            destination_members: holdings.users[..USERS / 2]
                .iter()
                .map(|u| u.id.clone())
                .collect(),
            transfer: TransferRecord {
                id: id::<TransferId>("t1".into()),
                source: source.clone(),
                status: TransferStatus::InProgress,
                products: selection,
                started_at: NOW,
                expires_at: Timestamp::from_millis(NOW.as_millis() + 1),
            },
            holdings,
        };
        c.benchmark_group("plan_receipt")
            .bench_function(BenchmarkId::from_parameter(n), |b| {
                b.iter(|| plan_receipt(black_box(&receipt), NOW).unwrap())
            });
    }
}

criterion_group!(benches, planning);
criterion_main!(benches);

//! Property tests: random Organizations, users, teams, grants and links; a transfer is
//! planned, started, possibly disturbed, then received and applied to an in-memory model.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use proptest::{collection::vec, option, sample::select};
use transfer_rules::*;

const ORGS: [&str; 3] = ["org-a", "org-b", "org-c"];
const MAX_PRODUCTS: usize = 16;
const USERS: usize = 6;
const TEAMS: usize = 3;
const PERIOD_MS: i64 = 1_000;
const START: Timestamp = Timestamp::from_millis(5_000);

fn org(i: usize) -> OrganizationId {
    OrganizationId::parse(ORGS[i % ORGS.len()]).unwrap()
}

fn user(i: usize) -> UserId {
    UserId::parse(&format!("u{i}")).unwrap()
}

fn team(i: usize) -> TeamId {
    TeamId::parse(&format!("team{i}")).unwrap()
}

fn product(i: usize) -> ProductId {
    ProductId::parse(&format!("p{i:02}")).unwrap()
}

/// The database, as far as transfers are concerned. Keys mirror its unique constraints.
#[derive(Clone, Debug, PartialEq)]
struct Model {
    products: BTreeMap<ProductId, Product>,
    members: BTreeMap<(OrganizationId, UserId), Role>,
    grants: BTreeMap<(UserId, ProductId), AccessGrant>,
    team_rights: BTreeMap<(TeamId, ProductId), TeamRight>,
    invoices: Vec<InvoiceRef>,
    links: Vec<ProductLink>,
    /// Products in other transfers in progress.
    locked: BTreeSet<ProductId>,
}

fn kept<'a, T: Clone + 'a>(
    items: impl IntoIterator<Item = &'a T>,
    keep: impl Fn(&T) -> bool,
) -> Vec<T> {
    items
        .into_iter()
        .filter(|item| keep(item))
        .cloned()
        .collect()
}

impl Model {
    /// What the server does with a receipt plan, in one transaction.
    fn apply(&mut self, plan: &ReceiptPlan) {
        for id in &plan.moved {
            self.products.get_mut(id).unwrap().owner = plan.destination.clone();
        }
        for key in &plan.grants_removed {
            self.grants.remove(key).unwrap();
        }
        for key in &plan.management_revoked {
            self.grants.get_mut(key).unwrap().management = false;
        }
        for user in &plan.members_added {
            let key = (plan.destination.clone(), user.clone());
            assert!(self.members.insert(key, Role::User).is_none());
        }
        for key in &plan.team_rights_removed {
            self.team_rights.remove(key).unwrap();
        }
    }

    fn holdings(&self, keep: impl Fn(&Product) -> bool) -> Holdings {
        let products = kept(self.products.values(), keep);
        let ids: BTreeSet<&ProductId> = products.iter().map(|p| &p.id).collect();
        Holdings {
            users: (0..USERS)
                .map(|i| UserRef {
                    id: user(i),
                    name: format!("User {i}").into(),
                })
                .collect(),
            teams: (0..TEAMS)
                .map(|i| TeamRef {
                    id: team(i),
                    name: format!("Team {i}").into(),
                })
                .collect(),
            grants: kept(self.grants.values(), |g| ids.contains(&g.product)),
            team_rights: kept(self.team_rights.values(), |r| ids.contains(&r.product)),
            invoices: kept(&self.invoices, |i| ids.contains(&i.product)),
            links: kept(&self.links, |l| {
                ids.contains(&l.from) || ids.contains(&l.to)
            }),
            locked: kept(&self.locked, |p| ids.contains(p)),
            products,
        }
    }

    fn members_of(&self, organization: &OrganizationId) -> Vec<UserId> {
        let members = self.members.keys().filter(|(o, _)| o == organization);
        members.map(|(_, u)| u.clone()).collect()
    }
}

/// kDrives get their own share: they carry the most particular rule.
fn kind() -> impl Strategy<Value = ProductKind> {
    prop_oneof![1 => Just(ProductKind::KDrive), 3 => select(ProductKind::ALL.to_vec())]
}

prop_compose! {
    fn model()(
        products in vec((kind(), 0..ORGS.len()), 1..=MAX_PRODUCTS),
        roles in vec(vec(option::of(select(Role::ALL.to_vec())), ORGS.len()), USERS),
        grants in vec((0..USERS, 0..MAX_PRODUCTS, select(AccessLevel::ALL.to_vec()), any::<bool>()), 0..24),
        team_rights in vec((0..TEAMS, 0..MAX_PRODUCTS), 0..8),
        invoices in vec(0..MAX_PRODUCTS, 0..8),
        links in vec((0..MAX_PRODUCTS, 0..MAX_PRODUCTS), 0..6),
        locked in vec(0..MAX_PRODUCTS, 0..3),
    ) -> Model {
        let n = products.len();
        Model {
            products: (products.iter().enumerate())
                .map(|(i, (kind, owner))| {
                    let id = product(i);
                    (id.clone(), Product { id, name: format!("Product {i}").into(), kind: *kind, owner: org(*owner) })
                })
                .collect(),
            members: (roles.iter().enumerate())
                .flat_map(|(u, roles)| roles.iter().enumerate().filter_map(move |(o, role)| Some(((org(o), user(u)), (*role)?))))
                .collect(),
            grants: (grants.into_iter())
                .map(|(u, p, level, management)| {
                    let grant = AccessGrant { user: user(u), product: product(p % n), level, management };
                    ((grant.user.clone(), grant.product.clone()), grant)
                })
                .collect(),
            team_rights: (team_rights.into_iter())
                .map(|(t, p)| ((team(t), product(p % n)), TeamRight { team: team(t), product: product(p % n) }))
                .collect(),
            invoices: (invoices.into_iter().enumerate())
                .map(|(i, p)| InvoiceRef {
                    id: InvoiceId::parse(&format!("inv{i}")).unwrap(),
                    number: format!("2024-{i:03}").into(),
                    product: product(p % n),
                })
                .collect(),
            links: links.into_iter().map(|(a, b)| ProductLink { from: product(a % n), to: product(b % n) }).collect(),
            locked: locked.into_iter().map(|p| product(p % n)).collect(),
        }
    }
}

#[derive(Clone, Debug)]
struct Case {
    model: Model,
    source: OrganizationId,
    destination: OrganizationId,
    sender_role: Option<Role>,
    receiver_role: Option<Role>,
    /// Which of the source's transferable products the sender checks.
    checked: Vec<bool>,
    /// An arbitrary selection, possibly invalid.
    picks: Vec<usize>,
    /// A frozen product given to another Organization between start and receipt.
    moved_meanwhile: Option<(usize, OrganizationId)>,
    elapsed_ms: i64,
    seed: u64,
}

fn role() -> impl Strategy<Value = Option<Role>> {
    prop_oneof![
        3 => Just(Some(Role::Administrator)),
        1 => Just(Some(Role::LegalRepresentative)),
        1 => Just(Some(Role::User)),
        1 => Just(None),
    ]
}

prop_compose! {
    fn case()(
        model in model(),
        source in 0..ORGS.len(),
        other in 1..ORGS.len(),
        same_organization in prop::bool::weighted(0.1),
        sender_role in role(),
        receiver_role in role(),
        checked in vec(any::<bool>(), MAX_PRODUCTS),
        picks in vec(0..MAX_PRODUCTS + 2, 0..6),
        moved_meanwhile in option::weighted(0.2, (0..MAX_PRODUCTS, 1..ORGS.len())),
        elapsed_ms in 0..PERIOD_MS * 6 / 5,
        seed in any::<u64>(),
    ) -> Case {
        let destination = if same_organization { source } else { source + other };
        Case {
            model, source: org(source), destination: org(destination), sender_role, receiver_role,
            checked, picks, elapsed_ms, seed,
            moved_meanwhile: moved_meanwhile.map(|(p, other)| (p, org(source + other))),
        }
    }
}

/// A deterministic Fisher-Yates (xorshift), so a failing case replays exactly.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut items = items.to_vec();
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
    items
}

fn shuffled_holdings(h: &Holdings, seed: u64) -> Holdings {
    Holdings {
        products: shuffled(&h.products, seed),
        users: shuffled(&h.users, seed ^ 1),
        teams: shuffled(&h.teams, seed ^ 2),
        grants: shuffled(&h.grants, seed ^ 3),
        team_rights: shuffled(&h.team_rights, seed ^ 4),
        invoices: shuffled(&h.invoices, seed ^ 5),
        links: shuffled(&h.links, seed ^ 6),
        locked: shuffled(&h.locked, seed ^ 7),
    }
}

fn limits() -> Limits {
    Limits {
        max_products: 4,
        expiry: ExpiryPolicy::new(PERIOD_MS).unwrap(),
    }
}

fn sender(case: &Case) -> SenderSnapshot {
    SenderSnapshot {
        actor: user(0),
        actor_role: case.sender_role,
        source: case.source.clone(),
        holdings: case.model.holdings(|p| p.owner == case.source),
    }
}

fn strictly_sorted<T: Ord>(items: &[T]) -> bool {
    items.windows(2).all(|pair| pair[0] < pair[1])
}

fn round_trips<T>(value: &T) -> bool
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq,
{
    serde_json::from_str::<T>(&serde_json::to_string(value).unwrap()).unwrap() == *value
}

fn check_applied(before: &Model, plan: &ReceiptPlan) -> Result<(), TestCaseError> {
    let mut after = before.clone();
    after.apply(plan);
    let moved: BTreeSet<&ProductId> = plan.moved.iter().collect();
    let member = |u: &UserId| {
        after
            .members
            .get(&(plan.destination.clone(), u.clone()))
            .copied()
    };

    // Every product keeps exactly one owner: the destination once moved.
    prop_assert!(after.products.keys().eq(before.products.keys()));
    for (id, product) in &after.products {
        let moved_here = moved.contains(id).then_some(&plan.destination);
        prop_assert_eq!(
            &product.owner,
            moved_here.unwrap_or(&before.products[id].owner)
        );
    }
    for (key, grant) in &before.grants {
        let kept = after.grants.get(key);
        if !moved.contains(&grant.product) {
            prop_assert_eq!(kept, Some(grant));
        } else if before.products[&grant.product].kind == ProductKind::KDrive {
            prop_assert_eq!(
                kept,
                Some(&AccessGrant {
                    management: false,
                    ..grant.clone()
                })
            );
            prop_assert!(member(&grant.user).is_some());
        } else {
            prop_assert_eq!(kept, None);
        }
    }
    prop_assert!(after
        .grants
        .keys()
        .all(|key| before.grants.contains_key(key)));
    let unmoved =
        |rights: &BTreeMap<_, TeamRight>| kept(rights.values(), |r| !moved.contains(&r.product));
    prop_assert_eq!(unmoved(&after.team_rights).len(), after.team_rights.len());
    prop_assert_eq!(unmoved(&after.team_rights), unmoved(&before.team_rights));
    prop_assert_eq!(&after.invoices, &before.invoices);
    for (key, role) in &before.members {
        prop_assert_eq!(after.members.get(key), Some(role));
    }
    for added in &plan.members_added {
        prop_assert_eq!(member(added), Some(Role::User));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_valid_selection_is_planned_then_received_by_the_rules(case in case()) {
        let sender = sender(&case);
        let selection: Vec<ProductId> = (sender.holdings.products.iter().zip(&case.checked))
            .filter(|(p, checked)| **checked && !case.model.locked.contains(&p.id))
            .filter(|(p, _)| !matches!(p.kind, ProductKind::MyKSuite | ProductKind::JelasticCloud))
            .map(|(p, _)| p.id.clone())
            .take(limits().max_products)
            .collect();
        prop_assume!(!selection.is_empty());
        let selection = shuffled(&selection, case.seed);

        let planned = plan_transfer(&sender, &selection, &limits(), START);
        if !may_send(case.sender_role) {
            prop_assert_eq!(planned, Err(TransferRefusal::NotAllowed));
            return Ok(());
        }
        let plan = planned.expect("a valid selection always plans");
        let mut frozen = selection.clone();
        frozen.sort();
        prop_assert_eq!(&plan.products, &frozen);
        let reordered = SenderSnapshot { holdings: shuffled_holdings(&sender.holdings, case.seed), ..sender.clone() };
        prop_assert_eq!(
            plan_transfer(&reordered, &shuffled(&selection, !case.seed), &limits(), START),
            Ok(plan.clone())
        );
        prop_assert!(round_trips(&plan));

        let mut model = case.model.clone();
        if let Some((p, elsewhere)) = &case.moved_meanwhile {
            model.products.get_mut(&frozen[p % frozen.len()]).unwrap().owner = elsewhere.clone();
        }
        let frozen_set: BTreeSet<&ProductId> = frozen.iter().collect();
        let snapshot = ReceiptSnapshot {
            actor: user(1),
            actor_role_in_destination: case.receiver_role,
            destination: case.destination.clone(),
            destination_members: model.members_of(&case.destination),
            transfer: TransferRecord {
                id: TransferId::parse("t1").unwrap(),
                source: case.source.clone(),
                status: TransferStatus::InProgress,
                products: plan.products.clone(),
                started_at: START,
                expires_at: plan.expires_at,
            },
            holdings: model.holdings(|p| p.owner == case.source || frozen_set.contains(&p.id)),
        };
        let now = Timestamp::from_millis(START.as_millis() + case.elapsed_ms);
        let received = plan_receipt(&snapshot, now);
        let reordered = ReceiptSnapshot {
            destination_members: shuffled(&snapshot.destination_members, case.seed),
            holdings: shuffled_holdings(&snapshot.holdings, !case.seed),
            ..snapshot.clone()
        };
        prop_assert_eq!(&plan_receipt(&reordered, now), &received);

        let expected_refusal = if case.elapsed_ms >= PERIOD_MS {
            Some(ReceiptRefusal::Closed(TransferStateRefusal::Expired))
        } else if case.destination == case.source {
            Some(ReceiptRefusal::SameOrganization)
        } else if !may_receive(case.receiver_role) {
            Some(ReceiptRefusal::NotAllowed)
        } else {
            (frozen.iter())
                .find(|id| model.products[*id].owner != case.source)
                .map(|id| ReceiptRefusal::ProductMoved { product: id.clone() })
        };
        match received {
            // Nothing is applied: the model stays as it is.
            Err(refusal) => {
                prop_assert!(round_trips(&refusal));
                prop_assert_eq!(Some(refusal), expected_refusal);
            }
            Ok(receipt) => {
                prop_assert_eq!(expected_refusal, None);
                prop_assert_eq!(&receipt.moved, &frozen);
                prop_assert!(strictly_sorted(&receipt.grants_removed));
                prop_assert!(strictly_sorted(&receipt.management_revoked));
                prop_assert!(strictly_sorted(&receipt.members_added));
                prop_assert!(strictly_sorted(&receipt.team_rights_removed));
                prop_assert!(round_trips(&receipt));
                check_applied(&model, &receipt)?;
            }
        }
    }

    #[test]
    fn any_selection_is_planned_or_refused_regardless_of_input_order(case in case()) {
        let sender = sender(&case);
        let selection: Vec<ProductId> = case.picks.iter().map(|i| product(*i)).collect();
        let planned = plan_transfer(&sender, &selection, &limits(), START);
        let reordered = SenderSnapshot { holdings: shuffled_holdings(&sender.holdings, case.seed), ..sender.clone() };
        prop_assert_eq!(&plan_transfer(&reordered, &selection, &limits(), START), &planned);
        match planned {
            Err(refusal) => prop_assert!(round_trips(&refusal)),
            Ok(plan) => {
                let shuffled_selection = shuffled(&selection, case.seed);
                prop_assert_eq!(plan_transfer(&reordered, &shuffled_selection, &limits(), START), Ok(plan.clone()));
                for id in &plan.products {
                    let product = &case.model.products[id];
                    prop_assert_eq!(transferability(product, &case.source, &case.model.locked), Ok(()));
                }
            }
        }
    }
}

proptest! {
    /// Grouped warnings say exactly what the per-product warnings say: regrouping them
    /// back by product gives each product's own list, and nothing is counted twice.
    #[test]
    fn grouped_warnings_are_the_per_product_warnings_regrouped(case in case()) {
        let sender = sender(&case);
        let selection: Vec<ProductId> = (sender.holdings.products.iter().zip(&case.checked))
            .filter(|(_, checked)| **checked)
            .map(|(p, _)| p.id.clone())
            .collect();
        let warnings = warnings_for(&sender.holdings, &selection);
        let groups = group_warnings(&warnings);
        let mut regrouped: Vec<BTreeSet<WarningSubject>> = vec![BTreeSet::new(); warnings.products.len()];
        for group in &groups {
            prop_assert!(strictly_sorted(&group.products));
            for &p in &group.products {
                prop_assert!(regrouped[p as usize].insert(group.subject), "a product twice in one group");
            }
        }
        for (product, subjects) in warnings.products.iter().zip(&regrouped) {
            let mut expected: BTreeSet<WarningSubject> = BTreeSet::new();
            expected.extend(product.users_losing_access.iter().map(|&u| WarningSubject::UserLosesAccess(u)));
            expected.extend(product.kdrive_users_integrated.iter().map(|&u| WarningSubject::KDriveUserIntegrated(u)));
            expected.extend(product.teams_losing_rights.iter().map(|&t| WarningSubject::TeamLosesRights(t)));
            if !product.invoices_staying.is_empty() {
                expected.insert(WarningSubject::InvoicesStaying);
            }
            if !product.linked_left_behind.is_empty() {
                expected.insert(WarningSubject::LinkedLeftBehind);
            }
            prop_assert_eq!(subjects, &expected);
        }
        let quiet = regrouped.iter().filter(|s| s.is_empty()).count();
        prop_assert_eq!(quiet_products(&warnings), quiet);
        // Every line of the CSV is one (product, change) pair, or one quiet product.
        let lines = warnings_csv(&warnings).lines().count() - 1;
        let changes: usize = warnings.products.iter().map(|p| {
            p.users_losing_access.len() + p.kdrive_users_integrated.len() + p.teams_losing_rights.len()
                + p.invoices_staying.len() + p.linked_left_behind.len()
        }).sum();
        prop_assert_eq!(lines, changes + quiet);
    }
}

//! Receiving a transfer: everything is re-checked against the current state, then the
//! whole move is planned at once so the server can apply it in one transaction.

use serde::{Deserialize, Serialize};

use crate::authority::{check_open, may_receive, TransferStateRefusal};
use crate::ids::{OrganizationId, ProductId, TeamId, TransferId, UserId};
use crate::index::{IdSet, Numbering, ProductIndex};
use crate::product::ProductKind;
use crate::snapshot::ReceiptSnapshot;
use crate::time::Timestamp;
use crate::transferability::{transferability, NotTransferable};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptRefusal {
    #[error("the transfer is closed: {0}")]
    Closed(TransferStateRefusal),
    #[error("the destination is the source Organization")]
    SameOrganization,
    #[error("only an administrator or legal representative of the destination may receive")]
    NotAllowed,
    #[error("product {product} no longer belongs to the source Organization")]
    ProductMoved { product: ProductId },
    #[error("product {product} cannot be transferred: {reason}")]
    NotTransferable {
        product: ProductId,
        reason: NotTransferable,
    },
}

/// Every change a receipt makes; all lists sorted and without duplicates. Invoices never
/// appear: they stay with the source. What people are warned about is [`warnings_for`]'s,
/// kept apart so applying a receipt does not pay for a report nobody reads.
///
/// [`warnings_for`]: crate::warnings_for
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptPlan {
    pub transfer: TransferId,
    pub source: OrganizationId,
    pub destination: OrganizationId,
    /// Products whose owner becomes the destination.
    pub moved: Vec<ProductId>,
    /// Grants deleted: every grant on a moved product other than a kDrive.
    pub grants_removed: Vec<(UserId, ProductId)>,
    /// kDrive grants kept with `management` set to false; lists only those that had it.
    pub management_revoked: Vec<(UserId, ProductId)>,
    /// kDrive users not yet members of the destination, to be added with [`Role::User`].
    ///
    /// [`Role::User`]: crate::Role::User
    pub members_added: Vec<UserId>,
    pub team_rights_removed: Vec<(TeamId, ProductId)>,
}

/// Checks in a fixed order (open, destination, actor, ownership, transferability), each
/// reporting the first failing product of the frozen list.
pub fn plan_receipt(
    snapshot: &ReceiptSnapshot,
    now: Timestamp,
) -> Result<ReceiptPlan, ReceiptRefusal> {
    let transfer = &snapshot.transfer;
    check_open(transfer, now).map_err(ReceiptRefusal::Closed)?;
    if snapshot.destination == transfer.source {
        return Err(ReceiptRefusal::SameOrganization);
    }
    if !may_receive(snapshot.actor_role_in_destination) {
        return Err(ReceiptRefusal::NotAllowed);
    }

    let holdings = &snapshot.holdings;
    let current = ProductIndex::new(&holdings.products);
    let mut frozen = Vec::with_capacity(transfer.products.len());
    for id in &transfer.products {
        match current.position(id) {
            Some(p) if current.product(p).owner == transfer.source => frozen.push(p),
            _ => {
                return Err(ReceiptRefusal::ProductMoved {
                    product: id.clone(),
                })
            }
        }
    }
    let locked = holdings.locked.iter().cloned().collect();
    for &p in &frozen {
        let product = current.product(p);
        transferability(product, &transfer.source, &locked).map_err(|reason| {
            ReceiptRefusal::NotTransferable {
                product: product.id.clone(),
                reason,
            }
        })?;
    }

    let frozen = current.sorted_at(frozen);
    let mut users = Numbering::default();
    let mut removed = Vec::new();
    let mut revoked = Vec::new();
    let mut kdrive_users = Vec::new();
    for grant in &holdings.grants {
        let Some(p) = frozen.slot(&grant.product) else {
            continue;
        };
        let user = users.number(&grant.user);
        if frozen.products[p].kind != ProductKind::KDrive {
            removed.push((user, p));
        } else {
            kdrive_users.push(user);
            if grant.management {
                revoked.push((user, p));
            }
        }
    }
    let users = users.into_sorted();
    users.renumber(&mut kdrive_users);

    let mut teams = Numbering::default();
    let rights: Vec<_> = holdings
        .team_rights
        .iter()
        .filter_map(|right| {
            let p = frozen.slot(&right.product)?;
            Some((teams.number(&right.team), p))
        })
        .collect();
    let teams = teams.into_sorted();
    let members: IdSet<_> = snapshot.destination_members.iter().collect();

    Ok(ReceiptPlan {
        transfer: transfer.id.clone(),
        source: transfer.source.clone(),
        destination: snapshot.destination.clone(),
        moved: frozen.ids(),
        grants_removed: frozen.sorted_pairs(&users, removed),
        management_revoked: frozen.sorted_pairs(&users, revoked),
        members_added: kdrive_users
            .into_iter()
            .map(|user| users.id(user))
            .filter(|user| !members.contains(user))
            .cloned()
            .collect(),
        team_rights_removed: frozen.sorted_pairs(&teams, rights),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{org, pid, product, receipt, uid, DESTINATION, EXPIRES, SOURCE, STARTED};
    use crate::role::Role;
    use crate::transfer::TransferStatus;

    fn refusal(snapshot: &ReceiptSnapshot) -> ReceiptRefusal {
        plan_receipt(snapshot, STARTED).unwrap_err()
    }

    fn pairs<A: std::fmt::Display, B: std::fmt::Display>(items: &[(A, B)]) -> Vec<String> {
        items.iter().map(|(a, b)| format!("{a}:{b}")).collect()
    }

    #[test]
    fn who_may_receive_only_destination_admins() {
        for role in [None, Some(Role::User)] {
            let mut snapshot = receipt(&["drive"]);
            snapshot.actor_role_in_destination = role;
            assert_eq!(refusal(&snapshot), ReceiptRefusal::NotAllowed);
        }
        let mut snapshot = receipt(&["drive"]);
        snapshot.actor_role_in_destination = Some(Role::LegalRepresentative);
        assert!(plan_receipt(&snapshot, STARTED).is_ok());
    }

    #[test]
    fn destination_must_differ_from_source() {
        let mut snapshot = receipt(&["drive"]);
        snapshot.destination = org(SOURCE);
        assert_eq!(refusal(&snapshot), ReceiptRefusal::SameOrganization);
    }

    #[test]
    fn single_use_a_closed_transfer_cannot_be_received() {
        let mut snapshot = receipt(&["drive"]);
        assert_eq!(
            plan_receipt(&snapshot, EXPIRES),
            Err(ReceiptRefusal::Closed(TransferStateRefusal::Expired))
        );
        snapshot.transfer.status = TransferStatus::Completed;
        assert_eq!(
            refusal(&snapshot),
            ReceiptRefusal::Closed(TransferStateRefusal::AlreadyCompleted)
        );
    }

    #[test]
    fn recheck_on_receipt_products_must_still_belong_to_the_source() {
        let mut snapshot = receipt(&["domain", "drive", "mail"]);
        snapshot.holdings.products.retain(|p| p.id != pid("mail"));
        snapshot.holdings.products[0].owner = org("elsewhere");
        assert_eq!(
            refusal(&snapshot),
            ReceiptRefusal::ProductMoved {
                product: pid("drive")
            }
        );
        snapshot.holdings.products[0].owner = org(SOURCE);
        assert_eq!(
            refusal(&snapshot),
            ReceiptRefusal::ProductMoved {
                product: pid("mail")
            }
        );
    }

    #[test]
    fn recheck_on_receipt_products_must_still_be_transferable() {
        let mut snapshot = receipt(&["drive", "myks"]);
        assert_eq!(
            refusal(&snapshot),
            ReceiptRefusal::NotTransferable {
                product: pid("myks"),
                reason: NotTransferable::NeverTransferable
            }
        );
        snapshot.transfer.products = vec![pid("drive"), pid("env")];
        assert_eq!(
            refusal(&snapshot),
            ReceiptRefusal::NotTransferable {
                product: pid("env"),
                reason: NotTransferable::OwnProcedure
            }
        );
    }

    #[test]
    fn one_pending_transfer_per_product_only_other_transfers_lock() {
        let mut snapshot = receipt(&["drive", "vps"]);
        assert!(plan_receipt(&snapshot, STARTED).is_ok());
        snapshot.holdings.locked.push(pid("vps"));
        assert_eq!(
            refusal(&snapshot),
            ReceiptRefusal::NotTransferable {
                product: pid("vps"),
                reason: NotTransferable::AlreadyInTransfer
            }
        );
    }

    #[test]
    fn the_plan_moves_products_and_applies_the_access_rules() {
        let mut snapshot = receipt(&["vps", "hosting", "drive", "domain"]);
        snapshot
            .holdings
            .products
            .push(product("other", ProductKind::Vps, DESTINATION));
        let plan = plan_receipt(&snapshot, STARTED).unwrap();
        assert_eq!(
            (plan.source, plan.destination),
            (org(SOURCE), org(DESTINATION))
        );
        assert_eq!(
            plan.moved,
            [pid("domain"), pid("drive"), pid("hosting"), pid("vps")]
        );
        // Users lose access, except on the kDrive where they only lose management.
        assert_eq!(pairs(&plan.grants_removed), ["carol:hosting"]);
        assert_eq!(pairs(&plan.management_revoked), ["carol:drive"]);
        // kDrive users join the destination; dave already belongs to it.
        assert_eq!(plan.members_added, [uid("carol")]);
        assert_eq!(pairs(&plan.team_rights_removed), ["designers:hosting"]);
        // Invoices stay: the plan has nothing to say about them but the warnings do.
        let staying: usize = crate::warnings::warnings_for(&snapshot.holdings, &plan.moved)
            .products
            .iter()
            .map(|w| w.invoices_staying.len())
            .sum();
        assert_eq!(staying, 2);
    }
}

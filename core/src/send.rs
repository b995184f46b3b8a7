//! Starting a transfer: the sender's selection is checked, frozen and warned about.

use serde::{Deserialize, Serialize};

use crate::authority::may_send;
use crate::ids::{OrganizationId, ProductId};
use crate::index::ProductIndex;
use crate::snapshot::SenderSnapshot;
use crate::time::{ExpiryPolicy, Timestamp};
use crate::transferability::{transferability, NotTransferable};
use crate::warnings::{warnings_for_sorted, Warnings};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bounds the work and the size of one transaction.
    pub max_products: usize,
    pub expiry: ExpiryPolicy,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_products: 10_000,
            expiry: ExpiryPolicy::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum TransferRefusal {
    #[error("only an administrator or legal representative of the source may transfer")]
    NotAllowed,
    #[error("no product selected")]
    EmptySelection,
    #[error("at most {max} products per transfer")]
    TooManyProducts { max: usize },
    #[error("product {product} selected twice")]
    DuplicateProduct { product: ProductId },
    /// Also the answer for another Organization's product, so ids cannot be probed.
    #[error("unknown product {product}")]
    UnknownProduct { product: ProductId },
    #[error("product {product} cannot be transferred: {reason}")]
    NotTransferable {
        product: ProductId,
        reason: NotTransferable,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferPlan {
    pub source: OrganizationId,
    /// The frozen list, sorted.
    pub products: Vec<ProductId>,
    pub expires_at: Timestamp,
    pub warnings: Warnings,
}

/// Checks in a fixed order (actor, empty, size, duplicates, unknown, transferability),
/// each reporting the first failing product in selection order, so the same request
/// always gets the same answer.
pub fn plan_transfer(
    snapshot: &SenderSnapshot,
    selection: &[ProductId],
    limits: &Limits,
    now: Timestamp,
) -> Result<TransferPlan, TransferRefusal> {
    if !may_send(snapshot.actor_role) {
        return Err(TransferRefusal::NotAllowed);
    }
    if selection.is_empty() {
        return Err(TransferRefusal::EmptySelection);
    }
    if selection.len() > limits.max_products {
        return Err(TransferRefusal::TooManyProducts {
            max: limits.max_products,
        });
    }
    // Sorting positions by id finds duplicates without hashing ids chosen by the caller, and
    // gives the frozen list its order. The first repeat in selection order is the smallest
    // position following an equal id.
    let mut order: Vec<(&ProductId, usize)> = selection.iter().zip(0..).collect();
    order.sort_unstable();
    let first_repeat = (order.windows(2))
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| pair[1].1)
        .min();
    if let Some(position) = first_repeat {
        return Err(TransferRefusal::DuplicateProduct {
            product: selection[position].clone(),
        });
    }

    let holdings = &snapshot.holdings;
    let index = ProductIndex::new(&holdings.products);
    let mut selected = Vec::with_capacity(selection.len());
    for id in selection {
        match index.position(id) {
            Some(p) if index.product(p).owner == snapshot.source => selected.push(p),
            _ => {
                return Err(TransferRefusal::UnknownProduct {
                    product: id.clone(),
                })
            }
        }
    }
    let locked = holdings.locked.iter().cloned().collect();
    for &p in &selected {
        let product = index.product(p);
        transferability(product, &snapshot.source, &locked).map_err(|reason| {
            TransferRefusal::NotTransferable {
                product: product.id.clone(),
                reason,
            }
        })?;
    }

    let sorted = index.sorted_at(selected);
    Ok(TransferPlan {
        source: snapshot.source.clone(),
        products: sorted.ids(),
        expires_at: limits.expiry.expires_at(now),
        warnings: warnings_for_sorted(holdings, &sorted),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{holdings, org, pid, product, SOURCE, STARTED};
    use crate::ids::UserId;
    use crate::product::ProductKind;
    use crate::role::Role;
    use crate::snapshot::SenderSnapshot;

    fn sender(role: Option<Role>) -> SenderSnapshot {
        let mut holdings = holdings();
        holdings
            .products
            .push(product("bobs-vps", ProductKind::Vps, "bob-consulting"));
        holdings.locked.push(pid("vps"));
        SenderSnapshot {
            actor: UserId::parse("alice").unwrap(),
            actor_role: role,
            source: org(SOURCE),
            holdings,
        }
    }

    fn plan(ids: &[&str]) -> Result<TransferPlan, TransferRefusal> {
        plan_with(Some(Role::LegalRepresentative), ids, &Limits::default())
    }

    fn plan_with(
        role: Option<Role>,
        ids: &[&str],
        limits: &Limits,
    ) -> Result<TransferPlan, TransferRefusal> {
        let ids: Vec<_> = ids.iter().map(|id| pid(id)).collect();
        plan_transfer(&sender(role), &ids, limits, STARTED)
    }

    #[test]
    fn who_may_send_only_source_admins() {
        for role in [None, Some(Role::User)] {
            assert_eq!(
                plan_with(role, &["drive"], &Limits::default()),
                Err(TransferRefusal::NotAllowed)
            );
        }
        assert!(plan_with(Some(Role::Administrator), &["drive"], &Limits::default()).is_ok());
    }

    #[test]
    fn empty_too_many_and_duplicate_selections_are_refused() {
        assert_eq!(plan(&[]), Err(TransferRefusal::EmptySelection));
        let two = Limits {
            max_products: 2,
            ..Limits::default()
        };
        assert_eq!(
            plan_with(
                Some(Role::Administrator),
                &["drive", "mail", "domain"],
                &two
            ),
            Err(TransferRefusal::TooManyProducts { max: 2 })
        );
        assert!(plan_with(Some(Role::Administrator), &["drive", "mail"], &two).is_ok());
        assert_eq!(
            plan(&["mail", "drive", "myks", "drive", "mail"]),
            Err(TransferRefusal::DuplicateProduct {
                product: pid("drive")
            })
        );
    }

    #[test]
    fn another_organizations_product_is_unknown() {
        for id in ["bobs-vps", "nowhere"] {
            assert_eq!(
                plan(&["drive", id]),
                Err(TransferRefusal::UnknownProduct { product: pid(id) })
            );
        }
    }

    #[test]
    fn the_first_untransferable_product_in_selection_order_is_reported() {
        let refusal = |product: &str, reason| {
            Err(TransferRefusal::NotTransferable {
                product: pid(product),
                reason,
            })
        };
        assert_eq!(
            plan(&["drive", "env", "myks"]),
            refusal("env", NotTransferable::OwnProcedure)
        );
        assert_eq!(
            plan(&["myks", "env"]),
            refusal("myks", NotTransferable::NeverTransferable)
        );
        assert_eq!(
            plan(&["vps"]),
            refusal("vps", NotTransferable::AlreadyInTransfer)
        );
        // Unknown products are reported before untransferable ones.
        assert_eq!(
            plan(&["myks", "nowhere"]),
            Err(TransferRefusal::UnknownProduct {
                product: pid("nowhere")
            })
        );
    }

    #[test]
    fn the_plan_freezes_a_sorted_list_expiring_after_the_policy_period() {
        let plan = plan(&["mail", "drive", "domain"]).unwrap();
        assert_eq!(plan.source, org(SOURCE));
        assert_eq!(plan.products, [pid("domain"), pid("drive"), pid("mail")]);
        assert_eq!(plan.expires_at, ExpiryPolicy::default().expires_at(STARTED));
        let warned: Vec<_> = plan
            .warnings
            .products
            .iter()
            .map(|w| w.product.id.clone())
            .collect();
        assert_eq!(warned, plan.products);
    }

    #[test]
    fn refusals_cross_the_wire() {
        let refusal = plan(&["myks"]).unwrap_err();
        let json = serde_json::to_string(&refusal).unwrap();
        assert_eq!(
            json,
            r#"{"not_transferable":{"product":"myks","reason":"never_transferable"}}"#
        );
        assert_eq!(
            serde_json::from_str::<TransferRefusal>(&json).unwrap(),
            refusal
        );
    }
}

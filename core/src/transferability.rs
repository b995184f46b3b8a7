use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::{OrganizationId, ProductId};
use crate::product::{Product, ProductKind};

/// Why a product cannot be put in a transfer. The UI shows the product disabled with the
/// translation of this reason.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    thiserror::Error,
)]
#[serde(rename_all = "snake_case")]
pub enum NotTransferable {
    #[error("the product does not belong to the source Organization")]
    NotOwnedBySource,
    #[error("this kind of product can never be transferred")]
    NeverTransferable,
    #[error("this kind of product has its own transfer procedure")]
    OwnProcedure,
    #[error("the product is already in a transfer in progress")]
    AlreadyInTransfer,
}

/// `locked`: products already in a transfer in progress (one pending transfer per product).
pub fn transferability(
    product: &Product,
    source: &OrganizationId,
    locked: &BTreeSet<ProductId>,
) -> Result<(), NotTransferable> {
    if product.owner != *source {
        return Err(NotTransferable::NotOwnedBySource);
    }
    match product.kind {
        ProductKind::MyKSuite => Err(NotTransferable::NeverTransferable),
        ProductKind::JelasticCloud => Err(NotTransferable::OwnProcedure),
        _ if locked.contains(&product.id) => Err(NotTransferable::AlreadyInTransfer),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{org, pid, product};

    fn check(kind: ProductKind, locked: &[&str]) -> Result<(), NotTransferable> {
        let locked = locked.iter().map(|id| pid(id)).collect();
        transferability(&product("p1", kind, "src"), &org("src"), &locked)
    }

    #[test]
    fn almost_every_kind_is_transferable() {
        for kind in ProductKind::ALL {
            let expected = match kind {
                ProductKind::MyKSuite => Err(NotTransferable::NeverTransferable),
                ProductKind::JelasticCloud => Err(NotTransferable::OwnProcedure),
                _ => Ok(()),
            };
            assert_eq!(check(kind, &[]), expected, "{kind}");
        }
    }

    #[test]
    fn my_ksuite_is_never_transferable() {
        assert_eq!(
            check(ProductKind::MyKSuite, &[]),
            Err(NotTransferable::NeverTransferable)
        );
    }

    #[test]
    fn jelastic_cloud_has_its_own_procedure() {
        assert_eq!(
            check(ProductKind::JelasticCloud, &[]),
            Err(NotTransferable::OwnProcedure)
        );
    }

    #[test]
    fn one_pending_transfer_per_product() {
        assert_eq!(
            check(ProductKind::KDrive, &["p1"]),
            Err(NotTransferable::AlreadyInTransfer)
        );
        assert_eq!(check(ProductKind::KDrive, &["p2"]), Ok(()));
    }

    #[test]
    fn only_the_owner_can_transfer() {
        let other = product("p1", ProductKind::Vps, "other");
        assert_eq!(
            transferability(&other, &org("src"), &BTreeSet::new()),
            Err(NotTransferable::NotOwnedBySource)
        );
    }
}

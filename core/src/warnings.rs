//! What the sender (before starting) and the receiver (before accepting) are told will be
//! lost or changed, product by product (DESIGN.md §1, step 6).

use serde::{Deserialize, Serialize};

use crate::ids::ProductId;
use crate::index::{products_by_id, IdMap, SortedProducts};
use crate::product::{Product, ProductKind, ProductRef};
use crate::snapshot::{Holdings, InvoiceRef, TeamRef, UserRef};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warnings {
    /// One entry per transferred product, sorted by product id.
    pub products: Vec<ProductWarnings>,
}

/// Each list is sorted by id, without duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductWarnings {
    pub product: ProductRef,
    pub users_losing_access: Vec<UserRef>,
    /// They keep their access and kDrive permissions, lose any management right, and
    /// become members of the destination Organization.
    pub kdrive_users_integrated: Vec<UserRef>,
    pub teams_losing_rights: Vec<TeamRef>,
    pub invoices_staying: Vec<InvoiceRef>,
    /// Products linked to this one that stay with the source: both keep working, but
    /// belong to two Organizations.
    pub linked_left_behind: Vec<ProductRef>,
}

impl ProductWarnings {
    fn new(product: &Product) -> Self {
        Self {
            product: product.into(),
            users_losing_access: Vec::new(),
            kdrive_users_integrated: Vec::new(),
            teams_losing_rights: Vec::new(),
            invoices_staying: Vec::new(),
            linked_left_behind: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.users_losing_access.is_empty()
            && self.kdrive_users_integrated.is_empty()
            && self.teams_losing_rights.is_empty()
            && self.invoices_staying.is_empty()
            && self.linked_left_behind.is_empty()
    }

    fn sort(&mut self) {
        sort_dedup(&mut self.users_losing_access, |user| &user.id);
        sort_dedup(&mut self.kdrive_users_integrated, |user| &user.id);
        sort_dedup(&mut self.teams_losing_rights, |team| &team.id);
        sort_dedup(&mut self.invoices_staying, |invoice| &invoice.id);
        sort_dedup(&mut self.linked_left_behind, |product| &product.id);
    }
}

impl Warnings {
    /// Invoices staying behind count: the sender must know the history does not move.
    pub fn is_empty(&self) -> bool {
        self.products.iter().all(ProductWarnings::is_empty)
    }
}

fn sort_dedup<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> &K) {
    items.sort_by(|a, b| key(a).cmp(key(b)));
    items.dedup_by(|a, b| key(a) == key(b));
}

/// Warnings for moving `products` out of their owner. Ids absent from `holdings.products`
/// are skipped: there is nothing to say about a product the snapshot does not know.
pub fn warnings_for(holdings: &Holdings, products: &[ProductId]) -> Warnings {
    let known = products_by_id(&holdings.products);
    let selected = products.iter().filter_map(|id| known.get(id).copied());
    warnings_for_sorted(holdings, &known, &SortedProducts::new(selected.collect()))
}

/// The part shared with the planners, which have already indexed `holdings.products`
/// into `known` and sorted their own products.
pub(crate) fn warnings_for_sorted(
    holdings: &Holdings,
    known: &IdMap<&ProductId, &Product>,
    sorted: &SortedProducts,
) -> Warnings {
    let (selected, slot) = (&sorted.products, &sorted.position);
    let mut entries: Vec<ProductWarnings> =
        selected.iter().map(|p| ProductWarnings::new(p)).collect();

    // A loss is never hidden because a name is missing from the snapshot: the id stands in.
    let users: IdMap<_, _> = holdings.users.iter().map(|u| (&u.id, u)).collect();
    for grant in &holdings.grants {
        let Some(&i) = slot.get(&grant.product) else {
            continue;
        };
        let user = users.get(&grant.user).map_or_else(
            || UserRef {
                id: grant.user.clone(),
                name: grant.user.to_string(),
            },
            |user| (*user).clone(),
        );
        if selected[i].kind == ProductKind::KDrive {
            entries[i].kdrive_users_integrated.push(user);
        } else {
            entries[i].users_losing_access.push(user);
        }
    }

    let teams: IdMap<_, _> = holdings.teams.iter().map(|t| (&t.id, t)).collect();
    for right in &holdings.team_rights {
        if let Some(&i) = slot.get(&right.product) {
            entries[i]
                .teams_losing_rights
                .push(teams.get(&right.team).map_or_else(
                    || TeamRef {
                        id: right.team.clone(),
                        name: right.team.to_string(),
                    },
                    |team| (*team).clone(),
                ));
        }
    }

    for invoice in &holdings.invoices {
        if let Some(&i) = slot.get(&invoice.product) {
            entries[i].invoices_staying.push(invoice.clone());
        }
    }

    for link in &holdings.links {
        for (moving, other) in [(&link.from, &link.to), (&link.to, &link.from)] {
            let (Some(&i), Some(left)) = (slot.get(moving), known.get(other)) else {
                continue;
            };
            if !slot.contains_key(other) && left.owner == selected[i].owner {
                entries[i].linked_left_behind.push((*left).into());
            }
        }
    }

    for entry in &mut entries {
        entry.sort();
    }
    Warnings { products: entries }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{holdings, pid};

    fn warnings(ids: &[&str]) -> Warnings {
        let ids: Vec<ProductId> = ids.iter().map(|id| pid(id)).collect();
        warnings_for(&holdings(), &ids)
    }

    fn names<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<&str> {
        items.iter().map(name).collect()
    }

    #[test]
    fn users_with_access_lose_it() {
        let w = warnings(&["hosting"]);
        let hosting = &w.products[0];
        assert_eq!(names(&hosting.users_losing_access, |u| &u.name), ["Carol"]);
        assert!(hosting.kdrive_users_integrated.is_empty());
    }

    #[test]
    fn kdrive_users_are_integrated_instead() {
        let w = warnings(&["drive"]);
        let drive = &w.products[0];
        assert_eq!(
            names(&drive.kdrive_users_integrated, |u| &u.name),
            ["Carol", "Dave"]
        );
        assert!(drive.users_losing_access.is_empty());
    }

    #[test]
    fn team_rights_are_lost() {
        let w = warnings(&["hosting"]);
        assert_eq!(
            names(&w.products[0].teams_losing_rights, |t| &t.name),
            ["Designers"]
        );
    }

    #[test]
    fn invoices_stay_and_count_as_a_warning() {
        let w = warnings(&["vps"]);
        assert_eq!(
            names(&w.products[0].invoices_staying, |i| &i.number),
            ["2024-002"]
        );
        assert!(!w.is_empty());
    }

    #[test]
    fn linked_products_left_behind_are_warned_about_but_not_when_moving_together() {
        let alone = warnings(&["domain"]);
        assert_eq!(
            names(&alone.products[0].linked_left_behind, |p| p.id.as_str()),
            ["hosting", "mail"]
        );
        let together = warnings(&["domain", "hosting", "mail"]);
        assert!(together
            .products
            .iter()
            .all(|p| p.linked_left_behind.is_empty()));
    }

    #[test]
    fn lists_are_sorted_deduplicated_and_unknown_ids_skipped() {
        let mut h = holdings();
        h.grants.extend(h.grants.clone());
        h.grants.reverse();
        let w = warnings_for(
            &h,
            &[pid("backup"), pid("drive"), pid("drive"), pid("nope")],
        );
        assert_eq!(
            names(&w.products, |p| p.product.id.as_str()),
            ["backup", "drive"]
        );
        assert!(w.products[0].is_empty());
        assert_eq!(w.products[1].kdrive_users_integrated.len(), 2);
        assert!(warnings(&["backup"]).is_empty());
    }

    #[test]
    fn a_missing_name_does_not_hide_a_loss() {
        let mut h = holdings();
        h.users.clear();
        let w = warnings_for(&h, &[pid("hosting")]);
        assert_eq!(
            names(&w.products[0].users_losing_access, |u| &u.name),
            ["carol"]
        );
    }
}

//! What the sender (before starting) and the receiver (before accepting) are told will be
//! lost or changed, product by product (DESIGN.md §1, step 6).

use std::hash::Hash;

use serde::{Deserialize, Serialize};

use crate::ids::{ProductId, TeamId, UserId};
use crate::index::{IdMap, Numbering, ProductIndex, SortedProducts};
use crate::product::{Product, ProductKind, ProductRef};
use crate::snapshot::{Holdings, InvoiceRef, TeamRef, UserRef};

/// Users and teams are named once and referred to by position: the same few people
/// appear on thousands of products, and the report travels to the browser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warnings {
    /// Everyone named by `products`, sorted by id.
    pub users: Vec<UserRef>,
    /// Every team named by `products`, sorted by id.
    pub teams: Vec<TeamRef>,
    /// One entry per transferred product, sorted by product id.
    pub products: Vec<ProductWarnings>,
}

/// Each list is sorted by id, without duplicates. Empty lists are left out on the wire:
/// most products of a large transfer have few warnings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductWarnings {
    pub product: ProductRef,
    /// Positions in [`Warnings::users`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users_losing_access: Vec<u32>,
    /// Positions in [`Warnings::users`]. They keep their access and kDrive permissions,
    /// lose any management right, and become members of the destination Organization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kdrive_users_integrated: Vec<u32>,
    /// Positions in [`Warnings::teams`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams_losing_rights: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invoices_staying: Vec<InvoiceRef>,
    /// Products linked to this one that stay with the source: both keep working, but
    /// belong to two Organizations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
}

impl Warnings {
    /// Invoices staying behind count: the sender must know the history does not move.
    pub fn is_empty(&self) -> bool {
        self.products.iter().all(ProductWarnings::is_empty)
    }

    /// The users at `positions`, one of a [`ProductWarnings`]' user lists.
    pub fn users_at<'a>(&'a self, positions: &'a [u32]) -> impl Iterator<Item = &'a UserRef> {
        positions.iter().map(|&p| &self.users[p as usize])
    }

    /// The teams at `positions`, a [`ProductWarnings::teams_losing_rights`].
    pub fn teams_at<'a>(&'a self, positions: &'a [u32]) -> impl Iterator<Item = &'a TeamRef> {
        positions.iter().map(|&p| &self.teams[p as usize])
    }
}

fn sort_dedup<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> &K) {
    items.sort_by(|a, b| key(a).cmp(key(b)));
    items.dedup_by(|a, b| key(a) == key(b));
}

/// A user or a team, as the warnings name them.
trait Named: Clone {
    type Id: Hash + Eq;
    fn id(&self) -> &Self::Id;
    /// Stands in when the snapshot lacks the name: a loss is never hidden for want of one.
    fn unnamed(id: &Self::Id) -> Self;
}

impl Named for UserRef {
    type Id = UserId;
    fn id(&self) -> &UserId {
        &self.id
    }
    fn unnamed(id: &UserId) -> Self {
        Self {
            id: id.clone(),
            name: id.as_str().into(),
        }
    }
}

impl Named for TeamRef {
    type Id = TeamId;
    fn id(&self) -> &TeamId {
        &self.id
    }
    fn unnamed(id: &TeamId) -> Self {
        Self {
            id: id.clone(),
            name: id.as_str().into(),
        }
    }
}

/// The entries of `known` (names from the snapshot) for `ids`, in the same order.
fn named<R: Named>(ids: &[&R::Id], known: &[R]) -> Vec<R> {
    let names: IdMap<&R::Id, &R> = known.iter().map(|r| (r.id(), r)).collect();
    ids.iter()
        .map(|id| {
            names
                .get(id)
                .map_or_else(|| R::unnamed(id), |r| (*r).clone())
        })
        .collect()
}

/// Warnings for moving `products` out of their owner. Ids absent from `holdings.products`
/// are skipped: there is nothing to say about a product the snapshot does not know.
pub fn warnings_for(holdings: &Holdings, products: &[ProductId]) -> Warnings {
    warnings_for_sorted(
        holdings,
        &ProductIndex::new(&holdings.products).sorted(products),
    )
}

/// The part shared with the planners, which have already indexed `holdings.products`
/// and sorted their own products.
pub(crate) fn warnings_for_sorted(holdings: &Holdings, sorted: &SortedProducts) -> Warnings {
    let selected = &sorted.products;
    let mut entries: Vec<ProductWarnings> =
        selected.iter().map(|p| ProductWarnings::new(p)).collect();

    let mut users = Numbering::default();
    for grant in &holdings.grants {
        let Some(i) = sorted.slot(&grant.product) else {
            continue;
        };
        let user = users.number(&grant.user);
        if selected[i].kind == ProductKind::KDrive {
            entries[i].kdrive_users_integrated.push(user);
        } else {
            entries[i].users_losing_access.push(user);
        }
    }

    let mut teams = Numbering::default();
    for right in &holdings.team_rights {
        if let Some(i) = sorted.slot(&right.product) {
            entries[i]
                .teams_losing_rights
                .push(teams.number(&right.team));
        }
    }

    for invoice in &holdings.invoices {
        if let Some(i) = sorted.slot(&invoice.product) {
            entries[i].invoices_staying.push(invoice.clone());
        }
    }

    for link in &holdings.links {
        for (moving, other) in [(&link.from, &link.to), (&link.to, &link.from)] {
            let (Some(i), Some(left)) = (sorted.slot(moving), sorted.known(other)) else {
                continue;
            };
            if sorted.slot(other).is_none() && left.owner == selected[i].owner {
                entries[i].linked_left_behind.push(left.into());
            }
        }
    }

    let (users, teams) = (users.into_sorted(), teams.into_sorted());
    for entry in &mut entries {
        users.renumber(&mut entry.users_losing_access);
        users.renumber(&mut entry.kdrive_users_integrated);
        teams.renumber(&mut entry.teams_losing_rights);
        sort_dedup(&mut entry.invoices_staying, |invoice| &invoice.id);
        sort_dedup(&mut entry.linked_left_behind, |product| &product.id);
    }
    Warnings {
        users: named(&users.ids, &holdings.users),
        teams: named(&teams.ids, &holdings.teams),
        products: entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{holdings, pid};

    fn warnings(ids: &[&str]) -> Warnings {
        let ids: Vec<ProductId> = ids.iter().map(|id| pid(id)).collect();
        warnings_for(&holdings(), &ids)
    }

    fn names<'a, T: 'a>(
        items: impl IntoIterator<Item = &'a T>,
        name: impl Fn(&'a T) -> &'a str,
    ) -> Vec<&'a str> {
        items.into_iter().map(name).collect()
    }

    #[test]
    fn users_with_access_lose_it() {
        let w = warnings(&["hosting"]);
        let hosting = &w.products[0];
        assert_eq!(
            names(w.users_at(&hosting.users_losing_access), |u| &u.name),
            ["Carol"]
        );
        assert!(hosting.kdrive_users_integrated.is_empty());
    }

    #[test]
    fn kdrive_users_are_integrated_instead() {
        let w = warnings(&["drive"]);
        let drive = &w.products[0];
        assert_eq!(
            names(w.users_at(&drive.kdrive_users_integrated), |u| &u.name),
            ["Carol", "Dave"]
        );
        assert!(drive.users_losing_access.is_empty());
    }

    #[test]
    fn team_rights_are_lost() {
        let w = warnings(&["hosting"]);
        assert_eq!(
            names(w.teams_at(&w.products[0].teams_losing_rights), |t| &t.name),
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
    fn each_user_is_named_once_however_many_products_name_them() {
        let w = warnings(&["drive", "hosting"]);
        assert_eq!(names(&w.users, |u| &u.name), ["Carol", "Dave"]);
        let (drive, hosting) = (&w.products[0], &w.products[1]);
        assert_eq!(drive.kdrive_users_integrated, [0, 1]);
        assert_eq!(hosting.users_losing_access, [0]);
        assert_eq!(names(&w.teams, |t| &t.name), ["Designers"]);
        // Users of products not moving are not named.
        assert!(warnings(&["vps"]).users.is_empty());
    }

    #[test]
    fn a_missing_name_does_not_hide_a_loss() {
        let mut h = holdings();
        h.users.clear();
        h.teams.clear();
        let w = warnings_for(&h, &[pid("hosting")]);
        assert_eq!(
            names(w.users_at(&w.products[0].users_losing_access), |u| &u.name),
            ["carol"]
        );
        assert_eq!(
            names(w.teams_at(&w.products[0].teams_losing_rights), |t| &t.name),
            ["designers"]
        );
    }
}

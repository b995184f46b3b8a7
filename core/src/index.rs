//! Indexes over a snapshot's ids, so every planner stays linear in the snapshot's size.
//!
//! The hasher is unkeyed: no randomness is read (wasm32 has no source for it) and a
//! table's iteration order could never vary between runs. Tables are only probed, never
//! iterated into an output: outputs are sorted explicitly.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use rustc_hash::FxBuildHasher;

use crate::ids::ProductId;
use crate::product::Product;

pub(crate) type IdMap<K, V> = HashMap<K, V, FxBuildHasher>;
pub(crate) type IdSet<K> = HashSet<K, FxBuildHasher>;

/// A snapshot's products, found by id. Keys are the ids' text, held in the table itself,
/// so a probe reads one string, not a reference to one.
pub(crate) struct ProductIndex<'a> {
    products: &'a [Product],
    by_id: IdMap<&'a str, usize>,
}

impl<'a> ProductIndex<'a> {
    pub(crate) fn new(products: &'a [Product]) -> Self {
        let by_id = (products.iter().enumerate())
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        Self { products, by_id }
    }

    fn get(&self, id: &ProductId) -> Option<&'a Product> {
        self.position(id).map(|i| self.product(i))
    }

    pub(crate) fn position(&self, id: &ProductId) -> Option<usize> {
        self.by_id.get(id.as_str()).copied()
    }

    pub(crate) fn product(&self, position: usize) -> &'a Product {
        &self.products[position]
    }

    /// Some of the products (a selection, a transfer's), sorted by id, duplicates dropped;
    /// ids the index does not hold are skipped.
    pub(crate) fn sorted(&'a self, ids: &[ProductId]) -> SortedProducts<'a> {
        self.sorted_at(ids.iter().filter_map(|id| self.position(id)).collect())
    }

    /// Like [`ProductIndex::sorted`], for products the caller has already found.
    pub(crate) fn sorted_at(&'a self, mut positions: Vec<usize>) -> SortedProducts<'a> {
        positions.sort_unstable_by(|&a, &b| self.products[a].id.cmp(&self.products[b].id));
        positions.dedup();
        let mut slots = vec![None; self.products.len()];
        for (slot, &i) in (0..).zip(&positions) {
            slots[i] = Some(slot);
        }
        SortedProducts {
            products: positions.iter().map(|&i| &self.products[i]).collect(),
            index: self,
            slots,
        }
    }
}

/// One transfer's products, sorted by id, each found by its slot in that order.
pub(crate) struct SortedProducts<'a> {
    pub(crate) products: Vec<&'a Product>,
    index: &'a ProductIndex<'a>,
    /// For each product of the index, its slot in `products`.
    slots: Vec<Option<usize>>,
}

impl<'a> SortedProducts<'a> {
    /// Where `id` is in `products`, if it is one of them.
    pub(crate) fn slot(&self, id: &ProductId) -> Option<usize> {
        self.slots[self.index.position(id)?]
    }

    /// The index's product `id`, whether sorted here or not.
    pub(crate) fn known(&self, id: &ProductId) -> Option<&'a Product> {
        self.index.get(id)
    }

    pub(crate) fn ids(&self) -> Vec<ProductId> {
        self.products.iter().map(|p| p.id.clone()).collect()
    }

    /// `(id number, product position)` rows as sorted, deduplicated `(id, product id)`
    /// pairs. Sorting numbers instead of strings is what keeps this cheap: rows are many,
    /// distinct ids few.
    pub(crate) fn sorted_pairs<T: Clone>(
        &self,
        ids: &SortedIds<'_, T>,
        mut rows: Vec<(u32, usize)>,
    ) -> Vec<(T, ProductId)> {
        for (n, _) in &mut rows {
            *n = ids.rank(*n);
        }
        rows.sort_unstable();
        rows.dedup();
        rows.into_iter()
            .map(|(id, p)| (ids.id(id).clone(), self.products[p].id.clone()))
            .collect()
    }
}

/// Numbers distinct ids in the order they are met, so rows can carry a `u32` instead of a
/// copy of the id. [`Numbering::into_sorted`] then renumbers them in id order.
pub(crate) struct Numbering<'a, K> {
    numbers: IdMap<&'a K, u32>,
    ids: Vec<&'a K>,
}

impl<K> Default for Numbering<'_, K> {
    fn default() -> Self {
        Self {
            numbers: IdMap::default(),
            ids: Vec::new(),
        }
    }
}

impl<'a, K: Hash + Eq + Ord> Numbering<'a, K> {
    pub(crate) fn number(&mut self, id: &'a K) -> u32 {
        let ids = &mut self.ids;
        *self.numbers.entry(id).or_insert_with(|| {
            ids.push(id);
            u32::try_from(ids.len() - 1).expect("fewer than 2^32 distinct ids")
        })
    }

    pub(crate) fn into_sorted(self) -> SortedIds<'a, K> {
        let mut order: Vec<u32> = (0..).take(self.ids.len()).collect();
        order.sort_unstable_by_key(|&n| self.ids[n as usize]);
        let mut rank = vec![0; order.len()];
        for (position, &n) in (0..).zip(&order) {
            rank[n as usize] = position;
        }
        let ids = order.iter().map(|&n| self.ids[n as usize]).collect();
        SortedIds { ids, rank }
    }
}

/// Distinct ids in order, and the position there of each number [`Numbering`] gave out.
pub(crate) struct SortedIds<'a, K> {
    pub(crate) ids: Vec<&'a K>,
    rank: Vec<u32>,
}

impl<K> SortedIds<'_, K> {
    pub(crate) fn id(&self, position: u32) -> &K {
        self.ids[position as usize]
    }

    fn rank(&self, number: u32) -> u32 {
        self.rank[number as usize]
    }

    /// Numbers as positions among the sorted ids, ascending and without duplicates.
    pub(crate) fn renumber(&self, numbers: &mut Vec<u32>) {
        for n in numbers.iter_mut() {
            *n = self.rank(*n);
        }
        numbers.sort_unstable();
        numbers.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{holdings, pid};

    #[test]
    fn numbers_follow_first_sight_then_id_order() {
        let met = ["carol", "alice", "bob", "alice"];
        let mut numbering = Numbering::default();
        let mut numbers: Vec<u32> = met.iter().map(|id| numbering.number(id)).collect();
        assert_eq!(numbers, [0, 1, 2, 1]);
        let sorted = numbering.into_sorted();
        assert_eq!(sorted.ids, [&"alice", &"bob", &"carol"]);
        sorted.renumber(&mut numbers);
        assert_eq!(numbers, [0, 1, 2]);
        assert_eq!(*sorted.id(2), "carol");
    }

    #[test]
    fn sorted_products_skip_unknown_and_repeated_ids() {
        let h = holdings();
        let index = ProductIndex::new(&h.products);
        let ids = [pid("vps"), pid("nope"), pid("drive"), pid("vps")];
        let sorted = index.sorted(&ids);
        assert_eq!(sorted.ids(), [pid("drive"), pid("vps")]);
        assert_eq!(sorted.slot(&pid("vps")), Some(1));
        assert_eq!(sorted.slot(&pid("mail")), None);
        assert_eq!(
            sorted.known(&pid("mail")).map(|p| &p.id),
            Some(&pid("mail"))
        );
        assert_eq!(sorted.slot(&pid("nope")), None);
    }
}

//! Indexes over a snapshot's ids, so every planner stays linear in the snapshot's size.
//!
//! The hasher has fixed keys: no randomness is read (wasm32 has no source for it) and a
//! table's iteration order could never vary between runs. Tables are only probed, never
//! iterated into an output: outputs are sorted explicitly.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash};

use crate::ids::ProductId;
use crate::product::Product;

pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<DefaultHasher>>;
pub(crate) type IdSet<K> = HashSet<K, BuildHasherDefault<DefaultHasher>>;

pub(crate) fn products_by_id(products: &[Product]) -> IdMap<&ProductId, &Product> {
    products.iter().map(|p| (&p.id, p)).collect()
}

/// One transfer's products, sorted by id, each found by its position.
pub(crate) struct SortedProducts<'a> {
    pub(crate) products: Vec<&'a Product>,
    pub(crate) position: IdMap<&'a ProductId, usize>,
}

impl<'a> SortedProducts<'a> {
    pub(crate) fn new(mut products: Vec<&'a Product>) -> Self {
        products.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        products.dedup_by(|a, b| a.id == b.id);
        let position = products
            .iter()
            .enumerate()
            .map(|(i, p)| (&p.id, i))
            .collect();
        Self { products, position }
    }

    pub(crate) fn ids(&self) -> Vec<ProductId> {
        self.products.iter().map(|p| p.id.clone()).collect()
    }

    /// `(id, product position)` rows as sorted, deduplicated `(id, product id)` pairs.
    /// Rows are many and distinct ids few, so rows are sorted by rank, not by comparing
    /// strings.
    pub(crate) fn sorted_pairs<T: Ord + Hash + Clone>(
        &self,
        rows: &[(&T, usize)],
    ) -> Vec<(T, ProductId)> {
        let distinct: IdSet<&T> = rows.iter().map(|(id, _)| *id).collect();
        let mut ids: Vec<&T> = distinct.into_iter().collect();
        ids.sort_unstable();
        let rank: IdMap<&T, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut ranked: Vec<(usize, usize)> = rows.iter().map(|(id, p)| (rank[id], *p)).collect();
        ranked.sort_unstable();
        ranked.dedup();
        let pair = |(id, p): (usize, usize)| (ids[id].clone(), self.products[p].id.clone());
        ranked.into_iter().map(pair).collect()
    }
}

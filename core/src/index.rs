//! Lookup tables keyed by id, so every planner stays linear in the snapshot's size.
//!
//! The hasher has fixed keys: no randomness is read (wasm32 has no source for it) and a
//! table's iteration order could never vary between runs. Tables are only probed, never
//! iterated into an output: outputs are sorted explicitly.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher};

use crate::ids::ProductId;
use crate::product::Product;

pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<DefaultHasher>>;
pub(crate) type IdSet<K> = HashSet<K, BuildHasherDefault<DefaultHasher>>;

pub(crate) fn products_by_id(products: &[Product]) -> IdMap<&ProductId, &Product> {
    products.iter().map(|p| (&p.id, p)).collect()
}

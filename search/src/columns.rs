//! Per-document reads of fast fields on the hot path of every query.
//!
//! Every document has exactly one value in each of Kindred's fast fields, so tantivy
//! stores them as *full* columns where the row of a document is its id. Reading the
//! values directly skips the row lookup that optional and multi-valued columns need;
//! that lookup was a tenth of the time of a query matching a fifth of a million posts.

use std::sync::Arc;

use tantivy::columnar::{Cardinality, Column, ColumnValues};

/// The column's value for each document, read by document id.
pub(crate) fn values_by_doc<T>(column: Column<T>, default: T) -> Arc<dyn ColumnValues<T>>
where
    T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
{
    match column.get_cardinality() {
        Cardinality::Full => column.values,
        Cardinality::Optional | Cardinality::Multivalued => column.first_or_default_col(default),
    }
}

/// A set of ids (communities) asked about for every matching document: a bitmap when
/// the ids are close together, as database ids are, else a sorted list.
#[derive(Debug, Clone)]
pub(crate) enum IdSet {
    Dense { first: i64, bits: Vec<u64> },
    Sorted(Vec<i64>),
}

/// The widest id range stored as a bitmap: 2^20 ids in 128 KiB.
const MAX_DENSE_SPAN: i64 = 1 << 20;

impl IdSet {
    pub(crate) fn new(mut ids: Vec<i64>) -> IdSet {
        ids.sort_unstable();
        ids.dedup();
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return IdSet::Sorted(ids);
        };
        match last.checked_sub(first) {
            Some(span) if span < MAX_DENSE_SPAN => {
                let mut bits = vec![0u64; (span as usize) / 64 + 1];
                for id in ids {
                    let offset = (id - first) as usize;
                    bits[offset / 64] |= 1 << (offset % 64);
                }
                IdSet::Dense { first, bits }
            }
            _ => IdSet::Sorted(ids),
        }
    }

    #[inline]
    pub(crate) fn contains(&self, id: i64) -> bool {
        match self {
            IdSet::Dense { first, bits } => match id.checked_sub(*first) {
                Some(offset) if offset >= 0 => {
                    let offset = offset as u64;
                    bits.get((offset / 64) as usize)
                        .is_some_and(|word| word & (1 << (offset % 64)) != 0)
                }
                _ => false,
            },
            IdSet::Sorted(ids) => ids.binary_search(&id).is_ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_sets_answer_like_a_list_whatever_their_shape() {
        let cases: [Vec<i64>; 5] = [
            vec![],
            vec![7],
            vec![3, 1, 64, 65, 127, 128, 3],
            vec![i64::MIN, -1, 0, i64::MAX],
            vec![5, 5 + MAX_DENSE_SPAN + 1],
        ];
        for ids in cases {
            let set = IdSet::new(ids.clone());
            let probes = ids
                .iter()
                .flat_map(|&id| [id.wrapping_sub(1), id, id.wrapping_add(1)])
                .chain([i64::MIN, -64, 0, 2, 63, 64, 66, 129, i64::MAX]);
            for probe in probes {
                assert_eq!(set.contains(probe), ids.contains(&probe), "{ids:?} {probe}");
            }
        }
        assert!(matches!(IdSet::new(vec![1, 2, 900]), IdSet::Dense { .. }));
        assert!(matches!(IdSet::new(vec![i64::MIN, 0]), IdSet::Sorted(_)));
    }
}

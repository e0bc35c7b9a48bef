//! Stable sorts that compile to one copy of the standard library's sort, for code-size.
//!
//! `slice::sort_by` and its kin are instantiated once per element type *and* per closure: each
//! call site adds 4–6 KB of wasm (driftsort with its merge, partition and small-sort networks),
//! and the engine had 35 of them (about 180 KB before wasm-opt). The functions here do the
//! ordering in one non-generic function ([`order_by_keys`] or [`order_by`], each holding a
//! single instantiation of the standard sort) and leave only a few dozen bytes per call site:
//! computing the keys (or wrapping the comparison) and applying the permutation.
//!
//! Both are stable and give exactly what `sort_by_key` / `sort_by` give for the same key or
//! comparison. They are meant for sorts off the hot paths (vendor adapters, charts, the sample
//! generator): [`sort_by`] calls the comparison through a `dyn` reference.

use std::cmp::Ordering;

/// `v.sort_by_key(key)`, stable, with the key computed once per element.
pub fn sort_by_key<T>(v: &mut [T], key: impl FnMut(&T) -> i64) {
    let order = order_by_keys(v.iter().map(key).collect());
    permute(v, order);
}

/// `v.sort_by(cmp)`, stable.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = order_by(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// The indices of `keys` in the order of their keys, ties in index order.
fn order_by_keys(keys: Vec<i64>) -> Vec<usize> {
    let mut pairs: Vec<(i64, usize)> = keys.into_iter().zip(0..).collect();
    // (key, index) pairs are distinct, so the unstable sort gives the stable order.
    pairs.sort_unstable();
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// The indices `0..n` ordered by `cmp`, stable.
fn order_by(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `v` so that position `k` holds what was at `order[k]` (`order` a permutation),
/// following each cycle with swaps.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency).
    fn numbers(n: usize, seed: u64, modulo: u64) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % modulo
            })
            .collect()
    }

    #[test]
    fn same_as_the_standard_stable_sorts() {
        for n in [0, 1, 2, 3, 7, 20, 33, 100, 1000] {
            for modulo in [1, 3, 50, 1 << 40] {
                // Pairs of (key, original position): stability shows in the second field.
                let v: Vec<(u64, usize)> = numbers(n, n as u64 + 7, modulo)
                    .into_iter()
                    .zip(0..)
                    .collect();
                let mut want = v.clone();
                want.sort_by_key(|p| p.0);
                let mut got = v.clone();
                sort_by_key(&mut got, |p| p.0 as i64);
                assert_eq!(got, want, "sort_by_key n={n} modulo={modulo}");
                let mut got = v.clone();
                sort_by(&mut got, |a, b| a.0.cmp(&b.0));
                assert_eq!(got, want, "sort_by n={n} modulo={modulo}");
                let mut want = v.clone();
                want.sort_by_key(|p| std::cmp::Reverse(p.0));
                let mut got = v;
                sort_by(&mut got, |a, b| b.0.cmp(&a.0));
                assert_eq!(got, want, "sort_by reversed n={n} modulo={modulo}");
            }
        }
    }

    #[test]
    fn moves_values_that_are_not_copy() {
        let mut v: Vec<String> = ["pear", "apple", "fig", "banana", "kiwi", "apple"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut want = v.clone();
        want.sort_by_key(|s| s.len());
        sort_by_key(&mut v, |s| s.len() as i64);
        assert_eq!(v, want);
        let mut want = v.clone();
        want.sort();
        sort_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, want);
    }
}

//! A stable insertion sort for the page's short lists (messages in flight,
//! frame times for `frameStats()`).
//!
//! Why not `slice::sort`: each element type that std's sorts are used with
//! links its own copy of driftsort or ipnsort into the wasm, a few KB of
//! the download each. These lists are short (tens to a few hundred items),
//! so an insertion sort is fast enough and costs a few hundred bytes.

/// Sorts `v` by `key`, keeping the order of items with equal keys.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sort_by_key;

    #[test]
    fn sorts_like_the_stable_std_sort() {
        // A small linear congruential generator: varied lists, no crate.
        let mut x: u64 = 12345;
        for len in 0..60 {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((x >> 60) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by_key(&mut ours, |&(k, _)| k);
            let mut std_sorted = v;
            std_sorted.sort_by_key(|&(k, _)| k);
            // Equal keys keep their order: the second field says so.
            assert_eq!(ours, std_sorted, "length {len}");
        }
    }
}

//! Orders the graph keeps besides its own (by type, date, id), computed
//! once when it is built rather than on every page that lists them.

use super::Idx;

/// `list`, in graph order (dates ascending, undated first), newest first:
/// the runs of equal dates in reverse, each run in its own order. The same
/// as a stable sort by date descending, without sorting.
pub(super) fn newest_first<D: Eq>(list: &[Idx], date: impl Fn(Idx) -> D) -> Vec<Idx> {
    let mut out = Vec::with_capacity(list.len());
    let mut end = list.len();
    while end > 0 {
        let d = date(list[end - 1]);
        let mut start = end - 1;
        while start > 0 && date(list[start - 1]) == d {
            start -= 1;
        }
        out.extend_from_slice(&list[start..end]);
        end = start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_is_a_stable_sort_by_date_descending() {
        // A fixed xorshift, so a failure repeats.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..300 {
            // Dates, `None` for undated, in graph order: ascending.
            let mut dates: Vec<Option<u64>> = (0..next(40))
                .map(|_| (next(4) > 0).then(|| next(6)))
                .collect();
            dates.sort();
            let list: Vec<Idx> = (0..dates.len()).collect();
            let mut sorted = list.clone();
            sorted.sort_by_key(|&i| std::cmp::Reverse(dates[i]));
            assert_eq!(newest_first(&list, |i| dates[i]), sorted, "{dates:?}");
        }
    }
}

//! Posting lists as the search index writes them: record numbers as
//! gaps in base-32 varints, a list of more than half the records as its
//! complement when shorter, one list per field (see `docs/search.md`).
//! `search.js` decodes them; [`decode`] is the same in Rust, for tests.

/// Varint digits: values 0–31 end a number, 32–63 carry five more bits.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Encode ascending record numbers as gaps (each minus one) in base-32
/// varints, most significant group first.
pub fn encode(ids: &[u32]) -> String {
    let mut out = String::new();
    encode_into(ids, &mut out);
    out
}

/// [`encode`], appended to `out`.
fn encode_into(ids: &[u32], out: &mut String) {
    encode_iter(ids.iter().copied(), out);
}

/// [`encode_into`] for ascending numbers from an iterator.
fn encode_iter(ids: impl Iterator<Item = u32>, out: &mut String) {
    let mut prev: i64 = -1;
    for id in ids {
        let mut gap = (i64::from(id) - prev - 1) as u64;
        prev = i64::from(id);
        // Five bits a digit, least significant first; a u32 needs seven.
        let mut groups = [0u8; 8];
        let mut len = 0;
        loop {
            groups[len] = (gap & 31) as u8 | if len > 0 { 32 } else { 0 };
            len += 1;
            gap >>= 5;
            if gap == 0 {
                break;
            }
        }
        out.extend(
            groups[..len]
                .iter()
                .rev()
                .map(|&g| DIGITS[g as usize] as char),
        );
    }
}

/// The numbers below `n` that ascending `seen` does not hold, in order: one
/// pass over both, nothing allocated.
fn missing(seen: &[u32], n: u32) -> impl Iterator<Item = u32> + '_ {
    let mut at = 0;
    (0..n).filter(move |&i| {
        while seen.get(at).is_some_and(|&s| s < i) {
            at += 1;
        }
        seen.get(at) != Some(&i)
    })
}

/// Decode one posting list of an index with `n` records: [`encode`]d
/// numbers, or after `!` the numbers of the records *not* in the list.
pub fn decode(list: &str, n: usize) -> Vec<usize> {
    let (complement, digits) = match list.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, list),
    };
    let mut ids = Vec::new();
    let (mut value, mut last) = (0usize, -1i64);
    for b in digits.bytes() {
        let v = DIGITS.iter().position(|&d| d == b).unwrap_or(0);
        value = value * 32 + (v & 31);
        if v < 32 {
            last += value as i64 + 1;
            ids.push(last as usize);
            value = 0;
        }
    }
    if complement {
        (0..n).filter(|i| ids.binary_search(i).is_err()).collect()
    } else {
        ids
    }
}

/// The posting lists of one term, one per field: the records whose best
/// field for the term is that field. A list holding more than half of all
/// records is written as its complement when that is shorter; the
/// complement is taken of the records in this field or a better one, so a
/// decoder that ranks each record by its best field reads it right.
pub(super) fn postings(lists: &[Vec<u32>; 3], n: usize) -> String {
    let mut out = String::new();
    postings_into(lists, n, &mut out);
    out
}

/// [`postings`] as a JSON string: its characters need no escaping.
pub(super) fn postings_json(lists: &[Vec<u32>; 3], n: usize) -> String {
    let mut out = String::from("\"");
    postings_into(lists, n, &mut out);
    out.push('"');
    out
}

/// [`postings`], appended to `out`.
fn postings_into(lists: &[Vec<u32>; 3], n: usize, out: &mut String) {
    let mut seen: Vec<u32> = Vec::new();
    let mut inverted = String::new();
    // Where the last list that is not empty ends: empty lists at the end
    // are left out with their commas.
    let mut end = out.len();
    for (f, list) in lists.iter().enumerate() {
        if f > 0 {
            out.push(',');
        }
        let from = out.len();
        seen.extend(list);
        encode_into(list, out);
        if list.len() * 2 > n {
            seen.sort_unstable();
            inverted.clear();
            inverted.push('!');
            encode_iter(missing(&seen, n as u32), &mut inverted);
            if inverted.len() < out.len() - from {
                out.truncate(from);
                out.push_str(&inverted);
            }
        }
        if out.len() > from {
            end = out.len();
        }
    }
    out.truncate(end);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_numbers_are_those_the_list_lacks() {
        let seen = [0, 2, 3, 7, 7, 9];
        assert_eq!(missing(&seen, 10).collect::<Vec<_>>(), [1, 4, 5, 6, 8]);
        assert_eq!(missing(&[], 3).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(missing(&[0, 1, 2], 3).count(), 0);
        // Numbers at or past `n` in the list change nothing.
        assert_eq!(missing(&[1, 5], 3).collect::<Vec<_>>(), [0, 2]);
    }

    #[test]
    fn postings_round_trip_through_gaps_and_complements() {
        for ids in [
            vec![],
            vec![0],
            vec![0, 1, 2, 31, 32, 33, 1000, 40000],
            vec![5, 70],
        ] {
            assert_eq!(
                decode(&encode(&ids), 50000),
                ids.iter().map(|&i| i as usize).collect::<Vec<_>>()
            );
        }
        // Small gaps take one character.
        assert_eq!(encode(&[0, 1, 2, 4]), "0001");
        assert_eq!(encode(&[32]), "X0");
        // Nine of ten records: written as "all but record 3".
        let all_but_3: Vec<u32> = (0..10).filter(|&i| i != 3).collect();
        let p = postings(&[vec![], vec![], all_but_3.clone()], 10);
        assert_eq!(p, ",,!3");
        assert_eq!(
            decode(p.split(',').nth(2).unwrap(), 10),
            all_but_3.iter().map(|&i| i as usize).collect::<Vec<_>>()
        );
        // A complement covers the better fields too: record 0 is a title hit.
        let body: Vec<u32> = (1..9).collect();
        let p = postings(&[vec![0], vec![], body], 10);
        assert_eq!(p, "0,,!9");
        assert_eq!(decode("!9", 10), (0..9).collect::<Vec<_>>());
    }
}

//! An output file's bytes as watch mode keeps them in memory: one buffer,
//! a buffer compressed, or a list of pieces shared with the engine's
//! caches. `data/graph.json` holds every record (59 MB at 10,000 records);
//! kept as pieces, each record's piece deflated, an edit replaces one
//! piece and shares the rest, instead of copying the file. Pages, JSON
//! twins and the search text files are kept deflated (the benchmark
//! corpus's pages 3.3× smaller at the fastest level): the whole output of
//! a 10,000-record site is 300 MB as it is. A page is inflated when it is
//! served, which costs less than the live-reload script's copy the server
//! makes of it anyway. Whole-site files, rewritten on most edits, are kept
//! as they are.

pub use crate::packed::Packed;
use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Bytes {
    Whole(Arc<Vec<u8>>),
    /// The file is these pieces, one after another; each is whole or
    /// packed.
    Pieces(Arc<Vec<Bytes>>),
    /// The file deflated: see [`Bytes::pack`].
    Packed(Arc<Packed>),
}

/// Files from this size on are deflated; below it, the saving is small.
const PACK_FROM: usize = 2048;

impl Bytes {
    /// `bytes` as kept: deflated (the fastest level) when that makes them
    /// at least a quarter smaller, else as they are. The same bytes are
    /// always kept the same way, so [`Bytes::same`] compares them exactly.
    pub fn pack(bytes: Vec<u8>) -> Bytes {
        if bytes.len() >= PACK_FROM {
            if let Some(p) = Packed::new(&bytes) {
                if p.deflated_len() <= bytes.len() / 4 * 3 {
                    return Bytes::Packed(Arc::new(p));
                }
            }
        }
        Bytes::Whole(Arc::new(bytes))
    }

    pub fn len(&self) -> usize {
        match self {
            Bytes::Whole(b) => b.len(),
            Bytes::Pieces(p) => p.iter().map(Bytes::len).sum(),
            Bytes::Packed(p) => p.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes in one slice: borrowed for a whole buffer, put together
    /// for pieces, inflated for a packed file.
    pub fn contiguous(&self) -> Cow<'_, [u8]> {
        match self {
            Bytes::Whole(b) => Cow::Borrowed(b.as_slice()),
            Bytes::Pieces(_) | Bytes::Packed(_) => Cow::Owned(self.to_vec()),
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.len());
        // Writing to a `Vec` fails only if inflating does, and a packed
        // file is only ever what `pack` deflated.
        let _ = self.write_to(&mut v);
        v
    }

    pub fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        match self {
            Bytes::Whole(b) => w.write_all(b),
            Bytes::Pieces(p) => p.iter().try_for_each(|b| b.write_to(w)),
            Bytes::Packed(p) => p.write_to(w),
        }
    }

    /// Whether both hold the same bytes. Pieces are compared one by one,
    /// and a piece shared by both is not read at all; two files cut into
    /// pieces differently, or kept differently, count as different.
    pub fn same(&self, other: &Bytes) -> bool {
        match (self, other) {
            (Bytes::Whole(a), Bytes::Whole(b)) => Arc::ptr_eq(a, b) || a == b,
            // Deflating is deterministic: the same bytes deflate the same.
            (Bytes::Packed(a), Bytes::Packed(b)) => Arc::ptr_eq(a, b) || a == b,
            (Bytes::Pieces(a), Bytes::Pieces(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same(y))
            }
            _ => false,
        }
    }
}

impl From<Vec<u8>> for Bytes {
    /// Kept whole: whole-site files, rewritten on most edits, are not
    /// deflated, so an edit does not wait for it ([`Bytes::pack`] is asked
    /// for where it pays).
    fn from(v: Vec<u8>) -> Self {
        Bytes::Whole(Arc::new(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_as_one_file() {
        let piece = |s: &str| Bytes::from(s.as_bytes().to_vec());
        let shared = piece("middle, ");
        let a = Bytes::Pieces(Arc::new(vec![
            piece("start, "),
            shared.clone(),
            piece("end"),
        ]));
        assert_eq!(a.len(), 18);
        assert_eq!(a.to_vec(), b"start, middle, end");
        assert_eq!(&*a.contiguous(), b"start, middle, end");
        let mut out = Vec::new();
        a.write_to(&mut out).unwrap();
        assert_eq!(out, b"start, middle, end");
        let b = Bytes::Pieces(Arc::new(vec![piece("start, "), shared, piece("end")]));
        assert!(a.same(&b));
        let c = Bytes::Pieces(Arc::new(vec![
            piece("start, "),
            piece("middle, "),
            piece("END"),
        ]));
        assert!(!a.same(&c));
        // A piece may be packed: read back inflated, compared packed.
        let record = "{\"id\":\"x\"},".repeat(300);
        let with_packed = || {
            Bytes::Pieces(Arc::new(vec![
                piece("["),
                Bytes::pack(record.clone().into_bytes()),
                piece("]"),
            ]))
        };
        let d = with_packed();
        let Bytes::Pieces(p) = &d else { unreachable!() };
        assert!(matches!(p[1], Bytes::Packed(_)));
        assert_eq!(d.len(), record.len() + 2);
        assert_eq!(d.to_vec(), format!("[{record}]").as_bytes());
        assert!(d.same(&with_packed()));
        assert!(!d.same(&a));
        assert!(Bytes::from(b"x".to_vec()).same(&Bytes::from(b"x".to_vec())));
        assert!(!Bytes::from(b"x".to_vec()).same(&Bytes::from(b"y".to_vec())));
    }

    #[test]
    fn large_files_are_kept_deflated_and_read_back_the_same() {
        let page = "<li><a href=\"/people/x/\">A person</a></li>\n".repeat(200);
        let packed = Bytes::pack(page.clone().into_bytes());
        let Bytes::Packed(p) = &packed else {
            panic!("{packed:?} not packed")
        };
        assert!(p.deflated_len() * 10 < page.len(), "{}", p.deflated_len());
        assert_eq!(packed.len(), page.len());
        assert_eq!(packed.to_vec(), page.as_bytes());
        assert_eq!(&*packed.contiguous(), page.as_bytes());
        let mut out = Vec::new();
        packed.write_to(&mut out).unwrap();
        assert_eq!(out, page.as_bytes());
        // The same bytes are the same; one byte more is not.
        assert!(packed.same(&Bytes::pack(page.clone().into_bytes())));
        assert!(!packed.same(&Bytes::pack(format!("{page} ").into_bytes())));
        // Small files, and bytes that do not shrink, are kept whole.
        assert!(matches!(Bytes::pack(b"<p>x</p>".to_vec()), Bytes::Whole(_)));
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect();
        assert!(matches!(Bytes::pack(noise.clone()), Bytes::Whole(_)));
        assert_eq!(Bytes::pack(noise.clone()).to_vec(), noise);
    }
}

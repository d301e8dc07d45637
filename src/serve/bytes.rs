//! An output file's bytes as watch mode keeps them in memory: one buffer,
//! a buffer compressed, a list of pieces shared with the engine's caches,
//! or a record's JSON twin as `graph.json` nests it. `data/graph.json`
//! holds every record (59 MB at 10,000 records); kept as pieces, each
//! record's piece its twin (kept anyway) read indented, an edit replaces
//! one piece and shares the rest, instead of copying the file. The search
//! text files are pieces too, each record's text shared with the search
//! index. Pages, JSON
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
    /// A JSON twin nested one level in `graph.json`: see [`Bytes::nested`].
    Nested(Arc<Nested>),
}

/// A JSON twin, and its length as [`Bytes::nested`] reads it.
#[derive(Debug)]
pub struct Nested {
    twin: Bytes,
    len: usize,
}

/// What [`Bytes::nested`] puts after each line break but the last.
const INDENT: &[u8] = b"    ";

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

    /// `twin`, a pretty-printed JSON record ending in a line break, read
    /// as it stands in an array one level down: every line after the first
    /// indented four spaces more, and without the last line break. Pretty
    /// JSON escapes the line breaks inside strings, so every one is
    /// structure. `len` is [`Bytes::nested_len`] of what `twin` holds.
    /// `twin` is shared, not copied.
    pub fn nested(twin: &Bytes, len: usize) -> Bytes {
        Bytes::Nested(Arc::new(Nested {
            twin: twin.clone(),
            len,
        }))
    }

    /// The length of `text` read as [`Bytes::nested`] reads a twin.
    pub fn nested_len(text: &[u8]) -> usize {
        let last = usize::from(text.ends_with(b"\n"));
        let breaks = text.iter().filter(|&&b| b == b'\n').count() - last;
        text.len() - last + INDENT.len() * breaks
    }

    /// A whole file as [`Bytes::pack`] would keep it; `None` when it is
    /// kept some other way or packing does not pay.
    pub fn repack(&self) -> Option<Bytes> {
        match self {
            Bytes::Whole(b) if b.len() >= PACK_FROM => match Bytes::pack(b.to_vec()) {
                p @ Bytes::Packed(_) => Some(p),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Bytes::Whole(b) => b.len(),
            Bytes::Pieces(p) => p.iter().map(Bytes::len).sum(),
            Bytes::Packed(p) => p.len(),
            Bytes::Nested(n) => n.len,
        }
    }

    /// Whether the bytes lie in memory as they are read: one buffer, or
    /// pieces that each are one.
    pub fn is_flat(&self) -> bool {
        match self {
            Bytes::Whole(_) => true,
            Bytes::Pieces(p) => p.iter().all(|b| matches!(b, Bytes::Whole(_))),
            Bytes::Packed(_) | Bytes::Nested(_) => false,
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
            _ => Cow::Owned(self.to_vec()),
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
            Bytes::Nested(n) => {
                let twin = n.twin.contiguous();
                let text = twin.strip_suffix(b"\n").unwrap_or(&twin);
                for (k, line) in text.split(|&b| b == b'\n').enumerate() {
                    if k > 0 {
                        w.write_all(b"\n")?;
                        w.write_all(INDENT)?;
                    }
                    w.write_all(line)?;
                }
                Ok(())
            }
        }
    }

    /// Whether both hold the same bytes. Pieces are compared one by one,
    /// and a piece shared by both is not read at all; a file kept whole is
    /// compared with the same file packed by inflating it ([`Bytes::repack`]
    /// packs files once they are kept); two files cut into pieces
    /// differently, or kept differently otherwise, count as different.
    pub fn same(&self, other: &Bytes) -> bool {
        match (self, other) {
            (Bytes::Whole(a), Bytes::Whole(b)) => Arc::ptr_eq(a, b) || a == b,
            // Deflating is deterministic: the same bytes deflate the same.
            (Bytes::Packed(a), Bytes::Packed(b)) => Arc::ptr_eq(a, b) || a == b,
            (Bytes::Pieces(a), Bytes::Pieces(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same(y))
            }
            (Bytes::Nested(a), Bytes::Nested(b)) => Arc::ptr_eq(a, b) || a.twin.same(&b.twin),
            (Bytes::Packed(a), Bytes::Whole(b)) | (Bytes::Whole(b), Bytes::Packed(a)) => a.holds(b),
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
        // A file packed later is the same file.
        let page = "<li>A record of the site</li>\n".repeat(200).into_bytes();
        let whole = Bytes::from(page.clone());
        let repacked = whole.repack().unwrap();
        assert!(matches!(repacked, Bytes::Packed(_)));
        assert!(repacked.same(&whole) && whole.same(&repacked));
        let mut other = page.clone();
        other[10] = b'X';
        assert!(!repacked.same(&Bytes::from(other)));
        assert!(repacked.repack().is_none() && d.repack().is_none());
        assert!(Bytes::from(b"<p>x</p>".to_vec()).repack().is_none());
        assert!(Bytes::from(b"x".to_vec()).same(&Bytes::from(b"x".to_vec())));
        assert!(!Bytes::from(b"x".to_vec()).same(&Bytes::from(b"y".to_vec())));
    }

    #[test]
    fn a_nested_twin_reads_as_the_record_indented_and_shares_the_twin() {
        let short = "{\n  \"id\": \"x\",\n  \"note\": \"a\\nb\"\n}\n".to_string();
        assert_eq!(
            short.trim_end().replace('\n', "\n    "),
            "{\n      \"id\": \"x\",\n      \"note\": \"a\\nb\"\n    }"
        );
        let long = format!("{{\n  \"body\": \"{}\"\n}}\n", "words ".repeat(900));
        assert!(matches!(
            Bytes::pack(long.clone().into_bytes()),
            Bytes::Packed(_)
        ));
        for text in [short, long] {
            for twin in [
                Bytes::from(text.clone().into_bytes()),
                Bytes::pack(text.clone().into_bytes()),
            ] {
                let n = Bytes::nested(&twin, Bytes::nested_len(text.as_bytes()));
                let want = text.trim_end().replace('\n', "\n    ");
                assert_eq!(n.len(), want.len());
                assert_eq!(String::from_utf8(n.to_vec()).unwrap(), want);
                assert!(!n.is_flat());
                let Bytes::Nested(inner) = &n else {
                    panic!("{n:?}")
                };
                assert!(inner.twin.same(&twin));
                assert!(n.same(&Bytes::nested(&twin, n.len())));
                let other = Bytes::from(format!("{text} ").into_bytes());
                assert!(!n.same(&Bytes::nested(&other, n.len())));
            }
        }
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

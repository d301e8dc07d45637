//! An output file's bytes as watch mode keeps them in memory: one buffer,
//! or a list of pieces shared with the engine's caches. `data/graph.json`
//! holds every record (59 MB at 10,000 records); kept as pieces, an edit
//! replaces one piece and shares the rest, instead of copying the file.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Bytes {
    Whole(Arc<Vec<u8>>),
    /// The file is these pieces, one after another.
    Pieces(Arc<Vec<Arc<str>>>),
}

impl Bytes {
    pub fn len(&self) -> usize {
        match self {
            Bytes::Whole(b) => b.len(),
            Bytes::Pieces(p) => p.iter().map(|s| s.len()).sum(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes in one slice: borrowed for a whole buffer, put together
    /// for pieces.
    pub fn contiguous(&self) -> Cow<'_, [u8]> {
        match self {
            Bytes::Whole(b) => Cow::Borrowed(b.as_slice()),
            Bytes::Pieces(_) => Cow::Owned(self.to_vec()),
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Bytes::Whole(b) => b.to_vec(),
            Bytes::Pieces(p) => {
                let mut v = Vec::with_capacity(self.len());
                for s in p.iter() {
                    v.extend_from_slice(s.as_bytes());
                }
                v
            }
        }
    }

    pub fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        match self {
            Bytes::Whole(b) => w.write_all(b),
            Bytes::Pieces(p) => p.iter().try_for_each(|s| w.write_all(s.as_bytes())),
        }
    }

    /// Whether both hold the same bytes. Pieces are compared one by one,
    /// and a piece shared by both is not read at all; two files cut into
    /// pieces differently count as different.
    pub fn same(&self, other: &Bytes) -> bool {
        match (self, other) {
            (Bytes::Whole(a), Bytes::Whole(b)) => Arc::ptr_eq(a, b) || a == b,
            (Bytes::Pieces(a), Bytes::Pieces(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|(x, y)| Arc::ptr_eq(x, y) || x == y)
            }
            _ => false,
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Self {
        Bytes::Whole(Arc::new(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_as_one_file() {
        let shared: Arc<str> = Arc::from("middle, ");
        let a = Bytes::Pieces(Arc::new(vec![
            Arc::from("start, "),
            shared.clone(),
            Arc::from("end"),
        ]));
        assert_eq!(a.len(), 18);
        assert_eq!(a.to_vec(), b"start, middle, end");
        assert_eq!(&*a.contiguous(), b"start, middle, end");
        let mut out = Vec::new();
        a.write_to(&mut out).unwrap();
        assert_eq!(out, b"start, middle, end");
        let b = Bytes::Pieces(Arc::new(vec![
            Arc::from("start, "),
            shared,
            Arc::from("end"),
        ]));
        assert!(a.same(&b));
        let c = Bytes::Pieces(Arc::new(vec![
            Arc::from("start, "),
            Arc::from("middle, "),
            Arc::from("END"),
        ]));
        assert!(!a.same(&c));
        assert!(Bytes::from(b"x".to_vec()).same(&Bytes::from(b"x".to_vec())));
        assert!(!Bytes::from(b"x".to_vec()).same(&Bytes::from(b"y".to_vec())));
    }
}

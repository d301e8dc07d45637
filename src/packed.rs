//! Bytes kept deflated in memory, for what watch mode holds for the whole
//! session: its pages and JSON twins ([`crate::serve::Bytes`]) and each
//! record's search text ([`crate::render::search::LiveIndex`]). The
//! fastest level: deflating is deterministic, so equal bytes pack equal
//! and two packs compare as their bytes do.

use flate2::write::{DeflateDecoder, DeflateEncoder};
use flate2::Compression;
use std::io::{self, Write};

/// Bytes deflated, and their length inflated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Packed {
    len: usize,
    deflated: Box<[u8]>,
}

impl Packed {
    /// `bytes` deflated. Deflating into memory does not fail; should it,
    /// `None`.
    pub fn new(bytes: &[u8]) -> Option<Packed> {
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::fast());
        let deflated = enc.write_all(bytes).and_then(|()| enc.finish()).ok()?;
        Some(Packed {
            len: bytes.len(),
            deflated: deflated.into_boxed_slice(),
        })
    }

    /// The length inflated.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The length as kept.
    pub fn deflated_len(&self) -> usize {
        self.deflated.len()
    }

    /// Write the bytes inflated to `w`.
    pub fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut dec = DeflateDecoder::new(w);
        dec.write_all(&self.deflated)?;
        dec.finish().map(|_| ())
    }

    /// Whether these are `bytes` deflated: inflated piece by piece against
    /// `bytes`, stopping at the first difference, with nothing allocated
    /// for the whole.
    pub fn holds(&self, bytes: &[u8]) -> bool {
        if self.len != bytes.len() {
            return false;
        }
        let mut rest = Against(bytes);
        self.write_to(&mut rest).is_ok() && rest.0.is_empty()
    }

    /// The bytes inflated, appended to `out`: text packed from a `str`.
    pub fn inflate_str(&self, out: &mut String) {
        let mut v = Vec::with_capacity(self.len);
        // Writing to a `Vec` fails only if inflating does, and a pack is
        // only ever what `new` deflated.
        let _ = self.write_to(&mut v);
        out.push_str(&String::from_utf8_lossy(&v));
    }
}

/// A writer that takes only the bytes it expects next, and fails at the
/// first other byte.
struct Against<'a>(&'a [u8]);

impl Write for Against<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.0.strip_prefix(buf) {
            Some(rest) => {
                self.0 = rest;
                Ok(buf.len())
            }
            None => Err(io::Error::other("the bytes differ")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_read_back_the_same_and_compare_as_their_bytes() {
        let text = "Улаанбаатар, the grant of $5,000,000. ".repeat(50);
        let p = Packed::new(text.as_bytes()).unwrap();
        assert_eq!(p.len(), text.len());
        assert!(p.deflated_len() * 5 < text.len(), "{}", p.deflated_len());
        let mut back = String::from("> ");
        p.inflate_str(&mut back);
        assert_eq!(back, format!("> {text}"));
        assert_eq!(p, Packed::new(text.as_bytes()).unwrap());
        assert!(p.holds(text.as_bytes()));
        assert!(!p.holds(format!("{text}.").as_bytes()));
        let mut other = text.clone().into_bytes();
        other[7] = b'X';
        assert!(!p.holds(&other), "same length, one byte different");
        // Inflated in many writes: the last byte still counts.
        let long: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let p = Packed::new(&long).unwrap();
        assert!(p.holds(&long));
        let mut last = long.clone();
        *last.last_mut().unwrap() ^= 1;
        assert!(!p.holds(&last), "same length, last byte different");
        assert_ne!(p, Packed::new(format!("{text}.").as_bytes()).unwrap());
        let empty = Packed::new(b"").unwrap();
        assert!(empty.is_empty());
        let mut out = Vec::new();
        empty.write_to(&mut out).unwrap();
        assert!(out.is_empty());
    }
}

//! A minimal RFC 4180 CSV writer: one header row, CRLF line ends, fields
//! quoted when they contain a comma, a quote, CR or LF, quotes doubled.

/// Build a CSV document from a header and rows of the same width.
pub struct Csv {
    out: String,
    width: usize,
}

impl Csv {
    pub fn new(header: &[&str]) -> Self {
        let mut c = Csv {
            out: String::new(),
            width: header.len(),
        };
        c.push_row(header.iter().map(|s| s.to_string()));
        c
    }

    /// Append a row; missing cells are written empty, extra cells dropped.
    pub fn row(&mut self, cells: Vec<String>) {
        let width = self.width;
        self.push_row(
            cells
                .into_iter()
                .chain(std::iter::repeat(String::new()))
                .take(width),
        );
    }

    fn push_row(&mut self, cells: impl Iterator<Item = String>) {
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            if cell.contains([',', '"', '\r', '\n']) {
                self.out.push('"');
                self.out.push_str(&cell.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(&cell);
            }
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        let mut c = Csv::new(&["id", "note"]);
        c.row(vec!["a".into(), "plain".into()]);
        c.row(vec!["b".into(), "says \"hi\", then\nleaves".into()]);
        c.row(vec!["c".into()]);
        assert_eq!(
            c.finish(),
            "id,note\r\na,plain\r\nb,\"says \"\"hi\"\", then\nleaves\"\r\nc,\r\n"
        );
    }
}

//! 128-bit fingerprints of cells and rows: equal cells give equal fingerprints, so repeated
//! rows, values and keys can be found without holding the cells themselves.
//!
//! Two different keys share a fingerprint with a probability of about `n² / 2¹²⁹`: below
//! 10⁻²² for a hundred million rows.

/// A 128-bit fingerprint of a cell, a key or a row.
pub type Fingerprint = u128;

const SEED_A: u64 = 0x05a7_da7a_0000_0001;
const SEED_B: u64 = 0x5a7d_a7a0_0000_0002;

/// The fingerprint of one cell; an empty cell has its own.
#[inline]
pub fn cell(value: Option<&str>) -> Fingerprint {
    match value {
        Some(v) => xxhash_rust::xxh3::xxh3_128_with_seed(v.as_bytes(), SEED_A),
        None => 0x6e75_6c6c_6e75_6c6c_u128 ^ u128::from(SEED_B),
    }
}

/// Folds the next cell's fingerprint into a running key fingerprint (order matters).
#[inline]
pub fn combine(acc: Fingerprint, next: Fingerprint) -> Fingerprint {
    const K: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835;
    (acc.rotate_left(29) ^ next).wrapping_mul(K)
}

/// Ends a cell in a row's bytes: no UTF-8 text holds this byte.
const END: u8 = 0xFF;
/// Stands for an empty cell in a row's bytes: no UTF-8 text holds this byte either.
const EMPTY: u8 = 0xFE;

/// Builds row fingerprints: the cells are written one after another, each ended by a byte no
/// text holds, and the row is hashed once (far cheaper than a hash per cell).
#[derive(Debug, Default)]
pub struct RowPrinter {
    bytes: Vec<u8>,
}

impl RowPrinter {
    /// Adds the row's next cell.
    #[inline]
    pub fn cell(&mut self, value: Option<&str>) {
        match value {
            Some(v) => {
                self.bytes.extend_from_slice(v.as_bytes());
                self.bytes.push(END);
            }
            None => self.bytes.push(EMPTY),
        }
    }

    /// The row's fingerprint; the printer is then ready for the next row.
    #[inline]
    pub fn finish(&mut self) -> Fingerprint {
        let print = xxhash_rust::xxh3::xxh3_128_with_seed(&self.bytes, SEED_B);
        self.bytes.clear();
        print
    }
}

/// The fingerprint of a row of cells, in order.
pub fn row<'a>(cells: impl IntoIterator<Item = Option<&'a str>>) -> Fingerprint {
    let mut printer = RowPrinter::default();
    for c in cells {
        printer.cell(c);
    }
    printer.finish()
}

/// The fingerprint of a row of `width` empty cells.
pub fn blank_row(width: usize) -> Fingerprint {
    row(std::iter::repeat_n(None, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_differ_by_cell_order_and_emptiness() {
        assert_eq!(row([Some("a"), None]), row([Some("a"), None]));
        assert_ne!(row([Some("a"), Some("b")]), row([Some("b"), Some("a")]));
        assert_ne!(row([Some("a"), None]), row([Some("a")]));
        assert_ne!(cell(Some("")), cell(None));
        assert_eq!(blank_row(3), row([None, None, None]));
        assert_ne!(blank_row(3), blank_row(2));
        // Cell borders count: the same text split differently is another row.
        assert_ne!(row([Some("ab"), Some("c")]), row([Some("a"), Some("bc")]));
        assert_ne!(row([Some(""), None]), row([None, Some("")]));
        assert_ne!(row([Some("")]), row([]));
        let mut printer = RowPrinter::default();
        printer.cell(Some("a"));
        printer.cell(None);
        assert_eq!(printer.finish(), row([Some("a"), None]));
        printer.cell(Some("b"));
        assert_eq!(printer.finish(), row([Some("b")]), "finish starts the next row afresh");
    }
}

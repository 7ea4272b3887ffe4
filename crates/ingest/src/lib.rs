//! Reads submitted files into text tables.
//!
//! PDs export from Excel: `;`-separated files, Windows-1252 text, a UTF-8 byte order mark,
//! decimal commas. [`read_csv`] sniffs the encoding ([`Encoding`]) and the delimiter, decodes
//! to UTF-8 and reads every cell as text into a Polars [`DataFrame`] whose columns are the
//! file's columns by position. Types are not guessed here: the validate stage casts each
//! column per the data standard, so a bad cell becomes a finding carrying its original text.
//!
//! ```
//! use satudata_ingest::{read_csv, IngestOptions};
//! let table = read_csv(b"Tahun;Jumlah\n2024;1.234\n", &IngestOptions::default()).unwrap();
//! assert_eq!(table.labels, ["Tahun", "Jumlah"]);
//! assert_eq!(table.delimiter, b';');
//! assert_eq!(table.cell(0, 1), Some("1.234"));
//! ```

use std::borrow::Cow;
use std::str::FromStr;

use polars::prelude::*;

/// Errors that stop a file from being read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not text in the declared encoding.
    #[error("cannot decode the file as {encoding}")]
    Encoding {
        /// The encoding tried.
        encoding: &'static str,
    },
    /// The file is not readable as delimited text.
    #[error("cannot read the file as CSV: {0}")]
    Format(String),
    /// The file has no header row.
    #[error("the file is empty")]
    Empty,
    /// An option has a value we do not know.
    #[error("unknown {what}: {value}")]
    Option {
        /// Which option.
        what: &'static str,
        /// The value given.
        value: String,
    },
    /// The table could not be built.
    #[error("cannot build the table: {0}")]
    Table(#[from] PolarsError),
}

/// Result with the ingest [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Text encoding of a submitted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// UTF-16 (little or big endian), recognised by its byte order mark.
    Utf16,
    /// Windows-1252, what Excel on Windows writes for "CSV".
    Windows1252,
}

impl Encoding {
    /// The encoding's usual name.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl FromStr for Encoding {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" | "utf-8-sig" => Ok(Encoding::Utf8),
            "utf-16" | "utf16" => Ok(Encoding::Utf16),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Ok(Encoding::Windows1252),
            _ => Err(Error::Option {
                what: "encoding",
                value: s.to_owned(),
            }),
        }
    }
}

/// How to read a file; `None` means sniff it.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Text encoding, sniffed when `None`.
    pub encoding: Option<Encoding>,
    /// Delimiter byte, sniffed when `None`.
    pub delimiter: Option<u8>,
}

impl IngestOptions {
    /// Sets the encoding from its name (`auto` sniffs).
    pub fn with_encoding_name(mut self, name: &str) -> Result<Self> {
        self.encoding = if name.eq_ignore_ascii_case("auto") {
            None
        } else {
            Some(name.parse()?)
        };
        Ok(self)
    }

    /// Sets the delimiter from its text (`auto` sniffs, `tab` or `\t` is a tab).
    pub fn with_delimiter_name(mut self, name: &str) -> Result<Self> {
        self.delimiter = match name {
            "auto" => None,
            "tab" | "\\t" | "\t" => Some(b'\t'),
            s if s.len() == 1 => Some(s.as_bytes()[0]),
            s => {
                return Err(Error::Option {
                    what: "delimiter",
                    value: s.to_owned(),
                });
            }
        };
        Ok(self)
    }
}

/// A row whose cell count differs from the header's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaggedRow {
    /// Row number as in the file.
    pub row: u64,
    /// How many cells it had.
    pub cells: usize,
}

/// A file read as text: its header labels and one text column per header position.
#[derive(Debug, Clone)]
pub struct Table {
    /// Header labels as written (trimmed), one per column.
    pub labels: Vec<String>,
    /// The cells: column `i` is named by its position (`"1"`, `"2"`...); empty cells are null.
    pub data: DataFrame,
    /// Row number in the file of each data row (header is row 1).
    pub row_numbers: Vec<u64>,
    /// Rows with more or fewer cells than the header.
    pub ragged: Vec<RaggedRow>,
    /// Encoding the file was read with.
    pub encoding: Encoding,
    /// Delimiter the file was read with.
    pub delimiter: u8,
}

impl Table {
    /// Number of data rows.
    pub fn height(&self) -> usize {
        self.data.height()
    }

    /// The text of the cell at data row `row` (0-based) and column `col` (0-based).
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        if row >= self.height() {
            return None;
        }
        self.column(col)?.get(row)
    }

    /// The text column at position `col` (0-based).
    pub fn column(&self, col: usize) -> Option<&StringChunked> {
        self.data.columns().get(col)?.as_materialized_series().str().ok()
    }
}

/// Decodes bytes to UTF-8 text, sniffing the encoding unless one is given.
pub fn decode(bytes: &[u8], encoding: Option<Encoding>) -> Result<(Cow<'_, str>, Encoding)> {
    let bom = encoding_rs::Encoding::for_bom(bytes);
    let chosen = match (encoding, bom) {
        (Some(e), _) => e,
        (None, Some((enc, _))) if enc == encoding_rs::UTF_8 => Encoding::Utf8,
        (None, Some(_)) => Encoding::Utf16,
        (None, None) if std::str::from_utf8(bytes).is_ok() => Encoding::Utf8,
        (None, None) => Encoding::Windows1252,
    };
    let text = match chosen {
        Encoding::Utf8 => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => {
                    return Err(Error::Encoding {
                        encoding: chosen.as_str(),
                    });
                }
            }
        }
        Encoding::Utf16 => {
            let enc = match bom {
                Some((enc, _)) => enc,
                None => encoding_rs::UTF_16LE,
            };
            let (text, had_errors) = enc.decode_with_bom_removal(bytes);
            if had_errors {
                return Err(Error::Encoding {
                    encoding: chosen.as_str(),
                });
            }
            text
        }
        Encoding::Windows1252 => {
            let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(bytes);
            if had_errors {
                return Err(Error::Encoding {
                    encoding: chosen.as_str(),
                });
            }
            text
        }
    };
    Ok((text, chosen))
}

/// Candidate delimiters, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Guesses the delimiter from the first lines: the candidate that appears the same number of
/// times on every sampled line wins; otherwise the most frequent one.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let counts = |d: u8| -> Vec<usize> { lines.iter().map(|l| count_unquoted(l, d)).collect() };
    let mut best: Option<(u8, usize)> = None;
    for d in DELIMITERS {
        let c = counts(d);
        let first = c.first().copied().unwrap_or(0);
        if first > 0 && c.iter().all(|&n| n == first) && best.is_none_or(|(_, n)| first > n) {
            best = Some((d, first));
        }
    }
    if let Some((d, _)) = best {
        return d;
    }
    DELIMITERS
        .into_iter()
        .max_by_key(|&d| (counts(d).iter().sum::<usize>(), std::cmp::Reverse(d)))
        .unwrap_or(b',')
}

fn count_unquoted(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            !quoted && b == delimiter
        })
        .count()
}

/// Reads delimited text into a [`Table`] of text columns.
pub fn read_csv(bytes: &[u8], options: &IngestOptions) -> Result<Table> {
    let (text, encoding) = decode(bytes, options.encoding)?;
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(Error::Format(e.to_string())),
        None => return Err(Error::Empty),
    };
    let labels: Vec<String> = header.iter().map(|s| s.trim().to_owned()).collect();
    let width = labels.len();
    let estimate = text.len() / (header.as_slice().len().max(16)) + 1;
    let mut builders: Vec<StringChunkedBuilder> = (1..=width)
        .map(|i| StringChunkedBuilder::new(PlSmallStr::from(i.to_string()), estimate))
        .collect();
    let mut row_numbers = Vec::with_capacity(estimate);
    let mut ragged = Vec::new();
    // Line numbers are counted from byte offsets: the reader's own line count skips blank lines.
    let (mut counted_to, mut line) = (0usize, 1u64);
    for record in records {
        let record = record.map_err(|e| Error::Format(e.to_string()))?;
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .clamp(counted_to, text.len());
        // A record's reported start includes the blank lines skipped before it.
        while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        line += text.as_bytes()[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted_to = start;
        let row = line;
        if record.len() != width {
            ragged.push(RaggedRow {
                row,
                cells: record.len(),
            });
        }
        for (i, builder) in builders.iter_mut().enumerate() {
            match record.get(i).map(str::trim) {
                Some(cell) if !cell.is_empty() => builder.append_value(cell),
                _ => builder.append_null(),
            }
        }
        row_numbers.push(row);
    }
    let columns: Vec<Column> = builders
        .into_iter()
        .map(|b| b.finish().into_series().into_column())
        .collect();
    let data = DataFrame::new(row_numbers.len(), columns)?;
    Ok(Table {
        labels,
        data,
        row_numbers,
        ragged,
        encoding,
        delimiter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b\n\"x;y\",2\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
    }

    #[test]
    fn decodes_windows_1252_and_bom() {
        let (t, e) = decode(b"Kunjungan \x96 Total", None).unwrap();
        assert_eq!(e, Encoding::Windows1252);
        assert_eq!(t, "Kunjungan – Total");
        let (t, e) = decode(b"\xEF\xBB\xBFTahun", None).unwrap();
        assert_eq!((t.as_ref(), e), ("Tahun", Encoding::Utf8));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Tahun".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (t, e) = decode(&utf16, None).unwrap();
        assert_eq!((t.as_ref(), e), ("Tahun", Encoding::Utf16));
        assert!(matches!(
            decode(b"\xFF\xFE\x00", Some(Encoding::Utf8)),
            Err(Error::Encoding { .. })
        ));
    }

    #[test]
    fn reads_rows_with_their_line_numbers() {
        let t = read_csv(b"a;b\n1;2\n\n3;4;5\n6\n", &IngestOptions::default()).unwrap();
        assert_eq!(t.height(), 3);
        assert_eq!(t.row_numbers, [2, 4, 5]);
        assert_eq!(
            t.ragged,
            [RaggedRow { row: 4, cells: 3 }, RaggedRow { row: 5, cells: 1 }]
        );
        assert_eq!(t.cell(2, 1), None);
        assert_eq!(t.cell(1, 0), Some("3"));
    }

    #[test]
    fn duplicate_and_blank_labels_survive() {
        let t = read_csv(b"a,a,\n1,2,3\n", &IngestOptions::default()).unwrap();
        assert_eq!(t.labels, ["a", "a", ""]);
        assert_eq!(t.cell(0, 2), Some("3"));
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(matches!(read_csv(b"", &IngestOptions::default()), Err(Error::Empty)));
    }

    #[test]
    fn options_parse() {
        let o = IngestOptions::default()
            .with_delimiter_name("tab")
            .unwrap()
            .with_encoding_name("cp1252")
            .unwrap();
        assert_eq!(o.delimiter, Some(b'\t'));
        assert_eq!(o.encoding, Some(Encoding::Windows1252));
        assert!(IngestOptions::default().with_delimiter_name(";;").is_err());
    }
}

//! Delimited text (CSV, TSV, `;`-separated): decoding, delimiter sniffing, splitting.

use std::borrow::Cow;

use crate::{Encoding, Error, Format, IngestOptions, Result, Table, TableBuilder};

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
                Err(e) => {
                    let line = 1 + body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64;
                    return Err(Error::Encoding {
                        encoding: chosen.as_str(),
                        line: Some(line),
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
                    line: None,
                });
            }
            text
        }
        Encoding::Windows1252 => {
            let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(bytes);
            if had_errors {
                return Err(Error::Encoding {
                    encoding: chosen.as_str(),
                    line: None,
                });
            }
            text
        }
    };
    Ok((text, chosen))
}

/// Candidate delimiters, in order of preference on a tie.
pub(crate) const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

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
        Some(Err(e)) => return Err(Error::format("CSV", e)),
        None => return Err(Error::Empty),
    };
    let labels: Vec<String> = header.iter().map(|s| s.trim().to_owned()).collect();
    let estimate = text.len() / (header.as_slice().len().max(16)) + 1;
    let mut table = TableBuilder::new(labels, estimate);
    // Line numbers are counted from byte offsets: the reader's own line count skips blank lines.
    let (mut counted_to, mut line) = (0usize, 1u64);
    for record in records {
        let record = record.map_err(|e| Error::format("CSV", e))?;
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
        let cells: Vec<Option<&str>> = record
            .iter()
            .map(|c| Some(c.trim()).filter(|c| !c.is_empty()))
            .collect();
        table.push(line, &cells);
    }
    table.finish(Format::Csv { encoding, delimiter })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RaggedRow;

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
        assert_eq!(
            t.format,
            Format::Csv {
                encoding: Encoding::Utf8,
                delimiter: b';'
            }
        );
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

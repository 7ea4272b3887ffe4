//! Delimited text (CSV, TSV, `;`-separated): streamed decoding, delimiter sniffing, splitting.

use std::io::Read;

use rayon::prelude::*;

use crate::limits::{self, Limits};
use crate::{Bound, Encoding, Error, Format, IngestOptions, Result, Table, TableBuilder};

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
///
/// Large files are split at line ends (outside quoted fields) into chunks read in parallel;
/// rows keep the line numbers of the file.
pub fn read_csv(bytes: &[u8], options: &IngestOptions) -> Result<Table> {
    let mut stream = CsvStream::open(bytes, bytes.len().max(1), options)?;
    let mut parts = Vec::new();
    while let Some(batch) = stream.next_parts()? {
        parts.extend(batch);
    }
    let (labels, format) = (stream.labels.clone(), stream.format());
    TableBuilder::concat(labels, parts, format)
}

/// Delimited text read batch by batch from any reader, for files larger than memory.
///
/// Each batch is a run of whole records (a line end outside quotes ends it) of about the batch
/// size, decoded to UTF-8 and parsed in parallel chunks.
pub(crate) struct CsvStream<R> {
    input: R,
    eof: bool,
    /// Text not yet parsed, from a record boundary; UTF-8 once decoded (bytes past `decoded`
    /// are raw input of a UTF-8 file, checked when parsed).
    buf: Vec<u8>,
    /// Raw bytes waiting for the decoder (other encodings than UTF-8).
    raw: Vec<u8>,
    decoder: Option<encoding_rs::Decoder>,
    encoding: Encoding,
    delimiter: u8,
    /// Header labels.
    pub(crate) labels: Vec<String>,
    /// File line number of the first line in `buf`.
    next_line: u64,
    batch_bytes: usize,
    limits: Limits,
    /// Data rows handed out so far.
    rows: u64,
    /// Raw bytes read so far.
    offset: u64,
}

impl<R: Read> CsvStream<R> {
    /// Reads the first block, settles the encoding and delimiter and reads the header.
    pub(crate) fn open(input: R, batch_bytes: usize, options: &IngestOptions) -> Result<Self> {
        let mut stream = CsvStream {
            input,
            eof: false,
            buf: Vec::new(),
            raw: Vec::new(),
            decoder: None,
            encoding: Encoding::Utf8,
            delimiter: b',',
            labels: Vec::new(),
            next_line: 1,
            batch_bytes: batch_bytes.max(1),
            limits: options.limits,
            rows: 0,
            offset: 0,
        };
        // The encoding is told from the first block: at least 1 MiB, whatever the batch size.
        let mut first = Vec::new();
        stream.read_raw(&mut first, stream.batch_bytes.max(1 << 20))?;
        let bom = encoding_rs::Encoding::for_bom(&first);
        stream.encoding = match (options.encoding, bom) {
            (Some(e), _) => e,
            (None, Some((enc, _))) if enc == encoding_rs::UTF_8 => Encoding::Utf8,
            (None, Some(_)) => Encoding::Utf16,
            (None, None) => match std::str::from_utf8(&first) {
                Ok(_) => Encoding::Utf8,
                // A character cut off at the end of the block is still UTF-8.
                Err(e) if e.error_len().is_none() && !stream.eof => Encoding::Utf8,
                Err(_) => Encoding::Windows1252,
            },
        };
        if stream.encoding != Encoding::Utf16 {
            refuse_nul(&first, 0)?;
        }
        stream.decoder = match stream.encoding {
            Encoding::Utf8 => None,
            Encoding::Utf16 => Some(match bom {
                Some((enc, _)) if enc != encoding_rs::UTF_8 => enc.new_decoder_with_bom_removal(),
                _ => encoding_rs::UTF_16LE.new_decoder_with_bom_removal(),
            }),
            Encoding::Windows1252 => Some(encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling()),
        };
        match stream.decoder {
            None => {
                let body = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&first);
                stream.buf.extend_from_slice(body);
            }
            Some(_) => {
                stream.raw = first;
                stream.decode()?;
            }
        }
        // The delimiter is told from the first lines (about 64 KiB), the header is the first record.
        let cut = loop {
            if let Some(cut) = stream.cut(1 << 16) {
                break cut;
            }
            stream.check_record_size()?;
            stream.fill()?;
        };
        let head = as_text(&stream.buf[..cut], stream.next_line, stream.encoding)?;
        let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(head));
        let mut reader = records(head.as_bytes(), delimiter);
        let mut header = csv::StringRecord::new();
        if !reader.read_record(&mut header).map_err(|e| Error::format("CSV", e))? {
            return Err(Error::Empty);
        }
        if header.len() > stream.limits.max_columns {
            return Err(Error::too_large("CSV", Bound::Columns, stream.limits.max_columns));
        }
        stream.delimiter = delimiter;
        stream.labels = header.iter().map(|s| s.trim().to_owned()).collect();
        let body_start = (reader.position().byte() as usize).min(cut);
        stream.next_line += memchr::memchr_iter(b'\n', &stream.buf[..body_start]).count() as u64;
        stream.buf.drain(..body_start);
        Ok(stream)
    }

    /// How the file is being read.
    pub(crate) fn format(&self) -> Format {
        Format::Csv {
            encoding: self.encoding,
            delimiter: self.delimiter,
        }
    }

    /// Reads up to `want` more raw bytes into `into`; notes the end of the input.
    fn read_raw(&mut self, into: &mut Vec<u8>, want: usize) -> Result<()> {
        let start = into.len();
        let read = (&mut self.input)
            .take(want as u64)
            .read_to_end(into)
            .map_err(|e| Error::format("CSV", e))?;
        if read < want {
            self.eof = true;
        }
        debug_assert_eq!(into.len(), start + read);
        let at = self.offset;
        self.offset += read as u64;
        // The first block is checked once its encoding is known; UTF-16 text is full of NULs.
        if at > 0 && self.encoding != Encoding::Utf16 {
            refuse_nul(&into[start..], at)?;
        }
        Ok(())
    }

    /// Refuses a record that has grown past [`limits::max_record_bytes`] without ending.
    fn check_record_size(&self) -> Result<()> {
        let limit = limits::max_record_bytes(&self.limits);
        if self.buf.len() > limit.max(self.batch_bytes) {
            return Err(Error::too_large("CSV", Bound::RecordBytes, limit));
        }
        Ok(())
    }

    /// Reads the next block of input into `buf`.
    fn fill(&mut self) -> Result<()> {
        if self.decoder.is_none() {
            let mut buf = std::mem::take(&mut self.buf);
            let result = self.read_raw(&mut buf, self.batch_bytes);
            self.buf = buf;
            return result;
        }
        let mut raw = std::mem::take(&mut self.raw);
        let result = self.read_raw(&mut raw, self.batch_bytes);
        self.raw = raw;
        result?;
        self.decode()
    }

    /// Decodes the waiting raw bytes onto the end of `buf`.
    fn decode(&mut self) -> Result<()> {
        let Some(decoder) = &mut self.decoder else {
            return Ok(());
        };
        let before = self.buf.len();
        let room = decoder
            .max_utf8_buffer_length(self.raw.len())
            .unwrap_or(self.raw.len() * 3 + 16);
        self.buf.resize(before + room, 0);
        let (result, read, written) =
            decoder.decode_to_utf8_without_replacement(&self.raw, &mut self.buf[before..], self.eof);
        self.buf.truncate(before + written);
        self.raw.drain(..read);
        match result {
            encoding_rs::DecoderResult::Malformed(_, _) => Err(Error::Encoding {
                encoding: self.encoding.as_str(),
                line: Some(self.next_line + memchr::memchr_iter(b'\n', &self.buf).count() as u64),
            }),
            _ => Ok(()),
        }
    }

    /// Where the text in `buf` can be cut after whole records: the last line end outside quotes
    /// within `limit` bytes, else the first one past it, else (at the end of the input) the
    /// end. `None` means: read more.
    fn cut(&self, limit: usize) -> Option<usize> {
        let text = &self.buf;
        let at_end = self.eof && self.raw.is_empty();
        let (within, past) = if memchr::memchr(b'"', text).is_none() {
            let within = memchr::memrchr(b'\n', &text[..limit.min(text.len())]).map(|i| i + 1);
            let past = || memchr::memchr(b'\n', &text[limit.min(text.len())..]).map(|i| limit + i + 1);
            (within, if within.is_none() { past() } else { None })
        } else {
            let (mut quoted, mut within, mut past) = (false, None, None);
            for i in memchr::memchr2_iter(b'"', b'\n', text) {
                if text[i] == b'"' {
                    quoted = !quoted;
                } else if !quoted {
                    if i < limit {
                        within = Some(i + 1);
                    } else {
                        past = Some(i + 1);
                        break;
                    }
                }
            }
            (within, past)
        };
        within.or(past).or(at_end.then_some(text.len()))
    }

    /// Parses the next batch of records into one table part per chunk; `None` at the end.
    pub(crate) fn next_parts(&mut self) -> Result<Option<Vec<TableBuilder>>> {
        while !(self.eof && self.raw.is_empty()) && self.buf.len() < self.batch_bytes {
            self.fill()?;
        }
        let cut = loop {
            if let Some(cut) = self.cut(self.batch_bytes) {
                break cut;
            }
            self.check_record_size()?;
            self.fill()?;
        };
        if cut == 0 {
            return Ok(None);
        }
        let body = &self.buf[..cut];
        let chunks = split_lines(body, rayon::current_num_threads() * 4);
        // Rows to reserve room for in each chunk: cells of PD exports are short (the benchmark's
        // average 10 bytes with their delimiter), and a column that has to grow copies itself.
        let width = self.labels.len().max(1);
        let (encoding, delimiter, labels, first) = (self.encoding, self.delimiter, &self.labels, self.next_line);
        let limits = &self.limits;
        // Chunks count their lines from 0; each is then moved past the lines of those before it.
        let counted: Vec<(TableBuilder, u64)> = chunks
            .par_iter()
            .map(|&(a, b)| {
                let text = as_text(&body[a..b], 0, encoding).map_err(|e| match e {
                    Error::Encoding { encoding, line } => Error::Encoding {
                        encoding,
                        line: line.map(|l| l + first + memchr::memchr_iter(b'\n', &body[..a]).count() as u64),
                    },
                    other => other,
                })?;
                read_chunk(text, delimiter, labels, (b - a) / (width * 8) + 1, limits)
            })
            .collect::<Result<_>>()?;
        let mut parts = Vec::with_capacity(counted.len());
        for (mut part, lines) in counted {
            part.shift_rows(self.next_line);
            self.next_line += lines;
            parts.push(part);
        }
        self.buf.drain(..cut);
        Ok(Some(parts))
    }

    /// The next batch as a table; `None` at the end.
    pub(crate) fn next_batch(&mut self) -> Result<Option<Table>> {
        loop {
            match self.next_parts()? {
                // Blank lines alone make no batch.
                Some(parts) if parts.iter().all(TableBuilder::is_empty) => continue,
                Some(parts) => {
                    let table = TableBuilder::concat(self.labels.clone(), parts, self.format())?;
                    self.rows += table.height() as u64;
                    if self.rows > self.limits.max_rows {
                        return Err(Error::too_large("CSV", Bound::Rows, self.limits.max_rows));
                    }
                    return Ok(Some(table));
                }
                None => return Ok(None),
            }
        }
    }
}

/// Refuses bytes holding a NUL: no text in an 8-bit encoding or UTF-8 has one, so the file
/// is binary (often a workbook or an archive under a `.csv` name). `base` is the offset of
/// `bytes` in the file.
fn refuse_nul(bytes: &[u8], base: u64) -> Result<()> {
    match memchr::memchr(0, bytes) {
        Some(i) => Err(Error::NotText {
            offset: base + i as u64,
        }),
        None => Ok(()),
    }
}

/// Bytes as text; bytes that are not UTF-8 are an encoding error on their line.
fn as_text(bytes: &[u8], first_line: u64, encoding: Encoding) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| Error::Encoding {
        encoding: encoding.as_str(),
        line: Some(first_line + memchr::memchr_iter(b'\n', &bytes[..e.valid_up_to()]).count() as u64),
    })
}

/// Splits `bytes` into about `n` ranges that end at a line end outside quotes.
fn split_lines(bytes: &[u8], n: usize) -> Vec<(usize, usize)> {
    const MIN_CHUNK: usize = 1 << 20;
    let target = (bytes.len() / n.max(1)).max(MIN_CHUNK);
    let mut ranges = Vec::new();
    let mut start = 0;
    let quoted = memchr::memchr(b'"', bytes).is_some();
    let mut in_quotes = false;
    let mut scanned = 0;
    while start < bytes.len() {
        let want = start + target;
        if want >= bytes.len() {
            ranges.push((start, bytes.len()));
            break;
        }
        let cut = if quoted {
            // Track quotes from where we stopped to the first line end past `want` outside quotes.
            let mut cut = None;
            for (i, &b) in bytes.iter().enumerate().skip(scanned) {
                if b == b'"' {
                    in_quotes = !in_quotes;
                } else if b == b'\n' && !in_quotes && i >= want {
                    cut = Some(i + 1);
                    break;
                }
            }
            cut
        } else {
            memchr::memchr(b'\n', &bytes[want..]).map(|i| want + i + 1)
        };
        match cut {
            Some(end) if end < bytes.len() => {
                ranges.push((start, end));
                scanned = end;
                start = end;
            }
            _ => {
                ranges.push((start, bytes.len()));
                break;
            }
        }
    }
    ranges
}

/// Trims surrounding whitespace, without looking inside cells that start and end with a
/// character that is plainly not whitespace (most of them).
fn trim(cell: &str) -> &str {
    let plain = |b: &u8| b.is_ascii() && !b.is_ascii_whitespace();
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if plain(first) && plain(last) => cell,
        _ => cell.trim(),
    }
}

/// A reader of delimited records that keeps every row, short or long, as it is.
fn records(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

/// Reads one chunk of records, numbering its lines from 0; returns them and the chunk's count
/// of line ends.
fn read_chunk(
    text: &str,
    delimiter: u8,
    labels: &[String],
    estimate: usize,
    limits: &Limits,
) -> Result<(TableBuilder, u64)> {
    let table = TableBuilder::new(labels.to_vec(), estimate).with_limits(limits);
    if is_plain(text.as_bytes()) {
        return Ok(read_plain_chunk(text, delimiter, table));
    }
    read_quoted_chunk(text, delimiter, table)
}

/// [`read_chunk`] by the CSV reader, for text with quotes or lone carriage returns.
fn read_quoted_chunk(text: &str, delimiter: u8, mut table: TableBuilder) -> Result<(TableBuilder, u64)> {
    let mut reader = records(text.as_bytes(), delimiter);
    let mut record = csv::StringRecord::new();
    let bytes = text.as_bytes();
    // Line numbers are counted from byte offsets: the reader's own line count skips blank lines.
    let (mut counted_to, mut line) = (0usize, 0u64);
    while reader.read_record(&mut record).map_err(|e| Error::format("CSV", e))? {
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .clamp(counted_to, bytes.len());
        // A record's reported start includes the blank lines skipped before it.
        while matches!(bytes.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        line += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count() as u64;
        counted_to = start;
        table.push_iter(
            line,
            record.len(),
            record.iter().map(|c| Some(trim(c)).filter(|c| !c.is_empty())),
        );
    }
    line += memchr::memchr_iter(b'\n', &bytes[counted_to..]).count() as u64;
    Ok((table, line))
}

/// Whether text has no quote and no carriage return but before a line feed: then every line
/// is a record and every delimiter ends a cell, as the CSV reader would read them.
fn is_plain(bytes: &[u8]) -> bool {
    memchr::memchr(b'"', bytes).is_none() && memchr::memchr_iter(b'\r', bytes).all(|i| bytes.get(i + 1) == Some(&b'\n'))
}

/// The positions of two bytes in a text, in order. The text is read 64 bytes at a time into a
/// bit mask of the positions (compare and pack, which the compiler turns into vector
/// instructions), so a cell costs a few instructions however short it is.
struct Hits<'a> {
    bytes: &'a [u8],
    a: u8,
    b: u8,
    /// Where the block after the one in `mask` starts.
    next: usize,
    /// The block's positions still to hand out, one bit each.
    mask: u64,
}

impl<'a> Hits<'a> {
    fn new(bytes: &'a [u8], a: u8, b: u8) -> Self {
        Hits {
            bytes,
            a,
            b,
            next: 0,
            mask: 0,
        }
    }

    /// The positions of `a` and `b` in 64 bytes, one bit each.
    #[inline]
    fn mask(block: &[u8; 64], a: u8, b: u8) -> u64 {
        let mut hits = [0u8; 64];
        for (h, &c) in hits.iter_mut().zip(block) {
            *h = u8::from(c == a) | u8::from(c == b);
        }
        // Eight 0/1 bytes become eight bits: the multiply gathers them in the top byte.
        let mut mask = 0u64;
        for (k, group) in hits.chunks_exact(8).enumerate() {
            let word = u64::from_le_bytes(<[u8; 8]>::try_from(group).unwrap_or_default());
            mask |= (word.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
        }
        mask
    }
}

impl Iterator for Hits<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            let rest = self.bytes.get(self.next..).filter(|r| !r.is_empty())?;
            self.mask = match <&[u8; 64]>::try_from(rest.get(..64).unwrap_or_default()) {
                Ok(block) => Self::mask(block, self.a, self.b),
                // The last, shorter block: padded, and the padding's bits dropped.
                Err(_) => {
                    let mut block = [0u8; 64];
                    block[..rest.len()].copy_from_slice(rest);
                    Self::mask(&block, self.a, self.b) & ((1u64 << rest.len()) - 1)
                }
            };
            self.next += 64;
        }
        let at = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.next - 64 + at)
    }
}

/// [`read_chunk`] for plain text (see [`is_plain`]): one pass over the delimiters and line
/// feeds, without the CSV reader's state machine.
fn read_plain_chunk(text: &str, delimiter: u8, mut table: TableBuilder) -> (TableBuilder, u64) {
    let bytes = text.as_bytes();
    let cell = |a: usize, b: usize| Some(trim(&text[a..b])).filter(|c| !c.is_empty());
    let mut cells: Vec<Option<&str>> = Vec::with_capacity(table.width() + 1);
    let (mut line, mut line_start, mut start) = (0u64, 0usize, 0usize);
    for i in Hits::new(bytes, delimiter, b'\n') {
        if bytes[i] == delimiter {
            cells.push(cell(start, i));
            start = i + 1;
            continue;
        }
        let end = if i > start && bytes[i - 1] == b'\r' { i - 1 } else { i };
        // The reader skips blank lines.
        if !(cells.is_empty() && end == line_start) {
            cells.push(cell(start, end));
            table.push_record(line, end - line_start, &cells);
        }
        cells.clear();
        line += 1;
        (line_start, start) = (i + 1, i + 1);
    }
    // A last record with no line end.
    if start < bytes.len() || !cells.is_empty() {
        let end = bytes.len() - usize::from(bytes.ends_with(b"\r"));
        if !(cells.is_empty() && end == line_start) {
            cells.push(cell(start, end));
            table.push_record(line, end - line_start, &cells);
        }
    }
    (table, line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RaggedRow;

    #[test]
    fn hits_are_where_memchr_finds_them() {
        // Lengths around the 64-byte blocks, and texts made mostly of the bytes sought.
        let mut seed = 7u64;
        for len in (0..200).chain([511, 512, 513, 4_096]) {
            for alphabet in [&b"ab;\n"[..], b"abcdefgh;", b";\n", b"x"] {
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        alphabet[(seed >> 33) as usize % alphabet.len()]
                    })
                    .collect();
                let found: Vec<usize> = Hits::new(&text, b';', b'\n').collect();
                let expected: Vec<usize> = memchr::memchr2_iter(b';', b'\n', &text).collect();
                assert_eq!(found, expected, "{len} bytes of {alphabet:?}");
            }
        }
    }

    /// Reads `text` through the stream in batches of `batch` bytes, within `limits`.
    fn stream_all(text: &[u8], batch: usize, limits: Limits) -> Result<Vec<Table>> {
        let options = IngestOptions {
            limits,
            batch_bytes: Some(batch),
            ..Default::default()
        };
        let mut stream = CsvStream::open(text, batch, &options)?;
        let mut out = Vec::new();
        while let Some(t) = stream.next_batch()? {
            out.push(t);
        }
        Ok(out)
    }

    #[test]
    fn limits_hold_while_streaming() {
        let defaults = Limits::default();
        // A NUL byte in the first block, or in a later one.
        let mut late = b"a,b\n".to_vec();
        late.extend(std::iter::repeat_n(b"1,2\n".as_slice(), 400_000).flatten());
        late.extend(b"3,\0\n");
        let e = stream_all(&late, 64 << 10, defaults).unwrap_err();
        assert!(
            matches!(e, Error::NotText { offset } if offset == late.len() as u64 - 2),
            "{e}"
        );
        assert!(matches!(
            stream_all(b"a\0b\n", 4, defaults),
            Err(Error::NotText { offset: 1 })
        ));
        // Rows, columns, record length and cell size.
        let rows = Limits {
            max_rows: 3,
            ..defaults
        };
        let e = stream_all(b"a\n1\n2\n3\n4\n", 4, rows).unwrap_err();
        assert!(
            matches!(
                e,
                Error::TooLarge {
                    bound: Bound::Rows,
                    limit: 3,
                    ..
                }
            ),
            "{e}"
        );
        let columns = Limits {
            max_columns: 2,
            ..defaults
        };
        let e = stream_all(b"a,b,c\n1,2,3\n", 4, columns).unwrap_err();
        assert!(
            matches!(
                e,
                Error::TooLarge {
                    bound: Bound::Columns,
                    ..
                }
            ),
            "{e}"
        );
        let cells = Limits {
            max_cell_bytes: 4,
            ..defaults
        };
        let mut open_quote = b"a,b\n1,\"".to_vec();
        open_quote.extend(std::iter::repeat_n(b'x', limits::max_record_bytes(&cells) + (3 << 20)));
        let e = stream_all(&open_quote, 1 << 20, cells).unwrap_err();
        assert!(
            matches!(
                e,
                Error::TooLarge {
                    bound: Bound::RecordBytes,
                    ..
                }
            ),
            "{e}"
        );
        let tables = stream_all(b"a,b\n1,panjang sekali\n2,ok\n", 1 << 20, cells).unwrap();
        let t = &tables[0];
        assert_eq!((t.cell(0, 1), t.cell(1, 1)), (None, Some("ok")));
        assert_eq!(t.notes.len(), 1);
        let note = &t.notes[0];
        assert_eq!(
            (note.code, note.row, note.column),
            (satudata_core::FindingCode::CellSizeError, Some(2), Some(2))
        );
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b\n\"x;y\",2\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
    }

    #[test]
    fn decodes_windows_1252_and_bom() {
        // The header's one label and the encoding the file was read in.
        let read = |bytes: &[u8], encoding: Option<Encoding>| {
            let options = IngestOptions {
                encoding,
                ..IngestOptions::default()
            };
            read_csv(bytes, &options).map(|t| {
                let Format::Csv { encoding, .. } = t.format else {
                    panic!("not read as CSV: {:?}", t.format)
                };
                (t.labels.concat(), encoding)
            })
        };
        let (t, e) = read(b"Kunjungan \x96 Total", None).unwrap();
        assert_eq!(e, Encoding::Windows1252);
        assert_eq!(t, "Kunjungan – Total");
        let (t, e) = read(b"\xEF\xBB\xBFTahun", None).unwrap();
        assert_eq!((t.as_str(), e), ("Tahun", Encoding::Utf8));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Tahun".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (t, e) = read(&utf16, None).unwrap();
        assert_eq!((t.as_str(), e), ("Tahun", Encoding::Utf16));
        assert!(matches!(
            read(b"\xFF\xFE", Some(Encoding::Utf8)),
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
    fn row_fingerprints_are_those_of_the_cells_held() {
        // Plain and quoted text, short and long rows, blank cells and a repeated row.
        for text in [
            &b"a;b;c\n1;2;3\n1;2\n;;\n1;2;3;4\n1;2;3\n"[..],
            b"a,b\n\"x,y\",2\nx,y\n\"x,y\",2\n",
        ] {
            let t = read_csv(text, &IngestOptions::default()).unwrap();
            assert_eq!(t.row_prints, crate::row_prints(&t.data).unwrap());
            assert_eq!(t.row_prints.len(), t.height());
        }
        let t = read_csv(b"a;b;c\n1;2;3\n1;2\n;;\n1;2;3;4\n1;2;3\n", &IngestOptions::default()).unwrap();
        // The long row keeps the header's width, so it repeats the first.
        assert_eq!(t.row_prints[0], t.row_prints[3]);
        assert_eq!(t.row_prints[0], t.row_prints[4]);
        assert_ne!(t.row_prints[0], t.row_prints[1]);
        assert_eq!(t.row_prints[2], satudata_core::fingerprint::blank_row(3));
    }

    #[test]
    fn duplicate_and_blank_labels_survive() {
        let t = read_csv(b"a,a,\n1,2,3\n", &IngestOptions::default()).unwrap();
        assert_eq!(t.labels, ["a", "a", ""]);
        assert_eq!(t.cell(0, 2), Some("3"));
    }

    #[test]
    fn big_files_are_read_in_chunks_with_their_line_numbers() {
        let mut text = String::from("id;nama\n");
        let mut expected_lines = Vec::new();
        let mut line = 1;
        for i in 0..200_000 {
            line += 1;
            if i % 1000 == 7 {
                // A quoted field across two lines, and a blank line.
                text.push_str(&format!("{i};\"baris\nkedua\"\n\n"));
                expected_lines.push(line);
                line += 2;
            } else {
                text.push_str(&format!("{i};nama {i}\n"));
                expected_lines.push(line);
            }
        }
        assert!(text.len() > 1 << 20, "the test must span several chunks");
        let t = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
        assert_eq!(t.height(), 200_000);
        assert_eq!(t.row_numbers, expected_lines);
        assert_eq!(t.cell(7, 1), Some("baris\nkedua"));
        assert_eq!(t.cell(199_999, 0), Some("199999"));
        assert!(split_lines(text.as_bytes(), 8).len() > 1);
        assert!(t.ragged.is_empty());
    }

    #[test]
    fn unquoted_files_split_at_any_line_end() {
        let mut text = String::from("a,b\n");
        for i in 0..200_000 {
            text.push_str(&format!("{i},{}\n", i * 2));
        }
        let chunks = split_lines(text.as_bytes(), 8);
        assert!(chunks.len() > 1);
        assert!(
            chunks
                .windows(2)
                .all(|w| w[0].1 == w[1].0 && text.as_bytes()[w[0].1 - 1] == b'\n')
        );
        let t = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
        assert_eq!(t.height(), 200_000);
        assert_eq!(t.row_numbers[199_999], 200_001);
        assert_eq!(t.cell(150_000, 1), Some("300000"));
    }

    /// Every batch of a stream, as (row numbers, first column).
    fn batches(bytes: &[u8], batch: usize) -> Vec<(Vec<u64>, Vec<Option<String>>)> {
        let options = IngestOptions {
            batch_bytes: Some(batch),
            ..IngestOptions::default()
        };
        let mut stream = crate::open(bytes, &options).unwrap();
        let mut out = Vec::new();
        while let Some(t) = stream.next_batch().unwrap() {
            let first = t.column(0).unwrap().iter().map(|c| c.map(str::to_owned)).collect();
            out.push((t.row_numbers, first));
        }
        out
    }

    #[test]
    fn streams_cut_between_records_and_keep_line_numbers() {
        let text = "id;nama\n1;a\n2;\"baris\nkedua\"\n\n3;c\n4;\"x;\"\"y\"\"\"\n5;e";
        let whole = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
        for batch in [1, 5, 12, 1000] {
            let parts = batches(text.as_bytes(), batch);
            let rows: Vec<u64> = parts.iter().flat_map(|(r, _)| r.clone()).collect();
            let ids: Vec<Option<String>> = parts.iter().flat_map(|(_, c)| c.clone()).collect();
            assert_eq!(rows, whole.row_numbers, "batch {batch}");
            assert_eq!(rows, [2, 3, 6, 7, 8]);
            assert_eq!(
                ids,
                ["1", "2", "3", "4", "5"].map(|s| Some(s.to_owned())),
                "batch {batch}"
            );
            if batch == 1 {
                assert_eq!(parts.len(), 5, "one record per batch");
            }
        }
    }

    #[test]
    fn streams_decode_other_encodings_across_blocks() {
        let mut text = String::from("kode,nama\n");
        for i in 0..100_000 {
            text.push_str(&format!("{i},Kunjungan – {i}\n"));
        }
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        for (bytes, encoding) in [(utf16, Encoding::Utf16), (cp1252.into_owned(), Encoding::Windows1252)] {
            let options = IngestOptions {
                batch_bytes: Some(100_000),
                ..IngestOptions::default()
            };
            let mut stream = crate::open(&bytes[..], &options).unwrap();
            assert_eq!(
                stream.format(),
                &Format::Csv {
                    encoding,
                    delimiter: b','
                }
            );
            let (mut rows, mut parts) = (0, 0);
            while let Some(t) = stream.next_batch().unwrap() {
                if rows == 0 {
                    assert_eq!(t.cell(0, 1), Some("Kunjungan – 0"));
                }
                rows += t.height();
                parts += 1;
                assert_eq!(t.row_numbers[0], rows as u64 - t.height() as u64 + 2);
            }
            assert_eq!(rows, 100_000);
            assert!(parts > 10, "{encoding:?}: {parts} batches");
        }
    }

    #[test]
    fn plain_lines_read_as_the_csv_reader_reads_them() {
        let labels = vec!["a".to_owned(), "b".to_owned()];
        let texts = [
            "1,2\n3,4\n",
            "1,2\r\n3,4\r\n",
            "1,2\n\n\n3,4",
            "\n\r\n1,2\n",
            " 1 , 2\t\n  \n,\n,,\n5\n",
            "x,y,z,w\r\n\r\n\r\n",
            "",
            "\n",
            "ä,ö\n€,\n",
            "1,2,",
            "a,\r\nb",
            ",\n,",
            "\r\n",
            "x",
        ];
        let view = |(t, lines): (TableBuilder, u64)| {
            let table = TableBuilder::concat(
                labels.clone(),
                vec![t],
                Format::Csv {
                    encoding: Encoding::Utf8,
                    delimiter: b',',
                },
            )
            .unwrap();
            let cells: Vec<Vec<Option<String>>> = (0..table.height())
                .map(|r| (0..2).map(|c| table.cell(r, c).map(str::to_owned)).collect())
                .collect();
            (cells, table.row_numbers, table.ragged, lines)
        };
        for text in texts {
            assert!(is_plain(text.as_bytes()), "{text:?}");
            let plain = view(read_plain_chunk(text, b',', TableBuilder::new(labels.clone(), 4)));
            let csv = view(read_quoted_chunk(text, b',', TableBuilder::new(labels.clone(), 4)).unwrap());
            assert_eq!(plain, csv, "{text:?}");
        }
        assert!(!is_plain(b"1,\"2\"\n"));
        assert!(!is_plain(b"1,2\r3,4\n"));
        assert!(!is_plain(b"1,2\r"));
    }

    #[test]
    fn cells_are_trimmed() {
        assert_eq!(trim("  a b "), "a b");
        assert_eq!(trim("a b"), "a b");
        assert_eq!(trim("\u{a0}x\u{a0}"), "x");
        assert_eq!(trim(""), "");
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

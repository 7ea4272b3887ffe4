//! JSON records: an array of objects, or an object holding one under `data`, parsed as a
//! stream: each record becomes a row as it is read, and rows leave in batches, so memory holds
//! the file's bytes and one batch, never a document tree of the whole file.
//!
//! The header is the first record's keys, in order, as Frictionless reads keyed rows; a key the
//! first record lacks makes its row ragged (an extra cell), a missing key an empty cell.

use std::collections::HashMap;
use std::fmt;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::limits::Limits;
use crate::{Bound, Error, Format, Result, Table, TableBuilder, number_text};

/// Records per batch.
const BATCH_ROWS: usize = 50_000;

/// What the parsing thread sends: the header once, then batches, or the error that stopped it.
enum Message {
    Labels(Vec<String>),
    Batch(Box<Table>),
    /// Every record was read.
    End,
}

/// JSON records read on a thread of their own, batch by batch.
pub(crate) struct JsonStream {
    labels: Vec<String>,
    receiver: Receiver<Result<Message>>,
    /// The last batch, or an error, was handed out.
    done: bool,
}

impl JsonStream {
    /// Starts parsing `bytes` and waits for the header.
    pub(crate) fn open(bytes: Vec<u8>, limits: &Limits) -> Result<Self> {
        let (sender, receiver) = sync_channel(1);
        let limits = *limits;
        std::thread::spawn(move || {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let mut sink = Sink::new(sender.clone(), limits);
            let parsed = parse(body, &mut sink).and_then(|()| sink.flush(true));
            let _ = sender.send(parsed.map(|()| Message::End));
        });
        match receiver.recv() {
            Ok(Ok(Message::Labels(labels))) => Ok(JsonStream {
                labels,
                receiver,
                done: false,
            }),
            Ok(Ok(Message::Batch(_) | Message::End)) => Err(Error::Empty),
            Err(_) => Err(stopped()),
            Ok(Err(e)) => Err(e),
        }
    }

    /// The header: the first record's keys.
    pub(crate) fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The next batch of rows; `None` after the last.
    pub(crate) fn next_batch(&mut self) -> Result<Option<Table>> {
        if self.done {
            return Ok(None);
        }
        let next = match self.receiver.recv() {
            Ok(Ok(Message::Batch(table))) => return Ok(Some(*table)),
            Ok(Ok(Message::Labels(_) | Message::End)) => Ok(None),
            // The parsing thread ended without saying it was done: it failed.
            Err(_) => Err(stopped()),
            Ok(Err(e)) => Err(e),
        };
        self.done = true;
        next
    }
}

/// Reads JSON records into one [`Table`]; record `i` is row `i + 2` (as if the keys were a
/// header row).
pub fn read_json(bytes: &[u8]) -> Result<Table> {
    read_json_with(bytes, &Limits::default())
}

/// Reads JSON records into one [`Table`] within `limits`, batch by batch.
pub(crate) fn read_json_with(bytes: &[u8], limits: &Limits) -> Result<Table> {
    let mut stream = JsonStream::open(bytes.to_vec(), limits)?;
    let labels = stream.labels.clone();
    crate::gather(labels, Format::Json, || stream.next_batch())
}

/// The error for a parse that stopped without an answer.
fn stopped() -> Error {
    Error::format("JSON", "the reader stopped before the end of the file")
}

fn shape_error() -> Error {
    Error::format("JSON", "expected an array of objects or {\"data\": [...]}")
}

/// Parses the document, handing each record to `sink`.
fn parse(body: &[u8], sink: &mut Sink) -> Result<()> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let found = de
        .deserialize_any(Document { sink: &mut *sink })
        .map_err(|e| sink.error.take().unwrap_or_else(|| Error::format("JSON", e)))?;
    de.end().map_err(|e| Error::format("JSON", e))?;
    if found { Ok(()) } else { Err(shape_error()) }
}

/// Where records go: rows of the current batch, sent on when full.
struct Sink {
    sender: SyncSender<Result<Message>>,
    limits: Limits,
    labels: Option<Vec<String>>,
    positions: HashMap<String, usize>,
    table: Option<TableBuilder>,
    rows: u64,
    /// The error that stopped parsing, when it was ours (a limit, a shape), not the parser's.
    error: Option<Error>,
}

impl Sink {
    fn new(sender: SyncSender<Result<Message>>, limits: Limits) -> Self {
        Sink {
            sender,
            limits,
            labels: None,
            positions: HashMap::new(),
            table: None,
            rows: 0,
            error: None,
        }
    }

    /// Adds one record's cells, in the order they came.
    fn record(&mut self, cells: Vec<(String, Option<String>)>) -> Result<()> {
        if self.labels.is_none() {
            self.start(cells.iter().map(|(k, _)| k.clone()).collect())?;
        }
        // One column a label of the first record, a repeated key too (`{"a": 1, "a": 2}`: the
        // validator reports the duplicate label); a key's value goes to its last column.
        let width = self.labels.as_ref().map_or(0, Vec::len);
        let mut row: Vec<Option<String>> = vec![None; width];
        let mut extra = 0;
        for (key, value) in cells {
            match self.positions.get(&key).and_then(|&i| row.get_mut(i)) {
                Some(slot) => *slot = value,
                None => extra += 1,
            }
        }
        self.rows += 1;
        if self.rows > self.limits.max_rows {
            return Err(Error::too_large("JSON", Bound::Rows, self.limits.max_rows));
        }
        let (labels, limits) = (&self.labels, &self.limits);
        let table = self.table.get_or_insert_with(|| {
            TableBuilder::new(labels.clone().unwrap_or_default(), BATCH_ROWS).with_limits(limits)
        });
        table.push_iter(self.rows + 1, width + extra, row.iter().map(Option::as_deref));
        if table.len() >= BATCH_ROWS {
            self.flush(false)?;
        }
        Ok(())
    }

    /// Settles the header from the first record and sends it.
    fn start(&mut self, labels: Vec<String>) -> Result<()> {
        if labels.len() > self.limits.max_columns {
            return Err(Error::too_large("JSON", Bound::Columns, self.limits.max_columns));
        }
        self.positions = labels.iter().enumerate().map(|(i, k)| (k.clone(), i)).collect();
        self.send(Message::Labels(labels.clone()))?;
        self.labels = Some(labels);
        Ok(())
    }

    /// Sends the rows held; at the end, a file of no records is empty.
    fn flush(&mut self, last: bool) -> Result<()> {
        if last && self.labels.is_none() {
            return Err(Error::Empty);
        }
        if let Some(table) = self.table.take() {
            self.send(Message::Batch(Box::new(table.finish(Format::Json)?)))?;
        }
        Ok(())
    }

    /// Sends a message; a reader that has gone away stops the parse.
    fn send(&self, message: Message) -> Result<()> {
        self.sender
            .send(Ok(message))
            .map_err(|_| Error::format("JSON", "the reader stopped"))
    }
}

/// The top of the document: the array of records, or an object with one under `data`.
struct Document<'s> {
    sink: &'s mut Sink,
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects or {\"data\": [...]}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element_seed(RecordSeed { sink: &mut *self.sink })?.is_some() {}
        Ok(true)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "data" && !found {
                found = map.next_value_seed(Records { sink: &mut *self.sink })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// The array under `data`.
struct Records<'s> {
    sink: &'s mut Sink,
}

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        Document { sink: self.sink }.visit_seq(seq)
    }
}

/// One record.
struct RecordSeed<'s> {
    sink: &'s mut Sink,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("every record must be an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut cells = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            cells.push((key, value_text(&value)));
        }
        self.sink.record(cells).map_err(|e| {
            let text = e.to_string();
            self.sink.error = Some(e);
            serde::de::Error::custom(text)
        })
    }
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(
            n.as_i64()
                .map_or_else(|| number_text(n.as_f64().unwrap_or(f64::NAN)), |i| i.to_string()),
        ),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(n: usize) -> Vec<u8> {
        let rows: Vec<String> = (0..n).map(|i| format!("{{\"kode\":\"{i}\",\"jumlah\":{i}}}")).collect();
        format!("{{\"meta\":{{\"x\":[1]}},\"data\":[{}]}}", rows.join(",")).into_bytes()
    }

    #[test]
    fn records_arrive_in_batches() {
        let mut stream = JsonStream::open(records(BATCH_ROWS + 7), &Limits::default()).unwrap();
        assert_eq!(stream.labels(), ["kode", "jumlah"]);
        let first = stream.next_batch().unwrap().unwrap();
        assert_eq!(first.height(), BATCH_ROWS);
        let second = stream.next_batch().unwrap().unwrap();
        assert_eq!(second.height(), 7);
        assert_eq!(second.row_numbers[0], BATCH_ROWS as u64 + 2);
        assert_eq!(second.cell(6, 1), Some(&*(BATCH_ROWS + 6).to_string()));
        assert!(stream.next_batch().unwrap().is_none());
    }

    #[test]
    fn the_first_record_is_the_header() {
        let t = read_json(br#"[{"a":1,"b":"x"},{"b":"y","c":true},{"a":2.50}]"#).unwrap();
        assert_eq!(t.labels, ["a", "b"]);
        assert_eq!((t.cell(1, 0), t.cell(1, 1)), (None, Some("y")));
        assert_eq!(t.ragged.len(), 1, "an unknown key is an extra cell");
        assert_eq!((t.ragged[0].row, t.ragged[0].cells), (3, 3));
        assert_eq!(t.cell(2, 0), Some("2.5"));
    }

    #[test]
    fn bad_documents_are_format_errors() {
        let deep = "[".repeat(100_000);
        for doc in [
            deep.as_bytes(),
            b"[{\"a\":1}",
            b"[1,2]",
            b"{\"rows\":[]}",
            b"\"teks\"",
            b"[{\"a\":1}] x",
        ] {
            let e = read_json(doc).unwrap_err();
            assert!(matches!(e, Error::Format { format: "JSON", .. }), "{e}");
        }
        assert!(matches!(read_json(b"[]"), Err(Error::Empty)));
        let limits = Limits {
            max_rows: 3,
            ..Limits::default()
        };
        let mut stream = JsonStream::open(records(10), &limits).unwrap();
        assert!(matches!(
            stream.next_batch(),
            Err(Error::TooLarge { bound: Bound::Rows, .. })
        ));
    }
}

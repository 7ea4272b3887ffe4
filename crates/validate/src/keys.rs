//! Finding equal keys (duplicate rows, unique values, primary keys) in tables of any length.
//!
//! Each row gives a 128-bit fingerprint of its key and its row number. Entries are held in
//! memory up to a budget; past it they are sorted and written to a temporary file (a run), and
//! [`KeyIndex::finish`] merges the runs so that equal fingerprints meet, in row order. Memory
//! stays bounded whatever the length of the file, and a file that fits the budget never touches
//! the disk.
//!
//! Two different keys share a fingerprint with a probability of about `n² / 2¹²⁹`: below
//! 10⁻²² for a hundred million rows.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use rayon::slice::ParallelSliceMut;

/// The least memory an index is given, whatever the budget says.
const MIN_BUDGET: usize = 1 << 20;

/// A 128-bit fingerprint of a cell, a key or a row.
pub(crate) type Fingerprint = u128;

const SEED_A: u64 = 0x05a7_da7a_0000_0001;
const SEED_B: u64 = 0x5a7d_a7a0_0000_0002;

/// The fingerprint of one cell; an empty cell has its own.
pub(crate) fn fingerprint(value: Option<&str>) -> Fingerprint {
    match value {
        Some(v) => xxhash_rust::xxh3::xxh3_128_with_seed(v.as_bytes(), SEED_A),
        None => 0x6e75_6c6c_6e75_6c6c_u128 ^ u128::from(SEED_B),
    }
}

/// Folds the next cell's fingerprint into a running key fingerprint (order matters).
pub(crate) fn combine(acc: Fingerprint, next: Fingerprint) -> Fingerprint {
    const K: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835;
    (acc.rotate_left(29) ^ next).wrapping_mul(K)
}

/// One key occurrence: its fingerprint, its row, an optional second fingerprint (the whole
/// row's, for primary keys) and the text to show in a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) key: Fingerprint,
    pub(crate) row: u64,
    pub(crate) tag: Fingerprint,
    pub(crate) text: Box<str>,
}

impl Entry {
    /// Bytes the entry takes in memory, roughly.
    fn weight(&self) -> usize {
        std::mem::size_of::<Entry>() + self.text.len()
    }

    /// Writes the entry to a run: key, row, text length, then the tag (only in `tagged`
    /// indexes) and the text.
    fn write(&self, out: &mut impl Write, tagged: bool) -> std::io::Result<()> {
        out.write_all(&self.key.to_le_bytes())?;
        out.write_all(&self.row.to_le_bytes())?;
        out.write_all(&(self.text.len() as u32).to_le_bytes())?;
        if tagged {
            out.write_all(&self.tag.to_le_bytes())?;
        }
        out.write_all(self.text.as_bytes())
    }

    fn read(input: &mut impl Read, tagged: bool) -> std::io::Result<Option<Entry>> {
        let mut head = [0u8; 28];
        match input.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let key = u128::from_le_bytes(<[u8; 16]>::try_from(&head[0..16]).unwrap_or_default());
        let row = u64::from_le_bytes(<[u8; 8]>::try_from(&head[16..24]).unwrap_or_default());
        let len = u32::from_le_bytes(<[u8; 4]>::try_from(&head[24..28]).unwrap_or_default()) as usize;
        let mut tag = [0u8; 16];
        if tagged {
            input.read_exact(&mut tag)?;
        }
        let mut text = vec![0u8; len];
        input.read_exact(&mut text)?;
        let text = String::from_utf8(text).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        Ok(Some(Entry {
            key,
            row,
            tag: u128::from_le_bytes(tag),
            text: text.into_boxed_str(),
        }))
    }
}

/// Key occurrences collected over a whole table, spilled to sorted runs on disk past a budget.
#[derive(Debug)]
pub(crate) struct KeyIndex {
    entries: Vec<Entry>,
    weight: usize,
    budget: usize,
    spill_dir: Option<PathBuf>,
    runs: Vec<File>,
    /// Entries added, over all runs.
    len: u64,
    /// Whether entries carry a tag (spilled runs keep tags only then).
    tagged: bool,
    /// Runs kept before they are merged into one.
    max_runs: usize,
}

impl KeyIndex {
    /// An index that keeps about `budget` bytes in memory before spilling to `spill_dir` (the
    /// system's temporary directory when `None`); `tagged` when entries carry a tag.
    pub(crate) fn new(budget: usize, spill_dir: Option<PathBuf>, tagged: bool) -> Self {
        KeyIndex {
            entries: Vec::new(),
            weight: 0,
            budget: budget.max(MIN_BUDGET),
            spill_dir,
            runs: Vec::new(),
            len: 0,
            tagged,
            max_runs: 64,
        }
    }

    /// Adds an occurrence. Rows must arrive in increasing order.
    pub(crate) fn push(&mut self, entry: Entry) -> std::io::Result<()> {
        if self.entries.capacity() == 0 {
            // Room for a whole run at once: the vector never doubles past the budget.
            self.entries.reserve(self.budget / std::mem::size_of::<Entry>() + 1);
        }
        self.weight += entry.weight();
        self.entries.push(entry);
        self.len += 1;
        if self.weight >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many sorted runs went to disk.
    #[cfg(test)]
    pub(crate) fn runs(&self) -> usize {
        self.runs.len()
    }

    fn sort(entries: &mut [Entry]) {
        entries.par_sort_unstable_by(|a, b| (a.key, a.row).cmp(&(b.key, b.row)));
    }

    fn spill(&mut self) -> std::io::Result<()> {
        Self::sort(&mut self.entries);
        let mut out = BufWriter::with_capacity(1 << 20, self.temp_file()?);
        for e in &self.entries {
            e.write(&mut out, self.tagged)?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        self.runs.push(file);
        self.entries.clear();
        self.weight = 0;
        if self.runs.len() >= self.max_runs {
            self.compact()?;
        }
        Ok(())
    }

    /// Calls `group` with every set of two or more entries sharing a key, in row order.
    pub(crate) fn finish(mut self, mut group: impl FnMut(&[Entry])) -> std::io::Result<()> {
        if self.len < 2 {
            return Ok(());
        }
        Self::sort(&mut self.entries);
        if self.runs.is_empty() {
            // Everything is in memory, sorted: equal keys are neighbours.
            for run in self.entries.chunk_by(|a, b| a.key == b.key) {
                if run.len() > 1 {
                    group(run);
                }
            }
            return Ok(());
        }
        let runs = std::mem::take(&mut self.runs);
        let mut sources = self.sources(runs);
        sources.push(Source::Memory(std::mem::take(&mut self.entries).into_iter()));
        let mut merged = Merge::new(sources)?;
        let mut current: Vec<Entry> = Vec::new();
        while let Some(entry) = merged.next()? {
            if current.first().is_some_and(|c| c.key != entry.key) {
                if current.len() > 1 {
                    group(&current);
                }
                current.clear();
            }
            current.push(entry);
        }
        if current.len() > 1 {
            group(&current);
        }
        Ok(())
    }

    fn sources(&self, runs: Vec<File>) -> Vec<Source> {
        runs.into_iter()
            .map(|f| Source::Run(BufReader::with_capacity(1 << 16, f), self.tagged))
            .collect()
    }

    /// Merges all runs into one, so that the open files stay few however long the table.
    fn compact(&mut self) -> std::io::Result<()> {
        let runs = std::mem::take(&mut self.runs);
        let mut merged = Merge::new(self.sources(runs))?;
        let mut out = BufWriter::with_capacity(1 << 20, self.temp_file()?);
        while let Some(entry) = merged.next()? {
            entry.write(&mut out, self.tagged)?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        self.runs.push(file);
        Ok(())
    }

    fn temp_file(&self) -> std::io::Result<File> {
        match &self.spill_dir {
            Some(dir) => tempfile::tempfile_in(dir),
            None => tempfile::tempfile(),
        }
    }
}

/// A k-way merge of sorted sources on (key, row).
struct Merge {
    sources: Vec<Source>,
    heads: Vec<Option<Entry>>,
    heap: BinaryHeap<Reverse<(Fingerprint, u64, usize)>>,
}

impl Merge {
    fn new(mut sources: Vec<Source>) -> std::io::Result<Self> {
        let mut heads = Vec::with_capacity(sources.len());
        let mut heap = BinaryHeap::new();
        for (i, source) in sources.iter_mut().enumerate() {
            let head = source.next()?;
            if let Some(e) = &head {
                heap.push(Reverse((e.key, e.row, i)));
            }
            heads.push(head);
        }
        Ok(Merge { sources, heads, heap })
    }

    fn next(&mut self) -> std::io::Result<Option<Entry>> {
        while let Some(Reverse((_, _, i))) = self.heap.pop() {
            let Some(entry) = self.heads[i].take() else { continue };
            let next = self.sources[i].next()?;
            if let Some(e) = &next {
                self.heap.push(Reverse((e.key, e.row, i)));
            }
            self.heads[i] = next;
            return Ok(Some(entry));
        }
        Ok(None)
    }
}

enum Source {
    Run(BufReader<File>, bool),
    Memory(std::vec::IntoIter<Entry>),
}

impl Source {
    fn next(&mut self) -> std::io::Result<Option<Entry>> {
        match self {
            Source::Run(r, tagged) => Entry::read(r, *tagged),
            Source::Memory(m) => Ok(m.next()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(value: &str, row: u64) -> Entry {
        Entry {
            key: fingerprint(Some(value)),
            row,
            tag: 0,
            text: value.into(),
        }
    }

    fn groups(index: KeyIndex) -> Vec<Vec<(String, u64)>> {
        let mut out = Vec::new();
        index
            .finish(|g| out.push(g.iter().map(|e| (e.text.to_string(), e.row)).collect()))
            .unwrap();
        out.sort();
        out
    }

    #[test]
    fn equal_keys_meet_in_row_order_in_memory_and_on_disk() {
        let values: Vec<String> = (0..100_000).map(|i| format!("v{}", i % 7_000)).collect();
        let mut small = KeyIndex::new(0, None, false);
        let mut merged = KeyIndex::new(0, None, false);
        merged.max_runs = 2;
        let mut large = KeyIndex::new(1 << 30, None, false);
        for (row, v) in values.iter().enumerate() {
            for index in [&mut small, &mut merged, &mut large] {
                index.push(entry(v, row as u64 + 2)).unwrap();
            }
        }
        assert!(small.runs() > 3, "the small budget must spill");
        assert_eq!(merged.runs(), 1, "runs are merged past max_runs");
        assert_eq!(large.runs(), 0);
        let (a, b, c) = (groups(small), groups(merged), groups(large));
        assert_eq!(a, c);
        assert_eq!(b, c);
        assert_eq!(a.len(), 7_000);
        assert_eq!(a[0].len(), 15);
        assert_eq!(a[0][..2], [("v0".to_owned(), 2), ("v0".to_owned(), 7_002)]);
    }

    #[test]
    fn tags_survive_a_spill() {
        let mut index = KeyIndex::new(0, None, true);
        for row in 0..40_000u64 {
            let mut e = entry(&format!("k{}", row % 3), row);
            e.tag = u128::from(row) << 64 | 7;
            index.push(e).unwrap();
        }
        assert!(index.runs() > 0);
        let mut seen = 0;
        index
            .finish(|g| {
                for e in g {
                    assert_eq!(e.tag, u128::from(e.row) << 64 | 7);
                    seen += 1;
                }
            })
            .unwrap();
        assert_eq!(seen, 40_000);
    }

    #[test]
    fn fingerprints_tell_empty_from_text_and_order_matters() {
        assert_ne!(fingerprint(None), fingerprint(Some("")));
        let ab = combine(combine(0, fingerprint(Some("a"))), fingerprint(Some("b")));
        let ba = combine(combine(0, fingerprint(Some("b"))), fingerprint(Some("a")));
        assert_ne!(ab, ba);
    }
}

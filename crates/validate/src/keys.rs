//! Finding equal keys (duplicate rows, unique values, primary keys) in tables of any length.
//!
//! Each row gives a 128-bit fingerprint of its key and its row number. Entries are held in
//! memory up to a budget; past it they are sorted and written to a temporary file (a run), and
//! [`KeyIndex::finish`] merges the runs so that equal fingerprints meet, in row order. Memory
//! stays bounded whatever the length of the file, and a file that fits the budget never touches
//! the disk.
//!
//! Fingerprints are those of [`satudata_core::fingerprint`].

use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use rayon::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};
use rayon::slice::{ParallelSlice, ParallelSliceMut};

/// The least memory an index is given, whatever the budget says.
const MIN_BUDGET: usize = 1 << 20;

pub(crate) use satudata_core::fingerprint::{Fingerprint, cell as fingerprint, combine};

/// Seed of the in-memory hash table on fingerprints.
const TABLE_SEED: u64 = 0x05a7_da7a_0000_0001;

/// One key occurrence as [`KeyIndex::finish`] hands it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occurrence<'a> {
    /// Its row.
    pub(crate) row: u64,
    /// The second fingerprint it carried (the whole row's, for primary keys), or 0.
    pub(crate) tag: Fingerprint,
    /// The text to show in a finding.
    pub(crate) text: &'a str,
}

/// An occurrence held in memory: 32 bytes, its tag and text in the index's arena.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: Fingerprint,
    row: u64,
    at: u32,
    len: u32,
}

impl Slot {
    /// The occurrence this slot holds, its tag and text read from `arena`.
    fn occurrence(self, arena: &[u8], tagged: bool) -> Occurrence<'_> {
        let mut at = self.at as usize;
        let mut tag = 0;
        if tagged {
            tag = u128::from_le_bytes(<[u8; 16]>::try_from(&arena[at..at + 16]).unwrap_or_default());
            at += 16;
        }
        Occurrence {
            row: self.row,
            tag,
            text: std::str::from_utf8(&arena[at..at + self.len as usize]).unwrap_or_default(),
        }
    }
}

/// An occurrence read back from a run.
#[derive(Debug, Clone, Default)]
struct Owned {
    key: Fingerprint,
    row: u64,
    tag: Fingerprint,
    text: String,
}

impl Owned {
    fn occurrence(&self) -> Occurrence<'_> {
        Occurrence {
            row: self.row,
            tag: self.tag,
            text: &self.text,
        }
    }

    /// Writes a run record: key, row, text length, then the tag (in tagged indexes) and text.
    fn write(
        out: &mut impl Write,
        key: Fingerprint,
        row: u64,
        tag: Option<Fingerprint>,
        text: &[u8],
    ) -> std::io::Result<()> {
        out.write_all(&key.to_le_bytes())?;
        out.write_all(&row.to_le_bytes())?;
        out.write_all(&(text.len() as u32).to_le_bytes())?;
        if let Some(tag) = tag {
            out.write_all(&tag.to_le_bytes())?;
        }
        out.write_all(text)
    }

    fn read(input: &mut impl Read, tagged: bool) -> std::io::Result<Option<Owned>> {
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
        Ok(Some(Owned {
            key,
            row,
            tag: u128::from_le_bytes(tag),
            text,
        }))
    }
}

/// Key occurrences collected over a whole table, spilled to sorted runs on disk past a budget.
#[derive(Debug)]
pub(crate) struct KeyIndex {
    slots: Vec<Slot>,
    /// Tags (in tagged indexes) and texts of the slots in memory.
    arena: Vec<u8>,
    budget: usize,
    spill_dir: Option<PathBuf>,
    runs: Vec<File>,
    /// Occurrences added, over all runs.
    len: u64,
    /// Whether occurrences carry a tag.
    tagged: bool,
    /// Runs kept before they are merged into one.
    max_runs: usize,
}

impl KeyIndex {
    /// An index that keeps about `budget` bytes in memory before spilling to `spill_dir` (the
    /// system's temporary directory when `None`); `tagged` when occurrences carry a tag.
    pub(crate) fn new(budget: usize, spill_dir: Option<PathBuf>, tagged: bool) -> Self {
        KeyIndex {
            slots: Vec::new(),
            arena: Vec::new(),
            budget: budget.clamp(MIN_BUDGET, u32::MAX as usize),
            spill_dir,
            runs: Vec::new(),
            len: 0,
            tagged,
            max_runs: 64,
        }
    }

    /// Adds an occurrence of `key` at `row` (rows in increasing order), with its tag (kept in
    /// tagged indexes) and the text a finding would show: `parts` joined by `, `.
    pub(crate) fn push<'p>(
        &mut self,
        key: Fingerprint,
        row: u64,
        tag: Fingerprint,
        parts: impl IntoIterator<Item = &'p str>,
    ) -> std::io::Result<()> {
        if self.slots.capacity() == 0 {
            // Room for a run's slots at once: the vector never doubles past the budget.
            self.slots.reserve(self.budget / 48 + 1);
        }
        let at = self.arena.len() as u32;
        if self.tagged {
            self.arena.extend_from_slice(&tag.to_le_bytes());
        }
        let start = self.arena.len();
        for (n, part) in parts.into_iter().enumerate() {
            if n > 0 {
                self.arena.extend_from_slice(b", ");
            }
            self.arena.extend_from_slice(part.as_bytes());
        }
        self.slots.push(Slot {
            key,
            row,
            at,
            len: (self.arena.len() - start) as u32,
        });
        self.len += 1;
        if self.slots.len() * std::mem::size_of::<Slot>() + self.arena.len() >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many sorted runs went to disk.
    #[cfg(test)]
    pub(crate) fn runs(&self) -> usize {
        self.runs.len()
    }

    fn occurrence(&self, slot: &Slot) -> Occurrence<'_> {
        slot.occurrence(&self.arena, self.tagged)
    }

    fn sort(&mut self) {
        self.slots
            .par_sort_unstable_by(|a, b| (a.key, a.row).cmp(&(b.key, b.row)));
    }

    fn spill(&mut self) -> std::io::Result<()> {
        self.sort();
        let run = self.new_run(|out| {
            for slot in &self.slots {
                let o = self.occurrence(slot);
                Owned::write(out, slot.key, slot.row, self.tagged.then_some(o.tag), o.text.as_bytes())?;
            }
            Ok(())
        })?;
        self.runs.push(run);
        self.slots.clear();
        self.arena.clear();
        if self.runs.len() >= self.max_runs {
            self.compact()?;
        }
        Ok(())
    }

    /// Calls `group` with every set of two or more occurrences sharing a key, in row order.
    pub(crate) fn finish(mut self, mut group: impl FnMut(&[Occurrence<'_>])) -> std::io::Result<()> {
        if self.len < 2 {
            return Ok(());
        }
        if self.runs.is_empty()
            && let Some(mut repeats) = self.repeats_in_memory()
        {
            repeats.sort_unstable();
            let mut found = Vec::new();
            for run in repeats.chunk_by(|a, b| a.0 == b.0) {
                found.clear();
                found.push(self.occurrence(&self.slots[run[0].0 as usize]));
                found.extend(run.iter().map(|&(_, i)| self.occurrence(&self.slots[i as usize])));
                group(&found);
            }
            return Ok(());
        }
        self.sort();
        let mut merged = Merge::new(self.sources())?;
        let mut current: Vec<Owned> = Vec::new();
        let mut flush = |current: &mut Vec<Owned>| {
            if current.len() > 1 {
                let found: Vec<Occurrence<'_>> = current.iter().map(Owned::occurrence).collect();
                group(&found);
            }
            current.clear();
        };
        while let Some(entry) = merged.next()? {
            if current.first().is_some_and(|c| c.key != entry.key) {
                flush(&mut current);
            }
            current.push(entry);
        }
        flush(&mut current);
        Ok(())
    }

    /// With every slot in memory, in row order: (first occurrence, repeat) index pairs, found
    /// with hash tables on the fingerprints' low 64 bits instead of sorting the whole index.
    /// The slots are first dealt into partitions by their top bits, so that the tables are
    /// small enough for the cache and are filled in parallel. `None` when two different
    /// fingerprints of one partition share those bits (about one table in ten million at a
    /// million rows): the caller sorts instead.
    fn repeats_in_memory(&self) -> Option<Vec<(u32, u32)>> {
        const PART_BITS: u32 = 6;
        // Each share of the slots is dealt into its own partitions, in parallel. An entry
        // carries its key's low half, so that filling a table reads no slot.
        let share = self.slots.len().div_ceil(rayon::current_num_threads()).max(1);
        let dealt: Vec<Vec<Vec<(u64, u32)>>> = self
            .slots
            .par_chunks(share)
            .enumerate()
            .map(|(n, slots)| {
                let mut parts: Vec<Vec<(u64, u32)>> = (0..1 << PART_BITS)
                    .map(|_| Vec::with_capacity((slots.len() >> PART_BITS) + 16))
                    .collect();
                for (i, slot) in slots.iter().enumerate() {
                    let at = (n * share + i) as u32;
                    parts[(slot.key >> (128 - PART_BITS)) as usize].push((slot.key as u64, at));
                }
                parts
            })
            .collect();
        let found: Option<Vec<Vec<(u32, u32)>>> = (0..1usize << PART_BITS)
            .into_par_iter()
            .map(|p| {
                let len = dealt.iter().map(|parts| parts[p].len()).sum();
                let mut first: HashMap<u64, u32, foldhash::fast::FixedState> =
                    HashMap::with_capacity_and_hasher(len, foldhash::fast::FixedState::with_seed(TABLE_SEED));
                let mut repeats = Vec::new();
                for &(low, i) in dealt.iter().flat_map(|parts| &parts[p]) {
                    match first.entry(low) {
                        Entry::Occupied(e) if self.slots[*e.get() as usize].key == self.slots[i as usize].key => {
                            repeats.push((*e.get(), i));
                        }
                        Entry::Occupied(_) => return None,
                        Entry::Vacant(v) => {
                            v.insert(i);
                        }
                    }
                }
                Some(repeats)
            })
            .collect();
        Some(found?.concat())
    }

    /// The runs on disk and what is still in memory (sorted), as merge sources.
    fn sources(&mut self) -> Vec<Source> {
        let mut sources = self.take_runs();
        // The sorted slots are handed over as they are and read one at a time: copying them
        // into owned entries first would need twice their memory at the very end.
        sources.push(Source::Memory {
            slots: std::mem::take(&mut self.slots).into_iter(),
            arena: std::mem::take(&mut self.arena),
            tagged: self.tagged,
        });
        sources
    }

    /// Merges all runs into one, so that the open files stay few however long the table.
    fn compact(&mut self) -> std::io::Result<()> {
        let mut merged = Merge::new(self.take_runs())?;
        let run = self.new_run(|out| {
            while let Some(e) = merged.next()? {
                Owned::write(out, e.key, e.row, self.tagged.then_some(e.tag), e.text.as_bytes())?;
            }
            Ok(())
        })?;
        self.runs.push(run);
        Ok(())
    }

    /// The runs on disk, taken out of the index as merge sources.
    fn take_runs(&mut self) -> Vec<Source> {
        let tagged = self.tagged;
        std::mem::take(&mut self.runs)
            .into_iter()
            .map(|f| Source::Run(BufReader::with_capacity(1 << 16, f), tagged))
            .collect()
    }

    /// A temporary file filled by `fill` (sorted records) and rewound, ready to be read back.
    fn new_run(&self, fill: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) -> std::io::Result<File> {
        let file = match &self.spill_dir {
            Some(dir) => tempfile::tempfile_in(dir)?,
            None => tempfile::tempfile()?,
        };
        let mut out = BufWriter::with_capacity(1 << 20, file);
        fill(&mut out)?;
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}

/// A k-way merge of sorted sources on (key, row).
struct Merge {
    sources: Vec<Source>,
    heads: Vec<Option<Owned>>,
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

    fn next(&mut self) -> std::io::Result<Option<Owned>> {
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
    /// Sorted slots still in memory, with the arena their tags and texts are in.
    Memory {
        slots: std::vec::IntoIter<Slot>,
        arena: Vec<u8>,
        tagged: bool,
    },
}

impl Source {
    fn next(&mut self) -> std::io::Result<Option<Owned>> {
        match self {
            Source::Run(r, tagged) => Owned::read(r, *tagged),
            Source::Memory { slots, arena, tagged } => Ok(slots.next().map(|slot| {
                let o = slot.occurrence(arena, *tagged);
                Owned {
                    key: slot.key,
                    row: slot.row,
                    tag: o.tag,
                    text: o.text.to_owned(),
                }
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(index: &mut KeyIndex, value: &str, row: u64) {
        index.push(fingerprint(Some(value)), row, 0, [value]).unwrap();
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
        let values: Vec<String> = (0..200_000).map(|i| format!("v{}", i % 7_000)).collect();
        let mut small = KeyIndex::new(0, None, false);
        let mut merged = KeyIndex::new(0, None, false);
        merged.max_runs = 2;
        let mut large = KeyIndex::new(1 << 30, None, false);
        for (row, v) in values.iter().enumerate() {
            for index in [&mut small, &mut merged, &mut large] {
                push(index, v, row as u64 + 2);
            }
        }
        assert!(small.runs() > 3, "the small budget must spill");
        assert_eq!(merged.runs(), 1, "runs are merged past max_runs");
        assert_eq!(large.runs(), 0);
        let (a, b, c) = (groups(small), groups(merged), groups(large));
        assert_eq!(a, c);
        assert_eq!(b, c);
        assert_eq!(a.len(), 7_000);
        assert_eq!(a[0].len(), 29);
        assert_eq!(a[0][..2], [("v0".to_owned(), 2), ("v0".to_owned(), 7_002)]);
    }

    #[test]
    fn keys_sharing_their_low_half_are_still_told_apart() {
        let mut index = KeyIndex::new(0, None, false);
        let (a, b) = (1u128 << 64 | 5, 2u128 << 64 | 5);
        for (row, key) in [(2, a), (3, b), (4, a), (5, 7), (6, 7)] {
            index.push(key, row, 0, []).unwrap();
        }
        assert!(index.repeats_in_memory().is_none(), "the low halves collide");
        let mut groups = Vec::new();
        index
            .finish(|g| groups.push(g.iter().map(|o| o.row).collect::<Vec<_>>()))
            .unwrap();
        groups.sort();
        assert_eq!(groups, [vec![2, 4], vec![5, 6]]);
    }

    #[test]
    fn tags_survive_a_spill() {
        let mut index = KeyIndex::new(0, None, true);
        for row in 0..40_000u64 {
            let key = format!("k{}", row % 3);
            index
                .push(fingerprint(Some(&key)), row, u128::from(row) << 64 | 7, [key.as_str()])
                .unwrap();
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

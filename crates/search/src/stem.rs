//! The Indonesian stemmer: Enhanced Confix Stripping (ECS, Arifin et al. 2009, the algorithm of
//! Sastrawi) over the root-word list in `kata_dasar.txt`.
//!
//! A word is stemmed only when stripping its affixes ends on a root in the list; otherwise it
//! comes back unchanged. That is what keeps English words and place names (`dataset`,
//! `pontianak`, `ketapang`) intact and stops over-stemming (`selatan` is not `selat`).
//!
//! The steps, as in Sastrawi:
//! 1. A root, or a word of three letters or fewer, is its own stem.
//! 2. Some confixes (`be-lah`, `be-an`, `me-i`, `di-i`, `pe-i`, `ter-i`) take the prefix off
//!    before the suffix. Before that we try the suffix alone (`berikan` is `beri` + `-kan`, not
//!    `ber-` + `ikan`), which Sastrawi does not.
//! 3. Otherwise the suffixes go first: the particle (`-lah`, `-kah`, `-tah`, `-pun`), the
//!    possessive (`-ku`, `-mu`, `-nya`), the derivational suffix (`-i`, `-kan`, `-an`, and
//!    `-is`, `-isme`, `-isasi` of loan words), then up to three prefixes, each by the
//!    disambiguation rules of ECS (`meny-` + vowel is `s` + vowel or `ny` + vowel, ...).
//! 4. If no root was found, the suffixes are put back one at a time (`-kan` also as `-k`, for
//!    `pendidikan` = `pe-` + `didik` + `-an`) and the prefixes tried again.
//!
//! Left out: the infix rules (`-er-`, `-el-`, `-em-`, `-in-`) and the pronoun prefixes `ku-` and
//! `kau-`, which over-stem with a small root list and do not occur in dataset metadata.

use std::borrow::Cow;
use std::sync::LazyLock;

/// The root words, parsed once from the list committed with the crate.
static ROOTS: LazyLock<foldhash::HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("kata_dasar.txt")
        .lines()
        .map(|line| line.split_once('#').map_or(line, |(words, _)| words))
        .flat_map(str::split_whitespace)
        .collect()
});

/// The root words in order, for finding those that start with a given text.
static SORTED_ROOTS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut roots: Vec<&'static str> = ROOTS.iter().copied().collect();
    roots.sort_unstable();
    roots
});

/// Whether some root starts with `start`.
fn a_root_starts_with(start: &str) -> bool {
    let roots = &*SORTED_ROOTS;
    roots
        .get(roots.partition_point(|r| *r < start))
        .is_some_and(|r| r.starts_with(start))
}

/// For a word cut short while it is typed (`kependud`): the start of a root that its prefixes
/// leave (`dud`, of `duduk`), so that the query can find the stemmed documents before the word
/// is whole. `None` when the word stems, is the start of a root itself (`sekol`), or no prefix
/// of ECS leaves the start of a root of at least `min_len` bytes.
pub(crate) fn root_start(word: &str, min_len: usize) -> Option<String> {
    if !word.bytes().all(|b| b.is_ascii_lowercase()) || stem(word) != word || a_root_starts_with(word) {
        return None;
    }
    let mut current = word.to_owned();
    for _ in 0..3 {
        let (_, candidates) = prefix_candidates(&current)?;
        if let Some(start) = candidates.iter().find(|c| c.len() >= min_len && a_root_starts_with(c)) {
            return Some(start.clone());
        }
        current = candidates.into_iter().last()?;
    }
    None
}

/// Whether `word` is in the root-word list.
pub fn is_root(word: &str) -> bool {
    ROOTS.contains(word)
}

/// Returns the stem of one lowercase word: its root if the stemmer finds one in the root-word
/// list, else the word itself.
///
/// The word should come from [`normalize`](crate::normalize); anything that is not plain
/// lowercase ASCII letters (digits, other scripts) is returned as it is.
///
/// ```
/// use satudata_search::stem;
/// assert_eq!(stem("kependudukan"), "duduk");
/// assert_eq!(stem("persekolahan"), "sekolah");
/// assert_eq!(stem("pontianak"), "pontianak");
/// ```
pub fn stem(word: &str) -> Cow<'_, str> {
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) || is_root(word) || !may_have_affix(word) {
        return Cow::Borrowed(word);
    }
    let mut ecs = Ecs::new(word);
    ecs.run();
    if ecs.current != word && is_root(&ecs.current) {
        Cow::Owned(ecs.current)
    } else {
        Cow::Borrowed(word)
    }
}

/// Whether any rule could apply: every prefix rule starts with one of these, and every suffix
/// is in the three lists. A word with neither (`kilometer`, `pontianak`) skips the work.
fn may_have_affix(word: &str) -> bool {
    const STARTS: &[&str] = &["di", "ke", "se", "be", "te", "me", "pe"];
    STARTS.iter().any(|p| word.starts_with(p))
        || [PARTICLES, POSSESSIVES, DERIVATIONAL]
            .iter()
            .flat_map(|l| l.iter())
            .any(|s| word.ends_with(s))
}

/// What a removal took off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affix {
    Prefix,
    Suffix,
}

/// One affix taken off: the word before (`subject`), after (`result`) and the part removed.
#[derive(Debug, Clone)]
struct Removal {
    affix: Affix,
    subject: String,
    result: String,
    removed: &'static str,
}

/// The state of one word's stemming: the word as it is now and what was taken off.
struct Ecs<'a> {
    original: &'a str,
    current: String,
    removals: Vec<Removal>,
}

impl<'a> Ecs<'a> {
    fn new(original: &'a str) -> Self {
        Self {
            original,
            current: original.to_owned(),
            removals: Vec::new(),
        }
    }

    fn found(&self) -> bool {
        is_root(&self.current)
    }

    fn reset(&mut self) {
        self.current.clear();
        self.current.push_str(self.original);
        self.removals.clear();
    }

    fn run(&mut self) {
        if prefix_goes_first(self.original) {
            if self.in_order(&[Self::remove_suffixes]) {
                return;
            }
            self.reset();
            if self.in_order(&[Self::remove_prefixes, Self::remove_suffixes]) {
                return;
            }
            self.reset();
        }
        if !self.in_order(&[Self::remove_suffixes, Self::remove_prefixes]) {
            self.restore_suffixes();
        }
    }

    /// Runs `steps` until one ends on a root; whether one did.
    fn in_order(&mut self, steps: &[fn(&mut Self)]) -> bool {
        steps.iter().any(|step| {
            step(self);
            self.found()
        })
    }

    /// Particle, then possessive, then derivational suffix, stopping at a root.
    fn remove_suffixes(&mut self) {
        for suffixes in [PARTICLES, POSSESSIVES, DERIVATIONAL] {
            // The longest suffix that ends the word is the one a leftmost regex match takes.
            let hit = suffixes
                .iter()
                .filter(|s| self.current.len() >= s.len() + 2 && self.current.ends_with(*s))
                .max_by_key(|s| s.len());
            if let Some(&removed) = hit {
                let result = self.current[..self.current.len() - removed.len()].to_owned();
                self.record(Affix::Suffix, removed, result);
                if self.found() {
                    return;
                }
            }
        }
    }

    /// Up to three prefixes, one per pass, stopping at a root.
    fn remove_prefixes(&mut self) {
        for _ in 0..3 {
            let Some((removed, result)) = strip_prefix(&self.current) else {
                return;
            };
            self.record(Affix::Prefix, removed, result);
            if self.found() {
                return;
            }
        }
    }

    /// ECS's last step: put the prefixes back, then each suffix in turn, and strip prefixes again.
    fn restore_suffixes(&mut self) {
        if let Some(first) = self.removals.iter().find(|r| r.affix == Affix::Prefix) {
            self.current.clone_from(&first.subject);
        }
        self.removals.retain(|r| r.affix == Affix::Suffix);
        let removals = self.removals.clone();
        let before = self.current.clone();
        for removal in removals.iter().rev() {
            if removal.removed == "kan" {
                self.current = format!("{}k", removal.result);
                self.remove_prefixes();
                if self.found() {
                    return;
                }
                self.current = format!("{}kan", removal.result);
            } else {
                self.current.clone_from(&removal.subject);
            }
            self.remove_prefixes();
            if self.found() {
                return;
            }
            self.removals.clone_from(&removals);
            self.current.clone_from(&before);
        }
    }

    fn record(&mut self, affix: Affix, removed: &'static str, result: String) {
        let subject = std::mem::replace(&mut self.current, result);
        self.removals.push(Removal {
            affix,
            subject,
            result: self.current.clone(),
            removed,
        });
    }
}

const PARTICLES: &[&str] = &["lah", "kah", "tah", "pun"];
const POSSESSIVES: &[&str] = &["ku", "mu", "nya"];
const DERIVATIONAL: &[&str] = &["is", "isme", "isasi", "i", "kan", "an"];

/// The confixes whose prefix ECS removes before the suffix.
fn prefix_goes_first(word: &str) -> bool {
    const PAIRS: &[(&str, &str)] = &[
        ("be", "lah"),
        ("be", "an"),
        ("me", "i"),
        ("di", "i"),
        ("pe", "i"),
        ("ter", "i"),
    ];
    PAIRS
        .iter()
        .any(|(p, s)| word.len() > p.len() + s.len() && word.starts_with(p) && word.ends_with(s))
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'i' | b'u' | b'e' | b'o')
}

fn is_consonant(b: u8) -> bool {
    b.is_ascii_lowercase() && !is_vowel(b)
}

/// One prefix off `word` by the ECS rules: the prefix removed and the candidate left, the first
/// candidate that is a root, else the rule's last candidate (as Sastrawi chooses).
fn strip_prefix(word: &str) -> Option<(&'static str, String)> {
    let (removed, candidates) = prefix_candidates(word)?;
    let chosen = candidates
        .iter()
        .position(|c| is_root(c))
        .unwrap_or(candidates.len() - 1);
    candidates.into_iter().nth(chosen).map(|c| (removed, c))
}

/// The ECS disambiguation rules (numbers as in Sastrawi's `Rule*` classes).
fn prefix_candidates(w: &str) -> Option<(&'static str, Vec<String>)> {
    let b = w.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let from = |i: usize| w.get(i..).unwrap_or("");
    let rest = |i: usize| from(i).to_owned();
    let with = |head: &str, i: usize| format!("{head}{}", from(i));
    let one = |removed: &'static str, s: String| Some((removed, vec![s]));
    // Consonants other than `r` (rules 2, 3, 5, 7, 8, 9, 23, 24).
    let c_not_r = |x: u8| is_consonant(x) && x != b'r';

    if w.len() < 4 {
        return None;
    }
    // Plain prefixes di-, ke-, se-.
    for p in ["di", "ke", "se"] {
        if w.starts_with(p) {
            return one(p, rest(2));
        }
    }
    if w.starts_with("ber") {
        if is_vowel(at(3)) {
            return Some(("ber", vec![rest(3), with("r", 3)])); // 1
        }
        if c_not_r(at(3)) && at(4) != 0 && !from(5).starts_with("er") {
            return one("ber", rest(3)); // 2
        }
        if c_not_r(at(3)) && at(4) != 0 && from(5).starts_with("er") && is_vowel(at(7)) {
            return one("ber", rest(3)); // 3
        }
    }
    if let Some(tail) = w.strip_prefix("belajar") {
        return one("bel", format!("ajar{tail}")); // 4
    }
    if w.starts_with("be") && c_not_r(at(2)) && from(3).starts_with("er") && is_consonant(at(5)) {
        return one("be", rest(2)); // 5
    }
    if w.starts_with("ter") {
        if is_vowel(at(3)) {
            return Some(("ter", vec![rest(3), with("r", 3)])); // 6
        }
        if c_not_r(at(3)) && from(4).starts_with("er") && is_vowel(at(6)) {
            return one("ter", rest(3)); // 7
        }
        if c_not_r(at(3)) && from(4).starts_with("er") && is_consonant(at(6)) {
            return one("ter", rest(3)); // 35
        }
        if c_not_r(at(3)) && !from(4).starts_with("er") {
            return one("ter", rest(3)); // 8
        }
    }
    if w.starts_with("te") && c_not_r(at(2)) && from(3).starts_with("er") && is_consonant(at(5)) {
        return one("te", rest(2)); // 9
    }
    if w.starts_with("me") {
        if matches!(at(2), b'l' | b'r' | b'w' | b'y') && is_vowel(at(3)) {
            return one("me", rest(2)); // 10
        }
        if w.starts_with("mem") {
            if matches!(at(3), b'b' | b'f' | b'v') {
                return one("mem", rest(3)); // 11
            }
            if w.starts_with("mempe") {
                return one("mem", rest(3)); // 12
            }
            if is_vowel(at(3)) || (at(3) == b'r' && is_vowel(at(4))) {
                return Some(("me", vec![with("m", 3), with("p", 3)])); // 13
            }
            if at(3) == b'p' {
                return one("mem", rest(3)); // 19
            }
        }
        if w.starts_with("meng") {
            if matches!(at(4), b'g' | b'h' | b'q' | b'k') {
                return one("meng", rest(4)); // 16
            }
            if is_vowel(at(4)) {
                let mut c = vec![rest(4), with("k", 4)]; // 17a, 17b
                if at(4) == b'e' {
                    c.push(rest(5)); // 17c: menge- before a one-syllable root
                }
                c.push(with("ng", 4)); // 17d
                return Some(("meng", c));
            }
        }
        if w.starts_with("meny") && is_vowel(at(4)) {
            return Some(("meny", vec![with("ny", 4), with("s", 4)])); // 18
        }
        if w.starts_with("men") {
            if matches!(at(3), b'c' | b'd' | b'j' | b's' | b't' | b'z') {
                return one("men", rest(3)); // 14
            }
            if is_vowel(at(3)) {
                return Some(("me", vec![with("n", 3), with("t", 3)])); // 15
            }
        }
    }
    if w.starts_with("pe") {
        if matches!(at(2), b'w' | b'y') && is_vowel(at(3)) {
            return one("pe", rest(2)); // 20
        }
        if w.starts_with("per") {
            if is_vowel(at(3)) {
                return Some(("per", vec![rest(3), with("r", 3)])); // 21
            }
            if c_not_r(at(3)) && at(4) != 0 {
                return one("per", rest(3)); // 23, 24
            }
        }
        if w.starts_with("pem") {
            if matches!(at(3), b'b' | b'f' | b'v') {
                return one("pem", rest(3)); // 25
            }
            if is_vowel(at(3)) || (at(3) == b'r' && is_vowel(at(4))) {
                return Some(("pe", vec![with("m", 3), with("p", 3)])); // 26
            }
        }
        if w.starts_with("peng") {
            if is_consonant(at(4)) {
                return one("peng", rest(4)); // 29
            }
            if is_vowel(at(4)) {
                let mut c = vec![rest(4), with("k", 4)]; // 30a, 30b
                if at(4) == b'e' {
                    c.push(rest(5)); // 30c: penge- before a one-syllable root
                }
                return Some(("peng", c));
            }
        }
        if w.starts_with("peny") && is_vowel(at(4)) {
            return Some(("peny", vec![with("s", 4), with("ny", 4)])); // 31
        }
        if w.starts_with("pen") {
            if matches!(at(3), b'c' | b'd' | b'j' | b's' | b't' | b'z') {
                return one("pen", rest(3)); // 27
            }
            if is_vowel(at(3)) {
                return Some(("pe", vec![with("n", 3), with("t", 3)])); // 28
            }
        }
        if let Some(tail) = w.strip_prefix("pelajar") {
            return one("pel", format!("ajar{tail}")); // 32, pelajar
        }
        if at(2) == b'l' && is_vowel(at(3)) {
            return one("pe", rest(2)); // 32
        }
        if is_consonant(at(2)) && !matches!(at(2), b'r' | b'w' | b'y' | b'l' | b'm' | b'n') {
            return one("pe", rest(2)); // 34, 36
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_list_loads_and_holds_no_derived_form_we_stem() {
        assert!(ROOTS.len() > 1000, "{} roots", ROOTS.len());
        for derived in ["penduduk", "pendidikan", "pendapat", "pelayan", "laporan", "terbuka"] {
            assert!(!is_root(derived), "{derived} is in kata_dasar.txt");
        }
        assert!(ROOTS.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
    }

    #[test]
    fn short_and_non_ascii_words_are_left_alone() {
        assert_eq!(stem("di"), "di");
        assert_eq!(stem("kan"), "kan");
        assert_eq!(stem("2024"), "2024");
        assert_eq!(stem("covid19"), "covid19");
        assert_eq!(stem("straße"), "straße");
        assert!(matches!(stem("pontianak"), Cow::Borrowed(_)));
    }

    #[test]
    fn suffix_alone_wins_over_the_confix_when_it_ends_on_a_root() {
        assert_eq!(stem("berikan"), "beri");
        assert_eq!(stem("bersekolah"), "sekolah");
        assert_eq!(stem("berjalan"), "jalan");
    }

    #[test]
    fn kan_is_put_back_as_k() {
        assert_eq!(stem("pendidikan"), "didik");
        assert_eq!(stem("kependudukan"), "duduk");
        assert_eq!(stem("rujukan"), "rujuk");
    }

    #[test]
    fn any_word_stems_to_itself_or_to_a_root() {
        // Words made of affixes and syllables by a small LCG, covering every rule's edges.
        const PARTS: &[&str] = &[
            "me", "mem", "men", "meng", "meny", "pe", "pem", "pen", "peng", "peny", "per", "ber", "be", "ter", "te",
            "di", "ke", "se", "pel", "r", "a", "e", "i", "o", "u", "er", "ka", "ta", "sa", "nya", "lah", "kan", "an",
            "isasi", "k", "ng", "ny", "duduk", "ajar",
        ];
        let mut x: u64 = 0x5eed;
        for _ in 0..20_000 {
            let mut w = String::new();
            for _ in 0..(x % 5 + 1) {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                w.push_str(PARTS[(x >> 33) as usize % PARTS.len()]);
            }
            let s = stem(&w);
            assert!(s == w || is_root(&s), "{w} -> {s}");
            assert!(!s.is_empty() && s.len() <= w.len() + 2, "{w} -> {s}");
        }
    }

    #[test]
    fn a_half_typed_word_leaves_the_start_of_its_root() {
        assert_eq!(root_start("kependud", 3).as_deref(), Some("dud"));
        assert_eq!(root_start("pendid", 3).as_deref(), Some("did"));
        assert_eq!(root_start("persekol", 3).as_deref(), Some("sekol"));
        assert_eq!(root_start("perekono", 3).as_deref(), Some("ekono"));
        assert_eq!(root_start("kependud", 4), None);
        // Whole words, roots and starts of roots have nothing to add.
        for w in [
            "kependudukan",
            "duduk",
            "sekol",
            "pontianak",
            "ketapang",
            "pemilu",
            "dud",
            "x1",
        ] {
            assert_eq!(root_start(w, 3), None, "{w}");
        }
    }

    #[test]
    fn prefix_rules_do_not_panic_on_short_tails() {
        for w in [
            "bera", "berr", "ters", "mema", "meng", "menga", "penge", "pelajar", "beer", "teer", "berer", "terer",
        ] {
            let _ = stem(w);
        }
    }
}

//! The hostile inputs simple enough to write in Rust: text files streamed to disk in pieces, so
//! that writing a 100 MB file takes little memory.

use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `head`, then `line` repeated to `total` bytes (a last partial line cut), then `tail`.
pub fn repeated(path: &Path, head: &[u8], line: &[u8], total: usize, tail: &[u8]) {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    out.write_all(head).unwrap();
    let block = line.repeat(((1 << 20) / line.len().max(1)).max(1));
    let mut written = 0;
    while written < total {
        let n = block.len().min(total - written);
        out.write_all(&block[..n]).unwrap();
        written += n;
    }
    out.write_all(tail).unwrap();
    out.flush().unwrap();
}

/// Writes `bytes` bytes of noise from a fixed seed (xorshift64*), the same on every run.
pub fn noise(path: &Path, bytes: usize, seed: u64) {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut state = seed.max(1);
    let mut written = 0;
    while written < bytes {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let word = state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes();
        let n = word.len().min(bytes - written);
        out.write_all(&word[..n]).unwrap();
        written += n;
    }
    out.flush().unwrap();
}

/// Writes a header of `columns` labels and one data row as wide.
pub fn wide(path: &Path, columns: usize) {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    let labels: Vec<String> = (1..=columns).map(|i| format!("k{i}")).collect();
    writeln!(out, "{}", labels.join(",")).unwrap();
    writeln!(out, "{}", vec!["1"; columns].join(",")).unwrap();
    out.flush().unwrap();
}

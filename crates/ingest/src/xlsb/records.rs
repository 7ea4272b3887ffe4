//! The record stream of an `.xlsb` part (MS-XLSB 2.1.4): a type in one or two bytes and a size
//! in one to four, seven bits a byte, then the data.

use std::io::Read;

use crate::Result;

/// Records longer than this are skipped unread: the records the scan reads are a few bytes.
const MAX_RECORD: usize = 1 << 16;

/// Reads records one at a time into one buffer.
pub(super) struct Records<R> {
    reader: R,
    buf: Vec<u8>,
}

impl<R: Read> Records<R> {
    pub(super) fn new(reader: R) -> Self {
        Records {
            reader,
            buf: Vec::new(),
        }
    }

    /// The next record: its type and data (empty when it is longer than [`MAX_RECORD`]);
    /// `None` at the end of the part, or where it is cut short.
    pub(super) fn next(&mut self) -> Result<Option<(u16, &[u8])>> {
        let Some(first) = self.byte()? else { return Ok(None) };
        let mut kind = u16::from(first & 0x7F);
        if first & 0x80 != 0 {
            let Some(second) = self.byte()? else { return Ok(None) };
            kind |= u16::from(second & 0x7F) << 7;
        }
        let mut len = 0usize;
        for i in 0..4 {
            let Some(b) = self.byte()? else { return Ok(None) };
            len |= usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        self.buf.clear();
        if len > MAX_RECORD {
            let skipped = std::io::copy(&mut (&mut self.reader).take(len as u64), &mut std::io::sink())
                .map_err(|e| crate::Error::format("XLSB", e))?;
            return Ok((skipped == len as u64).then_some((kind, &self.buf[..])));
        }
        self.buf.resize(len, 0);
        match self.reader.read_exact(&mut self.buf) {
            Ok(()) => Ok(Some((kind, &self.buf[..]))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(crate::Error::format("XLSB", e)),
        }
    }

    fn byte(&mut self) -> Result<Option<u8>> {
        let mut b = [0u8];
        match self.reader.read_exact(&mut b) {
            Ok(()) => Ok(Some(b[0])),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(crate::Error::format("XLSB", e)),
        }
    }
}

/// An `XLWideString` (or `XLNullableWideString`): a 32-bit count of UTF-16 units, then the
/// units; with the bytes it takes.
pub(super) fn wide_string(data: &[u8]) -> Option<(String, usize)> {
    let count = u32::from_le_bytes(data.get(..4)?.try_into().ok()?);
    if count == u32::MAX {
        return Some((String::new(), 4));
    }
    let bytes = usize::try_from(count).ok()?.checked_mul(2)?;
    let units: Vec<u16> = data
        .get(4..4usize.checked_add(bytes)?)?
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    Some((String::from_utf16_lossy(&units), 4 + bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn types_and_sizes_of_one_and_more_bytes() {
        // BrtRowHdr (0x0000, 2 bytes), BrtBeginMergeCells (0x00B1: B1 01), a 200-byte record
        // (size C8 01), then a record cut short.
        let mut bytes = vec![0x00, 0x02, 7, 0, 0xB1, 0x01, 0x04, 1, 0, 0, 0, 0x05, 0xC8, 0x01];
        bytes.extend(std::iter::repeat_n(9u8, 200));
        bytes.extend([0x05, 0x10, 1, 2]);
        let mut records = Records::new(&bytes[..]);
        assert_eq!(records.next().unwrap(), Some((0x0000, &[7u8, 0][..])));
        assert_eq!(records.next().unwrap(), Some((0x00B1, &[1u8, 0, 0, 0][..])));
        let (kind, data) = records.next().unwrap().unwrap();
        assert_eq!((kind, data.len()), (0x0005, 200));
        assert_eq!(records.next().unwrap(), None);
    }

    #[test]
    fn wide_strings() {
        assert_eq!(wide_string(&[2, 0, 0, 0, b'O', 0, b'K', 0, 9]), Some(("OK".into(), 8)));
        assert_eq!(wide_string(&[0xFF; 4]), Some((String::new(), 4)));
        assert_eq!(wide_string(&[3, 0, 0, 0, b'O', 0]), None);
        assert_eq!(wide_string(&[0xFE, 0xFF, 0xFF, 0xFF]), None);
    }
}

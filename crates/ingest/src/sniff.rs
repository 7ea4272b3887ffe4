//! Telling a file's kind from its content: magic bytes, and for a zip archive the parts it
//! holds. A file's name is only compared with what its content says.

use std::io::{Cursor, Read};

use crate::FileKind;

/// The first bytes of an OLE2 compound file, the container of `.xls` workbooks.
const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The `mimetype` entry of an OpenDocument spreadsheet.
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The kind of a file from its content. A zip archive is told apart by its parts: an ODF
/// `mimetype` entry, or OOXML's `[Content_Types].xml` with a binary (`.bin`) or XML workbook.
pub(crate) fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return FileKind::Xls;
    }
    if bytes.starts_with(b"PAR1") {
        return FileKind::Parquet;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[' | b'{') => FileKind::Json,
        _ => FileKind::Csv,
    }
}

/// A zip archive's kind. ODF stores `mimetype` first and uncompressed, so the start of the
/// file tells; otherwise the central directory names the parts. An archive that is neither
/// is taken as XLSX, whose reader then says what is missing.
fn sniff_zip(bytes: &[u8]) -> FileKind {
    if local_entry_is_ods_mimetype(bytes) {
        return FileKind::Ods;
    }
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return FileKind::Xlsx;
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    if names.iter().any(|n| n == "mimetype")
        && let Ok(entry) = archive.by_name("mimetype")
    {
        let mut head = Vec::with_capacity(ODS_MIMETYPE.len());
        if entry.take(ODS_MIMETYPE.len() as u64).read_to_end(&mut head).is_ok() && head == ODS_MIMETYPE {
            return FileKind::Ods;
        }
    }
    if names.iter().any(|n| n.eq_ignore_ascii_case("xl/workbook.bin")) {
        return FileKind::Xlsb;
    }
    FileKind::Xlsx
}

/// Whether the archive's first local entry is an uncompressed `mimetype` naming a spreadsheet.
fn local_entry_is_ods_mimetype(bytes: &[u8]) -> bool {
    // Local file header: 30 fixed bytes, then the name, the extra field and the data.
    let Some(header) = bytes.get(..30) else {
        return false;
    };
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([header[i], header[i + 1]]));
    let (method, name_len, extra_len) = (u16_at(8), u16_at(26), u16_at(28));
    let name_end = 30 + name_len;
    method == 0
        && bytes.get(30..name_end) == Some(b"mimetype".as_slice())
        && bytes
            .get(name_end + extra_len..)
            .is_some_and(|data| data.starts_with(ODS_MIMETYPE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_kinds() {
        assert_eq!(sniff(b"a;b\n1;2\n"), FileKind::Csv);
        assert_eq!(sniff(b"\xEF\xBB\xBF  [{\"a\":1}]"), FileKind::Json);
        assert_eq!(sniff(b"PAR1...."), FileKind::Parquet);
        assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), FileKind::Xls);
        assert_eq!(sniff(b""), FileKind::Csv);
    }

    #[test]
    fn a_broken_zip_is_left_to_the_xlsx_reader() {
        assert_eq!(sniff(b"PK\x03\x04garbage"), FileKind::Xlsx);
    }
}

//! `data.json`: the table as a JSON array of row objects, one row a line, for readers that take
//! JSON (web apps, spreadsheets' web queries). Numbers and booleans are JSON numbers and
//! booleans, a missing value is `null` (a number that is not finite too), everything else
//! (codes, dates, times) a string as `data.csv` writes it, so `61.10` stays `"61.10"`.

use polars::prelude::*;

use crate::Result;

/// How a column's cells are written.
enum Cells {
    /// As JSON text of their own (numbers, booleans).
    Raw(StringChunked),
    /// As JSON strings.
    Quoted(StringChunked),
}

fn cells(column: &Column) -> PolarsResult<Cells> {
    let raw = column.dtype().is_primitive_numeric() || column.dtype() == &DataType::Boolean;
    let text = column.cast(&DataType::String)?.str()?.clone();
    Ok(if raw { Cells::Raw(text) } else { Cells::Quoted(text) })
}

/// A number as JSON: `null` when it is not one JSON can hold (`NaN`, `inf`).
fn push_raw(out: &mut Vec<u8>, text: &str) {
    let finite = text.bytes().all(|b| b.is_ascii_digit() || b"-+.eE".contains(&b)) || matches!(text, "true" | "false");
    if finite && !text.is_empty() {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

/// Writes the table as `data.json`.
pub fn write_json(table: &DataFrame) -> Result<Vec<u8>> {
    let columns = table.columns();
    let names: Vec<Vec<u8>> = columns
        .iter()
        .map(|c| serde_json::to_vec(c.name().as_str()))
        .collect::<std::result::Result<_, _>>()?;
    let cells: Vec<Cells> = columns.iter().map(cells).collect::<PolarsResult<_>>()?;
    let mut out = Vec::with_capacity(table.height() * 16 * columns.len().max(1) + 4);
    out.extend_from_slice(b"[\n");
    for row in 0..table.height() {
        if row > 0 {
            out.extend_from_slice(b",\n");
        }
        out.push(b'{');
        for (i, (name, column)) in names.iter().zip(&cells).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(name);
            out.push(b':');
            match column {
                Cells::Raw(text) => match text.get(row) {
                    Some(t) => push_raw(&mut out, t),
                    None => out.extend_from_slice(b"null"),
                },
                Cells::Quoted(text) => match text.get(row) {
                    Some(t) => serde_json::to_writer(&mut out, t)?,
                    None => out.extend_from_slice(b"null"),
                },
            }
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"\n]\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_objects_with_numbers_codes_as_text_and_nulls() {
        let table = df!(
            "kode" => ["61.10", "61.71"],
            "jumlah" => [Some(10i64), None],
            "nilai" => [1.5f64, f64::NAN],
            "aktif" => [true, false],
            "nama" => ["Kota \"Baru\"", "Pontianak"],
        )
        .unwrap();
        let text = String::from_utf8(write_json(&table).unwrap()).unwrap();
        assert_eq!(
            text,
            "[\n{\"kode\":\"61.10\",\"jumlah\":10,\"nilai\":1.5,\"aktif\":true,\"nama\":\"Kota \\\"Baru\\\"\"},\n\
             {\"kode\":\"61.71\",\"jumlah\":null,\"nilai\":null,\"aktif\":false,\"nama\":\"Pontianak\"}\n]\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[1]["kode"], "61.71");
        let empty = write_json(&df!("a" => Vec::<i64>::new()).unwrap()).unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&empty).unwrap(),
            serde_json::json!([])
        );
    }
}

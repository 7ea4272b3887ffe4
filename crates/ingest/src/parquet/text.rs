//! Arrow values as the text the validate stage reads: integers in decimal digits, whole floats
//! without a fraction, decimals at their scale, ISO dates and times, timestamps as local
//! dates or RFC 3339, strings trimmed (empty is null).

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};
use polars::polars_utils::float16::pf16;
use polars::prelude::ArrowDataType;
use polars_arrow::array::{
    Array, BinaryViewArrayGeneric, BooleanArray, DictionaryArray, DictionaryKey, PrimitiveArray, Utf8Array,
};
use polars_arrow::datatypes::{IntegerType, TimeUnit};
use polars_arrow::types::{NativeType, i256};

use super::zone::Zone;

/// One rendered column: a cell's text, borrowed from the array when it is a string.
pub(super) type Cells<'a> = Vec<Option<Cow<'a, str>>>;

/// Whether values of `dtype` can be rendered; `Err` carries the type's name.
pub(super) fn check(dtype: &ArrowDataType) -> Result<(), String> {
    use ArrowDataType as D;
    let readable = match dtype {
        D::Null | D::Boolean | D::Float16 | D::Float32 | D::Float64 => true,
        D::Int8 | D::Int16 | D::Int32 | D::Int64 | D::Int128 => true,
        D::UInt8 | D::UInt16 | D::UInt32 | D::UInt64 => true,
        D::Decimal(..) | D::Decimal32(..) | D::Decimal64(..) | D::Decimal256(..) => true,
        D::Date32 | D::Date64 | D::Time32(_) | D::Time64(_) => true,
        D::Timestamp(_, None) => true,
        D::Timestamp(_, Some(zone)) => Zone::parse(zone).is_some(),
        D::Utf8 | D::LargeUtf8 | D::Utf8View => true,
        D::Dictionary(_, values, _) => matches!(values.as_ref(), D::Utf8 | D::LargeUtf8 | D::Utf8View),
        _ => false,
    };
    if readable { Ok(()) } else { Err(type_name(dtype)) }
}

/// The type as people who write Parquet name it (`list`, `struct`, `binary`).
pub(super) fn type_name(dtype: &ArrowDataType) -> String {
    use ArrowDataType as D;
    match dtype {
        D::Binary | D::LargeBinary | D::BinaryView => "binary".into(),
        D::FixedSizeBinary(n) => format!("fixed_size_binary[{n}]"),
        D::List(f) | D::LargeList(f) => format!("list<{}>", type_name(f.dtype())),
        D::FixedSizeList(f, n) => format!("fixed_size_list<{}>[{n}]", type_name(f.dtype())),
        D::Struct(_) => "struct".into(),
        D::Map(..) => "map".into(),
        D::Union(_) => "union".into(),
        D::Duration(unit) => format!("duration[{}]", unit_name(*unit)),
        D::Interval(_) => "interval".into(),
        D::Timestamp(unit, Some(zone)) => format!("timestamp[{}, tz={zone}]", unit_name(*unit)),
        D::Dictionary(_, values, _) => format!("dictionary<{}>", type_name(values)),
        D::Extension(ext) => format!("extension<{}>", ext.name),
        other => format!("{other:?}").to_lowercase(),
    }
}

fn unit_name(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Second => "s",
        TimeUnit::Millisecond => "ms",
        TimeUnit::Microsecond => "us",
        TimeUnit::Nanosecond => "ns",
    }
}

/// Appends the text of every value of `array` to `out`; `Err` when the array is not of a type
/// [`check`] lets through (a decoder that gave another type than its field's), naming it.
pub(super) fn render<'a>(array: &'a dyn Array, out: &mut Cells<'a>) -> Result<(), String> {
    use ArrowDataType as D;
    let dtype = array.dtype();
    let unexpected = || type_name(dtype);
    match dtype {
        D::Null => out.extend(std::iter::repeat_n(None, array.len())),
        D::Boolean => {
            let a = downcast::<BooleanArray>(array).ok_or_else(unexpected)?;
            out.extend(
                a.iter()
                    .map(|v| v.map(|b| Cow::Borrowed(if b { "true" } else { "false" }))),
            );
        }
        D::Int8 => integers::<i8>(array, out).ok_or_else(unexpected)?,
        D::Int16 => integers::<i16>(array, out).ok_or_else(unexpected)?,
        D::Int32 => integers::<i32>(array, out).ok_or_else(unexpected)?,
        D::Int64 => integers::<i64>(array, out).ok_or_else(unexpected)?,
        D::Int128 => integers::<i128>(array, out).ok_or_else(unexpected)?,
        D::UInt8 => integers::<u8>(array, out).ok_or_else(unexpected)?,
        D::UInt16 => integers::<u16>(array, out).ok_or_else(unexpected)?,
        D::UInt32 => integers::<u32>(array, out).ok_or_else(unexpected)?,
        D::UInt64 => integers::<u64>(array, out).ok_or_else(unexpected)?,
        D::Float16 => {
            floats::<pf16>(array, out, |v| f64::from(f32::from(v)), |v| float_text(v as f32)).ok_or_else(unexpected)?
        }
        D::Float32 => floats::<f32>(array, out, f64::from, |v| float_text(v as f32)).ok_or_else(unexpected)?,
        D::Float64 => floats::<f64>(array, out, |v| v, crate::number_text).ok_or_else(unexpected)?,
        D::Decimal(_, scale) | D::Decimal32(_, scale) | D::Decimal64(_, scale) => {
            let scale = *scale;
            values::<i128>(array, out, |v| decimal_text(v.to_string(), scale)).ok_or_else(unexpected)?;
        }
        D::Decimal256(_, scale) => {
            let scale = *scale;
            values::<i256>(array, out, |v| decimal_text(v.to_string(), scale)).ok_or_else(unexpected)?;
        }
        D::Date32 => values::<i32>(array, out, |d| date_text(i64::from(d))).ok_or_else(unexpected)?,
        D::Date64 => values::<i64>(array, out, |ms| date_text(ms.div_euclid(86_400_000))).ok_or_else(unexpected)?,
        D::Time32(unit) => {
            let unit = *unit;
            values::<i32>(array, out, |t| time_text(i64::from(t), unit)).ok_or_else(unexpected)?;
        }
        D::Time64(unit) => {
            let unit = *unit;
            values::<i64>(array, out, |t| time_text(t, unit)).ok_or_else(unexpected)?;
        }
        D::Timestamp(unit, zone) => {
            let unit = *unit;
            let zone = match zone {
                Some(name) => Some(Zone::parse(name).ok_or_else(unexpected)?),
                None => None,
            };
            values::<i64>(array, out, |t| timestamp_text(t, unit, zone.as_ref())).ok_or_else(unexpected)?;
        }
        D::Utf8View => {
            let a = downcast::<BinaryViewArrayGeneric<str>>(array).ok_or_else(unexpected)?;
            out.extend(a.iter().map(|v| v.and_then(cell)));
        }
        D::Utf8 => {
            let a = downcast::<Utf8Array<i32>>(array).ok_or_else(unexpected)?;
            out.extend(a.iter().map(|v| v.and_then(cell)));
        }
        D::LargeUtf8 => {
            let a = downcast::<Utf8Array<i64>>(array).ok_or_else(unexpected)?;
            out.extend(a.iter().map(|v| v.and_then(cell)));
        }
        D::Dictionary(key, _, _) => dictionary(array, *key, out).ok_or_else(unexpected)?,
        _ => return Err(unexpected()),
    }
    Ok(())
}

fn downcast<T: 'static>(array: &dyn Array) -> Option<&T> {
    array.as_any().downcast_ref::<T>()
}

/// A string cell: trimmed, and null when nothing is left.
fn cell(text: &str) -> Option<Cow<'_, str>> {
    let t = text.trim();
    (!t.is_empty()).then_some(Cow::Borrowed(t))
}

fn integers<T: NativeType + ToString>(array: &dyn Array, out: &mut Cells<'_>) -> Option<()> {
    values::<T>(array, out, |v| v.to_string())
}

/// Appends `text(value)` for each valid value of a primitive array, null for the others.
fn values<T: NativeType>(array: &dyn Array, out: &mut Cells<'_>, text: impl Fn(T) -> String) -> Option<()> {
    let a = downcast::<PrimitiveArray<T>>(array)?;
    out.extend(a.iter().map(|v| v.map(|v| Cow::Owned(text(*v)))));
    Some(())
}

/// Appends floats as `text` writes them; NaN, which pandas writes for a missing value, is null.
fn floats<T: NativeType>(
    array: &dyn Array,
    out: &mut Cells<'_>,
    wide: impl Fn(T) -> f64,
    text: impl Fn(f64) -> String,
) -> Option<()> {
    let a = downcast::<PrimitiveArray<T>>(array)?;
    out.extend(a.iter().map(|v| {
        let v = wide(*v?);
        (!v.is_nan()).then(|| Cow::Owned(text(v)))
    }));
    Some(())
}

/// The strings of a dictionary-encoded column, each dictionary entry trimmed once.
fn dictionary<'a>(array: &'a dyn Array, key: IntegerType, out: &mut Cells<'a>) -> Option<()> {
    match key {
        IntegerType::Int8 => keyed::<i8>(array, out),
        IntegerType::Int16 => keyed::<i16>(array, out),
        IntegerType::Int32 => keyed::<i32>(array, out),
        IntegerType::Int64 => keyed::<i64>(array, out),
        IntegerType::UInt8 => keyed::<u8>(array, out),
        IntegerType::UInt16 => keyed::<u16>(array, out),
        IntegerType::UInt32 => keyed::<u32>(array, out),
        IntegerType::UInt64 => keyed::<u64>(array, out),
        _ => None,
    }
}

fn keyed<'a, K: DictionaryKey>(array: &'a dyn Array, out: &mut Cells<'a>) -> Option<()> {
    let a = downcast::<DictionaryArray<K>>(array)?;
    let mut entries: Cells<'a> = Vec::with_capacity(a.values().len());
    render(a.values().as_ref(), &mut entries).ok()?;
    for key in a.keys().iter() {
        let entry = match key {
            // A key outside the dictionary is a broken file, not a value.
            Some(k) => Some(entries.get((*k).try_into().ok()?)?.clone()),
            None => None,
        };
        out.push(entry.flatten());
    }
    Some(())
}

/// A float as [`crate::number_text`] writes it, in the shortest form that reads back as `f32`.
fn float_text(v: f32) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A decimal's unscaled digits with the point put back `scale` places from the right.
fn decimal_text(digits: String, scale: usize) -> String {
    if scale == 0 {
        return digits;
    }
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits.as_str()),
    };
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    format!("{sign}{whole}.{fraction}")
}

const UNIX_EPOCH_DAY: i64 = 719_163;

/// Days since 1970-01-01 as `YYYY-MM-DD`; a day no calendar holds keeps its number, so that
/// the validate stage reports it.
fn date_text(days: i64) -> String {
    days.checked_add(UNIX_EPOCH_DAY)
        .and_then(|d| i32::try_from(d).ok())
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map_or_else(|| days.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// A count of `unit`s as seconds and nanoseconds, floored.
fn split(value: i64, unit: TimeUnit) -> (i64, u32) {
    let per_second: i64 = match unit {
        TimeUnit::Second => 1,
        TimeUnit::Millisecond => 1_000,
        TimeUnit::Microsecond => 1_000_000,
        TimeUnit::Nanosecond => 1_000_000_000,
    };
    let nanos = value.rem_euclid(per_second) * (1_000_000_000 / per_second);
    (value.div_euclid(per_second), nanos as u32)
}

/// A time of day as `HH:MM:SS`, with the fraction when it is not zero.
fn time_text(value: i64, unit: TimeUnit) -> String {
    let (seconds, nanos) = split(value, unit);
    u32::try_from(seconds)
        .ok()
        .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, nanos))
        .map_or_else(|| value.to_string(), clock_text)
}

fn clock_text(t: NaiveTime) -> String {
    let mut text = t.format("%H:%M:%S").to_string();
    if t.nanosecond() != 0 {
        let fraction = format!("{:09}", t.nanosecond());
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    text
}

/// A timestamp: its date alone at (local) midnight; otherwise ISO date and time, with the
/// zone's offset when it has a zone (RFC 3339).
fn timestamp_text(value: i64, unit: TimeUnit, zone: Option<&Zone>) -> String {
    let (seconds, nanos) = split(value, unit);
    let Some(utc) = DateTime::from_timestamp(seconds, nanos) else {
        return value.to_string();
    };
    let (local, offset): (NaiveDateTime, Option<TimeDelta>) = match zone {
        None => (utc.naive_utc(), None),
        Some(zone) => {
            let offset = zone.offset_at(&utc.naive_utc());
            match utc.naive_utc().checked_add_signed(offset) {
                Some(local) => (local, Some(offset)),
                None => return value.to_string(),
            }
        }
    };
    if local.time() == NaiveTime::MIN {
        return local.format("%Y-%m-%d").to_string();
    }
    let mut text = format!("{}T{}", local.format("%Y-%m-%d"), clock_text(local.time()));
    if let Some(offset) = offset {
        text.push_str(&offset_text(offset));
    }
    text
}

/// An offset as RFC 3339 writes it: `+07:00`, `-03:30`, `+00:00`.
fn offset_text(offset: TimeDelta) -> String {
    let minutes = offset.num_minutes();
    let sign = if minutes < 0 { '-' } else { '+' };
    let minutes = minutes.abs();
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(decimal_text("1250".into(), 2), "12.50");
        assert_eq!(decimal_text("-5".into(), 3), "-0.005");
        assert_eq!(decimal_text("0".into(), 2), "0.00");
        assert_eq!(decimal_text("42".into(), 0), "42");
    }

    #[test]
    fn floats_read_back() {
        assert_eq!(float_text(150.0), "150");
        assert_eq!(float_text(0.1), "0.1");
        assert_eq!(float_text(-2.5), "-2.5");
    }

    #[test]
    fn dates_times_and_timestamps() {
        assert_eq!(date_text(19_952), "2024-08-17");
        assert_eq!(date_text(-1), "1969-12-31");
        assert_eq!(date_text(i64::MAX), i64::MAX.to_string());
        assert_eq!(time_text(36_000_500, TimeUnit::Millisecond), "10:00:00.5");
        assert_eq!(
            time_text(90_000, TimeUnit::Second),
            "90000",
            "past a day is no time of day"
        );
        let midnight = 1_723_852_800; // 2024-08-17T00:00:00Z
        assert_eq!(timestamp_text(midnight, TimeUnit::Second, None), "2024-08-17");
        assert_eq!(
            timestamp_text(midnight * 1000 + 36_000_250, TimeUnit::Millisecond, None),
            "2024-08-17T10:00:00.25"
        );
        let jakarta = Zone::parse("+07:00").unwrap();
        assert_eq!(
            timestamp_text(midnight - 7 * 3600, TimeUnit::Second, Some(&jakarta)),
            "2024-08-17"
        );
        assert_eq!(
            timestamp_text(midnight + 3 * 3600, TimeUnit::Second, Some(&jakarta)),
            "2024-08-17T10:00:00+07:00"
        );
        assert_eq!(
            timestamp_text(-1, TimeUnit::Nanosecond, None),
            "1969-12-31T23:59:59.999999999"
        );
    }
}

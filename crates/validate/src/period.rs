//! The period check: each row's period (the standard's `kolom_periode`) must lie inside the
//! submission's period or contain it (a row of the year `2024` in a submission for `2024-03`);
//! and the span the rows cover, for a release's `temporal_coverage`.

use polars::prelude::*;
use satudata_core::{Coverage, Finding, FindingCode, Lang, Period, ReportBuilder, messages, period};

use crate::{Context, Result, row_finding};

/// The period column of a typed table as text: years, `YYYY-MM` and dates as written by the
/// cast (a date-time as its date).
fn period_texts(table: &DataFrame, field: &str) -> Result<Series> {
    let series = table.column(field)?.as_materialized_series();
    let series = match series.dtype() {
        polars::prelude::DataType::Datetime(..) => series.cast(&polars::prelude::DataType::Date)?,
        _ => series.clone(),
    };
    Ok(series.cast(&polars::prelude::DataType::String)?)
}

/// Reports rows whose period is not a period, or neither inside nor around the submission's.
pub(crate) fn check(
    table: &DataFrame,
    ctx: &Context<'_>,
    row_of: &dyn Fn(usize) -> u64,
    report: &mut ReportBuilder,
) -> Result<()> {
    let (Some(wanted), Some(field)) = (&ctx.period, &ctx.standard.kolom_periode) else {
        return Ok(());
    };
    let wanted_text = wanted.to_string();
    let (start, end) = (wanted.start(), wanted.end());
    let texts = period_texts(table, field)?;
    // Rows repeat their period: the verdict on the last text is kept.
    let mut last: Option<(&str, Verdict)> = None;
    for (i, value) in texts.str()?.iter().enumerate() {
        let Some(v) = value else { continue };
        let verdict = match last {
            Some((text, verdict)) if text == v => verdict,
            _ => {
                let verdict = match Period::parse(v, None) {
                    Ok(p) => {
                        let (s, e) = (p.start(), p.end());
                        // Inside the submission's period, or around it.
                        match (start <= s && e <= end) || (s <= start && end <= e) {
                            true => Verdict::Inside,
                            false => Verdict::Outside,
                        }
                    }
                    Err(_) => Verdict::NoPeriod,
                };
                last = Some((v, verdict));
                verdict
            }
        };
        let finding = || {
            row_finding(FindingCode::PeriodError, row_of(i))
                .at_column(None, field)
                .with_value(v)
        };
        match verdict {
            Verdict::Inside => {}
            Verdict::Outside => {
                report.push(finding().with_message("period-error", &[("value", v), ("period", &wanted_text)]))
            }
            Verdict::NoPeriod => report.push(unreadable(finding(), v)),
        }
    }
    Ok(())
}

/// What a row's period is to the submission's.
#[derive(Clone, Copy)]
enum Verdict {
    Inside,
    Outside,
    NoPeriod,
}

/// A row period that is no period: the message names the forms, which differ by language.
fn unreadable(mut finding: Finding, value: &str) -> Finding {
    let text = |lang| {
        let forms = period::accepted_forms(lang, None);
        messages::render(lang, "period-error.form", &[("value", value), ("forms", &forms)])
    };
    finding.message_id = text(Lang::Id);
    finding.message_en = text(Lang::En);
    finding
}

/// The span the periods in column `field` of a typed table cover; `None` when no row has one.
/// Values that are not periods are left out (they are `period-error`s of their own).
pub fn coverage(table: &DataFrame, field: &str) -> Result<Option<Coverage>> {
    let texts = period_texts(table, field)?;
    let mut span: Option<Coverage> = None;
    for p in texts
        .str()?
        .iter()
        .flatten()
        .filter_map(|v| Period::parse(v, None).ok())
    {
        span = Some(match span {
            Some(mut c) => {
                c.include(&p);
                c
            }
            None => Coverage::of(&p),
        });
    }
    Ok(span)
}

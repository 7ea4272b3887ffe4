//! A chart where the data suits one, chosen from the standard's column roles rather than made
//! by hand per dataset: a numeric measure summed by period, by region or by category. It is
//! drawn as server-rendered SVG (horizontal bars, readable on a phone) with the same numbers in
//! a data table beside it for screen readers; no JavaScript.

use maud::{Markup, html};
use satudata_core::{Column, DataStandard, DataType};

use crate::{Lang, format, tr};

/// At most this many bars; the rest are counted, not drawn.
pub const MAX_POINTS: usize = 30;

/// The fewest periods worth a chart over time; with fewer, the latest period is charted by
/// region or category instead.
pub const MIN_PERIODS: usize = 3;

/// What a chart groups its measure by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// The standard's period column: the measure over time.
    Period,
    /// A region code column: the measure by region.
    Region,
    /// A column with a code list: the measure by category.
    Category,
}

/// The columns a chart could use: a measure, and the dimensions to try, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The numeric column summed.
    pub measure: String,
    /// Columns to group by, best first; the first with enough values is drawn (the period
    /// with [`MIN_PERIODS`], others with two; those sum the latest period only).
    pub dimensions: Vec<(String, Dimension)>,
}

fn numeric(c: &Column) -> bool {
    matches!(c.tipe_data, DataType::Integer | DataType::Number)
}

/// The chart `standard`'s columns allow, if any: its first numeric column that is neither a
/// key, the period nor coded, by its period, region and coded columns.
pub fn plan(standard: &DataStandard) -> Option<Plan> {
    let period = standard.kolom_periode.as_deref();
    let measure = standard.kolom.iter().find(|c| {
        numeric(c)
            && c.klasifikasi.is_none()
            && Some(c.nama.as_str()) != period
            && !standard.kunci_utama.contains(&c.nama)
    })?;
    let mut dimensions = Vec::new();
    if let Some(p) = period {
        dimensions.push((p.to_owned(), Dimension::Period));
    }
    for c in &standard.kolom {
        if Some(c.nama.as_str()) == period || c.nama == measure.nama {
            continue;
        }
        if c.tipe_data == DataType::KodeWilayah {
            dimensions.push((c.nama.clone(), Dimension::Region));
        }
    }
    for c in &standard.kolom {
        if Some(c.nama.as_str()) == period || c.nama == measure.nama || c.tipe_data == DataType::KodeWilayah {
            continue;
        }
        if c.klasifikasi.is_some() {
            dimensions.push((c.nama.clone(), Dimension::Category));
        }
    }
    (!dimensions.is_empty()).then(|| Plan {
        measure: measure.nama.clone(),
        dimensions,
    })
}

/// A chart to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// What the measure is (its concept, else its name).
    pub measure: String,
    /// Its unit (`jiwa`), possibly empty.
    pub unit: String,
    /// What it is grouped by (the dimension column's concept).
    pub by: String,
    /// The kind of grouping.
    pub dimension: Dimension,
    /// The bars: label and summed value, in order.
    pub points: Vec<(String, f64)>,
    /// Groups left out past [`MAX_POINTS`].
    pub omitted: usize,
}

impl Chart {
    /// The chart's title: `Jumlah penduduk (jiwa) menurut kelurahan`.
    pub fn title(&self, lang: Lang) -> String {
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.unit)
        };
        format!(
            "{}{unit} {} {}",
            self.measure,
            tr(lang, "menurut", "by"),
            self.by.to_lowercase()
        )
    }
}

/// Keeps at most [`MAX_POINTS`] of `points` (label, value): the latest periods, else the
/// largest values; returns the kept points and how many were left out.
pub fn trim(mut points: Vec<(String, f64)>, dimension: Dimension) -> (Vec<(String, f64)>, usize) {
    let omitted = points.len().saturating_sub(MAX_POINTS);
    match dimension {
        Dimension::Period => {
            points.sort_by(|a, b| a.0.cmp(&b.0));
            points.drain(..omitted);
        }
        Dimension::Region | Dimension::Category => {
            points.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            points.truncate(MAX_POINTS);
        }
    }
    (points, omitted)
}

const ROW: f64 = 24.0;
const LABEL: f64 = 210.0;
const BARS: f64 = 300.0;
const WIDTH: f64 = 640.0;

fn short(label: &str) -> String {
    if label.chars().count() <= 30 {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(29).collect();
        format!("{cut}…")
    }
}

/// The chart as a figure: the SVG, then the data table; `id` names its caption.
pub fn render(chart: &Chart, lang: Lang, id: &str) -> Markup {
    let max = chart.points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let height = ROW * chart.points.len() as f64 + 8.0;
    let title = chart.title(lang);
    html! {
        figure.chart aria-labelledby=(id) {
            figcaption id=(id) { (title) }
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {height}")) role="img"
                aria-labelledby=(format!("{id}-svg")) preserveAspectRatio="xMinYMin meet" {
                title id=(format!("{id}-svg")) { (title) }
                @for (i, (label, value)) in chart.points.iter().enumerate() {
                    @let y = ROW * i as f64 + 4.0;
                    @let w = if max > 0.0 { (value.max(0.0) / max * BARS).max(1.0) } else { 1.0 };
                    text x=(LABEL - 8.0) y=(y + 15.0) text-anchor="end" { (short(label)) }
                    rect x=(LABEL) y=(y + 2.0) width=(format!("{w:.1}")) height=(ROW - 6.0) {}
                    text x=(format!("{:.1}", LABEL + w + 6.0)) y=(y + 15.0) { (format::number(lang, *value)) }
                }
            }
            @if chart.omitted > 0 {
                p.note { (match lang {
                    Lang::Id => format!("{} kelompok lain tidak digambarkan; semua ada di berkas unduhan.", chart.omitted),
                    Lang::En => format!("{} more groups are not drawn; all are in the downloads.", chart.omitted),
                }) }
            }
            details {
                summary { (tr(lang, "Tabel data grafik", "The chart's data table")) }
                div.scroll {
                    table {
                        caption { (title) }
                        thead { tr { th scope="col" { (chart.by) } th scope="col" class="n" { (chart.measure) } } }
                        tbody {
                            @for (label, value) in &chart.points {
                                tr { th scope="row" { (label) } td.n { (format::number(lang, *value)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard() -> DataStandard {
        serde_json::from_value(serde_json::json!({
            "id": "s", "nama": "S", "versi": "1", "deskripsi": "",
            "kunci_utama": ["tahun", "kode_kelurahan", "jenis_kelamin"],
            "kolom_periode": "tahun",
            "kolom": [
                {"nama": "tahun", "konsep": "Tahun", "definisi": "", "tipe_data": "year"},
                {"nama": "kode_kelurahan", "konsep": "Kelurahan", "definisi": "", "tipe_data": "kode_wilayah", "klasifikasi": "wilayah"},
                {"nama": "jenis_kelamin", "konsep": "Jenis Kelamin", "definisi": "", "tipe_data": "string", "klasifikasi": "jk"},
                {"nama": "jumlah_penduduk", "konsep": "Penduduk", "definisi": "", "tipe_data": "integer", "satuan": "jiwa"}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn the_standard_roles_choose_the_measure_and_the_groupings() {
        let p = plan(&standard()).unwrap();
        assert_eq!(p.measure, "jumlah_penduduk");
        assert_eq!(
            p.dimensions,
            [
                ("tahun".to_owned(), Dimension::Period),
                ("kode_kelurahan".to_owned(), Dimension::Region),
                ("jenis_kelamin".to_owned(), Dimension::Category),
            ]
        );
        let mut without = standard();
        without.kolom.retain(|c| c.nama != "jumlah_penduduk");
        assert_eq!(plan(&without), None);
    }

    #[test]
    fn many_groups_keep_the_latest_periods_or_the_largest_values() {
        let points: Vec<_> = (0..35).map(|i| (format!("{:04}", 2000 + i), f64::from(i))).collect();
        let (kept, omitted) = trim(points.clone(), Dimension::Period);
        assert_eq!((kept.len(), omitted, kept[0].0.as_str()), (MAX_POINTS, 5, "2005"));
        let (kept, _) = trim(points, Dimension::Region);
        assert_eq!(kept[0].1, 34.0);
    }

    #[test]
    fn the_svg_has_a_title_a_bar_per_group_and_a_table_of_the_same_numbers() {
        let chart = Chart {
            measure: "Penduduk".into(),
            unit: "jiwa".into(),
            by: "Kelurahan".into(),
            dimension: Dimension::Region,
            points: vec![("Darat Sekip".into(), 1200.0), ("Tengah <b>".into(), 600.0)],
            omitted: 0,
        };
        let html = render(&chart, Lang::Id, "grafik").into_string();
        assert!(html.contains("Penduduk (jiwa) menurut kelurahan"), "{html}");
        assert_eq!(html.matches("<rect").count(), 2);
        assert!(html.contains("width=\"300.0\"") && html.contains("width=\"150.0\""));
        assert!(html.contains("<td class=\"n\">1.200</td>"));
        assert!(html.contains("Tengah &lt;b&gt;") && !html.contains("<b>"));
    }
}

//! Government report layouts in a sheet, read as a person reads them.
//!
//! Regional reports put a title block above the table, merge header cells down over several
//! rows, group columns under a cell spanning them ("Balita" over "Sasaran" and "Ditimbang"),
//! and add total rows (`JUMLAH`) and notes (`Sumber: BPS`) under the data. This module knows
//! nothing of the workbook reader: [`find_header`] sees the top rows as the sheet holds them
//! (merged regions not filled) with the merged regions, and gives the header's rows, labels and
//! groups; a [`RowFilter`] then takes the rows below it one by one and passes on the data rows,
//! leaving out total and note rows with one `skipped-rows` finding for each kind.

mod rows;

pub(crate) use rows::RowFilter;

/// How many rows from the top are searched for the header.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

/// The most rows one header spans (a merge reaching further down is cut there).
const MAX_HEADER_ROWS: usize = 6;

/// A filled cell among the top rows, as the sheet holds it (merged regions not filled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeadCell<'a> {
    /// The cell's text, trimmed.
    pub text: &'a str,
    /// Whether the sheet holds it as text (not a number, date or boolean).
    pub is_text: bool,
}

impl HeadCell<'_> {
    /// Whether the cell can be a header label: text, or a year (`2023` over a column of
    /// that year's values, as BPS tables have), which a sheet often holds as a number.
    fn is_label(&self) -> bool {
        self.is_text
            || self
                .text
                .trim()
                .parse::<u32>()
                .is_ok_and(|year| (1900..=2100).contains(&year))
    }
}

/// A merged region, 0-based and inclusive, relative to the grid the reader hands over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Merge {
    /// Its top row.
    pub first_row: usize,
    /// Its left column.
    pub first_col: usize,
    /// Its bottom row.
    pub last_row: usize,
    /// Its right column.
    pub last_col: usize,
}

/// The header found: the grid rows it spans and, per column, its label and group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// Its first (top) row, 0-based in the grid.
    pub first_row: usize,
    /// Its last row: the data starts below it.
    pub last_row: usize,
    /// Per column, the lowest label over it (`Sasaran`); blank where there is none.
    pub labels: Vec<String>,
    /// Per column, the group cells over its label, top first, joined by spaces (`Balita`);
    /// `None` where the label has no group.
    pub groups: Vec<Option<String>>,
}

/// Finds the header in the top rows of a sheet: the first row that is as wide as the table and
/// all text with at least two cells (so not a title), together with the rows its cells are
/// merged down over, the sub-header rows under its group cells and a row numbering the
/// columns under it (`(1)`, `(2)`, ... as BPS tables have).
///
/// `forced` (0-based grid row, from `--header-row`) names the header's first row instead; the
/// rows below it that belong to the header are still found. `top` must reach past it.
pub(crate) fn find_header(top: &[Vec<Option<HeadCell<'_>>>], merges: &[Merge], forced: Option<usize>) -> Header {
    let sheet = Top::new(top, merges);
    let first_row = forced.unwrap_or_else(|| sheet.first_header_row());
    if first_row >= top.len() {
        return Header {
            first_row,
            last_row: first_row,
            labels: Vec::new(),
            groups: Vec::new(),
        };
    }
    let mut last_row = sheet.last_header_row(first_row);
    let (labels, groups) = sheet.labels(first_row, last_row);
    if sheet.numbers_columns(last_row + 1, labels.len()) {
        last_row += 1;
    }
    Header {
        first_row,
        last_row,
        labels,
        groups,
    }
}

/// The top rows and the merged regions, asked about as a person looks at them.
struct Top<'t, 'a> {
    rows: &'t [Vec<Option<HeadCell<'a>>>],
    /// The merged regions that start within the top rows.
    merges: Vec<Merge>,
    /// Per top cell, the index in `merges` of the region covering it.
    owner: Vec<Vec<Option<usize>>>,
}

impl<'t, 'a> Top<'t, 'a> {
    /// Indexes which merged region covers each top cell. A region overlapping an earlier one
    /// (which Excel never writes) keeps only what it covered first, so the work stays bounded
    /// by the number of top cells.
    fn new(rows: &'t [Vec<Option<HeadCell<'a>>>], merges: &[Merge]) -> Self {
        let merges: Vec<Merge> = merges.iter().filter(|m| m.first_row < rows.len()).copied().collect();
        let mut owner: Vec<Vec<Option<usize>>> = rows.iter().map(|r| vec![None; r.len()]).collect();
        'merges: for (i, m) in merges.iter().enumerate() {
            for row in owner.iter_mut().take(m.last_row.saturating_add(1)).skip(m.first_row) {
                let end = row.len().min(m.last_col.saturating_add(1));
                for slot in row.get_mut(m.first_col.min(end)..end).into_iter().flatten() {
                    if slot.is_some() {
                        continue 'merges;
                    }
                    *slot = Some(i);
                }
            }
        }
        Top { rows, merges, owner }
    }

    /// The merged region covering `(row, col)`.
    fn merge_over(&self, row: usize, col: usize) -> Option<&Merge> {
        let i = (*self.owner.get(row)?.get(col)?)?;
        self.merges.get(i)
    }

    /// The filled cell the sheet holds at `(row, col)`.
    fn cell(&self, row: usize, col: usize) -> Option<HeadCell<'a>> {
        self.rows
            .get(row)?
            .get(col)
            .copied()
            .flatten()
            .filter(|c| !c.text.trim().is_empty())
    }

    /// The filled cells of a row with their columns.
    fn cells(&self, row: usize) -> impl Iterator<Item = (usize, HeadCell<'a>)> + '_ {
        (0..self.rows.get(row).map_or(0, Vec::len)).filter_map(move |c| Some((c, self.cell(row, c)?)))
    }

    /// The merged region whose top-left cell is `(row, col)`.
    fn merge_at(&self, row: usize, col: usize) -> Option<&Merge> {
        self.merge_over(row, col)
            .filter(|m| m.first_row == row && m.first_col == col)
    }

    /// How many columns a row's own cells span, a merged cell counting each column it covers.
    fn span(&self, row: usize) -> usize {
        self.cells(row)
            .map(|(c, _)| self.merge_at(row, c).map_or(1, |m| m.last_col.saturating_sub(c) + 1))
            .sum()
    }

    /// Whether a row can start the header: at least 80% as wide as the widest top row, every
    /// cell a label and at least one text, and more than one cell unless the table is one
    /// column wide.
    fn starts_header(&self, row: usize, widest: usize) -> bool {
        let (mut count, mut text) = (0, false);
        for (_, cell) in self.cells(row) {
            if !cell.is_label() {
                return false;
            }
            count += 1;
            text |= cell.is_text;
        }
        text && (count >= 2 || widest <= 1) && self.span(row) * 5 >= widest * 4
    }

    /// The first top row that can start the header; the first row when none can.
    fn first_header_row(&self) -> usize {
        let top = self.rows.len().min(HEADER_SEARCH_ROWS);
        let widest = (0..top).map(|r| self.span(r)).max().unwrap_or(0);
        (0..top).find(|&r| self.starts_header(r, widest)).unwrap_or(0)
    }

    /// The header's last row: as far down as its cells are merged, and on through each row of
    /// sub-headers under its group cells.
    fn last_header_row(&self, first: usize) -> usize {
        let bottom = (first + MAX_HEADER_ROWS - 1).min(self.rows.len().saturating_sub(1));
        let mut last = first;
        loop {
            let down = self
                .merges
                .iter()
                .filter(|m| (first..=last).contains(&m.first_row) && self.cell(m.first_row, m.first_col).is_some())
                .map(|m| m.last_row)
                .max()
                .unwrap_or(last)
                .min(bottom);
            if down > last {
                last = down;
            } else if last < bottom && self.is_sub_header(first, last, last + 1) {
                last += 1;
            } else {
                return last;
            }
        }
    }

    /// Whether `row` holds sub-headers of the header `first..=last`: all labels, at least one
    /// cell under a group cell, and none under a plain label (where a data row has its values).
    fn is_sub_header(&self, first: usize, last: usize, row: usize) -> bool {
        let mut under_group = false;
        for (col, cell) in self.cells(row) {
            if !cell.is_label() {
                return false;
            }
            match self.label_over(first, last, col) {
                Some(merge) if merge.first_col < merge.last_col && merge.last_row == last => under_group = true,
                Some(_) => return false,
                None if (first..=last).any(|r| self.cell(r, col).is_some()) => return false,
                None => {}
            }
        }
        under_group
    }

    /// The merged header cell (anchored within `first..=last`) that covers `(last, col)`.
    fn label_over(&self, first: usize, last: usize, col: usize) -> Option<&Merge> {
        self.merge_over(last, col)
            .filter(|m| (first..=last).contains(&m.first_row))
    }

    /// The text over `(row, col)` within the header: its own cell's, or that of the merged cell
    /// covering it, with where that text sits.
    fn text_at(&self, first: usize, row: usize, col: usize) -> Option<((usize, usize), &'a str)> {
        if let Some(cell) = self.cell(row, col) {
            return Some(((row, col), cell.text.trim()));
        }
        let merge = self.merge_over(row, col).filter(|m| m.first_row >= first)?;
        let cell = self.cell(merge.first_row, merge.first_col)?;
        Some(((merge.first_row, merge.first_col), cell.text.trim()))
    }

    /// Whether `row` numbers the `width` columns of the header above it: `(1)`, `(2)`, ... or
    /// 1, 2, ..., one a column and nothing more (three columns at least, so not a data row).
    fn numbers_columns(&self, row: usize, width: usize) -> bool {
        let number = |text: &str| {
            let text = text.trim();
            let bare = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(text);
            bare.trim().parse::<usize>().ok()
        };
        let mut count = 0;
        for (col, cell) in self.cells(row) {
            if number(cell.text) != Some(col + 1) {
                return false;
            }
            count += 1;
        }
        width >= 3 && count == width
    }

    /// Each column's label (the lowest text over it) and group (the texts above that).
    fn labels(&self, first: usize, last: usize) -> (Vec<String>, Vec<Option<String>>) {
        let width = (first..=last)
            .filter_map(|r| {
                let end = self.rows.get(r).map_or(0, Vec::len).saturating_sub(1);
                self.cells(r)
                    .map(|(c, _)| self.merge_at(r, c).map_or(c, |m| m.last_col.min(end)))
                    .max()
            })
            .max()
            .map_or(0, |c| c + 1);
        let mut labels = Vec::with_capacity(width);
        let mut groups = Vec::with_capacity(width);
        for col in 0..width {
            let mut levels: Vec<((usize, usize), &str)> = Vec::new();
            for row in first..=last {
                if let Some(level) = self.text_at(first, row, col)
                    && levels.last().is_none_or(|(at, _)| *at != level.0)
                {
                    levels.push(level);
                }
            }
            let label = levels.pop().map_or("", |(_, text)| text);
            labels.push(label.to_owned());
            groups.push((!levels.is_empty()).then(|| levels.iter().map(|(_, t)| *t).collect::<Vec<_>>().join(" ")));
        }
        (labels, groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid from rows of cells: `""` is empty, a leading `#` marks a number.
    fn grid<'a>(rows: &[&[&'a str]]) -> Vec<Vec<Option<HeadCell<'a>>>> {
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|&t| match t {
                        "" => None,
                        t => Some(match t.strip_prefix('#') {
                            Some(n) => HeadCell {
                                text: n,
                                is_text: false,
                            },
                            None => HeadCell { text: t, is_text: true },
                        }),
                    })
                    .collect()
            })
            .collect()
    }

    fn merge(first_row: usize, first_col: usize, last_row: usize, last_col: usize) -> Merge {
        Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        }
    }

    fn strings(labels: &[&str]) -> Vec<String> {
        labels.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_flat_header_below_a_title_block() {
        let top = grid(&[
            &["JUMLAH PENDUDUK", "", ""],
            &["Kota Pontianak", "", ""],
            &["", "", ""],
            &["Tahun", "Kode", "Jumlah"],
            &["#2024", "61.71", "#5"],
        ]);
        let header = find_header(&top, &[merge(0, 0, 0, 2)], None);
        assert_eq!((header.first_row, header.last_row), (3, 3));
        assert_eq!(header.labels, strings(&["Tahun", "Kode", "Jumlah"]));
        assert_eq!(header.groups, vec![None; 3]);
    }

    #[test]
    fn a_text_only_data_row_is_not_a_sub_header() {
        let top = grid(&[&["Kode", "Nama", "Catatan"], &["61.71", "Pontianak", "baik"]]);
        let header = find_header(&top, &[], None);
        assert_eq!((header.first_row, header.last_row), (0, 0));
    }

    #[test]
    fn a_header_merged_down_over_two_rows() {
        let top = grid(&[
            &["DATA", "", ""],
            &["Tahun", "Kode", "Jumlah"],
            &["", "", ""],
            &["#2024", "61.71", "#5"],
        ]);
        let merges = [
            merge(0, 0, 0, 2),
            merge(1, 0, 2, 0),
            merge(1, 1, 2, 1),
            merge(1, 2, 2, 2),
        ];
        let header = find_header(&top, &merges, None);
        assert_eq!((header.first_row, header.last_row), (1, 2));
        assert_eq!(header.labels, strings(&["Tahun", "Kode", "Jumlah"]));
        assert_eq!(header.groups, vec![None; 3]);
    }

    #[test]
    fn a_two_level_header_with_group_cells() {
        let top = grid(&[
            &["LAPORAN PENIMBANGAN BALITA", "", "", "", ""],
            &["Tahun", "Wilayah", "", "Balita", ""],
            &["", "Kode Kelurahan", "Kode Kecamatan", "Sasaran", "Ditimbang"],
            &["#2024", "61.71.01.1001", "61.71.01", "#10", "#8"],
        ]);
        let merges = [
            merge(0, 0, 0, 4),
            merge(1, 0, 2, 0),
            merge(1, 1, 1, 2),
            merge(1, 3, 1, 4),
        ];
        let header = find_header(&top, &merges, None);
        assert_eq!((header.first_row, header.last_row), (1, 2));
        assert_eq!(
            header.labels,
            strings(&["Tahun", "Kode Kelurahan", "Kode Kecamatan", "Sasaran", "Ditimbang"])
        );
        let group = |g: &str| Some(g.to_owned());
        assert_eq!(
            header.groups,
            vec![
                None,
                group("Wilayah"),
                group("Wilayah"),
                group("Balita"),
                group("Balita")
            ]
        );
    }

    #[test]
    fn groups_without_a_merge_down_and_three_levels() {
        // "No" is not merged down: its cells below are empty, which no data row is.
        let top = grid(&[
            &["No", "Balita", "", "", ""],
            &["", "Sasaran", "", "Ditimbang", ""],
            &["", "L", "P", "L", "P"],
            &["#1", "#3", "#4", "#2", "#2"],
        ]);
        let merges = [merge(0, 1, 0, 4), merge(1, 1, 1, 2), merge(1, 3, 1, 4)];
        let header = find_header(&top, &merges, None);
        assert_eq!((header.first_row, header.last_row), (0, 2));
        assert_eq!(header.labels, strings(&["No", "L", "P", "L", "P"]));
        assert_eq!(header.groups[0], None);
        assert_eq!(header.groups[2].as_deref(), Some("Balita Sasaran"));
        assert_eq!(header.groups[3].as_deref(), Some("Balita Ditimbang"));
    }

    #[test]
    fn years_are_labels_but_other_numbers_are_not() {
        // A flat header of years, and years under a group: both stored as numbers.
        let flat = grid(&[
            &["JUDUL", "", ""],
            &["Kecamatan", "#2022", "#2023"],
            &["Barat", "#5", "#6"],
        ]);
        let header = find_header(&flat, &[merge(0, 0, 0, 2)], None);
        assert_eq!((header.first_row, header.last_row), (1, 1));
        assert_eq!(header.labels, strings(&["Kecamatan", "2022", "2023"]));
        let grouped = grid(&[
            &["Kecamatan", "Jumlah Penduduk", ""],
            &["", "#2022", "#2023"],
            &["Barat", "#1999", "#2000"],
        ]);
        let header = find_header(&grouped, &[merge(0, 1, 0, 2)], None);
        assert_eq!(header.last_row, 1);
        assert_eq!(header.groups[2].as_deref(), Some("Jumlah Penduduk"));
        // A row of years alone is no header, nor are other numbers.
        let years = grid(&[&["#2022", "#2023"], &["Nama", "#15"], &["Ani", "Budi"]]);
        assert_eq!(find_header(&years, &[], None).first_row, 2);
        let counts = grid(&[&["Kecamatan", "#12", "#13"], &["Nama", "Umur", "Kota"]]);
        assert_eq!(find_header(&counts, &[], None).first_row, 1);
    }

    #[test]
    fn a_data_row_under_a_group_is_not_a_sub_header() {
        // The group "Jumlah" has no sub-header row: the row below is data, numbers and all.
        let top = grid(&[&["Nama", "Jumlah", ""], &["Ani", "satu", "dua"]]);
        let header = find_header(&top, &[merge(0, 1, 0, 2)], None);
        assert_eq!(header.last_row, 0);
        assert_eq!(header.labels, strings(&["Nama", "Jumlah", "Jumlah"]));
    }

    #[test]
    fn a_forced_row_starts_the_header() {
        let top = grid(&[
            &["Tabel", "3.1"],
            &["Kode", "#2024"],
            &["Kecamatan", "Jumlah"],
            &["", ""],
            &["61.71.01", "#5"],
        ]);
        let merges = [merge(2, 0, 3, 0), merge(2, 1, 3, 1)];
        assert_eq!(find_header(&top, &merges, None).first_row, 0);
        let header = find_header(&top, &merges, Some(2));
        assert_eq!((header.first_row, header.last_row), (2, 3));
        assert_eq!(header.labels, strings(&["Kecamatan", "Jumlah"]));
        let past = find_header(&top, &merges, Some(9));
        assert!(past.labels.is_empty());
    }

    #[test]
    fn a_row_numbering_the_columns_belongs_to_the_header() {
        let top = grid(&[
            &["Kode", "Kecamatan", "Jumlah"],
            &["(1)", "(2)", "(3)"],
            &["61.71.01", "Pontianak Selatan", "#5"],
        ]);
        assert_eq!(find_header(&top, &[], None).last_row, 1);
        let numbers = grid(&[&["No", "Nama", "Jumlah"], &["#1", "#2", "#3"]]);
        assert_eq!(find_header(&numbers, &[], None).last_row, 1);
        for data in [
            &["#1", "#2", "#4"][..],
            &["#1", "", "#3"],
            &["#2", "#3", "#4"],
            &["(1)", "(3)", "(2)"],
        ] {
            let top = grid(&[&["No", "Nama", "Jumlah"], data]);
            assert_eq!(find_header(&top, &[], None).last_row, 0, "{data:?}");
        }
        let narrow = grid(&[&["No", "Jumlah"], &["#1", "#2"]]);
        assert_eq!(find_header(&narrow, &[], None).last_row, 0);
    }

    #[test]
    fn a_merge_down_is_cut_at_the_deepest_header() {
        let mut rows: Vec<&[&str]> = vec![&["A", "B"]];
        rows.extend(std::iter::repeat_n(&["", "#1"][..], 20));
        let top = grid(&rows);
        let header = find_header(&top, &[merge(0, 0, 20, 0)], None);
        assert_eq!(header.last_row, MAX_HEADER_ROWS - 1);
    }

    #[test]
    fn no_header_row_falls_back_to_the_first() {
        let top = grid(&[&["#1", "#2"], &["#3", "#4"]]);
        assert_eq!(find_header(&top, &[], None).first_row, 0);
        assert_eq!(find_header(&[], &[], None).labels, Vec::<String>::new());
    }
}

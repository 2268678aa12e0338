//! What a figure produces (a tidy table, its metadata, a plot) and how it is written and
//! checked against what is committed under `results/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;

/// One column of a tidy table.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Header name.
    pub name: &'static str,
    /// Unit ("1" for dimensionless, "nats", "nats per unit time", …).
    pub unit: &'static str,
    /// What the column means.
    pub meaning: &'static str,
}

impl Column {
    /// A column `name` in `unit` that means `meaning`.
    pub const fn new(name: &'static str, unit: &'static str, meaning: &'static str) -> Self {
        Self { name, unit, meaning }
    }

    /// A value column and its standard-error column `{name}_se` (same unit), meaning
    /// `meaning` and "its standard error".
    pub fn value_se(
        name: &'static str,
        se_name: &'static str,
        unit: &'static str,
        meaning: &'static str,
    ) -> [Self; 2] {
        debug_assert_eq!(se_name, format!("{name}_se"), "the SE column is named {{name}}_se");
        [Self::new(name, unit, meaning), Self::new(se_name, unit, "its standard error")]
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number, written in Rust's shortest round-trip form.
    Num(f64),
    /// A label.
    Text(String),
    /// Not applicable to this row.
    Empty,
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Num(v)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}

/// `true` / `false`.
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Text(if v { "true" } else { "false" }.to_owned())
    }
}

/// A count, written as a number.
impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        Cell::Num(v as f64)
    }
}

/// A number, or an empty cell where it does not apply.
impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Num)
    }
}

/// A tidy table: one observation per row, a header row.
#[derive(Debug, Clone)]
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(columns: Vec<Column>) -> Self {
        Self { columns, rows: Vec::new() }
    }

    /// Appends a row.
    ///
    /// # Panics
    /// If the row has the wrong length (a programming error in a figure pipeline).
    pub fn push(&mut self, row: Vec<Cell>) {
        assert_eq!(row.len(), self.columns.len(), "row length must match the header");
        self.rows.push(row);
    }

    /// The CSV text.
    pub fn to_csv(&self) -> String {
        let mut s = String::new();
        let header: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        s.push_str(&header.join(","));
        s.push('\n');
        for row in &self.rows {
            for (k, cell) in row.iter().enumerate() {
                if k > 0 {
                    s.push(',');
                }
                match cell {
                    Cell::Num(v) => write!(s, "{v}").expect("writing to a String"),
                    // RFC 4180: a field with a comma, quote or line break is quoted, its
                    // quotes doubled ("[0, 2π]" is one field).
                    Cell::Text(t) if t.contains([',', '"', '\n', '\r']) => {
                        s.push('"');
                        s.push_str(&t.replace('"', "\"\""));
                        s.push('"');
                    }
                    Cell::Text(t) => s.push_str(t),
                    Cell::Empty => {}
                }
            }
            s.push('\n');
        }
        s
    }
}

/// Tolerances for `--check`: a value passes if |new − old| ≤ abs + rel·|old|.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Tolerance {
    /// Absolute tolerance.
    pub abs: f64,
    /// Relative tolerance.
    pub rel: f64,
}

/// Everything a figure pipeline returns.
#[derive(Debug, Clone)]
pub struct FigureOutput {
    /// The data.
    pub table: Table,
    /// The parameters that were used (the preset, serialised).
    pub params: serde_json::Value,
    /// Every choice made where the paper is silent, with the reason.
    pub choices: Vec<String>,
    /// Headline numbers (name → value), and how they compare with the paper.
    pub headline: serde_json::Map<String, serde_json::Value>,
    /// Statements printed to the user and stored in meta.json: mismatches with the paper,
    /// optima on the edge of the searched range, etc.
    pub notes: Vec<String>,
    /// The plot.
    pub svg: String,
    /// How closely `--check` must reproduce the data.
    pub tolerance: Tolerance,
}

impl FigureOutput {
    /// A figure of `table` drawn as `svg`, computed with `params` (serialised into
    /// meta.json), checked to `tolerance`; no choices, headline or notes yet.
    ///
    /// # Errors
    /// If `params` cannot be serialised.
    pub fn new(
        table: Table,
        params: &impl Serialize,
        svg: String,
        tolerance: Tolerance,
    ) -> Result<Self> {
        Ok(Self {
            table,
            params: serde_json::to_value(params)?,
            choices: Vec::new(),
            headline: serde_json::Map::new(),
            notes: Vec::new(),
            svg,
            tolerance,
        })
    }

    /// With these choices.
    #[must_use]
    pub fn choices(mut self, choices: Vec<String>) -> Self {
        self.choices = choices;
        self
    }

    /// With these notes.
    #[must_use]
    pub fn notes(mut self, notes: Vec<String>) -> Self {
        self.notes = notes;
        self
    }

    /// With these headline numbers.
    #[must_use]
    pub fn headline(mut self, headline: serde_json::Map<String, serde_json::Value>) -> Self {
        self.headline = headline;
        self
    }
}

/// How the study that computed a figure spent its time, written into meta.json.
#[derive(Debug, Clone, Serialize)]
pub struct StudyTiming {
    /// `paper/study`.
    pub id: String,
    /// Every figure the study renders.
    pub figures: Vec<String>,
    /// The figures rendered from this one computation in this run.
    pub rendered_together: Vec<String>,
    /// Seconds spent in the shared computation (counted once, in every panel).
    pub compute_s: f64,
    /// Seconds spent drawing this figure from it.
    pub render_s: f64,
}

/// Provenance of a run, written into meta.json.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// Figure id, `paper/figN`.
    pub figure: String,
    /// One-line description.
    pub description: String,
    /// Full reference of the paper.
    pub paper: String,
    /// Preset name.
    pub preset: String,
    /// Seed (recorded even for deterministic figures).
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// `git describe --always --dirty` of the source tree, or "unknown".
    pub git_revision: String,
    /// Wall time of this figure: its study's computation plus its own rendering, seconds.
    pub wall_time_s: f64,
    /// The study it was computed by, and how the time divides.
    pub study: StudyTiming,
    /// Units convention.
    pub units: &'static str,
    /// The study's checkpointed sweeps: task count, summed task time (on whichever
    /// machines computed them) and the shard count; absent for studies without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<super::checkpoint::SweepTiming>,
}

/// The meta.json document.
#[derive(Serialize)]
struct Meta<'a> {
    #[serde(flatten)]
    provenance: &'a Provenance,
    columns: &'a [Column],
    params: &'a serde_json::Value,
    choices: &'a [String],
    headline: &'a serde_json::Map<String, serde_json::Value>,
    notes: &'a [String],
    check_tolerance: Tolerance,
}

/// The directory of a figure under an output root: `<root>/<paper>/<fig>`.
pub fn figure_dir(root: &Path, id: &str) -> PathBuf {
    id.split('/').fold(root.to_path_buf(), |p, part| p.join(part))
}

/// Writes data.csv, meta.json and figure.svg. Each file is written to a temporary name and
/// renamed into place, so an interrupted or failed run never leaves a half-written file,
/// and results of earlier runs stay as they were until the new ones are complete.
///
/// # Errors
/// IO errors, with the path.
pub fn write_figure(root: &Path, prov: &Provenance, out: &FigureOutput) -> Result<PathBuf> {
    let dir = figure_dir(root, &prov.figure);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let meta = Meta {
        provenance: prov,
        columns: &out.table.columns,
        params: &out.params,
        choices: &out.choices,
        headline: &out.headline,
        notes: &out.notes,
        check_tolerance: out.tolerance,
    };
    let meta = serde_json::to_string_pretty(&meta)? + "\n";
    // meta.json last: it names the run, so it goes into place only after the others.
    let files =
        [("data.csv", out.table.to_csv()), ("figure.svg", out.svg.clone()), ("meta.json", meta)];
    // Temporary names are this process's own; all three are written before any is moved,
    // and on a failed write (a full disk) none is left behind and the old set stays.
    let tmp = |name: &str| dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let cleanup = || {
        for (name, _) in &files {
            std::fs::remove_file(tmp(name)).ok();
        }
    };
    for (name, text) in &files {
        let path = tmp(name);
        if let Err(e) = std::fs::write(&path, text) {
            cleanup();
            return Err(e).with_context(|| format!("writing {}", path.display()));
        }
    }
    for (name, _) in &files {
        let (from, to) = (tmp(name), dir.join(name));
        if let Err(e) = std::fs::rename(&from, &to) {
            cleanup();
            return Err(e)
                .with_context(|| format!("moving {} to {}", from.display(), to.display()));
        }
    }
    Ok(dir)
}

/// The preset recorded in a committed meta.json; `None` when there is no meta.json.
///
/// # Errors
/// A meta.json that cannot be read or parsed, or has no preset (the path is named).
pub fn committed_preset(root: &Path, id: &str) -> Result<Option<String>> {
    let path = figure_dir(root, id).join("meta.json");
    if !path.exists() {
        return Ok(None);
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    let preset = v
        .get("preset")
        .and_then(|p| p.as_str())
        .with_context(|| format!("{} records no preset", path.display()))?;
    Ok(Some(preset.to_owned()))
}

/// The outcome of comparing a recomputed table with the committed one.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Number of numeric cells compared.
    pub compared: usize,
    /// Largest |new − old| over all numeric cells.
    pub max_abs_diff: f64,
}

/// Compares a recomputed table with `<root>/<paper>/<fig>/data.csv`.
///
/// # Errors
/// A missing file, a different header or row count, a label that differs, or a number
/// that drifts beyond the tolerance (the first such cell is named).
pub fn check_against_committed(root: &Path, id: &str, out: &FigureOutput) -> Result<CheckReport> {
    let path = figure_dir(root, id).join("data.csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(&path)
        .with_context(|| format!("no committed data to check against at {}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("reading {}", path.display()))?
        .iter()
        .map(str::to_owned)
        .collect();
    let expected: Vec<&str> = out.table.columns.iter().map(|c| c.name).collect();
    if header != expected {
        bail!("{}: header {:?} differs from the recomputed {:?}", path.display(), header, expected);
    }
    let old: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .with_context(|| format!("{} is not valid CSV", path.display()))?;
    if old.len() != out.table.rows.len() {
        bail!(
            "{}: {} committed rows, {} recomputed",
            path.display(),
            old.len(),
            out.table.rows.len()
        );
    }
    let tol = out.tolerance;
    let mut report = CheckReport { compared: 0, max_abs_diff: 0.0 };
    for (r, (rec, row)) in old.iter().zip(&out.table.rows).enumerate() {
        for (c, (committed, cell)) in rec.iter().zip(row).enumerate() {
            let col = expected[c];
            match cell {
                Cell::Num(new) => {
                    let old: f64 = committed.parse().with_context(|| {
                        format!("row {r}, column {col}: committed {committed:?} is not a number")
                    })?;
                    let same_special = (old.is_nan() && new.is_nan()) || old == *new;
                    let diff = (new - old).abs();
                    if !same_special && !(diff <= tol.abs + tol.rel * old.abs()) {
                        bail!(
                            "drift in {id} row {r}, column {col}: committed {old}, recomputed \
                             {new} (|Δ| = {diff:e} > {} + {}·|old|)",
                            tol.abs,
                            tol.rel
                        );
                    }
                    if diff.is_finite() {
                        report.max_abs_diff = report.max_abs_diff.max(diff);
                    }
                    report.compared += 1;
                }
                Cell::Text(t) if t != committed => {
                    bail!("{id} row {r}, column {col}: committed {committed:?}, recomputed {t:?}")
                }
                Cell::Empty if !committed.is_empty() => {
                    bail!("{id} row {r}, column {col}: committed {committed:?}, recomputed empty")
                }
                _ => {}
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_commas_and_quotes_is_one_quoted_field() {
        let mut t = Table::new(vec![Column::new("a", "", ""), Column::new("b", "1", "")]);
        t.push(vec!["[0, 2π]".into(), 1.5.into()]);
        t.push(vec!["say \"hi\"".into(), Cell::Empty]);
        let csv = t.to_csv();
        assert_eq!(csv, "a,b\n\"[0, 2π]\",1.5\n\"say \"\"hi\"\"\",\n");
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(&rows[0][0], "[0, 2π]");
        assert_eq!(&rows[1][0], "say \"hi\"");
    }
}

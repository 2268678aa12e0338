//! SVG plots (plotters, SVG backend, no font dependencies): line charts and heat maps with
//! a colour bar. Every plot is rendered to a string, so the same data give the same bytes.

use anyhow::{Result, anyhow};
use plotters::prelude::*;

/// Colours for successive series (colour-blind safe, Okabe–Ito).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

/// Grey for secondary curves.
pub const GREY: RGBColor = RGBColor(140, 140, 140);

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("plotting failed: {e:?}")
}

/// One curve of a line chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// (x, y) points, in drawing order.
    pub points: Vec<(f64, f64)>,
    /// Colour.
    pub color: RGBColor,
    /// Dashed instead of solid.
    pub dashed: bool,
    /// Draw a marker at every point.
    pub markers: bool,
    /// Markers only, no line (simulation or Monte Carlo points).
    pub points_only: bool,
    /// Error bars: the half-length at each point (empty: none).
    pub errors: Vec<f64>,
}

impl Series {
    /// A solid line through `points`.
    pub fn line(label: impl Into<String>, points: Vec<(f64, f64)>, color: RGBColor) -> Self {
        Self {
            label: label.into(),
            points,
            color,
            dashed: false,
            markers: false,
            points_only: false,
            errors: Vec::new(),
        }
    }

    /// Markers only, no line (simulation or Monte Carlo points, single systems).
    pub fn scatter(label: impl Into<String>, points: Vec<(f64, f64)>, color: RGBColor) -> Self {
        Self { markers: true, points_only: true, ..Self::line(label, points, color) }
    }

    /// Dashed instead of solid (for a scatter: only its legend entry is short).
    #[must_use]
    pub fn dashed(self) -> Self {
        Self { dashed: true, ..self }
    }

    /// With a marker at every point.
    #[must_use]
    pub fn with_markers(self) -> Self {
        Self { markers: true, ..self }
    }

    /// With error bars of these half-lengths, one per point.
    #[must_use]
    pub fn with_errors(self, errors: Vec<f64>) -> Self {
        Self { errors, ..self }
    }
}

fn padded_range(values: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite() && (!log || *v > 0.0)) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if log {
        return (lo / 1.5, hi * 1.5);
    }
    let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 * lo.abs().max(1e-3) };
    (lo - pad, hi + pad)
}

/// A line chart with a legend. `log_x` puts x on a logarithmic axis (non-positive x are
/// dropped from that axis).
pub fn line_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    log_x: bool,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        line_panel(&root, title, 20, x_label, y_label, series, log_x)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// One panel of [`side_by_side`].
#[derive(Debug, Clone)]
pub struct Panel {
    /// Panel title.
    pub title: String,
    /// x-axis label.
    pub x_label: String,
    /// y-axis label.
    pub y_label: String,
    /// Curves.
    pub series: Vec<Series>,
    /// Logarithmic x.
    pub log_x: bool,
}

/// Line-chart panels side by side under one title.
pub fn side_by_side(title: &str, panels: &[Panel]) -> Result<String> {
    let mut svg = String::new();
    {
        let width = 620 * panels.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (width, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root.titled(title, ("sans-serif", 20)).map_err(err)?;
        let areas = root.split_evenly((1, panels.len().max(1)));
        for (area, p) in areas.iter().zip(panels) {
            line_panel(area, &p.title, 16, &p.x_label, &p.y_label, &p.series, p.log_x)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Line-chart panels on a grid of `cols` columns (620 × 520 per panel) under one title.
pub fn panel_grid(title: &str, panels: &[Panel], cols: usize) -> Result<String> {
    let cols = cols.clamp(1, panels.len().max(1));
    let rows = panels.len().div_ceil(cols).max(1);
    let mut svg = String::new();
    {
        let (w, h) = (620 * cols as u32, 520 * rows as u32 + 30);
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root.titled(title, ("sans-serif", 20)).map_err(err)?;
        let areas = root.split_evenly((rows, cols));
        for (area, p) in areas.iter().zip(panels) {
            line_panel(area, &p.title, 16, &p.x_label, &p.y_label, &p.series, p.log_x)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The corner whose legend-sized box (the outer 45% × 35% of the plot) covers the fewest
/// data points, preferring upper right, upper left, lower right, lower left on ties.
fn legend_corner(
    series: &[Series],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    log_x: bool,
) -> SeriesLabelPosition {
    let fx = |x: f64| {
        if log_x { (x.ln() - x0.ln()) / (x1.ln() - x0.ln()) } else { (x - x0) / (x1 - x0) }
    };
    let corners = [
        (SeriesLabelPosition::UpperRight, true, true),
        (SeriesLabelPosition::UpperLeft, false, true),
        (SeriesLabelPosition::LowerRight, true, false),
        (SeriesLabelPosition::LowerLeft, false, false),
    ];
    let covered = |right: bool, upper: bool| {
        series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| p.0.is_finite() && p.1.is_finite() && (!log_x || p.0 > 0.0))
            .filter(|p| {
                let (u, v) = (fx(p.0), (p.1 - y0) / (y1 - y0));
                (if right { u > 0.55 } else { u < 0.45 })
                    && (if upper { v > 0.65 } else { v < 0.35 })
            })
            .count()
    };
    let mut best = (usize::MAX, SeriesLabelPosition::UpperRight);
    for (pos, right, upper) in corners {
        let n = covered(right, upper);
        if n < best.0 {
            best = (n, pos);
        }
    }
    best.1
}

fn line_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    title_size: u32,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    log_x: bool,
) -> Result<()> {
    let (x0, x1) = padded_range(series.iter().flat_map(|s| s.points.iter().map(|p| p.0)), log_x);
    let (y0, y1) = padded_range(series.iter().flat_map(|s| s.points.iter().map(|p| p.1)), false);
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(title, ("sans-serif", title_size))
        .margin(14)
        .x_label_area_size(48)
        .y_label_area_size(78);
    macro_rules! draw {
        ($chart:expr) => {{
            let mut chart = $chart;
            chart
                .configure_mesh()
                .x_desc(x_label)
                .y_desc(y_label)
                .label_style(("sans-serif", 14))
                .axis_desc_style(("sans-serif", 16))
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(err)?;
            for s in series {
                let color = s.color;
                let pts: Vec<(f64, f64)> = s
                    .points
                    .iter()
                    .copied()
                    .filter(|p| p.0.is_finite() && p.1.is_finite() && (!log_x || p.0 > 0.0))
                    .collect();
                let style = color.stroke_width(2);
                let anno = if s.points_only {
                    chart
                        .draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))
                        .map_err(err)?
                } else if s.dashed {
                    chart
                        .draw_series(DashedLineSeries::new(pts.clone(), 8, 5, style))
                        .map_err(err)?
                } else {
                    chart.draw_series(LineSeries::new(pts.clone(), style)).map_err(err)?
                };
                // A series without a label (an error bar drawn as its own line, say) has no
                // legend entry.
                let dashed = s.dashed;
                if !s.label.is_empty() {
                    anno.label(s.label.as_str()).legend(move |(x, y)| {
                        let end = if dashed { x + 10 } else { x + 22 };
                        PathElement::new(vec![(x, y), (end, y)], color.stroke_width(2))
                    });
                }
                for (&(x, y), &e) in s.points.iter().zip(&s.errors) {
                    if x.is_finite() && y.is_finite() && e.is_finite() && (!log_x || x > 0.0) {
                        chart
                            .draw_series(std::iter::once(PathElement::new(
                                vec![(x, y - e), (x, y + e)],
                                color.stroke_width(1),
                            )))
                            .map_err(err)?;
                    }
                }
                if s.markers && !s.points_only {
                    chart
                        .draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))
                        .map_err(err)?;
                }
            }
            if series.iter().any(|s| !s.label.is_empty()) {
                chart
                    .configure_series_labels()
                    .label_font(("sans-serif", 14))
                    .background_style(WHITE.mix(0.85))
                    .border_style(BLACK)
                    .position(legend_corner(series, (x0, x1), (y0, y1), log_x))
                    .draw()
                    .map_err(err)?;
            }
        }};
    }
    if log_x {
        draw!(builder.build_cartesian_2d((x0..x1).log_scale(), y0..y1).map_err(err)?);
    } else {
        draw!(builder.build_cartesian_2d(x0..x1, y0..y1).map_err(err)?);
    }
    Ok(())
}

/// A marker drawn on a heat map.
#[derive(Debug, Clone, Copy)]
pub struct Marker {
    /// Position.
    pub at: (f64, f64),
    /// Fill colour.
    pub color: RGBColor,
}

/// One heat-map panel: z on a regular grid, `z[iy * x.len() + ix]`.
#[derive(Debug, Clone)]
pub struct HeatPanel {
    /// Panel title.
    pub title: String,
    /// Grid x coordinates (ascending, evenly spaced).
    pub x: Vec<f64>,
    /// Grid y coordinates (ascending, evenly spaced).
    pub y: Vec<f64>,
    /// Values, row-major in y.
    pub z: Vec<f64>,
    /// Markers on top.
    pub markers: Vec<Marker>,
}

/// The viridis colour map at t ∈ [0, 1] (piecewise-linear through nine anchors).
pub fn viridis(t: f64) -> RGBColor {
    const A: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let f = t * (A.len() - 1) as f64;
    let i = (f.floor() as usize).min(A.len() - 2);
    let u = f - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + u * (f64::from(b) - f64::from(a))).round() as u8;
    RGBColor(mix(A[i].0, A[i + 1].0), mix(A[i].1, A[i + 1].1), mix(A[i].2, A[i + 1].2))
}

/// Heat-map panels on a shared colour scale `z_range`, laid out in `cols` columns, with a
/// colour bar labelled `z_label`.
pub fn heatmaps(
    title: &str,
    x_label: &str,
    y_label: &str,
    z_label: &str,
    panels: &[HeatPanel],
    z_range: (f64, f64),
    cols: usize,
) -> Result<String> {
    let rows = panels.len().div_ceil(cols);
    // Panels of 520 × 480 with 16–18 px text: legible in the README at its column
    // width and printed at a page's width (the first maps, 440 × 400 with 12 px labels,
    // shrank their ticks to ~4 pt on paper).
    let (pw, ph) = (520u32, 480u32);
    let (w, h) = (pw * cols as u32 + 130, ph * rows as u32 + 50);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root.titled(title, ("sans-serif", 24)).map_err(err)?;
        let (grid, bar) = root.split_horizontally(pw * cols as u32);
        let areas = grid.split_evenly((rows, cols));
        let (z0, z1) = z_range;
        let norm = |z: f64| if z1 > z0 { (z - z0) / (z1 - z0) } else { 0.5 };
        for (panel, area) in panels.iter().zip(areas.iter()) {
            let dx = (panel.x[1] - panel.x[0]).abs();
            let dy = (panel.y[1] - panel.y[0]).abs();
            let (xa, xb) = (panel.x[0] - dx / 2.0, panel.x[panel.x.len() - 1] + dx / 2.0);
            let (ya, yb) = (panel.y[0] - dy / 2.0, panel.y[panel.y.len() - 1] + dy / 2.0);
            let mut chart = ChartBuilder::on(area)
                .caption(&panel.title, ("sans-serif", 20))
                .margin(10)
                .x_label_area_size(50)
                .y_label_area_size(64)
                .build_cartesian_2d(xa..xb, ya..yb)
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_desc(x_label)
                .y_desc(y_label)
                .label_style(("sans-serif", 16))
                .axis_desc_style(("sans-serif", 18))
                .draw()
                .map_err(err)?;
            let nx = panel.x.len();
            chart
                .draw_series(panel.z.iter().enumerate().map(|(k, &z)| {
                    let (cx, cy) = (panel.x[k % nx], panel.y[k / nx]);
                    Rectangle::new(
                        [(cx - dx / 2.0, cy - dy / 2.0), (cx + dx / 2.0, cy + dy / 2.0)],
                        viridis(norm(z)).filled(),
                    )
                }))
                .map_err(err)?;
            chart
                .draw_series(panel.markers.iter().map(|m| {
                    EmptyElement::at(m.at)
                        + Circle::new((0, 0), 5, m.color.filled())
                        + Circle::new((0, 0), 5, RGBColor(128, 128, 128).stroke_width(1))
                }))
                .map_err(err)?;
        }
        // Colour bar.
        let mut cb = ChartBuilder::on(&bar)
            .margin_top(30)
            .margin_bottom(50)
            .margin_left(8)
            .margin_right(8)
            .y_label_area_size(76)
            .build_cartesian_2d(0.0..1.0, z0..z1.max(z0 + 1e-12))
            .map_err(err)?;
        cb.configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_desc(z_label)
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 18))
            .draw()
            .map_err(err)?;
        let steps = 100u32;
        cb.draw_series((0..steps).map(|k| {
            let a = z0 + (z1 - z0) * f64::from(k) / f64::from(steps);
            let b = z0 + (z1 - z0) * f64::from(k + 1) / f64::from(steps);
            Rectangle::new([(0.0, a), (1.0, b)], viridis(norm(0.5 * (a + b))).filled())
        }))
        .map_err(err)?;
        root.present().map_err(err)?;
    }
    // Cells drawn anti-aliased show light seams between them at any zoom but 1:1; crisp
    // edges make the cells tile (every <rect> here is a cell, the colour bar or the
    // background).
    Ok(svg.replace("<rect ", "<rect shape-rendering=\"crispEdges\" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contents of every `<text>` element of an SVG.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .map(|t| {
                let body = &t[t.find('>').map_or(0, |i| i + 1)..];
                body[..body.find("</text>").unwrap_or(body.len())].trim().to_string()
            })
            .collect()
    }

    #[test]
    fn only_labelled_series_get_legend_entries() {
        // A scatter with error bars drawn as unlabelled lines (as the cost figures do):
        // one legend entry, no empty ones; no legend at all when nothing is labelled.
        let color = RGBColor(0, 90, 200);
        let mut series = vec![Series::scatter("points", vec![(0.0, 1.0), (1.0, 2.0)], color)];
        for x in [0.0, 1.0] {
            series.push(Series::line("", vec![(x, x + 0.5), (x, x + 1.5)], color));
        }
        let svg = line_chart("t", "x", "y", &series, false).unwrap();
        let t = texts(&svg);
        assert!(t.iter().all(|s| !s.is_empty()), "{t:?}");
        assert_eq!(t.iter().filter(|s| *s == "points").count(), 1, "{t:?}");
        let unlabelled = line_chart("t", "x", "y", &series[1..], false).unwrap();
        assert!(texts(&unlabelled).iter().all(|s| !s.is_empty()));
        assert!(!unlabelled.contains("opacity=\"0.85\""), "a legend box without entries");
    }
}

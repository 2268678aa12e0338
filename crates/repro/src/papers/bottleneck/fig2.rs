//! Fig. 2 of Ingrosso & Panizon (PRE 109, 014132, 2024): maps of I(s, x) and I(s, y)
//! over the (J_s, J_a) plane of the two-spin system with the optima of G − αΣ on them
//! (`fig2a`, `fig2b`), and the computation–dissipation front I(s, y) against Σ (`fig2c`).
//! One study: the grid and the optima are computed once and drawn three times.
//!
//! I(s, x) is even in J_a, so θ^sx has two mirror optima (J_a ≷ 0) with the same I(s,x)
//! and Σ but different I(s,y); both branches are reported. The equilibrium end of each
//! front (α → ∞) is found directly on the line J_a = 0 and written as α = inf.

use anyhow::Result;
use learn::Maximum;
use models::bottleneck::{TradeOff, TwoSpinMeasures, TwoSpinScratch};
use rayon::prelude::*;
use serde_json::json;

use super::fig1::OPTIMUM_TOLERANCE;
use super::presets::Fig2Params;
use super::two_spin::{
    ISX_COL, ISY_COL, JA_COL, JS_COL, SIGMA_COL, SearchBox, common_choices, optimise,
};
use crate::pipeline::plot::{self, GREY, HeatPanel, Marker, PALETTE, Series};
use crate::pipeline::stats::linspace;
use crate::pipeline::{Cell, Column, FigureOutput, RunContext, Table};

/// Which objective an optimum maximises.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Objective {
    /// G = I(s, y).
    Sy,
    /// G = I(s, x), branch J_a ≥ 0.
    SxPos,
    /// G = I(s, x), branch J_a ≤ 0.
    SxNeg,
}

impl Objective {
    fn name(self) -> &'static str {
        match self {
            Objective::Sy => "theta_sy",
            Objective::SxPos => "theta_sx_ja_pos",
            Objective::SxNeg => "theta_sx_ja_neg",
        }
    }
    fn gain(self, m: &TwoSpinMeasures) -> f64 {
        match self {
            Objective::Sy => m.i_sy,
            Objective::SxPos | Objective::SxNeg => m.i_sx,
        }
    }
}

struct Optimum {
    objective: Objective,
    trade_off: TradeOff,
    at: Maximum,
    m: TwoSpinMeasures,
}

impl Optimum {
    /// α as the CSV writes it: `inf` for the enforced equilibrium.
    fn alpha(&self) -> f64 {
        self.trade_off.alpha().unwrap_or(f64::INFINITY)
    }
}

/// The study's data: the (J_s, J_a) grid and every optimum.
pub struct Fig2Data {
    js: Vec<f64>,
    grid: Vec<TwoSpinMeasures>, // [ia * n + is]
    optima: Vec<Optimum>,
}

/// Computes the grid and the optima of G − αΣ for every α and objective.
pub fn compute(params: &Fig2Params, ctx: &RunContext) -> Result<Fig2Data> {
    let setup = params.system.setup(params.phi)?;
    let jm = params.system.j_max;
    let js = linspace(-jm, jm, params.grid_points);
    let n = js.len();
    let pb = ctx.progress_bar((n * n) as u64, "fig2: (J_s, J_a) grid");
    let grid: Vec<TwoSpinMeasures> = (0..n * n)
        .into_par_iter()
        .map_init(TwoSpinScratch::default, |scratch, k| {
            let m = setup.measure(js[k % n], js[k / n], scratch);
            pb.inc(1);
            m
        })
        .collect::<Result<_, _>>()?;
    pb.finish_and_clear();

    let h0 = js[1] - js[0];
    let mut tasks: Vec<(Objective, TradeOff)> = Vec::new();
    for trade_off in params.trade_offs() {
        for obj in [Objective::Sy, Objective::SxPos, Objective::SxNeg] {
            tasks.push((obj, trade_off));
        }
    }
    let pb = ctx.progress_bar(tasks.len() as u64, "fig2: optima of G − αΣ");
    let optima: Vec<Optimum> = tasks
        .par_iter()
        .map_init(TwoSpinScratch::default, |scratch, &(objective, trade_off)| -> Result<Optimum> {
            let (lo, hi) = match (objective, trade_off) {
                (_, TradeOff::Equilibrium) => ([-jm, 0.0], [jm, 0.0]),
                (Objective::Sy, _) => ([-jm; 2], [jm; 2]),
                (Objective::SxPos, _) => ([-jm, 0.0], [jm, jm]),
                (Objective::SxNeg, _) => ([-jm, -jm], [jm, 0.0]),
            };
            let score = |m: &TwoSpinMeasures| trade_off.score(objective.gain(m), m.sigma);
            let start = (0..n * n)
                .filter(|&k| {
                    let ja = js[k / n];
                    ja >= lo[1] && ja <= hi[1]
                })
                .max_by(|&a, &b| score(&grid[a]).total_cmp(&score(&grid[b])))
                .expect("non-empty grid");
            let start = [js[start % n], js[start / n]];
            let bx = SearchBox { lo, hi, j_max: jm };
            let (at, m) =
                optimise(&setup, scratch, score, start, h0, params.system.search_tol, &bx)?;
            pb.inc(1);
            Ok(Optimum { objective, trade_off, at, m })
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    Ok(Fig2Data { js, grid, optima })
}

fn choices(p: &Fig2Params) -> Vec<String> {
    let mut c = common_choices(&p.system);
    c.push(format!(
        "{n}×{n} grid over the box; each optimum of G − αΣ starts from the best grid point and is \
         refined by compass search to |ΔJ| < {:e}",
        p.system.search_tol,
        n = p.grid_points
    ));
    let positive: Vec<f64> = p.alphas.iter().copied().filter(|&a| a > 0.0).collect();
    c.push(format!(
        "α = 0 and {} values from {:e} to {:e}, log-spaced (paper: 'several α'); α = ∞ is the \
         equilibrium optimum found directly on J_a = 0",
        positive.len(),
        positive.first().copied().unwrap_or(f64::NAN),
        positive.last().copied().unwrap_or(f64::NAN),
    ));
    c.push(
        "I(s,x) is even in J_a, so θ^sx has two mirror optima; both branches (J_a ≥ 0 and \
         J_a ≤ 0) are reported"
            .into(),
    );
    c.push(
        "fig2a, fig2b and fig2c are one study: the grid and the optima are computed once, and \
         each panel's meta.json records that computation's wall time"
            .into(),
    );
    c
}

fn headline(d: &Fig2Data) -> serde_json::Map<String, serde_json::Value> {
    let find = |obj: Objective, t: TradeOff| {
        d.optima.iter().find(|o| o.objective == obj && o.trade_off == t).expect("optimum computed")
    };
    let neq = find(Objective::Sy, TradeOff::Alpha(0.0));
    let eq = find(Objective::Sy, TradeOff::Equilibrium);
    let sx = find(Objective::SxPos, TradeOff::Alpha(0.0));
    let sx_neg = find(Objective::SxNeg, TradeOff::Alpha(0.0));
    let mut h = serde_json::Map::new();
    h.insert(
        "best_nonequilibrium_i_sy".into(),
        json!({"i_sy": neq.m.i_sy, "js": neq.at.at[0], "ja": neq.at.at[1], "sigma": neq.m.sigma}),
    );
    h.insert("best_equilibrium_i_sy".into(), json!({"i_sy": eq.m.i_sy, "js": eq.at.at[0]}));
    h.insert(
        "best_i_sx".into(),
        json!({"i_sx": sx.m.i_sx, "js": sx.at.at[0], "ja": [sx_neg.at.at[1], sx.at.at[1]],
               "sigma": sx.m.sigma, "i_sy_there": [sx_neg.m.i_sy, sx.m.i_sy],
               "paper": "the α = 0 optima have finite J_a and finite Σ"}),
    );
    h
}

struct MapPanel {
    value: fn(&TwoSpinMeasures) -> f64,
    column: Column,
    objectives: &'static [Objective],
    name: &'static str,
}

fn map_figure(p: &Fig2Params, d: &Fig2Data, map: &MapPanel) -> Result<FigureOutput> {
    let n = d.js.len();
    let value = map.value;
    let mut table = Table::new(vec![
        Column::new("kind", "", "grid: a point of the map; theta_*: an optimum of G − αΣ"),
        Column::new("alpha", "time", "trade-off α (empty for grid rows)"),
        JS_COL,
        JA_COL,
        map.column.clone(),
        SIGMA_COL,
    ]);
    for (k, m) in d.grid.iter().enumerate() {
        table.push(vec![
            "grid".into(),
            Cell::Empty,
            d.js[k % n].into(),
            d.js[k / n].into(),
            value(m).into(),
            m.sigma.into(),
        ]);
    }
    let mut markers = Vec::new();
    for o in d.optima.iter().filter(|o| map.objectives.contains(&o.objective)) {
        table.push(vec![
            o.objective.name().into(),
            o.alpha().into(),
            o.at.at[0].into(),
            o.at.at[1].into(),
            value(&o.m).into(),
            o.m.sigma.into(),
        ]);
        if let TradeOff::Alpha(a) = o.trade_off {
            let color = if a == 0.0 { plotters::style::WHITE } else { PALETTE[0] };
            markers.push(Marker { at: (o.at.at[0], o.at.at[1]), color });
        }
    }
    // α = 0 (white) on top of the others.
    markers.sort_by_key(|m| m.color == plotters::style::WHITE);
    let z: Vec<f64> = d.grid.iter().map(value).collect();
    let zmax = z.iter().copied().fold(0.0, f64::max);
    let panel = HeatPanel {
        title: "optima of G − αΣ: white α = 0, black α > 0".into(),
        x: d.js.clone(),
        y: d.js.clone(),
        z,
        markers,
    };
    let svg = plot::heatmaps(
        &format!("{} over (J_s, J_a), φ = {}", map.name, p.phi),
        "J_s",
        "J_a",
        &format!("{} [nats]", map.name),
        &[panel],
        (0.0, zmax),
        1,
    )?;
    let notes = d
        .optima
        .iter()
        .filter(|o| map.objectives.contains(&o.objective) && o.at.on_boundary)
        .filter_map(|o| o.trade_off.alpha().map(|a| (o, a)))
        .map(|(o, a)| {
            format!(
                "{} at α = {a}: optimum on the edge of the search box (J_s, J_a) = ({:.3}, {:.3})",
                o.objective.name(),
                o.at.at[0],
                o.at.at[1]
            )
        })
        .collect();
    Ok(FigureOutput::new(table, p, svg, OPTIMUM_TOLERANCE)?
        .choices(choices(p))
        .headline(headline(d))
        .notes(notes))
}

/// `bottleneck/fig2a`: I(s, x) with the θ^sx optima.
pub fn fig2a(p: &Fig2Params, d: &Fig2Data, _ctx: &RunContext) -> Result<FigureOutput> {
    let map = MapPanel {
        value: |m| m.i_sx,
        column: ISX_COL,
        objectives: &[Objective::SxPos, Objective::SxNeg],
        name: "I(s, x)",
    };
    map_figure(p, d, &map)
}

/// `bottleneck/fig2b`: I(s, y) with the θ^sy optima.
pub fn fig2b(p: &Fig2Params, d: &Fig2Data, _ctx: &RunContext) -> Result<FigureOutput> {
    let map = MapPanel {
        value: |m| m.i_sy,
        column: ISY_COL,
        objectives: &[Objective::Sy],
        name: "I(s, y)",
    };
    map_figure(p, d, &map)
}

/// `bottleneck/fig2c`: the front I(s, y) against Σ for θ^sy and both θ^sx branches.
pub fn fig2c(p: &Fig2Params, d: &Fig2Data, _ctx: &RunContext) -> Result<FigureOutput> {
    let mut table = Table::new(vec![
        Column::new(
            "objective",
            "",
            "theta_sy maximises I(s,y) − αΣ; theta_sx_* maximises I(s,x) − αΣ (two mirror branches)",
        ),
        Column::new("alpha", "time", "trade-off α (inf: J_a = 0 enforced)"),
        JS_COL,
        JA_COL,
        ISY_COL,
        ISX_COL,
        SIGMA_COL,
        Column::new("on_boundary", "", "optimum on the edge of the search box"),
    ]);
    for o in &d.optima {
        table.push(vec![
            o.objective.name().into(),
            o.alpha().into(),
            o.at.at[0].into(),
            o.at.at[1].into(),
            o.m.i_sy.into(),
            o.m.i_sx.into(),
            o.m.sigma.into(),
            o.at.on_boundary.into(),
        ]);
    }
    let curve = |obj: Objective| -> Vec<(f64, f64)> {
        d.optima.iter().filter(|o| o.objective == obj).map(|o| (o.m.sigma, o.m.i_sy)).collect()
    };
    let series = vec![
        Series::line("θ^sy (maximises I(s,y) − αΣ)", curve(Objective::Sy), PALETTE[0])
            .with_markers(),
        Series::line("θ^sx, J_a ≥ 0 branch", curve(Objective::SxPos), GREY).with_markers(),
        Series::line("θ^sx, J_a ≤ 0 branch", curve(Objective::SxNeg), GREY).dashed().with_markers(),
    ];
    let svg = plot::line_chart(
        &format!("Computation-dissipation front, two spins, φ = {}", p.phi),
        "Σ [nats per unit time]",
        "I(s, y) [nats]",
        &series,
        false,
    )?;
    let mut notes = Vec::new();
    // The paper's claim: at equal dissipation the task-tailored system knows more about y.
    let sy: Vec<(f64, f64)> = curve(Objective::Sy);
    for obj in [Objective::SxPos, Objective::SxNeg] {
        for (sigma, isy) in curve(obj) {
            // Compare with the best θ^sy point of Σ ≤ this Σ.
            let best =
                sy.iter().filter(|q| q.0 <= sigma + 1e-12).map(|q| q.1).fold(f64::MIN, f64::max);
            if best < isy - 1e-9 {
                notes.push(format!(
                    "MISMATCH: {} reaches I(s,y) = {isy:.6} at Σ = {sigma:.4}, above θ^sy's {best:.6}",
                    obj.name()
                ));
            }
        }
    }
    Ok(FigureOutput::new(table, p, svg, OPTIMUM_TOLERANCE)?
        .choices(choices(p))
        .headline(headline(d))
        .notes(notes))
}

//! Figures 1 and 2 of Ingrosso & Panizon, *Machine learning at the mesoscale: a
//! computation-dissipation bottleneck*, PRE 109, 014132 (2024): the two-spin system.
//!
//! Everything here is exact: steady states of the 4-state master equation (stoch-core,
//! GTH), Schnakenberg entropy production, and expectations over the Gaussian inputs by a
//! spectrally convergent trapezoidal rule on the principal axes of the input covariance.
//!
//! Choices where the paper is silent (each is a preset field and is written to meta.json):
//! - the rate prefactor is 1, so Σ is in nats per unit time with that time unit;
//! - the sense of the rotation R(φ) is clockwise, the sense in which the optimal J_a is
//!   positive as the paper states (the other sense mirrors J_a → −J_a);
//! - the (J_s, J_a) search box is [−J_max, J_max]² with J_max = 2;
//! - I(s, x) is computed as H(s) − ⟨H(s|x)⟩ (the paper's "H(x) − H(s|x)" is a typo: x is
//!   continuous and the mutual information is symmetric);
//! - I(s, x) is even in J_a, so θ^sx has two mirror optima (J_a ≷ 0) with the same I(s,x)
//!   and Σ but different I(s,y); both branches are reported.

use std::sync::{Arc, Mutex};

use anyhow::{Result, bail};
use infotheory::GaussianRule;
use models::bottleneck::{
    GaussianInputs, ParityTask, RotationSense, TwoSpin, TwoSpinMeasures, TwoSpinScratch,
    TwoSpinSetup,
};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::optimize::{Maximum, linspace, maximize_in_box};
use crate::output::{Cell, Column, FigureOutput, Table, Tolerance};
use crate::plot::{self, GREY, HeatPanel, Marker, PALETTE, Series};
use crate::{Figure, Preset, RunContext};

const PAPER: &str = "A. Ingrosso and E. Panizon, Machine learning at the mesoscale: a \
                     computation-dissipation bottleneck, Phys. Rev. E 109, 014132 (2024)";

/// Tolerance for figures whose data are optima found by compass search (stopped at
/// |ΔJ| < 1e-6): a last-bit difference in exp/ln on another machine can end the search at
/// a neighbouring point, moving J by ~1e-6 and the objective by far less.
const OPTIMUM_TOLERANCE: Tolerance = Tolerance { abs: 1e-4, rel: 1e-4 };
/// Tolerance for exact maps (no search involved).
const MAP_TOLERANCE: Tolerance = Tolerance { abs: 1e-10, rel: 1e-9 };
/// Compass-search stopping step, in coupling units.
const SEARCH_TOL: f64 = 1e-6;

/// The figures of this paper.
pub fn figures() -> Vec<Figure> {
    vec![
        Figure {
            id: "bottleneck/fig1b",
            description: "two spins: best I(s,y) over equilibrium and over all (J_s, J_a) vs task angle φ",
            paper: PAPER,
            run: fig1b,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig1c",
            description: "the rotated parity task p(y=1|x) for several angles φ (η = 2)",
            paper: PAPER,
            run: fig1c,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig1d",
            description: "two spins: steady-state p(s=(+,+)|x) for J_s = 0 and increasing J_a",
            paper: PAPER,
            run: fig1d,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig2a",
            description: "two spins: I(s,x) over the (J_s, J_a) plane with the optima θ^sx of I(s,x) − αΣ",
            paper: PAPER,
            run: fig2a,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig2b",
            description: "two spins: I(s,y) over the (J_s, J_a) plane with the optima θ^sy of I(s,y) − αΣ",
            paper: PAPER,
            run: fig2b,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig2c",
            description: "two spins: the computation-dissipation front I(s,y) vs Σ for θ^sy and θ^sx",
            paper: PAPER,
            run: fig2c,
            part_of: None,
        },
    ]
}

/// The two-spin system, its task and the quadrature over inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwoSpinParams {
    /// Inverse temperature β.
    pub beta: f64,
    /// Task sharpness η.
    pub eta: f64,
    /// Input correlation ρ.
    pub rho: f64,
    /// Rotation sense of R(φ) (paper: unstated; see the module docs).
    pub rotation_sense: RotationSense,
    /// Trapezoid step along the wide principal axis of C_x, in standard deviations.
    pub quadrature_step_wide: f64,
    /// Trapezoid step along the narrow principal axis, in standard deviations.
    pub quadrature_step_narrow: f64,
    /// Quadrature cut-off, in standard deviations.
    pub quadrature_cutoff: f64,
    /// Half-width J_max of the (J_s, J_a) search box.
    pub j_max: f64,
}

impl TwoSpinParams {
    /// The paper's system (β = 3, η = 3, ρ = 0.95) with converged quadrature (~1e-12).
    pub fn paper() -> Self {
        Self {
            beta: 3.0,
            eta: 3.0,
            rho: 0.95,
            rotation_sense: RotationSense::Clockwise,
            quadrature_step_wide: 0.1,
            quadrature_step_narrow: 0.4,
            quadrature_cutoff: 8.5,
            j_max: 2.0,
        }
    }

    /// As [`TwoSpinParams::paper`] with quadrature accurate to ~1e-7 (4× cheaper).
    pub fn quick() -> Self {
        Self { quadrature_step_wide: 0.2, quadrature_step_narrow: 0.8, ..Self::paper() }
    }

    fn setup(&self, phi: f64) -> Result<TwoSpinSetup> {
        let rules = [
            GaussianRule::Trapezoid {
                step: self.quadrature_step_wide,
                cutoff: self.quadrature_cutoff,
            },
            GaussianRule::Trapezoid {
                step: self.quadrature_step_narrow,
                cutoff: self.quadrature_cutoff,
            },
        ];
        Ok(TwoSpinSetup {
            beta: self.beta,
            task: ParityTask { eta: self.eta, phi, sense: self.rotation_sense },
            inputs: GaussianInputs::new(self.rho, rules)?,
        })
    }
}

fn common_choices() -> Vec<String> {
    vec![
        "rate prefactor Γ = 1 (the paper: 'not relevant'); Σ is in nats per unit time 1/Γ".into(),
        "R(φ) turns clockwise: the sense in which the optimal J_a > 0 as the paper states; \
         the other sense is the mirror image (φ, J_a) → (−φ, −J_a)"
            .into(),
        "(J_s, J_a) searched in [−J_max, J_max]² with J_max = 2 (paper: range not stated)".into(),
        "expectations over x by a trapezoidal rule on the principal axes of C_x (spectrally \
         convergent; Gauss–Hermite converged too slowly because p(s|x) has poles near the \
         real axis)"
            .into(),
        "I(s,x) = H(s) − ⟨H(s|x)⟩_x (the paper writes H(x) − H(s|x), a typo)".into(),
    ]
}

fn j_columns() -> [Column; 2] {
    [
        Column { name: "js", unit: "energy", meaning: "symmetric coupling J_s" },
        Column { name: "ja", unit: "energy", meaning: "antisymmetric coupling J_a" },
    ]
}

const SIGMA_COL: Column =
    Column { name: "sigma", unit: "nats per unit time", meaning: "input-averaged EP rate Σ" };
const ISY_COL: Column = Column { name: "i_sy", unit: "nats", meaning: "I(s, y)" };
const ISX_COL: Column = Column { name: "i_sx", unit: "nats", meaning: "I(s, x)" };

/// Where a compass search runs: the box [lo, hi] (a constraint such as J_a = 0 or
/// J_a ≥ 0 is a degenerate or half box) inside the outer square [−J_max, J_max]².
struct SearchBox {
    lo: [f64; 2],
    hi: [f64; 2],
    j_max: f64,
}

/// Maximises `objective(measures)` over the box from `start` (the best point of a coarse
/// grid of spacing `h0`).
fn optimise(
    setup: &TwoSpinSetup,
    scratch: &mut TwoSpinScratch,
    objective: impl Fn(&TwoSpinMeasures) -> f64,
    start: [f64; 2],
    h0: f64,
    bx: &SearchBox,
) -> Result<(Maximum, TwoSpinMeasures)> {
    let (lo, hi, j_max) = (bx.lo, bx.hi, bx.j_max);
    let best = maximize_in_box(
        |p| Ok(objective(&setup.measure(p[0], p[1], scratch)?)),
        start,
        h0,
        lo,
        hi,
        SEARCH_TOL,
    )?;
    let m = setup.measure(best.at[0], best.at[1], scratch)?;
    // Only the outer edge |J| = J_max limits the search; inner limits (J_a = 0 for the
    // equilibrium line or between the θ^sx branches) are constraints, not edges.
    let outer = |k: usize| lo[k] < hi[k] && best.at[k].abs() >= j_max;
    Ok((Maximum { on_boundary: outer(0) || outer(1), ..best }, m))
}

// ---------------------------------------------------------------------------------------
// fig1b

/// Parameters of `bottleneck/fig1b`.
#[derive(Debug, Clone, Serialize)]
pub struct Fig1bParams {
    /// The system.
    pub system: TwoSpinParams,
    /// Number of angles φ evenly spaced in [0, π/4] (φ = 0.5 is added).
    pub n_phi: usize,
    /// Coarse grid points per axis before the compass search.
    pub coarse_points: usize,
}

impl Fig1bParams {
    /// Per preset.
    pub fn new(preset: Preset) -> Self {
        match preset {
            Preset::Quick => Self { system: TwoSpinParams::quick(), n_phi: 9, coarse_points: 21 },
            Preset::Paper => Self { system: TwoSpinParams::paper(), n_phi: 33, coarse_points: 41 },
        }
    }
}

struct PhiOptima {
    phi: f64,
    eq: (Maximum, TwoSpinMeasures),
    neq: (Maximum, TwoSpinMeasures),
}

fn fig1b(ctx: &RunContext) -> Result<FigureOutput> {
    let p = Fig1bParams::new(ctx.preset);
    let jm = p.system.j_max;
    let mut phis = linspace(0.0, std::f64::consts::FRAC_PI_4, p.n_phi);
    if !phis.iter().any(|&x| (x - 0.5).abs() < 1e-12) {
        phis.push(0.5);
        phis.sort_by(f64::total_cmp);
    }
    let grid = linspace(-jm, jm, p.coarse_points);
    let h0 = grid[1] - grid[0];
    let pb = ctx.progress_bar(phis.len() as u64, "fig1b: optimising per φ");
    let results: Vec<PhiOptima> = phis
        .par_iter()
        .map_init(TwoSpinScratch::default, |scratch, &phi| -> Result<PhiOptima> {
            let setup = p.system.setup(phi)?;
            let isy = |m: &TwoSpinMeasures| m.i_sy;
            // Equilibrium: J_a = 0, a 1-D search over J_s.
            let mut best_eq = (f64::MIN, 0.0);
            for &js in &grid {
                let v = setup.measure(js, 0.0, scratch)?.i_sy;
                if v > best_eq.0 {
                    best_eq = (v, js);
                }
            }
            let line = SearchBox { lo: [-jm, 0.0], hi: [jm, 0.0], j_max: jm };
            let eq = optimise(&setup, scratch, isy, [best_eq.1, 0.0], h0, &line)?;
            // Nonequilibrium: the whole box.
            let mut best = (f64::MIN, [0.0; 2]);
            for &js in &grid {
                for &ja in &grid {
                    let v = setup.measure(js, ja, scratch)?.i_sy;
                    if v > best.0 {
                        best = (v, [js, ja]);
                    }
                }
            }
            let square = SearchBox { lo: [-jm; 2], hi: [jm; 2], j_max: jm };
            let neq = optimise(&setup, scratch, isy, best.1, h0, &square)?;
            pb.inc(1);
            Ok(PhiOptima { phi, eq, neq })
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();

    let mut table = Table::new(vec![
        Column { name: "phi", unit: "rad", meaning: "task rotation angle φ" },
        Column {
            name: "system",
            unit: "",
            meaning: "equilibrium (J_a = 0) or nonequilibrium (all J_s, J_a)",
        },
        ISY_COL,
        j_columns()[0].clone(),
        j_columns()[1].clone(),
        SIGMA_COL,
        Column {
            name: "on_boundary",
            unit: "",
            meaning: "optimum on the edge of the search box (true optimum may lie beyond)",
        },
    ]);
    let mut notes = Vec::new();
    for r in &results {
        for (name, (m, meas)) in [("equilibrium", &r.eq), ("nonequilibrium", &r.neq)] {
            table.push(vec![
                r.phi.into(),
                name.into(),
                meas.i_sy.into(),
                m.at[0].into(),
                m.at[1].into(),
                meas.sigma.into(),
                if m.on_boundary { "true" } else { "false" }.into(),
            ]);
        }
        if r.neq.0.on_boundary {
            notes.push(format!(
                "φ = {:.4}: the nonequilibrium optimum lies on the edge of the search box, \
                 (J_s, J_a) = ({:.3}, {:.3}): I(s,y) still grows with |J_a| there, so this \
                 value depends on J_max",
                r.phi, r.neq.0.at[0], r.neq.0.at[1]
            ));
        }
    }
    let at = |phi: f64| results.iter().find(|r| (r.phi - phi).abs() < 1e-12).expect("φ in list");
    let quarter = at(std::f64::consts::FRAC_PI_4);
    let half = at(0.5);
    if !(quarter.eq.1.i_sy.abs() < 1e-12) {
        notes.push(format!(
            "MISMATCH: best equilibrium I(s,y) at φ = π/4 is {:e}, not zero",
            quarter.eq.1.i_sy
        ));
    }
    let mut headline = serde_json::Map::new();
    headline.insert(
        "equilibrium_i_sy_at_quarter_pi".into(),
        json!({"value": quarter.eq.1.i_sy, "paper": "zero (symmetry argument)"}),
    );
    headline.insert(
        "nonequilibrium_i_sy_at_quarter_pi".into(),
        json!({"value": quarter.neq.1.i_sy, "js": quarter.neq.0.at[0], "ja": quarter.neq.0.at[1],
               "on_boundary": quarter.neq.0.on_boundary, "paper": "non-zero"}),
    );
    headline.insert(
        "phi_0.5".into(),
        json!({"equilibrium_i_sy": half.eq.1.i_sy, "equilibrium_js": half.eq.0.at[0],
               "nonequilibrium_i_sy": half.neq.1.i_sy, "nonequilibrium_js": half.neq.0.at[0],
               "nonequilibrium_ja": half.neq.0.at[1], "nonequilibrium_sigma": half.neq.1.sigma}),
    );
    headline.insert(
        "phi_0".into(),
        json!({"equilibrium_i_sy": results[0].eq.1.i_sy, "nonequilibrium_i_sy": results[0].neq.1.i_sy,
               "nonequilibrium_ja": results[0].neq.0.at[1],
               "paper": "optimum is an equilibrium system (J_a* = 0) at φ = 0"}),
    );
    let series = vec![
        Series {
            label: "nonequilibrium (all J_s, J_a)".into(),
            points: results.iter().map(|r| (r.phi, r.neq.1.i_sy)).collect(),
            color: PALETTE[0],
            dashed: false,
            markers: true,
            points_only: false,
            errors: vec![],
        },
        Series {
            label: "equilibrium (J_a = 0)".into(),
            points: results.iter().map(|r| (r.phi, r.eq.1.i_sy)).collect(),
            color: GREY,
            dashed: true,
            markers: true,
            points_only: false,
            errors: vec![],
        },
    ];
    let svg = plot::line_chart(
        "Two spins: best I(s,y) vs task angle (β = 3, η = 3, ρ = 0.95)",
        "task rotation angle φ [rad]",
        "max I(s, y) [nats]",
        &series,
        false,
    )?;
    let mut choices = common_choices();
    choices.push(
        "at φ = π/4 the task is symmetric under J_a → −J_a (the mirror image maps π/4 to −π/4, \
         which only swaps y = 0 and y = 1), so ±J_a are equally optimal there"
            .into(),
    );
    choices.push(format!(
        "{} angles in [0, π/4] plus φ = 0.5; optima from a {}×{} grid refined by compass search \
         to |ΔJ| < {SEARCH_TOL:e}",
        p.n_phi, p.coarse_points, p.coarse_points
    ));
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&p)?,
        choices,
        headline,
        notes,
        svg,
        tolerance: OPTIMUM_TOLERANCE,
    })
}

// ---------------------------------------------------------------------------------------
// fig1c, fig1d: maps over the input plane

/// Parameters of `bottleneck/fig1c` and `fig1d`.
#[derive(Debug, Clone, Serialize)]
pub struct InputMapParams {
    /// Half-width of the input square [−x_max, x_max]².
    pub x_max: f64,
    /// Grid points per axis.
    pub grid_points: usize,
    /// fig1c: task sharpness η.
    pub eta: f64,
    /// fig1c: angles φ of the panels.
    pub phis: Vec<f64>,
    /// fig1c: rotation sense.
    pub rotation_sense: RotationSense,
    /// fig1d: inverse temperature β.
    pub beta: f64,
    /// fig1d: J_s.
    pub js: f64,
    /// fig1d: J_a of the panels.
    pub jas: Vec<f64>,
}

impl InputMapParams {
    /// Per preset.
    pub fn new(preset: Preset) -> Self {
        Self {
            x_max: 2.5,
            grid_points: match preset {
                Preset::Quick => 41,
                Preset::Paper => 101,
            },
            eta: 2.0,
            phis: vec![0.0, 0.25, 0.5, std::f64::consts::FRAC_PI_4],
            rotation_sense: RotationSense::Clockwise,
            beta: 3.0,
            js: 0.0,
            jas: vec![0.0, 0.5, 1.0, 1.5],
        }
    }
}

fn input_map(
    p: &InputMapParams,
    label: &'static str,
    symbol: &str,
    panels_of: &[f64],
    f: impl Fn(f64, [f64; 2]) -> Result<f64> + Sync,
) -> Result<(Table, Vec<HeatPanel>)> {
    let xs = linspace(-p.x_max, p.x_max, p.grid_points);
    let mut table = Table::new(vec![
        Column { name: label, unit: "", meaning: "panel parameter" },
        Column { name: "x1", unit: "energy", meaning: "input field x₁" },
        Column { name: "x2", unit: "energy", meaning: "input field x₂" },
        Column { name: "p", unit: "1", meaning: "probability shown in the panel" },
    ]);
    let mut panels = Vec::new();
    for &v in panels_of {
        let z: Vec<f64> = (0..xs.len() * xs.len())
            .into_par_iter()
            .map(|k| f(v, [xs[k % xs.len()], xs[k / xs.len()]]))
            .collect::<Result<_>>()?;
        for (k, &zk) in z.iter().enumerate() {
            table.push(vec![v.into(), xs[k % xs.len()].into(), xs[k / xs.len()].into(), zk.into()]);
        }
        panels.push(HeatPanel {
            title: format!("{symbol} = {v:.3}"),
            x: xs.clone(),
            y: xs.clone(),
            z,
            markers: vec![],
        });
    }
    Ok((table, panels))
}

fn fig1c(ctx: &RunContext) -> Result<FigureOutput> {
    let p = InputMapParams::new(ctx.preset);
    let (table, panels) = input_map(&p, "phi", "φ", &p.phis, |phi, x| {
        Ok(ParityTask { eta: p.eta, phi, sense: p.rotation_sense }.p_y1(x))
    })?;
    let svg = plot::heatmaps(
        "Rotated parity task p(y = 1 | x) = sigmoid(η x'₁ x'₂), η = 2",
        "x₁",
        "x₂",
        "p(y = 1 | x)",
        &panels,
        (0.0, 1.0),
        2,
    )?;
    let mut choices = vec![
        "panels at φ = 0, 0.25, 0.5, π/4 (paper: 'different values of φ')".into(),
        "R(φ) turns clockwise (see fig1b)".into(),
    ];
    choices.push("input square [−2.5, 2.5]² as in Fig. 1(d)".into());
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&p)?,
        choices,
        headline: serde_json::Map::new(),
        notes: vec![],
        svg,
        tolerance: MAP_TOLERANCE,
    })
}

fn fig1d(ctx: &RunContext) -> Result<FigureOutput> {
    let p = InputMapParams::new(ctx.preset);
    let (table, panels) = input_map(&p, "ja", "J_a", &p.jas, |ja, x| {
        let k = TwoSpin::new(p.beta, p.js, ja)?.rate_matrix(x)?;
        Ok(k.steady_state()?[3])
    })?;
    let svg = plot::heatmaps(
        "Two spins: steady-state p(s = (+1,+1) | x), J_s = 0, β = 3",
        "x₁",
        "x₂",
        "p(s = (+,+) | x)",
        &panels,
        (0.0, 1.0),
        2,
    )?;
    let choices = vec![
        "β = 3 as in Figs. 1(b) and 2 (paper: not restated for 1(d))".into(),
        "panels at J_a = 0, 0.5, 1, 1.5 (paper: 'increasing values')".into(),
        "steady state by the GTH algorithm on the 4-state master equation".into(),
    ];
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&p)?,
        choices,
        headline: serde_json::Map::new(),
        notes: vec![],
        svg,
        tolerance: MAP_TOLERANCE,
    })
}

// ---------------------------------------------------------------------------------------
// fig2: maps over (J_s, J_a) and the front

/// Parameters of `bottleneck/fig2a`, `fig2b`, `fig2c` (one shared computation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fig2Params {
    /// The system.
    pub system: TwoSpinParams,
    /// Task angle φ.
    pub phi: f64,
    /// Grid points per axis of the (J_s, J_a) maps.
    pub grid_points: usize,
    /// Trade-off parameters α (units of time), ascending; α = ∞ (equilibrium enforced
    /// directly, J_a = 0) is always added.
    pub alphas: Vec<f64>,
}

impl Fig2Params {
    /// Per preset.
    pub fn new(preset: Preset) -> Self {
        let logspace = |n: usize| -> Vec<f64> {
            std::iter::once(0.0)
                .chain(linspace(-4.0, 0.0, n).into_iter().map(|e| 10f64.powf(e)))
                .collect()
        };
        match preset {
            Preset::Quick => Self {
                system: TwoSpinParams::quick(),
                phi: 0.5,
                grid_points: 41,
                alphas: logspace(9),
            },
            Preset::Paper => Self {
                system: TwoSpinParams::paper(),
                phi: 0.5,
                grid_points: 121,
                alphas: logspace(25),
            },
        }
    }
}

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
    alpha: f64,
    at: Maximum,
    m: TwoSpinMeasures,
}

struct Fig2Data {
    params: Fig2Params,
    js: Vec<f64>,
    grid: Vec<TwoSpinMeasures>, // [ia * n + is]
    optima: Vec<Optimum>,
}

/// The last fig2 computation of this process, so fig2a/b/c computed together share it.
static FIG2_CACHE: Mutex<Option<Arc<Fig2Data>>> = Mutex::new(None);

fn fig2_data(ctx: &RunContext) -> Result<Arc<Fig2Data>> {
    let params = Fig2Params::new(ctx.preset);
    let mut cache = FIG2_CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(d) = cache.as_ref().filter(|d| d.params == params) {
        return Ok(Arc::clone(d));
    }
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
    let mut tasks: Vec<(Objective, f64)> = Vec::new();
    for &alpha in params.alphas.iter().chain(std::iter::once(&f64::INFINITY)) {
        for obj in [Objective::Sy, Objective::SxPos, Objective::SxNeg] {
            tasks.push((obj, alpha));
        }
    }
    let pb = ctx.progress_bar(tasks.len() as u64, "fig2: optima of G − αΣ");
    let optima: Vec<Optimum> = tasks
        .par_iter()
        .map_init(TwoSpinScratch::default, |scratch, &(objective, alpha)| -> Result<Optimum> {
            let (lo, hi) = match (objective, alpha.is_infinite()) {
                (_, true) => ([-jm, 0.0], [jm, 0.0]),
                (Objective::Sy, false) => ([-jm; 2], [jm; 2]),
                (Objective::SxPos, false) => ([-jm, 0.0], [jm, jm]),
                (Objective::SxNeg, false) => ([-jm, -jm], [jm, 0.0]),
            };
            let score = |m: &TwoSpinMeasures| {
                if alpha.is_infinite() {
                    objective.gain(m)
                } else {
                    objective.gain(m) - alpha * m.sigma
                }
            };
            let start = (0..n * n)
                .filter(|&k| {
                    let ja = js[k / n];
                    ja >= lo[1] && ja <= hi[1]
                })
                .max_by(|&a, &b| score(&grid[a]).total_cmp(&score(&grid[b])))
                .expect("non-empty grid");
            let start = [js[start % n], js[start / n]];
            let (at, m) =
                optimise(&setup, scratch, score, start, h0, &SearchBox { lo, hi, j_max: jm })?;
            pb.inc(1);
            Ok(Optimum { objective, alpha, at, m })
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    let data = Arc::new(Fig2Data { params, js, grid, optima });
    *cache = Some(Arc::clone(&data));
    Ok(data)
}

fn optimum_row(o: &Optimum) -> Vec<Cell> {
    vec![
        o.objective.name().into(),
        o.alpha.into(),
        o.at.at[0].into(),
        o.at.at[1].into(),
        o.m.i_sy.into(),
        o.m.i_sx.into(),
        o.m.sigma.into(),
        if o.at.on_boundary { "true" } else { "false" }.into(),
    ]
}

fn fig2_choices(d: &Fig2Data) -> Vec<String> {
    let mut c = common_choices();
    c.push(format!(
        "{}×{} grid over the box; each optimum of G − αΣ starts from the best grid point and is \
         refined by compass search to |ΔJ| < {SEARCH_TOL:e}",
        d.params.grid_points, d.params.grid_points
    ));
    c.push(
        "α = 0 and 10^-4 … 1, log-spaced (paper: 'several α'); α = ∞ is the equilibrium \
         optimum found directly on J_a = 0"
            .into(),
    );
    c.push(
        "I(s,x) is even in J_a, so θ^sx has two mirror optima; both branches (J_a ≥ 0 and \
         J_a ≤ 0) are reported"
            .into(),
    );
    c.push(
        "fig2a, fig2b and fig2c share one computation: run together, the first of them \
         records its wall time and the others record only their own (near-zero) share"
            .into(),
    );
    c
}

fn map_figure(
    ctx: &RunContext,
    value: fn(&TwoSpinMeasures) -> f64,
    column: Column,
    objectives: &[Objective],
    title: &str,
    z_label: &str,
) -> Result<FigureOutput> {
    let d = fig2_data(ctx)?;
    let n = d.js.len();
    let mut table = Table::new(vec![
        Column {
            name: "kind",
            unit: "",
            meaning: "grid: a point of the map; theta_*: an optimum of G − αΣ",
        },
        Column { name: "alpha", unit: "time", meaning: "trade-off α (empty for grid rows)" },
        j_columns()[0].clone(),
        j_columns()[1].clone(),
        column,
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
    for o in d.optima.iter().filter(|o| objectives.contains(&o.objective)) {
        table.push(vec![
            o.objective.name().into(),
            o.alpha.into(),
            o.at.at[0].into(),
            o.at.at[1].into(),
            value(&o.m).into(),
            o.m.sigma.into(),
        ]);
        if o.alpha.is_finite() {
            let color = if o.alpha == 0.0 { plotters::style::WHITE } else { PALETTE[0] };
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
    let svg = plot::heatmaps(title, "J_s", "J_a", z_label, &[panel], (0.0, zmax), 1)?;
    let notes = d
        .optima
        .iter()
        .filter(|o| objectives.contains(&o.objective) && o.at.on_boundary && o.alpha.is_finite())
        .map(|o| {
            format!(
                "{} at α = {}: optimum on the edge of the search box (J_s, J_a) = ({:.3}, {:.3})",
                o.objective.name(),
                o.alpha,
                o.at.at[0],
                o.at.at[1]
            )
        })
        .collect();
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&d.params)?,
        choices: fig2_choices(&d),
        headline: fig2_headline(&d),
        notes,
        svg,
        tolerance: OPTIMUM_TOLERANCE,
    })
}

fn fig2_headline(d: &Fig2Data) -> serde_json::Map<String, serde_json::Value> {
    let find = |obj: Objective, alpha: f64| {
        d.optima.iter().find(|o| o.objective == obj && o.alpha == alpha).expect("optimum computed")
    };
    let neq = find(Objective::Sy, 0.0);
    let eq = find(Objective::Sy, f64::INFINITY);
    let sx = find(Objective::SxPos, 0.0);
    let sx_neg = find(Objective::SxNeg, 0.0);
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

fn fig2a(ctx: &RunContext) -> Result<FigureOutput> {
    map_figure(
        ctx,
        |m| m.i_sx,
        ISX_COL,
        &[Objective::SxPos, Objective::SxNeg],
        "I(s, x) over (J_s, J_a), φ = 0.5",
        "I(s, x) [nats]",
    )
}

fn fig2b(ctx: &RunContext) -> Result<FigureOutput> {
    map_figure(
        ctx,
        |m| m.i_sy,
        ISY_COL,
        &[Objective::Sy],
        "I(s, y) over (J_s, J_a), φ = 0.5",
        "I(s, y) [nats]",
    )
}

fn fig2c(ctx: &RunContext) -> Result<FigureOutput> {
    let d = fig2_data(ctx)?;
    let mut table = Table::new(vec![
        Column {
            name: "objective",
            unit: "",
            meaning: "theta_sy maximises I(s,y) − αΣ; theta_sx_* maximises I(s,x) − αΣ (two mirror branches)",
        },
        Column { name: "alpha", unit: "time", meaning: "trade-off α (inf: J_a = 0 enforced)" },
        j_columns()[0].clone(),
        j_columns()[1].clone(),
        ISY_COL,
        ISX_COL,
        SIGMA_COL,
        Column { name: "on_boundary", unit: "", meaning: "optimum on the edge of the search box" },
    ]);
    for o in &d.optima {
        table.push(optimum_row(o));
    }
    let curve = |obj: Objective| -> Vec<(f64, f64)> {
        d.optima.iter().filter(|o| o.objective == obj).map(|o| (o.m.sigma, o.m.i_sy)).collect()
    };
    let series = vec![
        Series {
            label: "θ^sy (maximises I(s,y) − αΣ)".into(),
            points: curve(Objective::Sy),
            color: PALETTE[0],
            dashed: false,
            markers: true,
            points_only: false,
            errors: vec![],
        },
        Series {
            label: "θ^sx, J_a ≥ 0 branch".into(),
            points: curve(Objective::SxPos),
            color: GREY,
            dashed: false,
            markers: true,
            points_only: false,
            errors: vec![],
        },
        Series {
            label: "θ^sx, J_a ≤ 0 branch".into(),
            points: curve(Objective::SxNeg),
            color: GREY,
            dashed: true,
            markers: true,
            points_only: false,
            errors: vec![],
        },
    ];
    let svg = plot::line_chart(
        "Computation-dissipation front, two spins, φ = 0.5",
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
            // θ^sy at the largest Σ not above this one is at least as good, if the front is
            // monotone; compare with the best θ^sy point of Σ ≤ this Σ.
            let best =
                sy.iter().filter(|p| p.0 <= sigma + 1e-12).map(|p| p.1).fold(f64::MIN, f64::max);
            if best < isy - 1e-9 {
                notes.push(format!(
                    "MISMATCH: {} reaches I(s,y) = {isy:.6} at Σ = {sigma:.4}, above θ^sy's {best:.6}",
                    obj.name()
                ));
            }
        }
    }
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&d.params)?,
        choices: fig2_choices(&d),
        headline: fig2_headline(&d),
        notes,
        svg,
        tolerance: OPTIMUM_TOLERANCE,
    })
}

/// Rejects parameter sets that cannot run (used by tests of the presets).
///
/// # Errors
/// A description of the first bad field.
pub fn validate_presets() -> Result<()> {
    for preset in [Preset::Quick, Preset::Paper] {
        let p = Fig2Params::new(preset);
        if p.grid_points < 2 || p.alphas.windows(2).any(|w| !(w[0] < w[1])) {
            bail!("fig2 preset {} is malformed", preset.name());
        }
        p.system.setup(p.phi)?;
    }
    Ok(())
}

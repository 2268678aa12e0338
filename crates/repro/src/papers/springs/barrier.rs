//! The reference's free-energy estimate (`paper_imgs/entropies_run.py` with
//! `src/entropy.py`): B trajectories of Euler–Maruyama from U(0, s) initial states, the
//! "work" W = ∫ m a·v dt by Simpson's rule, ΔF = k_BT ln ⟨e^{−W/k_BT}⟩ (the paper's Eq. 6
//! and sign; the code's `get_free_energy` returns −ΔF and its plots negate it), the
//! steady-state loss as the mean over the second half of the run, and beside them the
//! exact statistics of W from `models::springs` (see its `barrier` module for why W is a
//! property of free thermal velocities, not of learning).

use anyhow::Result;
use langevin::{Moments, jarzynski};
use models::springs::{
    EulerMaruyama, Springs, WorkMgfOutcome, exact_mean_work, ito_rate, work_mgf, work_path,
};
use rand::RngExt;

use super::common::{linspace, physics, system_1d};
use super::presets::{BarrierProtocol, Domain};
use crate::pipeline::RunContext;

/// One setting of the estimator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setting {
    /// Number of sticks N_s.
    pub sticks: usize,
    /// Friction γ (1/s).
    pub gamma: f64,
    /// Temperature T (K).
    pub temperature: f64,
    /// k = M.
    pub scale: f64,
    /// The data's domain.
    pub domain: Domain,
    /// Run length t_f (s).
    pub t_end: f64,
}

impl Setting {
    /// The stream key of the setting.
    pub fn key(&self) -> [u64; 6] {
        [
            self.sticks as u64,
            self.gamma.to_bits(),
            self.temperature.to_bits(),
            self.scale.to_bits(),
            self.domain as u64,
            self.t_end.to_bits(),
        ]
    }

    /// The system of this setting.
    pub fn system(&self, proto: &BarrierProtocol) -> Result<Springs> {
        let u = linspace(0.0, self.domain.upper(), proto.n_points);
        let y: Vec<f64> = u.iter().map(|&u| proto.function.eval(u)).collect();
        let phys = physics(self.scale, self.scale, self.gamma, self.temperature, &proto.constants);
        system_1d(self.sticks, &u, &y, phys)
    }
}

/// The exact exponential work average of a setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Exact {
    /// ΔF_exact = k_BT ln E\[e^{−βW}\] (J), E over the noise and the uniform initial state.
    Finite(f64),
    /// E\[e^{−βW}\] = ∞: the Riccati solution blows up at t* (s) < t_f.
    Divergent(f64),
}

/// What one setting gives.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// The setting.
    pub setting: Setting,
    /// k_B T (J).
    pub kbt: f64,
    /// The reference's ΔF = k_BT ln ⟨e^{−W/k_BT}⟩ over the batch (J).
    pub delta_f: f64,
    /// ⟨W⟩ over the batch (J).
    pub mean_work: f64,
    /// SD of W over the batch (J).
    pub work_sd: f64,
    /// The reference's steady-state loss: the mean loss over the second half of the run
    /// and over the batch.
    pub steady_loss: f64,
    /// Its standard error over trajectories.
    pub steady_loss_se: f64,
    /// (m/2) Tr(LLᵀ) t_f: Itô's drain, the free-velocity prediction of −⟨W⟩ (J).
    pub ito_drain: f64,
    /// The exact E\[W\] of the continuous-time dynamics (J).
    pub exact_mean_work: f64,
    /// The exact ΔF or its divergence.
    pub exact: Exact,
    /// Each trajectory's W (J).
    pub works: Vec<f64>,
}

/// Runs `count` trajectories of `setting` (stream `label` keyed by the setting) and the
/// exact statistics.
///
/// # Errors
/// A bad setting (typed errors from `models`), a diverged trajectory, T = 0.
pub fn estimate(
    proto: &BarrierProtocol,
    setting: Setting,
    count: usize,
    ctx: &RunContext,
    label: &str,
) -> Result<Estimate> {
    let s = setting.system(proto)?;
    let n = s.n_nodes();
    let kbt = s.physics().thermal_energy();
    let dt = proto.constants.dt;
    let steps = (setting.t_end / dt).round() as usize;
    let mut em = EulerMaruyama::new(&s, dt)?;
    let mut rng = ctx.rng(label, &setting.key());
    let mut buf = Vec::with_capacity(steps + 1);
    let mut works = Vec::with_capacity(count);
    let mut losses = Vec::with_capacity(count);
    let mut z = vec![0.0; 2 * n];
    for _ in 0..count {
        for zi in z.iter_mut() {
            *zi = proto.initial_scale * rng.random::<f64>();
        }
        let (x, v) = z.split_at_mut(n);
        let mut loss_sum = 0.0;
        let mut loss_count = 0usize;
        let w = work_path(&s, &mut em, x, v, steps, &mut rng, &mut buf, |k, x, _| {
            if 2 * k > steps {
                loss_sum += s.loss(x);
                loss_count += 1;
            }
        })?;
        works.push(w.simpson_work);
        losses.push(loss_sum / loss_count.max(1) as f64);
    }
    let j = jarzynski(&works, kbt)?;
    let (steady_loss, steady_loss_se) = super::common::mean_se(&losses);
    let work_sd = {
        let m = j.mean_work;
        (works.iter().map(|w| (w - m).powi(2)).sum::<f64>() / (works.len().max(2) - 1) as f64)
            .sqrt()
    };
    let s2 = proto.initial_scale * proto.initial_scale;
    let initial = Moments {
        mean: vec![0.5 * proto.initial_scale; 2 * n],
        cov: faer::Mat::from_fn(2 * n, 2 * n, |i, j| if i == j { s2 / 12.0 } else { 0.0 }),
    };
    let exact_mean = exact_mean_work(&s, setting.t_end, &initial)?;
    let riccati_steps = (setting.t_end * proto.riccati_steps_per_time).ceil().max(1.0) as usize;
    let exact = match work_mgf(&s, setting.t_end, riccati_steps)? {
        WorkMgfOutcome::Divergent { blow_up_time } => Exact::Divergent(blow_up_time),
        WorkMgfOutcome::Finite(mgf) => {
            let mut rng = ctx.rng(&format!("{label}/exact-initial"), &setting.key());
            let logs: Vec<f64> = (0..proto.exact_initial_draws)
                .map(|_| {
                    let z0: Vec<f64> =
                        (0..2 * n).map(|_| proto.initial_scale * rng.random::<f64>()).collect();
                    mgf.log_mean_given(&z0)
                })
                .collect();
            let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lme =
                top + (logs.iter().map(|l| (l - top).exp()).sum::<f64>() / logs.len() as f64).ln();
            Exact::Finite(kbt * lme)
        }
    };
    Ok(Estimate {
        setting,
        kbt,
        delta_f: -j.delta_f,
        mean_work: j.mean_work,
        work_sd,
        steady_loss,
        steady_loss_se,
        ito_drain: ito_rate(&s) * setting.t_end,
        exact_mean_work: exact_mean,
        exact,
        works,
    })
}

/// The reference's estimator k_BT ln mean(e^{−W/k_BT}) on consecutive disjoint batches
/// of size `b` cut from `works`: (mean over batches, SE over batches, number of batches).
pub fn batched(works: &[f64], kbt: f64, b: usize) -> Result<(f64, f64, usize)> {
    let values: Vec<f64> = works
        .chunks_exact(b)
        .map(|c| jarzynski(c, kbt).map(|j| -j.delta_f))
        .collect::<std::result::Result<_, _>>()?;
    let (m, se) = super::common::mean_se(&values);
    Ok((m, se, values.len()))
}

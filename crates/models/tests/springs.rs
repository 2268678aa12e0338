//! The springs-and-sticks model against exact results: the rod mass matrix, the
//! interpolation, the Gibbs state of FDT noise, the non-equilibrium steady state of the
//! reference's noise, ensembles against exact moments, Itô's identity for the reference's
//! work, and the exact exponential work average.

use faer::Mat;
use langevin::Moments;
use models::springs::{
    Baoab, EulerMaruyama, Grid, MassConvention, NoiseModel, Physics, Springs, WorkMgfOutcome,
    em_moments, exact_mean_work, expected_power, ito_rate, simpson, work_mgf, work_path,
};
use rand::RngExt;
use streams::stream_rng;

fn physics(noise: NoiseModel) -> Physics {
    Physics {
        stiffness: 1.0,
        mass: 1.0,
        mass_convention: MassConvention::Shared,
        friction: 1.0,
        temperature: 0.1,
        boltzmann: 1.0,
        noise,
    }
}

/// N points on [0, 2π] with targets f(u) = cos u (deterministic, evenly spread).
fn cos_data(n: usize) -> (Vec<f64>, Vec<f64>) {
    let u: Vec<f64> =
        (0..n).map(|i| 2.0 * std::f64::consts::PI * i as f64 / (n - 1) as f64).collect();
    let y = u.iter().map(|u| u.cos()).collect();
    (u, y)
}

fn system(cells: usize, noise: NoiseModel) -> Springs {
    let (u, y) = cos_data(20);
    Springs::new(Grid::spanning(&[cells], &u).unwrap(), &u, &y, physics(noise)).unwrap()
}

fn mat(v: &[f64], n: usize) -> Mat<f64> {
    Mat::from_fn(n, n, |i, j| v[i * n + j])
}

fn inv(m: &Mat<f64>) -> Mat<f64> {
    use faer::linalg::solvers::DenseSolveCore;
    m.partial_piv_lu().inverse()
}

fn max_abs_diff(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
    let mut d: f64 = 0.0;
    for i in 0..a.nrows() {
        for j in 0..a.ncols() {
            d = d.max((a[(i, j)] - b[(i, j)]).abs());
        }
    }
    d
}

#[test]
fn one_stick_has_the_rod_mass_matrix() {
    let g = Grid::new(&[1], &[0.0], &[1.0]).unwrap();
    assert_eq!(g.mass_matrix(6.0), vec![2.0, 1.0, 1.0, 2.0]);
}

#[test]
fn a_four_by_four_grid_has_forty_rods_and_interior_rows_of_two_d_m_over_three() {
    let g = Grid::new(&[4, 4], &[0.0, 0.0], &[1.0, 1.0]).unwrap();
    assert_eq!(g.n_nodes(), 25);
    assert_eq!(g.edges().len(), 40);
    let m = g.mass_matrix(1.0);
    let interior = 2 * 5 + 2; // node (2, 2)
    assert!((m[interior * 25 + interior] - 4.0 / 3.0).abs() < 1e-15);
    for nb in [interior - 5, interior + 5, interior - 1, interior + 1] {
        assert!((m[interior * 25 + nb] - 1.0 / 6.0).abs() < 1e-15);
    }
    // Total mass: 1ᵀ𝐌1 = Σ_edges m = 40 m.
    assert!((m.iter().sum::<f64>() - 40.0).abs() < 1e-12);
}

#[test]
fn bilinear_interpolation_reproduces_affine_functions_and_clamps() {
    let g = Grid::new(&[3, 2], &[0.0, -1.0], &[3.0, 1.0]).unwrap();
    let f = |p: &[f64]| 0.5 + 2.0 * p[0] - 3.0 * p[1];
    let x: Vec<f64> = (0..g.n_nodes()).map(|i| f(&g.node_position(i))).collect();
    for u in [[0.3, 0.2], [2.999, -0.99], [3.0, 1.0], [1.0, 0.0], [0.0, -1.0]] {
        assert!((g.interpolate(&x, &u) - f(&u)).abs() < 1e-12, "{u:?}");
    }
    // Outside the box the input is clamped.
    assert!((g.interpolate(&x, &[5.0, 2.0]) - f(&[3.0, 1.0])).abs() < 1e-12);
    let mut w = Vec::new();
    g.weights_into(&[1.7, 0.3], &mut w);
    assert_eq!(w.len(), 4);
    assert!((w.iter().map(|p| p.1).sum::<f64>() - 1.0).abs() < 1e-15);
}

#[test]
fn the_least_squares_optimum_fits_a_line_exactly_and_minimises_the_loss() {
    let u: Vec<f64> = (0..12).map(|i| f64::from(i) / 11.0).collect();
    let y: Vec<f64> = u.iter().map(|u| 1.0 - 2.0 * u).collect();
    let s =
        Springs::new(Grid::spanning(&[3], &u).unwrap(), &u, &y, physics(NoiseModel::Code)).unwrap();
    let x = s.least_squares().unwrap();
    assert!(s.loss(&x) < 1e-20, "loss {}", s.loss(&x));
    let s2 = system(4, NoiseModel::Code);
    let x = s2.least_squares().unwrap();
    let base = s2.loss(&x);
    for i in 0..x.len() {
        let mut y = x.clone();
        y[i] += 1e-3;
        assert!(s2.loss(&y) > base);
    }
}

#[test]
fn fdt_noise_gives_the_gibbs_state_and_no_entropy_production() {
    for cells in [1, 3] {
        let s = system(cells, NoiseModel::Fdt);
        let n = s.n_nodes();
        let kbt = s.physics().thermal_energy();
        let lin = s.to_linear().unwrap();
        let st = lin.stationary_moments().unwrap();
        let k_inv = inv(&mat(s.stiffness_matrix(), n));
        let m_inv = mat(s.mass_inverse(), n);
        let xx = Mat::from_fn(n, n, |i, j| st.cov[(i, j)]);
        let vv = Mat::from_fn(n, n, |i, j| st.cov[(n + i, n + j)]);
        let xv = Mat::from_fn(n, n, |i, j| st.cov[(i, n + j)]);
        assert!(max_abs_diff(&xx, &(&k_inv * faer::Scale(kbt))) < 1e-9 * kbt * 100.0);
        assert!(max_abs_diff(&vv, &(&m_inv * faer::Scale(kbt))) < 1e-9 * kbt * 100.0);
        assert!(max_abs_diff(&xv, &Mat::zeros(n, n)) < 1e-9 * kbt * 100.0);
        let x_star = s.least_squares().unwrap();
        for i in 0..n {
            assert!((st.mean[i] - x_star[i]).abs() < 1e-10);
        }
        let pi = lin.entropy_rates(&st).unwrap().production;
        assert!(pi.abs() < 1e-8, "N_s = {cells}: Π_ss = {pi}");
    }
}

#[test]
fn the_reference_noise_is_not_gibbs_and_produces_entropy_for_several_sticks() {
    let s = system(1, NoiseModel::Code);
    let n = s.n_nodes();
    let kbt = s.physics().thermal_energy();
    let m = s.edge_mass();
    let st = s.to_linear().unwrap().stationary_moments().unwrap();
    // Θ_vv = (k_BT/m) I and, for one stick, Θ_xx = (k_BT/m) K⁻¹ 𝐌.
    let vv = Mat::from_fn(n, n, |i, j| st.cov[(n + i, n + j)]);
    let eye = Mat::<f64>::from_fn(n, n, |i, j| f64::from(u8::from(i == j)));
    assert!(max_abs_diff(&vv, &(&eye * faer::Scale(kbt / m))) < 1e-9);
    let xx = Mat::from_fn(n, n, |i, j| st.cov[(i, j)]);
    let expect =
        inv(&mat(s.stiffness_matrix(), n)) * mat(s.mass_matrix(), n) * faer::Scale(kbt / m);
    assert!(max_abs_diff(&xx, &expect) < 1e-9, "{xx:?} vs {expect:?}");
    for cells in [2, 3, 5] {
        let s = system(cells, NoiseModel::Code);
        let lin = s.to_linear().unwrap();
        let pi = lin.stationary_entropy_production().unwrap();
        assert!(pi > 1e-3, "N_s = {cells}: Π_ss = {pi}");
        // Π_ss does not depend on T.
        let mut p = *s.physics();
        p.temperature *= 7.0;
        let (u, y) = cos_data(20);
        let hot = Springs::new(Grid::spanning(&[cells], &u).unwrap(), &u, &y, p).unwrap();
        let pi_hot = hot.to_linear().unwrap().stationary_entropy_production().unwrap();
        assert!((pi_hot - pi).abs() < 1e-8 * pi.max(1.0), "{pi} vs {pi_hot}");
    }
}

/// Ensemble means and variances of x_1 and v_1 after 500 steps, within 4.5 standard
/// errors: Euler–Maruyama against the exact moments of its own chain ([`em_moments`]),
/// BAOAB (weak order 2) against the exact moments of the SDE; both noise models, 4000
/// paths each.
#[test]
fn ensembles_match_the_exact_moments_for_both_noise_models_and_integrators() {
    let paths: usize = 4000;
    let (dt, steps) = (2e-3, 500);
    for noise in [NoiseModel::Code, NoiseModel::Fdt] {
        let s = system(2, noise);
        let n = s.n_nodes();
        let x0 = vec![0.3; n];
        let v0 = vec![-0.2; n];
        let init = Moments {
            mean: x0.iter().chain(&v0).copied().collect(),
            cov: Mat::zeros(2 * n, 2 * n),
        };
        let sde = s.to_linear().unwrap().moments_after(dt * steps as f64, &init).unwrap();
        let mut chain = init.clone();
        em_moments(&s, dt, steps, &init, |_, m| chain = m.clone()).unwrap();
        for (scheme, exact) in [("em", &chain), ("baoab", &sde)] {
            let mut rng = stream_rng(7, if scheme == "em" { 1 } else { 2 });
            let mut em = EulerMaruyama::new(&s, dt).unwrap();
            let mut ba = Baoab::new(&s, dt).unwrap();
            let (mut sx, mut sxx, mut sv, mut svv) = (0.0, 0.0, 0.0, 0.0);
            for _ in 0..paths {
                let (mut x, mut v) = (x0.clone(), v0.clone());
                for _ in 0..steps {
                    if scheme == "em" {
                        em.step(&s, &mut x, &mut v, &mut rng);
                    } else {
                        ba.step(&s, &mut x, &mut v, &mut rng);
                    }
                }
                sx += x[1];
                sxx += x[1] * x[1];
                sv += v[1];
                svv += v[1] * v[1];
            }
            let p = paths as f64;
            for (what, sum, sq, mean, var) in [
                ("x", sx, sxx, exact.mean[1], exact.cov[(1, 1)]),
                ("v", sv, svv, exact.mean[n + 1], exact.cov[(n + 1, n + 1)]),
            ] {
                let m = sum / p;
                let v = sq / p - m * m;
                let se_mean = (var / p).sqrt();
                let se_var = var * (2.0 / p).sqrt();
                assert!(
                    (m - mean).abs() < 4.5 * se_mean,
                    "{noise:?} {scheme} {what}: mean {m} vs {mean} (SE {se_mean})"
                );
                assert!(
                    (v - var).abs() < 4.5 * se_var,
                    "{noise:?} {scheme} {what}: var {v} vs {var} (SE {se_var})"
                );
            }
        }
    }
}

#[test]
fn the_reference_work_obeys_itos_identity_path_by_path() {
    let s = system(3, NoiseModel::Code);
    let n = s.n_nodes();
    let mut rng = stream_rng(3, 0);
    let (dt, steps) = (1e-4, 20_000);
    let mut em = EulerMaruyama::new(&s, dt).unwrap();
    let mut buf = Vec::new();
    let x_star = s.least_squares().unwrap();
    for path in 0..4 {
        // From rest at random heights (the discrete identity) and from rest at the fit
        // (where the drift is thermal and Itô's correction dominates Σ ½ m|Δv|²).
        let mut x: Vec<f64> =
            if path < 2 { (0..n).map(|_| rng.random::<f64>()).collect() } else { x_star.clone() };
        let mut v = vec![0.0; n];
        let w = work_path(&s, &mut em, &mut x, &mut v, steps, &mut rng, &mut buf, |_, _, _| {})
            .unwrap();
        let ito = w.kinetic_change - w.velocity_jumps - w.noise_work;
        assert!((w.left_work - ito).abs() < 1e-10 * (1.0 + w.left_work.abs()));
        assert!((w.simpson_work - w.left_work).abs() < 0.02 * (1.0 + w.left_work.abs()));
        if path >= 2 {
            // Σ ½ m|Δv|² = (m/2) Tr(LLᵀ) t_f (1 + O(√(2/(n·steps))) + O(ω² dt)): 2.5%.
            let expect = ito_rate(&s) * dt * steps as f64;
            assert!(
                (w.velocity_jumps / expect - 1.0).abs() < 0.025,
                "{} vs {expect}",
                w.velocity_jumps
            );
        }
    }
    let gamma_kbt = s.physics().friction * s.physics().thermal_energy();
    assert!((ito_rate(&s) - n as f64 * gamma_kbt).abs() < 1e-12);
}

#[test]
fn simpson_is_exact_for_cubics_with_even_and_odd_interval_counts() {
    for n in [2usize, 3, 4, 7, 10] {
        let h = 1.0 / n as f64;
        let f: Vec<f64> = (0..=n).map(|i| (i as f64 * h).powi(3) - (i as f64 * h)).collect();
        assert!((simpson(&f, h) - (0.25 - 0.5)).abs() < 1e-13, "n = {n}");
    }
}

/// The simulated mean of the reference's work against the exact mean over the EM chain
/// (Simpson over E[m a·v] of [`em_moments`]), within 4 SE; and the chain's mean tending to
/// the continuous-time [`exact_mean_work`] as dt → 0 (EM's bias is O(dt)).
#[test]
fn the_mean_reference_work_matches_its_exact_value() {
    let s = system(2, NoiseModel::Code);
    let n = s.n_nodes();
    let init = Moments {
        mean: vec![0.5; 2 * n],
        cov: Mat::from_fn(2 * n, 2 * n, |i, j| if i == j { 1.0 / 12.0 } else { 0.0 }),
    };
    let chain_mean = |dt: f64, steps: usize| {
        let mut power = Vec::with_capacity(steps + 1);
        em_moments(&s, dt, steps, &init, |_, m| power.push(expected_power(&s, m))).unwrap();
        simpson(&power, dt)
    };
    let (dt, steps, paths): (f64, usize, usize) = (1e-3, 2000, 3000);
    let exact_chain = chain_mean(dt, steps);
    let mut rng = stream_rng(11, 0);
    let mut em = EulerMaruyama::new(&s, dt).unwrap();
    let mut buf = Vec::new();
    let works: Vec<f64> = (0..paths)
        .map(|_| {
            let mut x: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            let mut v: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            work_path(&s, &mut em, &mut x, &mut v, steps, &mut rng, &mut buf, |_, _, _| {})
                .unwrap()
                .simpson_work
        })
        .collect();
    let mean = works.iter().sum::<f64>() / paths as f64;
    let sd = (works.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (paths - 1) as f64).sqrt();
    let se = sd / (paths as f64).sqrt();
    assert!((mean - exact_chain).abs() < 4.0 * se, "⟨W⟩ = {mean} ± {se}, EM chain {exact_chain}");
    let continuous = exact_mean_work(&s, 2.0, &init).unwrap();
    let errors: Vec<f64> = [(1e-3, 2000), (1e-4, 20_000)]
        .iter()
        .map(|&(dt, k)| (chain_mean(dt, k) - continuous).abs())
        .collect();
    // First order: ten times smaller steps, about ten times smaller bias.
    assert!(errors[1] < 0.15 * errors[0], "EM bias {errors:?} (continuous {continuous})");
}

/// ln E[e^{−βW} | z₀] from the Riccati solution against an ensemble started at the fit
/// at rest (a regime where e^{−βW} has a modest spread and EM's bias is small), and the
/// blow-up time of nearly free velocities against the closed form.
#[test]
fn the_exponential_work_average_matches_an_ensemble_and_diverges_where_predicted() {
    let mut p = physics(NoiseModel::Code);
    p.stiffness = 0.05;
    p.friction = 0.2;
    let (u, y) = cos_data(20);
    let s = Springs::new(Grid::spanning(&[2], &u).unwrap(), &u, &y, p).unwrap();
    let n = s.n_nodes();
    let t_f = 1.0;
    let mgf = match work_mgf(&s, t_f, 4000).unwrap() {
        WorkMgfOutcome::Finite(m) => m,
        WorkMgfOutcome::Divergent { blow_up_time } => panic!("diverged at {blow_up_time}"),
    };
    let mut z0 = s.least_squares().unwrap();
    z0.extend(vec![0.0; n]);
    let exact = mgf.log_mean_given(&z0);
    let kbt = p.temperature;
    let (dt, steps, paths): (f64, usize, usize) = (5e-4, 2000, 6000);
    let mut rng = stream_rng(5, 0);
    let mut em = EulerMaruyama::new(&s, dt).unwrap();
    let mut buf = Vec::new();
    let log_e: Vec<f64> = (0..paths)
        .map(|_| {
            let (mut x, mut v) = (z0[..n].to_vec(), z0[n..].to_vec());
            let w = work_path(&s, &mut em, &mut x, &mut v, steps, &mut rng, &mut buf, |_, _, _| {})
                .unwrap();
            -w.simpson_work / kbt
        })
        .collect();
    let top = log_e.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = log_e.iter().map(|l| (l - top).exp()).collect();
    let mean = e.iter().sum::<f64>() / paths as f64;
    let sd = (e.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (paths - 1) as f64).sqrt();
    let se_log = sd / mean / (paths as f64).sqrt();
    let estimate = top + mean.ln();
    assert!(
        (estimate - exact).abs() < 4.0 * se_log,
        "ln⟨e^(−βW)⟩ = {estimate} ± {se_log}, exact {exact}"
    );

    // Nearly free velocities (k ≪ m γ²): the scalar Riccati π' = −γ(4π² + 2π + 1) blows up
    // at t* = 2π / (3√3 γ).
    let mut p = physics(NoiseModel::Code);
    p.stiffness = 1e-9;
    p.friction = 2.0;
    let s = Springs::new(Grid::spanning(&[3], &u).unwrap(), &u, &y, p).unwrap();
    let expect = 2.0 * std::f64::consts::PI / (3.0 * 3f64.sqrt() * 2.0);
    match work_mgf(&s, 2.0, 20_000).unwrap() {
        WorkMgfOutcome::Divergent { blow_up_time } => {
            assert!((blow_up_time - expect).abs() < 0.01, "t* = {blow_up_time} vs {expect}")
        }
        WorkMgfOutcome::Finite(_) => panic!("expected divergence at {expect}"),
    }
}

#[test]
fn bad_inputs_are_typed_errors() {
    let (u, y) = cos_data(5);
    let g = Grid::spanning(&[2], &u).unwrap();
    let mut p = physics(NoiseModel::Code);
    p.stiffness = f64::NAN;
    assert!(Springs::new(g.clone(), &u, &y, p).is_err());
    let p = physics(NoiseModel::Fdt);
    assert!(Springs::new(g.clone(), &u, &[], p).is_err());
    assert!(Springs::new(g.clone(), &u[..3], &y, p).is_err());
    assert!(Grid::new(&[0], &[0.0], &[1.0]).is_err());
    assert!(Grid::new(&[2], &[1.0], &[1.0]).is_err());
    assert!(Grid::spanning(&[2], &[1.0, 1.0]).is_err());
    let mut bad_y = y.clone();
    bad_y[2] = f64::INFINITY;
    assert!(Springs::new(g.clone(), &u, &bad_y, p).is_err());
    // A node no data point touches: K is singular, a typed error.
    let s = Springs::new(Grid::new(&[4], &[0.0], &[10.0]).unwrap(), &[0.5, 1.0], &[1.0, 2.0], p)
        .unwrap();
    assert!(s.least_squares().is_err());
    assert!(EulerMaruyama::new(&s, 0.0).is_err());
    assert!(Baoab::new(&s, f64::NAN).is_err());
}

/// Π, Φ and dS/dt from the exact moments along the relaxation against the same formulas
/// on the sample moments of an ensemble (the reference's estimator), within 4.5 standard
/// errors estimated from 10 independent sub-ensembles; Π ≥ 0 and Π − Φ = dS/dt exactly.
#[test]
fn entropy_rates_along_the_relaxation_match_an_ensemble() {
    let s = system(2, NoiseModel::Code);
    let n = s.n_nodes();
    let lin = s.to_linear().unwrap();
    let init = Moments {
        mean: vec![0.5; 2 * n],
        cov: Mat::from_fn(2 * n, 2 * n, |i, j| if i == j { 1.0 / 12.0 } else { 0.0 }),
    };
    let (dt, steps, groups, per): (f64, usize, usize, usize) = (1e-3, 500, 10, 600);
    let mut chain = init.clone();
    em_moments(&s, dt, steps, &init, |_, m| chain = m.clone()).unwrap();
    let exact = lin.entropy_rates(&chain).unwrap();
    assert!(exact.production >= 0.0);
    assert!((exact.production - exact.flux - exact.entropy_change).abs() < 1e-9);
    let mut rng = stream_rng(21, 0);
    let mut em = EulerMaruyama::new(&s, dt).unwrap();
    let moments = |z: &[Vec<f64>]| {
        let m = z.len() as f64;
        let mean: Vec<f64> = (0..2 * n).map(|i| z.iter().map(|r| r[i]).sum::<f64>() / m).collect();
        let cov = Mat::from_fn(2 * n, 2 * n, |i, j| {
            z.iter().map(|r| (r[i] - mean[i]) * (r[j] - mean[j])).sum::<f64>() / (m - 1.0)
        });
        Moments { mean, cov }
    };
    let mut all = Vec::new();
    let mut group_pi = Vec::new();
    for _ in 0..groups {
        let mut z: Vec<Vec<f64>> =
            (0..per).map(|_| (0..2 * n).map(|_| rng.random::<f64>()).collect()).collect();
        for row in &mut z {
            let (x, v) = row.split_at_mut(n);
            for _ in 0..steps {
                em.step(&s, x, v, &mut rng);
            }
        }
        group_pi.push(lin.entropy_rates(&moments(&z)).unwrap().production);
        all.extend(z);
    }
    let pooled = lin.entropy_rates(&moments(&all)).unwrap();
    let g = groups as f64;
    let m = group_pi.iter().sum::<f64>() / g;
    let se = (group_pi.iter().map(|p| (p - m).powi(2)).sum::<f64>() / (g - 1.0) / g).sqrt();
    assert!(
        (pooled.production - exact.production).abs() < 4.5 * se,
        "Π: ensemble {} ± {se}, exact {}",
        pooled.production,
        exact.production
    );
}

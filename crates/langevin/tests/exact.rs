//! Every engine against exact answers: Lyapunov vs Kronecker and closed forms, Σ = 2J_a²
//! three ways, simulated moments and entropy production vs the exact ones, weak orders,
//! energetics and Jarzynski. Statistical tolerances are a few standard errors of the
//! sample actually drawn, with fixed seeds.

use faer::{Mat, mat};
use langevin::{
    Baoab, Brownian, EulerMaruyama, ExactOu, LinearForces, LinearLangevin, MediumEntropy, Moments,
    MovingTrap, Noise, SampleMoments, SekimotoEuler, ensemble, evolve_moments, expm, jarzynski,
    jarzynski_bootstrap, lyapunov_residual, solve_lyapunov, solve_lyapunov_kronecker, stream_rng,
};
use rand::RngExt;

fn max_abs_diff(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
    let mut m = 0.0f64;
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            m = m.max((a[(i, j)] - b[(i, j)]).abs());
        }
    }
    m
}

fn max_abs(a: &Mat<f64>) -> f64 {
    max_abs_diff(a, &Mat::zeros(a.nrows(), a.ncols()))
}

/// A random stable, strongly non-normal drift matrix: −(shift) I + a random matrix with
/// a large upper-triangular part.
fn random_stable(n: usize, seed: u64) -> Mat<f64> {
    let mut rng = stream_rng(seed, 0);
    let mut a = Mat::<f64>::from_fn(n, n, |i, j| {
        let g: f64 = rng.random_range(-1.0..1.0);
        if j > i { 3.0 * g } else { g }
    });
    // Shift until stable.
    let mut shift = 0.5;
    loop {
        let trial = Mat::from_fn(n, n, |i, j| a[(i, j)] - if i == j { shift } else { 0.0 });
        if langevin::check_stable(trial.as_ref()).is_ok() {
            a = trial;
            break;
        }
        shift *= 1.5;
    }
    a
}

fn random_spd(n: usize, seed: u64) -> Mat<f64> {
    let mut rng = stream_rng(seed, 1);
    let g = Mat::<f64>::from_fn(n, n, |_, _| rng.random_range(-1.0..1.0));
    &g * g.transpose() + Mat::<f64>::identity(n, n) * faer::Scale(0.1)
}

#[test]
fn lyapunov_sign_solver_matches_kronecker_solve() {
    for (k, n) in [1usize, 2, 3, 5, 8, 12].into_iter().enumerate() {
        let a = random_stable(n, 10 + k as u64);
        let q = random_spd(n, 20 + k as u64);
        let sol = solve_lyapunov(a.as_ref(), q.as_ref()).unwrap();
        let reference = solve_lyapunov_kronecker(a.as_ref(), q.as_ref()).unwrap();
        let rel = max_abs_diff(&sol.x, &reference) / max_abs(&reference);
        assert!(rel < 1e-10, "n = {n}: relative difference {rel:e}");
        assert!(sol.relative_residual < 1e-13, "n = {n}: residual {:e}", sol.relative_residual);
        assert!(lyapunov_residual(a.as_ref(), q.as_ref(), reference.as_ref()) < 1e-13);
    }
}

#[test]
fn lyapunov_near_instability_still_solves() {
    // Δ = 1 + J_a² − J_s² = 1e-6: slowest eigenvalue −1e-6-ish.
    let ja: f64 = 0.5;
    let js = (1.0 + ja * ja - 1e-6).sqrt();
    let w = mat![[-1.0, js + ja], [js - ja, -1.0]];
    let q = Mat::<f64>::identity(2, 2) * faer::Scale(0.01);
    let sol = solve_lyapunov(w.as_ref(), q.as_ref()).unwrap();
    let reference = solve_lyapunov_kronecker(w.as_ref(), q.as_ref()).unwrap();
    assert!(max_abs_diff(&sol.x, &reference) / max_abs(&reference) < 1e-8);
}

/// The two-unit system (A11) with noise σ_s.
fn two_unit(js: f64, ja: f64, sigma: f64) -> LinearLangevin {
    LinearLangevin::new(
        mat![[-1.0, js + ja], [js - ja, -1.0]],
        vec![0.0; 2],
        Noise::Additive(sigma),
    )
    .unwrap()
}

#[test]
fn two_unit_covariance_matches_closed_form_a12() {
    for &(js, ja) in &[(0.0, 0.0), (0.5, 0.0), (0.3, 0.8), (-0.9, 1.7), (1.2, 0.9)] {
        let sigma: f64 = 0.1;
        let c = two_unit(js, ja, sigma).stationary_covariance().unwrap();
        let delta = 1.0 + ja * ja - js * js;
        let f = sigma * sigma / (2.0 * delta);
        let exact =
            mat![[f * (1.0 + js * ja + ja * ja), f * js], [f * js, f * (1.0 - js * ja + ja * ja)]];
        assert!(max_abs_diff(&c, &exact) < 1e-14, "({js}, {ja}): {c:?} vs {exact:?}");
    }
}

#[test]
fn two_unit_entropy_production_is_2ja2_three_ways() {
    // The last pair is 1e-4 from instability (Δ = 1 + J_a² − J_s² = 1e-4): a slow mode
    // with a sharp spectral peak.
    let near_edge = (1.0f64 + 0.36 - 1e-4).sqrt();
    for &(js, ja) in
        &[(0.0, 0.0), (0.5, 0.0), (0.3, 0.8), (-0.9, 1.7), (1.2, 0.9), (0.0, 3.0), (near_edge, 0.6)]
    {
        let sys = two_unit(js, ja, 0.1);
        let exact = 2.0 * ja * ja;
        let from_cov = sys.stationary_entropy_production().unwrap();
        let spectral = sys
            .spectral_entropy_production(1e-10)
            .unwrap_or_else(|e| panic!("({js}, {ja}): {e:?}"));
        let rates = sys.entropy_rates(&sys.stationary_moments().unwrap()).unwrap();
        assert!(
            (from_cov - exact).abs() < 1e-11 * (1.0 + exact),
            "covariance: {from_cov} vs {exact}"
        );
        assert!((spectral - exact).abs() < 1e-8 * (1.0 + exact), "spectral: {spectral} vs {exact}");
        // Stationary: production equals flux and the entropy does not change.
        assert!((rates.production - rates.flux).abs() < 1e-11 * (1.0 + exact));
        assert!(rates.entropy_change.abs() < 1e-11);
    }
}

#[test]
fn spectral_and_covariance_entropy_production_agree_for_general_systems() {
    for seed in 0..4u64 {
        let n = 3 + seed as usize % 2;
        let a = random_stable(n, 100 + seed);
        let q = random_spd(n, 200 + seed);
        // B with B Bᵀ = Q via Cholesky.
        let l = q.llt(faer::Side::Lower).unwrap().L().to_owned();
        let sys = LinearLangevin::new(a, vec![0.3; n], Noise::General(l)).unwrap();
        let from_cov = sys.stationary_entropy_production().unwrap();
        let spectral = sys.spectral_entropy_production(1e-10).unwrap();
        assert!(from_cov > 0.0);
        assert!(
            (from_cov - spectral).abs() < 1e-7 * from_cov,
            "seed {seed}: {from_cov} vs {spectral}"
        );
    }
}

#[test]
fn equilibrium_underdamped_system_has_zero_entropy_production_and_equipartition() {
    // Symmetric stiffness: equilibrium, Σ = 0, C = diag(T K⁻¹, T M⁻¹).
    let k = mat![[2.0, 0.5, 0.0], [0.5, 1.5, -0.3], [0.0, -0.3, 1.0]];
    let (m, g, temp) = (vec![1.0, 2.0, 0.5], vec![0.7, 1.3, 2.0], 1.7);
    let sys = LinearLangevin::underdamped(k.as_ref(), &[0.1, 0.0, -0.2], &m, &g, temp).unwrap();
    let c = sys.stationary_covariance().unwrap();
    let kinv = k.partial_piv_lu().inverse();
    for i in 0..3 {
        for j in 0..3 {
            assert!((c[(i, j)] - temp * kinv[(i, j)]).abs() < 1e-12);
            let vv = if i == j { temp / m[i] } else { 0.0 };
            assert!((c[(3 + i, 3 + j)] - vv).abs() < 1e-12);
            assert!(c[(i, 3 + j)].abs() < 1e-12);
        }
    }
    assert!(sys.stationary_entropy_production().unwrap().abs() < 1e-12);
    // Non-symmetric stiffness: a driven system, Σ > 0.
    let k2 = mat![[2.0, 0.9, 0.0], [0.1, 1.5, -0.3], [0.0, 0.3, 1.0]];
    let driven = LinearLangevin::underdamped(k2.as_ref(), &[0.0; 3], &m, &g, temp).unwrap();
    assert!(driven.stationary_entropy_production().unwrap() > 1e-3);
}

use faer::linalg::solvers::DenseSolveCore;

#[test]
fn exact_moments_match_the_runge_kutta_moment_equations_and_relax_to_stationarity() {
    let sys = two_unit(0.4, 0.9, 0.3);
    let sys =
        LinearLangevin::new(sys.drift_matrix().to_owned(), vec![0.2, -0.1], sys.noise().clone())
            .unwrap();
    let start = Moments { mean: vec![1.0, -2.0], cov: mat![[0.5, 0.1], [0.1, 0.2]] };
    let exact = sys.moments_after(1.5, &start).unwrap();
    let rk = evolve_moments(|_| Ok(sys.clone()), 0.0, 1.5, 300, &start, |_, _| {}).unwrap();
    for i in 0..2 {
        assert!((exact.mean[i] - rk.mean[i]).abs() < 1e-10);
    }
    assert!(max_abs_diff(&exact.cov, &rk.cov) < 1e-10);
    let late = sys.moments_after(60.0, &start).unwrap();
    let stat = sys.stationary_moments().unwrap();
    assert!(max_abs_diff(&late.cov, &stat.cov) < 1e-12);
    for i in 0..2 {
        assert!((late.mean[i] - stat.mean[i]).abs() < 1e-12);
    }
    // Entropy balance along the relaxation: Π ≥ 0 and dS/dt = d/dt ½ ln det Θ.
    let (t, h) = (0.7, 1e-4);
    let s = |t: f64| {
        let m = sys.moments_after(t, &start).unwrap();
        0.5 * (m.cov[(0, 0)] * m.cov[(1, 1)] - m.cov[(0, 1)] * m.cov[(1, 0)]).ln()
    };
    let rates = sys.entropy_rates(&sys.moments_after(t, &start).unwrap()).unwrap();
    let ds_dt = (s(t + h) - s(t - h)) / (2.0 * h);
    assert!((rates.entropy_change - ds_dt).abs() < 1e-6, "{} vs {ds_dt}", rates.entropy_change);
    assert!(rates.production > 0.0);
}

#[test]
fn time_dependent_landi_rates_relax_to_the_stationary_value() {
    // Underdamped, driven: Π(t) from the exact moments tends to Σ.
    let k = mat![[1.0, 0.6], [-0.4, 1.2]];
    let sys = LinearLangevin::underdamped(k.as_ref(), &[0.0, 0.5], &[1.0, 1.0], &[0.5, 0.8], 1.0)
        .unwrap();
    let sigma = sys.stationary_entropy_production().unwrap();
    let start = Moments {
        mean: vec![1.0, 0.0, 0.0, 0.0],
        cov: Mat::<f64>::identity(4, 4) * faer::Scale(0.01),
    };
    // Slowest eigenvalue −0.0757 ± 1.01i: the covariance relaxes as e^{−0.151 t}.
    let slowest = langevin::check_stable(sys.drift_matrix())
        .unwrap()
        .iter()
        .map(|l| -l.re)
        .fold(f64::INFINITY, f64::min);
    let late = sys.entropy_rates(&sys.moments_after(20.0 / slowest, &start).unwrap()).unwrap();
    assert!((late.production - sigma).abs() < 1e-9 * sigma.max(1.0), "{late:?} vs {sigma}");
    assert!((late.flux - sigma).abs() < 1e-9 * sigma.max(1.0));
}

#[test]
fn euler_maruyama_has_weak_order_one() {
    // dx = −x dt + dW from 0; E[x²](t=5) = (1 − e^{−10})/2. EM's stationary E[x²] is
    // 1/(2 − dt), so the error is ≈ dt/4 and halves with dt.
    let sys = LinearLangevin::new(mat![[-1.0]], vec![0.0], Noise::Additive(1.0)).unwrap();
    let exact = 0.5 * (1.0 - (-10.0f64).exp());
    let samples = 200_000usize;
    let mut errors = Vec::new();
    for (k, &dt) in [0.2, 0.1, 0.05].iter().enumerate() {
        let steps = (5.0 / dt) as usize;
        let values = ensemble(
            samples,
            7 + k as u64,
            || EulerMaruyama::new(&sys, dt).unwrap(),
            |em, _, rng| {
                let mut x = [0.0];
                em.run(&sys, 0.0, &mut x, steps, rng, &mut ()).unwrap();
                x[0] * x[0]
            },
        );
        let mean = values.iter().sum::<f64>() / samples as f64;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (samples - 1) as f64;
        let se = (var / samples as f64).sqrt();
        // The discrete map's exact value: m_{k+1} = (1 − dt)² m_k + dt.
        let mut m = 0.0;
        for _ in 0..steps {
            m = (1.0 - dt) * (1.0 - dt) * m + dt;
        }
        assert!((mean - m).abs() < 4.0 * se, "dt = {dt}: {mean} vs discrete exact {m} (se {se})");
        errors.push((mean - exact, se));
    }
    for w in errors.windows(2) {
        let ratio = w[0].0 / w[1].0;
        let rel_se = (w[0].1 / w[0].0).hypot(w[1].1 / w[1].0);
        assert!(
            (ratio - 2.0).abs() < 0.15 + 4.0 * rel_se * ratio,
            "error ratio {ratio} (errors {errors:?})"
        );
    }
}

#[test]
fn exact_ou_samples_the_lyapunov_covariance_at_any_step() {
    let sys = two_unit(0.6, 1.1, 0.5);
    let c = sys.stationary_covariance().unwrap();
    // Large step (h = 0.5): no discretisation error. Independent samples: restart from
    // a stationary draw? Instead: thin a long chain at 4 steps (correlation e^{−2}).
    let mut ou = ExactOu::new(&sys, 0.5).unwrap();
    let mut rng = stream_rng(3, 0);
    let mut z = [0.0, 0.0];
    ou.run(0.0, &mut z, 100, &mut rng, &mut ()).unwrap();
    let mut moments = SampleMoments::new(2);
    let n = 200_000usize;
    for _ in 0..n {
        for _ in 0..4 {
            ou.step(&mut z, &mut rng);
        }
        langevin::Observer::observe(&mut moments, 0.0, &z);
    }
    let est = moments.covariance();
    for (i, j) in [(0, 0), (0, 1), (1, 1)] {
        // SE of a sample covariance of Gaussians: sqrt((C_ii C_jj + C_ij²)/n), inflated
        // for the residual correlation (lag-4 autocorrelation ≤ e^{−2·0.9}).
        let se = ((c[(i, i)] * c[(j, j)] + c[(i, j)].powi(2)) / n as f64).sqrt() * 1.5;
        assert!(
            (est[(i, j)] - c[(i, j)]).abs() < 4.0 * se,
            "C[{i}{j}]: {} vs {} (se {se})",
            est[(i, j)],
            c[(i, j)]
        );
    }
}

#[test]
fn simulated_entropy_production_matches_the_exact_rate() {
    // Stratonovich medium entropy along an exact-OU trajectory of the two-unit system.
    // Its expectation per step h is ½ Tr(M (E C − C Eᵀ)) with M = Aᵀ D⁻¹, E = e^{Ah}:
    // computed exactly here, it tends to Σ = 2 J_a² as h → 0.
    let (js, ja, sigma) = (0.3, 0.7, 0.4);
    let sys = two_unit(js, ja, sigma);
    let h = 0.005;
    let c = sys.stationary_covariance().unwrap();
    let a = sys.drift_matrix().to_owned();
    let e = expm((&a * faer::Scale(h)).as_ref());
    let m = a.transpose() * faer::Scale(2.0 / (sigma * sigma));
    let diff = &e * &c - &c * e.transpose();
    let prod = &m * &diff;
    let expected_rate = 0.5 * (prod[(0, 0)] + prod[(1, 1)]) / h;
    assert!((expected_rate - 2.0 * ja * ja).abs() < 0.01 * 2.0 * ja * ja);
    // 64 independent stationary trajectories of length 400 (batch means).
    let blocks = 64;
    let length = 400.0;
    let rates = ensemble(
        blocks,
        11,
        || (),
        |_, _, rng| {
            let mut ou = ExactOu::new(&sys, h).unwrap();
            let mut z = [0.0, 0.0];
            ou.run(0.0, &mut z, 2000, rng, &mut ()).unwrap();
            let mut meter = MediumEntropy::new(&sys).unwrap();
            ou.run(0.0, &mut z, (length / h) as usize, rng, &mut meter).unwrap();
            meter.total() / length
        },
    );
    let mean = rates.iter().sum::<f64>() / blocks as f64;
    let se = (rates.iter().map(|r| (r - mean).powi(2)).sum::<f64>()
        / ((blocks - 1) * blocks) as f64)
        .sqrt();
    assert!((mean - expected_rate).abs() < 4.0 * se, "{mean} vs {expected_rate} (se {se})");
    assert!(se < 0.05 * expected_rate, "too noisy to be a test: se {se}");
}

#[test]
fn euler_maruyama_moments_match_the_discrete_lyapunov_equation() {
    // EM on a linear system is z' = (I + A h) z + √h B ξ; its stationary covariance
    // solves C = M C Mᵀ + h B Bᵀ exactly (solved here by fixed-point iteration).
    let sys = two_unit(0.5, 0.8, 0.3);
    let h = 0.05;
    let a = sys.drift_matrix().to_owned();
    let mm = Mat::<f64>::identity(2, 2) + &a * faer::Scale(h);
    let q = sys.diffusion() * faer::Scale(2.0 * h);
    let mut c = Mat::<f64>::zeros(2, 2);
    for _ in 0..20_000 {
        c = &mm * &c * mm.transpose() + &q;
    }
    let mut em = EulerMaruyama::new(&sys, h).unwrap();
    let mut rng = stream_rng(5, 0);
    let mut z = [0.0, 0.0];
    em.run(&sys, 0.0, &mut z, 1000, &mut rng, &mut ()).unwrap();
    let mut moments = SampleMoments::new(2);
    let n = 200_000usize;
    for _ in 0..n {
        for _ in 0..60 {
            em.step(&sys, 0.0, &mut z, &mut rng);
        }
        langevin::Observer::observe(&mut moments, 0.0, &z);
    }
    let est = moments.covariance();
    for (i, j) in [(0, 0), (0, 1), (1, 1)] {
        let se = ((c[(i, i)] * c[(j, j)] + c[(i, j)].powi(2)) / n as f64).sqrt();
        assert!(
            (est[(i, j)] - c[(i, j)]).abs() < 4.0 * se,
            "C[{i}{j}]: {} vs {}",
            est[(i, j)],
            c[(i, j)]
        );
    }
}

/// Time average of v² and x² along BAOAB trajectories of a harmonic oscillator
/// (k = m = 1, γ = 1, T = 1), with batch-mean standard errors.
fn baoab_harmonic(dt: f64, seed: u64) -> ((f64, f64), (f64, f64)) {
    let model = LinearForces::new(&mat![[1.0]], vec![0.0], vec![1.0], vec![1.0], 1.0).unwrap();
    let batches = 256;
    let length = 400.0;
    let steps = (length / dt) as usize;
    let out = ensemble(
        batches,
        seed,
        || (),
        |_, _, rng| {
            let mut baoab = Baoab::new(&model, dt).unwrap();
            let (mut x, mut v) = ([0.0], [0.0]);
            let mut t = 0.0;
            for _ in 0..(20.0 / dt) as usize {
                baoab.step(&model, t, &mut x, &mut v, rng);
                t += dt;
            }
            let (mut sx, mut sv) = (0.0, 0.0);
            for _ in 0..steps {
                baoab.step(&model, t, &mut x, &mut v, rng);
                t += dt;
                sx += x[0] * x[0];
                sv += v[0] * v[0];
            }
            (sx / steps as f64, sv / steps as f64)
        },
    );
    let stats = |f: &dyn Fn(&(f64, f64)) -> f64| {
        let m = out.iter().map(f).sum::<f64>() / batches as f64;
        let se = (out.iter().map(|o| (f(o) - m).powi(2)).sum::<f64>()
            / ((batches - 1) * batches) as f64)
            .sqrt();
        (m, se)
    };
    (stats(&|o| o.0), stats(&|o| o.1))
}

#[test]
fn baoab_samples_exact_positions_and_has_weak_order_two_in_velocity() {
    // For the harmonic oscillator BAOAB's ⟨x²⟩ is exactly T/k, and its on-step ⟨v²⟩ is
    // T (1 − ω² dt²/4) (the stationary covariance of the linear BAOAB map): error
    // −T dt²/4, a quarter when dt halves.
    let mut errors = Vec::new();
    for (k, &dt) in [0.8, 0.4, 0.2].iter().enumerate() {
        let ((x2, sx), (v2, sv)) = baoab_harmonic(dt, 40 + k as u64);
        assert!((x2 - 1.0).abs() < 4.0 * sx, "dt {dt}: <x²> = {x2} ± {sx}");
        let exact_v2 = 1.0 - dt * dt / 4.0;
        assert!((v2 - exact_v2).abs() < 4.0 * sv, "dt {dt}: <v²> = {v2} vs {exact_v2} ± {sv}");
        errors.push((v2 - 1.0, sv));
    }
    let ratio = errors[0].0 / errors[1].0;
    let rel = (errors[0].1 / errors[0].0).hypot(errors[1].1 / errors[1].0);
    assert!((ratio - 4.0).abs() < 0.6 + 4.0 * rel * ratio, "ratio {ratio}: {errors:?}");
}

#[test]
fn dragged_trap_energetics_first_law_mean_work_and_jarzynski() {
    // Overdamped particle (μ = 1, T = 1) in U = ½ k (x − u t)², k = 2, u = 1, t ∈ [0, 2],
    // starting in equilibrium. ΔF = 0; ⟨W⟩ = (u²/μ)[t − τ(1 − e^{−t/τ})], τ = 1/(μ k).
    let (k, u, tf) = (2.0, 1.0, 2.0);
    let trap = MovingTrap { stiffness: k, dim: 1, centre: move |t: f64, _| u * t };
    let model = Brownian::new(trap, 1.0, 1.0).unwrap();
    let tau = 1.0 / k;
    let mean_work_exact = u * u * (tf - tau * (1.0 - (-tf / tau).exp()));
    let n = 40_000usize;
    for &dt in &[4e-3, 1e-3] {
        let steps = (tf / dt).round() as usize;
        let results = ensemble(
            n,
            99,
            || SekimotoEuler::new(1, dt).unwrap(),
            |em, _, rng| {
                let x0: f64 = rand_distr::Distribution::sample(&rand_distr::StandardNormal, rng);
                let mut x = [x0 / k.sqrt()];
                em.run(&model, 0.0, &mut x, steps, rng, &mut ()).unwrap()
            },
        );
        let works: Vec<f64> = results.iter().map(|r| r.work).collect();
        let mean_w = works.iter().sum::<f64>() / n as f64;
        let sd_w =
            (works.iter().map(|w| (w - mean_w).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        // Euler bias in the mean work is O(dt); at dt = 1e-3 it is far below 4 SE.
        if dt < 2e-3 {
            assert!(
                (mean_w - mean_work_exact).abs() < 4.0 * sd_w / (n as f64).sqrt(),
                "⟨W⟩ = {mean_w} vs {mean_work_exact}"
            );
            let est = jarzynski(&works, 1.0).unwrap();
            let mut rng = stream_rng(1, 0);
            let se = jarzynski_bootstrap(&works, 1.0, 200, &mut rng).unwrap();
            assert!(
                (est.delta_f - 0.0).abs() < 4.0 * se + est.bias.abs(),
                "ΔF = {} ± {se}",
                est.delta_f
            );
            assert!(est.mean_work > est.delta_f);
        }
        for r in &results {
            assert!((r.medium_entropy - r.heat).abs() < 1e-15);
            // Harmonic force: the trapezoid rule integrates ∇U·dx exactly, so the first
            // law holds to round-off on every trajectory.
            assert!(r.balance_error.abs() < 1e-10, "balance error {}", r.balance_error);
        }
    }
}

/// U = x⁴/4 + ½ k(t) x² with k(t) = 1 + t: a non-harmonic, time-dependent potential.
struct QuarticRamp;

impl langevin::Potential for QuarticRamp {
    fn dim(&self) -> usize {
        1
    }
    fn energy(&self, t: f64, x: &[f64]) -> f64 {
        0.25 * x[0].powi(4) + 0.5 * (1.0 + t) * x[0] * x[0]
    }
    fn gradient(&self, t: f64, x: &[f64], out: &mut [f64]) {
        out[0] = x[0].powi(3) + (1.0 + t) * x[0];
    }
}

#[test]
fn first_law_error_vanishes_with_the_step_for_an_anharmonic_potential() {
    // ΔU − (W − Q) is the trapezoid error of ∫∇U·dx, −(1/12) U'''(x) Δx³ per step. Its
    // mean over a step is O(dt²) and its fluctuation O(dt^{3/2}), so over a trajectory of
    // fixed duration the error is O(dt) (rms), shrinking fourfold when dt is quartered.
    let model = Brownian::new(QuarticRamp, 1.0, 1.0).unwrap();
    let n = 2000usize;
    let mut balance = Vec::new();
    for &dt in &[4e-3, 1e-3, 2.5e-4] {
        let steps = (1.0 / dt) as usize;
        let results = ensemble(
            n,
            5,
            || SekimotoEuler::new(1, dt).unwrap(),
            |em, _, rng| {
                let mut x = [0.5];
                em.run(&model, 0.0, &mut x, steps, rng, &mut ()).unwrap()
            },
        );
        let rms = (results.iter().map(|r| r.balance_error.powi(2)).sum::<f64>() / n as f64).sqrt();
        balance.push(rms);
    }
    for w in balance.windows(2) {
        let ratio = w[0] / w[1];
        assert!((3.2..5.0).contains(&ratio), "rms balance errors {balance:?}");
    }
}

#[test]
fn ensembles_do_not_depend_on_the_thread_count() {
    let sys = two_unit(0.2, 0.5, 0.3);
    let run = || {
        ensemble(
            16,
            4,
            || EulerMaruyama::new(&sys, 0.01).unwrap(),
            |em, _, rng| {
                let mut z = [0.1, 0.2];
                em.run(&sys, 0.0, &mut z, 500, rng, &mut ()).unwrap();
                z
            },
        )
    };
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(run);
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap().install(run);
    assert_eq!(one, two);
}

#[test]
fn baoab_heat_flow_matches_the_exact_entropy_production_of_a_driven_oscillator_network() {
    // Non-symmetric stiffness: a driven, non-equilibrium steady state. The heat the bath
    // receives per unit time is T Σ, with Σ from the Lyapunov covariance (LTO formula);
    // BAOAB's O-step kinetic-energy changes are the heat absorbed, so their mean rate is
    // −T Σ (BAOAB bias O(dt²), far below the statistical error at dt = 0.01).
    let k = mat![[1.0, 0.8], [-0.6, 1.3]];
    let temp = 0.7;
    let model =
        LinearForces::new(&k, vec![0.0, 0.0], vec![1.0, 2.0], vec![0.8, 0.5], temp).unwrap();
    let sigma = model.to_linear().unwrap().stationary_entropy_production().unwrap();
    assert!(sigma > 0.1, "the test needs a clearly driven system: Σ = {sigma}");
    let (dt, length, batches) = (0.01, 200.0, 64usize);
    let rates = ensemble(
        batches,
        21,
        || (),
        |_, _, rng| {
            let mut baoab = Baoab::new(&model, dt).unwrap();
            let (mut x, mut v) = ([0.0, 0.0], [0.0, 0.0]);
            let mut t = 0.0;
            for _ in 0..(50.0 / dt) as usize {
                baoab.step(&model, t, &mut x, &mut v, rng);
                t += dt;
            }
            let mut absorbed = 0.0;
            for _ in 0..(length / dt) as usize {
                absorbed += baoab.step(&model, t, &mut x, &mut v, rng);
                t += dt;
            }
            -absorbed / length
        },
    );
    let mean = rates.iter().sum::<f64>() / batches as f64;
    let se = (rates.iter().map(|r| (r - mean).powi(2)).sum::<f64>()
        / ((batches - 1) * batches) as f64)
        .sqrt();
    assert!(
        (mean - temp * sigma).abs() < 4.0 * se,
        "heat rate {mean} ± {se} vs T Σ = {}",
        temp * sigma
    );
    assert!(se < 0.1 * temp * sigma, "too noisy to be a test: se {se}");
}

#[test]
fn underdamped_euler_samples_its_own_discrete_stationary_law_and_converges_at_first_order() {
    // Harmonic oscillator k = m = 1, γ = 1, T = 1. The scheme is the linear map
    // (x, v) ← M (x, v) + (0, √(2γT dt/m) ξ), M = [[1, dt], [−dt k/m, 1 − γ dt]]; its
    // stationary covariance solves C = M C Mᵀ + Q. Simulation must match it; and C → the
    // Boltzmann covariance diag(T/k, T/m) at first order in dt.
    let model = LinearForces::new(&mat![[1.0]], vec![0.0], vec![1.0], vec![1.0], 1.0).unwrap();
    let discrete = |dt: f64| {
        let m = mat![[1.0, dt], [-dt, 1.0 - dt]];
        let q = mat![[0.0, 0.0], [0.0, 2.0 * dt]];
        let mut c = Mat::<f64>::zeros(2, 2);
        for _ in 0..200_000 {
            c = &m * &c * m.transpose() + &q;
        }
        c
    };
    let errors: Vec<f64> =
        [0.04, 0.02, 0.01].iter().map(|&dt| (discrete(dt)[(1, 1)] - 1.0).abs()).collect();
    for w in errors.windows(2) {
        assert!((w[0] / w[1] - 2.0).abs() < 0.1, "discrete ⟨v²⟩ errors {errors:?}");
    }
    let dt = 0.04;
    let c = discrete(dt);
    let mut em = langevin::UnderdampedEuler::new(&model, dt).unwrap();
    let mut rng = stream_rng(8, 0);
    let (mut x, mut v) = ([0.0], [0.0]);
    for _ in 0..2000 {
        em.step(&model, 0.0, &mut x, &mut v, &mut rng);
    }
    let mut moments = SampleMoments::new(2);
    let n = 100_000usize;
    for _ in 0..n {
        for _ in 0..100 {
            em.step(&model, 0.0, &mut x, &mut v, &mut rng);
        }
        langevin::Observer::observe(&mut moments, 0.0, &[x[0], v[0]]);
    }
    let est = moments.covariance();
    for (i, j) in [(0, 0), (0, 1), (1, 1)] {
        let se = ((c[(i, i)] * c[(j, j)] + c[(i, j)].powi(2)) / n as f64).sqrt();
        assert!(
            (est[(i, j)] - c[(i, j)]).abs() < 4.0 * se,
            "C[{i}{j}]: {} vs {}",
            est[(i, j)],
            c[(i, j)]
        );
    }
}

#[test]
fn the_one_driver_runs_all_four_integrators_exactly_as_their_own_steps() {
    // `run` must be a pure driver: the same states, bit for bit, as calling each
    // integrator's step by hand with the same stream, and every state shown to the
    // observer (steps + 1 of them, the phase point [x, v] for underdamped systems).
    let steps = 3000;
    let last = |obs: &mut Vec<(f64, Vec<f64>)>| obs.last().cloned().unwrap();
    // Overdamped: Euler–Maruyama and the exact OU step on the two-unit system.
    let sys = two_unit(0.3, 0.8, 0.5);
    for exact in [false, true] {
        let mut by_hand = vec![0.2, -0.1];
        let mut rng = stream_rng(31, 0);
        let mut seen = Vec::new();
        let mut observer = |t: f64, x: &[f64]| seen.push((t, x.to_vec()));
        let mut state = vec![0.2, -0.1];
        let mut rng2 = stream_rng(31, 0);
        if exact {
            let mut a = ExactOu::new(&sys, 0.01).unwrap();
            let mut b = a.clone();
            for _ in 0..steps {
                a.step(&mut by_hand, &mut rng);
            }
            langevin::run(&mut b, &sys, 0.0, &mut state, steps, &mut rng2, &mut observer).unwrap();
        } else {
            let mut a = EulerMaruyama::new(&sys, 0.01).unwrap();
            let mut b = a.clone();
            for k in 0..steps {
                a.step(&sys, k as f64 * 0.01, &mut by_hand, &mut rng);
            }
            langevin::run(&mut b, &sys, 0.0, &mut state, steps, &mut rng2, &mut observer).unwrap();
        }
        assert_eq!(state, by_hand, "exact OU: {exact}");
        assert_eq!(seen.len(), steps + 1);
        assert_eq!(last(&mut seen), (steps as f64 * 0.01, by_hand.clone()));
    }
    // Underdamped: Euler and BAOAB on a driven oscillator pair; BAOAB also counts heat.
    let model = LinearForces::new(
        &mat![[1.0, 0.8], [-0.6, 1.3]],
        vec![0.0, 0.0],
        vec![1.0, 2.0],
        vec![0.8, 0.5],
        0.7,
    )
    .unwrap();
    let (mut x, mut v) = ([0.1, 0.0], [0.0, -0.2]);
    let mut rng = stream_rng(32, 0);
    let mut baoab = Baoab::new(&model, 0.01).unwrap();
    let mut heat = 0.0;
    for k in 0..steps {
        heat += baoab.step(&model, k as f64 * 0.01, &mut x, &mut v, &mut rng);
    }
    let mut driven = Baoab::new(&model, 0.01).unwrap();
    let mut phase = vec![0.1, 0.0, 0.0, -0.2];
    let mut count = 0;
    langevin::run(
        &mut driven,
        &model,
        0.0,
        &mut phase,
        steps,
        &mut stream_rng(32, 0),
        &mut |_: f64, _: &[f64]| count += 1,
    )
    .unwrap();
    assert_eq!(phase, [x[0], x[1], v[0], v[1]]);
    assert_eq!(driven.heat(), heat);
    assert_eq!(count, steps + 1);
    let (mut x, mut v) = ([0.1, 0.0], [0.0, -0.2]);
    let mut rng = stream_rng(33, 0);
    let mut euler = langevin::UnderdampedEuler::new(&model, 0.01).unwrap();
    let mut twin = euler.clone();
    for k in 0..steps {
        euler.step(&model, k as f64 * 0.01, &mut x, &mut v, &mut rng);
    }
    let mut phase = vec![0.1, 0.0, 0.0, -0.2];
    langevin::run(&mut twin, &model, 0.0, &mut phase, steps, &mut stream_rng(33, 0), &mut ())
        .unwrap();
    assert_eq!(phase, [x[0], x[1], v[0], v[1]]);
    // A phase point of the wrong length, or a start time that is not finite, is refused
    // (regression: t0 = NaN used to return Ok(NaN)).
    let mut short = vec![0.0; 3];
    assert!(
        langevin::run(&mut twin, &model, 0.0, &mut short, 1, &mut stream_rng(1, 0), &mut ())
            .is_err()
    );
    let mut x = vec![0.0, 0.0];
    let mut em = EulerMaruyama::new(&sys, 0.01).unwrap();
    let r = em.run(&sys, f64::NAN, &mut x, 10, &mut stream_rng(1, 0), &mut ());
    assert!(
        matches!(r, Err(langevin::LangevinError::InvalidParameter { name: "t0", .. })),
        "{r:?}"
    );
}

//! The energy-functional network against exact results: F = 0 at the forward pass,
//! gradients against central differences, the backward rule at the clamped minimum, the
//! envelope theorem dF*/dθ = σ x against finite differences of F*, the linear network's
//! closed-form F*, and the stresses tending to backpropagation as κ_out/κ_hidden → 0.

use models::tkachenko::{Activation, Network};
use rand::RngExt;
use streams::stream_rng;

fn net(sizes: &[usize], acts: &[Activation], kappa: &[f64], seed: u64) -> Network {
    let count: usize = (0..sizes.len() - 1).map(|l| sizes[l + 1] * (sizes[l] + 1)).sum();
    let mut rng = stream_rng(seed, 0);
    let p: Vec<f64> = (0..count).map(|_| rng.random_range(-1.0..1.0)).collect();
    Network::new(sizes, acts, kappa, &p).unwrap()
}

fn tanh3() -> Network {
    net(
        &[3, 5, 4, 2],
        &[Activation::Tanh, Activation::Softplus, Activation::Identity],
        &[2.0, 1.5, 0.7],
        1,
    )
}

#[test]
fn the_forward_pass_is_a_zero_of_f_and_its_minimum() {
    let n = tanh3();
    let x = n.forward(&[0.3, -0.2, 0.9]).unwrap();
    assert!(n.energy(&x) < 1e-28);
    let mut start = x.clone();
    let mut rng = stream_rng(2, 0);
    for l in 1..start.len() {
        for v in start[l].iter_mut() {
            *v += rng.random_range(-1.0..1.0);
        }
    }
    let r = n.relax(&start, true, 1e-12, 100).unwrap();
    assert!(r.energy < 1e-20, "F = {}", r.energy);
    for (a, b) in r.state.iter().zip(&x) {
        for (u, v) in a.iter().zip(b) {
            assert!((u - v).abs() < 1e-9);
        }
    }
}

#[test]
fn gradients_match_central_differences() {
    let n = tanh3();
    let mut rng = stream_rng(3, 0);
    let x: Vec<Vec<f64>> =
        n.sizes().iter().map(|&s| (0..s).map(|_| rng.random_range(-1.0..1.0)).collect()).collect();
    let g = n.gradient_x(&x);
    let h = 1e-6;
    for l in 0..x.len() {
        for i in 0..x[l].len() {
            let mut a = x.clone();
            a[l][i] += h;
            let mut b = x.clone();
            b[l][i] -= h;
            let fd = (n.energy(&a) - n.energy(&b)) / (2.0 * h);
            assert!(
                (fd - g[l][i]).abs() < 1e-7 * (1.0 + fd.abs()),
                "x[{l}][{i}]: {fd} vs {}",
                g[l][i]
            );
        }
    }
    let gp = n.gradient_params(&x);
    let p0 = n.params();
    let mut m = n.clone();
    for k in 0..p0.len() {
        let mut p = p0.clone();
        p[k] += h;
        m.set_params(&p).unwrap();
        let up = m.energy(&x);
        p[k] -= 2.0 * h;
        m.set_params(&p).unwrap();
        let down = m.energy(&x);
        let fd = (up - down) / (2.0 * h);
        assert!((fd - gp[k]).abs() < 1e-7 * (1.0 + fd.abs()), "θ[{k}]: {fd} vs {}", gp[k]);
    }
}

#[test]
fn the_backward_rule_holds_at_the_clamped_minimum_and_df_star_is_sigma_x() {
    let n = tanh3();
    let (input, output) = ([0.5, -0.4, 0.1], [0.8, -0.3]);
    let r = n.clamped(&input, &output).unwrap();
    let res = n.residuals(&r.state);
    // σ^(l) = f'(y^(l)) ⊙ W_{l+1}ᵀ σ^(l+1) for every hidden layer.
    for l in 0..res.len() - 1 {
        let n_in = n.sizes()[l + 1];
        let layer = &n.layers()[l];
        for j in 0..n_in {
            let back: f64 = (0..n.sizes()[l + 2])
                .map(|k| n.layers()[l + 1].weights[k * n_in + j] * res[l + 1].2[k])
                .sum();
            let rule = layer.activation.df(res[l].0[j]) * back;
            assert!(
                (res[l].2[j] - rule).abs() < 1e-10,
                "layer {l}, neuron {j}: {} vs {rule}",
                res[l].2[j]
            );
        }
    }
    // Envelope theorem: dF*/dθ = ∂F/∂θ at x*.
    let g = n.gradient_params(&r.state);
    let p0 = n.params();
    let mut m = n.clone();
    let h = 1e-6;
    for k in 0..p0.len() {
        let mut p = p0.clone();
        p[k] += h;
        m.set_params(&p).unwrap();
        let up = m.clamped(&input, &output).unwrap().energy;
        p[k] -= 2.0 * h;
        m.set_params(&p).unwrap();
        let down = m.clamped(&input, &output).unwrap().energy;
        let fd = (up - down) / (2.0 * h);
        assert!((fd - g[k]).abs() < 1e-6 * (1.0 + fd.abs()), "θ[{k}]: {fd} vs {}", g[k]);
    }
}

/// A linear network with one hidden layer is two springs in series: with the output error
/// e = t − W₂(W₁x + b₁) − b₂ of the forward pass,
/// F* = ½ eᵀ (I/κ₂ + W₂W₂ᵀ/κ₁)⁻¹ e.
#[test]
fn the_linear_network_has_the_series_spring_closed_form() {
    let n = net(&[3, 4, 2], &[Activation::Identity, Activation::Identity], &[1.7, 0.6], 4);
    let (input, target) = ([0.2, 0.9, -0.5], [1.1, -0.4]);
    let fwd = n.forward(&input).unwrap();
    let e: Vec<f64> = target.iter().zip(&fwd[2]).map(|(t, y)| t - y).collect();
    let w2 = &n.layers()[1].weights;
    let (k1, k2) = (1.7, 0.6);
    let c = faer::Mat::<f64>::from_fn(2, 2, |i, j| {
        let ww: f64 = (0..4).map(|h| w2[i * 4 + h] * w2[j * 4 + h]).sum();
        ww / k1 + if i == j { 1.0 / k2 } else { 0.0 }
    });
    use faer::linalg::solvers::DenseSolveCore;
    let ci = c.partial_piv_lu().inverse();
    let exact: f64 =
        0.5 * (0..2).map(|i| (0..2).map(|j| e[i] * ci[(i, j)] * e[j]).sum::<f64>()).sum::<f64>();
    let got = n.clamped(&input, &target).unwrap().energy;
    assert!((got - exact).abs() < 1e-12 * (1.0 + exact), "{got} vs {exact}");
}

/// ∂F*/∂θ / κ_out → ∂L/∂θ of backpropagation as κ_out/κ_hidden → 0, with the relative
/// difference falling like the ratio; at uniform κ it is of order one.
#[test]
fn stresses_tend_to_backpropagation_only_as_the_output_gets_soft() {
    let base = net(&[2, 6, 1], &[Activation::Tanh, Activation::Identity], &[1.0, 1.0], 5);
    let (input, target) = ([0.7, -0.3], [1.5]);
    let bp = base.backprop_mse(&input, &target).unwrap();
    let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>().sqrt();
    let mut diffs = Vec::new();
    for ratio in [1.0, 1e-2, 1e-4] {
        let mut n = base.clone();
        n.layers_mut()[0].stiffness = 1.0 / ratio;
        n.layers_mut()[1].stiffness = 1.0;
        let r = n.clamped(&input, &target).unwrap();
        // In the limit F* → κ_out L, so ∂F*/∂θ → κ_out ∂L/∂θ (κ_out = 1 here).
        let g = n.gradient_params(&r.state);
        let d: Vec<f64> = g.iter().zip(&bp).map(|(a, b)| a - b).collect();
        let rel = norm(&d) / norm(&bp);
        diffs.push(rel);
    }
    assert!(diffs[0] > 0.05, "uniform κ: {diffs:?}");
    assert!(diffs[1] < 0.05 && diffs[2] < 1e-3, "{diffs:?}");
    assert!(diffs[2] < 0.03 * diffs[1], "{diffs:?}");
}

#[test]
fn bad_networks_are_typed_errors() {
    assert!(Network::new(&[2], &[], &[], &[]).is_err());
    assert!(Network::new(&[2, 1], &[Activation::Tanh], &[0.0], &[0.0; 3]).is_err());
    assert!(Network::new(&[2, 1], &[Activation::Tanh], &[1.0], &[0.0; 2]).is_err());
    assert!(Network::new(&[2, 1], &[Activation::Tanh], &[1.0], &[f64::NAN, 0.0, 0.0]).is_err());
    let n = Network::new(&[2, 1], &[Activation::Tanh], &[1.0], &[0.1, 0.2, 0.0]).unwrap();
    assert!(n.forward(&[1.0]).is_err());
    assert!(n.forward(&[1.0, f64::INFINITY]).is_err());
    assert!(n.clamped(&[1.0, 0.0], &[0.0, 1.0]).is_err());
}

#[test]
fn the_allocation_free_gradient_equals_the_plain_one() {
    let n = tanh3();
    let mut rng = stream_rng(9, 0);
    let x: Vec<Vec<f64>> =
        n.sizes().iter().map(|&s| (0..s).map(|_| rng.random_range(-1.0..1.0)).collect()).collect();
    let mut out = Vec::new();
    n.gradient_x_into(&x, &mut out);
    assert_eq!(out, n.gradient_x(&x));
}

/// The exact sampler: κ_i⟨r_i²⟩/k_BT = 1 per layer, residuals of different layers
/// uncorrelated and ⟨∂F/∂b⟩ = ⟨σ⟩ = 0, within 4.5 standard errors over 20 000 draws; and
/// Euler–Maruyama Langevin converging to the same κ⟨r²⟩/k_BT as dt shrinks.
#[test]
fn boltzmann_statistics_of_the_exact_sampler_and_of_langevin() {
    use langevin::{Brownian, EulerMaruyama};
    use models::tkachenko::{ClampedNeurons, boltzmann_sample};
    let n = tanh3();
    let input = [0.4, -0.7, 0.2];
    let kt = 0.05;
    let draws = 20_000;
    let mut rng = stream_rng(10, 0);
    let h = n.layers().len();
    let mut sq = vec![0.0; h];
    let mut cross = 0.0;
    let mut sig = vec![0.0; h];
    let mut sig2 = vec![0.0; h];
    for _ in 0..draws {
        let x = boltzmann_sample(&n, &input, kt, &mut rng).unwrap();
        let res = n.residuals(&x);
        for l in 0..h {
            sq[l] += n.layers()[l].stiffness * res[l].1[0] * res[l].1[0] / kt;
            sig[l] += res[l].2[0];
            sig2[l] += res[l].2[0] * res[l].2[0];
        }
        cross += res[0].1[0] * res[1].1[0];
    }
    let d = f64::from(draws);
    for l in 0..h {
        let m = sq[l] / d;
        assert!((m - 1.0).abs() < 4.5 * (2.0 / d).sqrt(), "layer {l}: κ⟨r²⟩/kT = {m}");
        let (ms, vs) = (sig[l] / d, sig2[l] / d - (sig[l] / d).powi(2));
        assert!(ms.abs() < 4.5 * (vs / d).sqrt(), "layer {l}: ⟨σ⟩ = {ms}");
    }
    let c = cross / d;
    let scale = kt / (n.layers()[0].stiffness * n.layers()[1].stiffness).sqrt();
    assert!(c.abs() < 4.5 * scale / d.sqrt(), "⟨r₁r₂⟩ = {c}");
    // Langevin: κ⟨r²⟩/kT of the output neuron over an ensemble of chains after 10
    // relaxation times; EM's bias ≈ μκ dt / 2 (16% at dt = 0.4, 2% at dt = 0.05).
    let mut errors = Vec::new();
    let chains = 4000;
    let free = ClampedNeurons::new(&n, |_, u: &mut [f64]| u.copy_from_slice(&input));
    let model = Brownian::new(free, 1.0, kt).unwrap();
    let start = model.potential().flatten(&n.forward(&input).unwrap());
    for dt in [0.4, 0.05] {
        let mut em = EulerMaruyama::new(&model, dt).unwrap();
        let mut acc = 0.0;
        let steps = (20.0 / dt) as usize;
        let mut z = start.clone();
        for _ in 0..chains {
            z.copy_from_slice(&start);
            for _ in 0..steps {
                em.step(&model, 0.0, &mut z, &mut rng);
            }
            let x = model.potential().unflatten(0.0, &z);
            let r = n.residuals(&x)[h - 1].1[0];
            acc += n.layers()[h - 1].stiffness * r * r / kt;
        }
        errors.push(acc / f64::from(chains) - 1.0);
    }
    let se = (2.0 / f64::from(chains)).sqrt();
    assert!(errors[0] > 0.08, "{errors:?}");
    assert!(errors[1].abs() < 0.02 + 4.5 * se, "{errors:?}");
}

/// Langevin training of the linear student at the noise-matching temperature: the excess
/// against the averaged-Lyapunov theory (first order in μκτ_e N: the allowance is that
/// order, 2μκτ_e(N + 2), plus 4.5 SE), the heat released per presentation against 2N k_BT*,
/// the paper's Stratonovich "work" equal to minus the heat, and the first law.
#[test]
fn linear_student_training_matches_theory_and_the_first_law() {
    use models::tkachenko::LinearStudent;
    let n = 10usize;
    let teacher: Vec<f64> = (0..n).map(|i| (0.7 * i as f64).sin() / (n as f64).sqrt()).collect();
    let s = LinearStudent {
        teacher: teacher.clone(),
        label_noise: 0.1,
        stiffness: 1.0,
        mobility: 1.0,
        presentation: 0.00125,
        steps_per_entry: 5,
    };
    let kt = s.noise_matching_temperature();
    let entries = 160_000;
    let mut rng = stream_rng(12, 0);
    let r = s.train(&teacher, kt, 8000, entries, 20, &mut rng).unwrap();
    let theory = s.theory_excess(kt);
    let allowance = 2.0 * s.mobility * s.stiffness * s.presentation * (n as f64 + 2.0) * theory
        + 4.5 * r.excess_se;
    assert!(
        (r.excess - theory).abs() < allowance,
        "excess {} ± {}, theory {theory}",
        r.excess,
        r.excess_se
    );
    let heat = r.heat_released / entries as f64;
    let bound = 2.0 * n as f64 * kt;
    assert!((heat / bound - 1.0).abs() < 0.05, "heat per entry {heat} vs 2NkT* {bound}");
    assert!(
        (r.paper_work_stratonovich + r.heat_released).abs()
            < 1e-12 * r.heat_released.abs().max(1.0)
    );
    assert!(r.paper_work_stratonovich < 0.0);
    assert!(r.first_law_residual < 1e-9 * r.switching_work.abs().max(1.0));
}

#[test]
fn the_allocation_free_backprop_equals_the_plain_one() {
    use models::tkachenko::Backprop;
    let n = tanh3();
    let (input, target) = ([0.1, 0.5, -0.3], [0.2, -0.9]);
    let mut bp = Backprop::new(&n);
    let mut g = vec![0.0; n.n_params()];
    let loss = bp.loss_grad(&n, &input, &target, Some(&mut g));
    let plain = n.backprop_mse(&input, &target).unwrap();
    for (a, b) in g.iter().zip(&plain) {
        assert!((a - b).abs() < 1e-14);
    }
    let fwd = n.forward(&input).unwrap();
    let expect = 0.5 * fwd[3].iter().zip(&target).map(|(a, b)| (a - b).powi(2)).sum::<f64>();
    assert!((loss - expect).abs() < 1e-15);
}

/// Annealing a tanh network: the paper's Stratonovich work is minus the heat released,
/// and the first law ΔF = W_sw − Q_released holds up to the midpoint rule's error (zero
/// only for a quadratic F; measured ~6e-8 of the heat at 4 and 16 steps per entry).
#[test]
fn annealing_keeps_the_first_law_and_the_papers_work_is_minus_the_heat() {
    use models::tkachenko::Annealing;
    let mut rng = stream_rng(13, 0);
    let data: Vec<(Vec<f64>, Vec<f64>)> = (0..40)
        .map(|_| {
            let u: Vec<f64> = vec![rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)];
            let t = vec![(2.0 * u[0]).sin() * u[1]];
            (u, t)
        })
        .collect();
    let order: Vec<usize> = (0..3000).map(|_| rng.random_range(0..40)).collect();
    let mut residuals = Vec::new();
    for steps in [4, 16] {
        let mut n = net(&[2, 6, 1], &[Activation::Tanh, Activation::Identity], &[1.0, 1.0], 14);
        let a = Annealing {
            mobility: 1.0,
            stiffness: 1.0,
            presentation: 0.02,
            steps_per_entry: steps,
            hidden_stiffness: None,
        };
        let mut r2 = stream_rng(15, 0);
        let rec = a.run(&mut n, &data, &order, 500, 1e-4, &data, 100, &mut r2).unwrap();
        assert!(
            (rec.paper_work + rec.heat_released).abs() < 1e-12 * rec.heat_released.abs().max(1.0)
        );
        let residual = (rec.energy_change - rec.switching_work + rec.heat_released).abs()
            / rec.heat_released.abs();
        residuals.push(residual);
    }
    assert!(residuals.iter().all(|&r| r < 1e-6), "{residuals:?}");
}

/// Explicit relaxation of stiff hidden neurons follows the fast path: at κ_h = 10⁶ κ_out the
/// parameters after 200 presentations at T = 0 match the κ_h → ∞ run to 1e-4, and the
/// first law's residual (the midpoint rule's error, ~1e-6 of the heat here) is the same on
/// both paths.
#[test]
fn finite_hidden_stiffness_tends_to_the_fast_path() {
    use models::tkachenko::Annealing;
    let mut rng = stream_rng(16, 0);
    let data: Vec<(Vec<f64>, Vec<f64>)> = (0..20)
        .map(|_| {
            let u: Vec<f64> = vec![rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)];
            let t = vec![u[0] * u[1]];
            (u, t)
        })
        .collect();
    let order: Vec<usize> = (0..200).map(|i| i % 20).collect();
    let run = |hidden: Option<f64>| {
        let mut n = net(&[2, 4, 1], &[Activation::Tanh, Activation::Identity], &[1.0, 1.0], 17);
        let a = Annealing {
            mobility: 1.0,
            stiffness: 1.0,
            presentation: 0.02,
            steps_per_entry: 4,
            hidden_stiffness: hidden,
        };
        let mut r = stream_rng(18, 0);
        let rec = a.run(&mut n, &data, &order, 0, 0.0, &data, 50, &mut r).unwrap();
        (n.params(), rec)
    };
    let (fast, rec_fast) = run(None);
    let (stiff, rec) = run(Some(1e6));
    let diff = fast.iter().zip(&stiff).map(|(a, b)| (a - b).abs()).fold(0.0f64, f64::max);
    assert!(diff < 1e-4, "max |Δθ| = {diff}");
    let residual = |r: &models::tkachenko::AnnealRecord| {
        (r.energy_change - r.switching_work + r.heat_released).abs() / r.heat_released.abs()
    };
    // The midpoint rule's error is a property of the trajectory, the same on both paths.
    let (a, b) = (residual(&rec_fast), residual(&rec));
    assert!(
        (a - b).abs() < 0.05 * a.max(1e-12) && b < 1e-5,
        "first law: {a} (fast) vs {b} (κ_h = 1e6)"
    );
}

/// The free neurons as a `langevin::Potential`: U(x, t) is F with the input at u(t), and
/// ∇U matches central differences of U to 1e-6 (relative); flatten/unflatten round-trip.
#[test]
fn clamped_neurons_potential_matches_the_network() {
    use langevin::Potential;
    use models::tkachenko::ClampedNeurons;
    let n = tanh3();
    let ramp = |t: f64, u: &mut [f64]| {
        for (i, v) in u.iter_mut().enumerate() {
            *v = 0.3 * t - 0.2 * i as f64;
        }
    };
    let free = ClampedNeurons::new(&n, ramp);
    let mut rng = stream_rng(11, 0);
    let z: Vec<f64> = (0..free.dim()).map(|_| rng.random_range(-1.0..1.0)).collect();
    let t = 0.7;
    let state = free.unflatten(t, &z);
    assert_eq!(free.flatten(&state), z);
    assert_eq!(free.energy(t, &z), n.energy(&state));
    let mut g = vec![0.0; free.dim()];
    free.gradient(t, &z, &mut g);
    let h = 1e-6;
    for i in 0..z.len() {
        let (mut a, mut b) = (z.clone(), z.clone());
        a[i] += h;
        b[i] -= h;
        let fd = (free.energy(t, &a) - free.energy(t, &b)) / (2.0 * h);
        assert!((fd - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()), "coordinate {i}: {fd} vs {}", g[i]);
    }
}

/// The fast-switching theory by `langevin`'s Lyapunov solver equals its closed form.
#[test]
fn linear_student_lyapunov_theory_equals_the_closed_form() {
    use models::tkachenko::LinearStudent;
    let s = LinearStudent {
        teacher: vec![0.3, -0.8, 1.1, 0.2, -0.5],
        label_noise: 0.4,
        stiffness: 2.0,
        mobility: 0.7,
        presentation: 0.05,
        steps_per_entry: 10,
    };
    for kt in [0.0, 1e-3, s.noise_matching_temperature(), 0.5] {
        let (a, b) = (s.lyapunov_excess(kt).unwrap(), s.theory_excess(kt));
        assert!((a - b).abs() <= 1e-12 * b, "k_BT = {kt}: Lyapunov {a} vs closed form {b}");
        let c = s.theory_covariance(kt).unwrap();
        assert!(c[(0, 1)].abs() <= 1e-12 * b, "off-diagonal {}", c[(0, 1)]);
    }
}

/// The allocation-free forms equal the allocating ones: ∂F/∂θ written in place, and the
/// clamped relaxation in a reused scratch (twice, from different entries) against a fresh
/// one.
#[test]
fn the_in_place_relaxation_and_parameter_gradient_equal_the_plain_ones() {
    use models::tkachenko::RelaxScratch;
    let n = tanh3();
    let mut out = vec![0.0; n.n_params()];
    let mut scratch = RelaxScratch::new(&n);
    for (input, target) in [([0.4, -0.7, 0.2], [0.3, -0.1]), ([-0.2, 0.9, 0.5], [-0.6, 0.8])] {
        let fresh = n.clamped(&input, &target).unwrap();
        let st = n.clamped_in(&mut scratch, &input, &target).unwrap();
        assert_eq!(scratch.state(), &fresh.state);
        assert_eq!(st.energy, fresh.energy);
        n.gradient_params_into(scratch.state(), &mut out);
        assert_eq!(out, n.gradient_params(scratch.state()));
        assert!(st.gradient_norm <= 1e-10, "{st:?}");
    }
}

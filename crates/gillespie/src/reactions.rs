//! Chemical reaction networks with mass-action kinetics.

use crate::GillespieError;
use crate::model::{DependencyGraph, JumpModel, Reversible};

/// One reaction: reactants → products with rate constant k (units: inverse time, per
/// molecule combination).
#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    /// Rate constant k.
    pub rate: f64,
    /// (species, stoichiometry) consumed.
    pub reactants: Vec<(usize, u32)>,
    /// (species, stoichiometry) produced.
    pub products: Vec<(usize, u32)>,
}

/// A reaction network. The propensity of reaction r in state n is
/// a_r(n) = k_r Π_s n_s (n_s − 1) ⋯ (n_s − ν_s + 1) over its reactants (ν_s copies of
/// species s; no 1/ν! factor, the convention of rebop and of BioNetGen's `.net` files
/// for distinct reactant labels).
#[derive(Debug, Clone, PartialEq)]
pub struct ReactionNetwork {
    n_species: usize,
    reactions: Vec<Reaction>,
    /// The propensity of each reaction in a form that evaluates without loops.
    propensity: Vec<Propensity>,
    /// Net change of each species per reaction in CSR form: reaction r applies the
    /// (species, change) pairs `delta[delta_ptr[r]..delta_ptr[r + 1]]`.
    delta_ptr: Vec<usize>,
    delta: Vec<(usize, i64)>,
    affected: Vec<Vec<usize>>,
    reverse: Vec<Option<usize>>,
}

/// A mass-action propensity, specialised for the common reaction orders.
#[derive(Debug, Clone, PartialEq)]
enum Propensity {
    /// ∅ → …: a = k.
    Constant(f64),
    /// S → …: a = k n_S.
    Uni(f64, usize),
    /// S + T → … (S ≠ T): a = k n_S n_T.
    Bi(f64, usize, usize),
    /// Anything else: a = k Π n_s (n_s − 1) ⋯ (n_s − ν_s + 1), reactants as in the
    /// reaction (looked up in `reactions`, which keeps the enum small).
    General(f64),
}

impl Propensity {
    fn of(re: &Reaction) -> Self {
        match re.reactants.as_slice() {
            [] => Propensity::Constant(re.rate),
            [(s, 1)] => Propensity::Uni(re.rate, *s),
            [(s, 1), (t, 1)] if s != t => Propensity::Bi(re.rate, *s, *t),
            _ => Propensity::General(re.rate),
        }
    }
}

impl ReactionNetwork {
    /// Validates the reactions and precomputes the state changes, the dependency graph
    /// (reaction r affects every reaction with a reactant whose count r changes) and the
    /// reverse of each reaction (the reaction with reactants and products swapped, if any).
    ///
    /// # Errors
    /// [`GillespieError::InvalidParameter`] for a rate constant that is not finite and
    /// ≥ 0; [`GillespieError::InvalidModel`] for a species index out of range.
    pub fn new(n_species: usize, reactions: Vec<Reaction>) -> Result<Self, GillespieError> {
        for (r, re) in reactions.iter().enumerate() {
            if !(re.rate.is_finite() && re.rate >= 0.0) {
                return Err(GillespieError::InvalidParameter {
                    name: "reaction rate",
                    value: re.rate,
                    requirement: "must be finite and ≥ 0",
                });
            }
            if let Some(&(s, _)) =
                re.reactants.iter().chain(&re.products).find(|(s, _)| *s >= n_species)
            {
                return Err(GillespieError::InvalidModel(format!(
                    "reaction {r} names species {s}, but there are {n_species}"
                )));
            }
        }
        let delta: Vec<Vec<(usize, i64)>> = reactions
            .iter()
            .map(|re| {
                let mut d = vec![0i64; n_species];
                for &(s, nu) in &re.reactants {
                    d[s] -= i64::from(nu);
                }
                for &(s, nu) in &re.products {
                    d[s] += i64::from(nu);
                }
                d.iter().enumerate().filter(|(_, v)| **v != 0).map(|(s, v)| (s, *v)).collect()
            })
            .collect();
        let affected = delta
            .iter()
            .map(|d| {
                (0..reactions.len())
                    .filter(|&q| {
                        reactions[q].reactants.iter().any(|(s, _)| d.iter().any(|(t, _)| t == s))
                    })
                    .collect()
            })
            .collect();
        let sorted = |v: &[(usize, u32)]| {
            let mut v = v.to_vec();
            v.sort_unstable();
            v
        };
        let reverse = reactions
            .iter()
            .map(|re| {
                reactions.iter().position(|q| {
                    sorted(&q.reactants) == sorted(&re.products)
                        && sorted(&q.products) == sorted(&re.reactants)
                })
            })
            .collect();
        let propensity = reactions.iter().map(Propensity::of).collect();
        let mut delta_ptr = vec![0];
        let mut flat = Vec::new();
        for d in &delta {
            flat.extend_from_slice(d);
            delta_ptr.push(flat.len());
        }
        Ok(Self { n_species, reactions, propensity, delta_ptr, delta: flat, affected, reverse })
    }

    /// Number of species.
    pub fn n_species(&self) -> usize {
        self.n_species
    }
}

impl ReactionNetwork {
    /// a_r(n), with the count of species s read by `n(s)`.
    #[inline(always)]
    fn propensity(&self, n: impl Fn(usize) -> i64, r: usize) -> f64 {
        let count = |s: usize| n(s).max(0) as f64;
        match &self.propensity[r] {
            Propensity::Constant(k) => *k,
            Propensity::Uni(k, s) => k * count(*s),
            Propensity::Bi(k, s, t) => k * count(*s) * count(*t),
            Propensity::General(k) => {
                let mut a = *k;
                for &(s, nu) in &self.reactions[r].reactants {
                    for j in 0..i64::from(nu) {
                        a *= (n(s) - j).max(0) as f64;
                    }
                }
                a
            }
        }
    }

    /// Applies reaction r: `add(s, d)` for each species s whose count changes by d.
    #[inline(always)]
    fn apply(&self, r: usize, mut add: impl FnMut(usize, i64)) {
        for &(s, d) in &self.delta[self.delta_ptr[r]..self.delta_ptr[r + 1]] {
            add(s, d);
        }
    }

    /// The same network with its counts in a fixed-size array of `S` species instead of a
    /// `Vec`, so that they live where the compiler can see them rather than behind a heap
    /// pointer (see `benchmarks/README.md` for what that buys). Same rates, same random
    /// numbers, same trajectory.
    ///
    /// # Errors
    /// [`GillespieError::InvalidModel`] if `S` is not the number of species.
    pub fn with_fixed_state<const S: usize>(self) -> Result<FixedStateNetwork<S>, GillespieError> {
        if S != self.n_species {
            return Err(GillespieError::InvalidModel(format!(
                "a fixed state of {S} species for a network of {}",
                self.n_species
            )));
        }
        let delta = (0..self.reactions.len())
            .map(|r| {
                let mut d = [0i64; S];
                self.apply(r, |s, v| d[s] += v);
                d
            })
            .collect();
        Ok(FixedStateNetwork { network: self, delta })
    }
}

/// Counts of every species: as many as there are species, none negative.
fn check_counts(n_species: usize, counts: &[i64]) -> Result<(), GillespieError> {
    if counts.len() != n_species {
        return Err(GillespieError::InvalidModel(format!(
            "state has {} counts, the network has {n_species} species",
            counts.len()
        )));
    }
    if let Some((s, &c)) = counts.iter().enumerate().find(|(_, c)| **c < 0) {
        return Err(GillespieError::InvalidModel(format!("count of species {s} is {c} < 0")));
    }
    Ok(())
}

impl JumpModel for ReactionNetwork {
    type State = Vec<i64>;
    fn n_channels(&self) -> usize {
        self.reactions.len()
    }
    fn check_state(&self, state: &Vec<i64>) -> Result<(), GillespieError> {
        check_counts(self.n_species, state)
    }
    #[inline]
    fn rate(&self, n: &Vec<i64>, r: usize) -> f64 {
        self.propensity(|s| n[s], r)
    }
    #[inline]
    fn fire(&self, n: &mut Vec<i64>, r: usize) {
        self.apply(r, |s, d| n[s] += d);
    }
}

/// A [`ReactionNetwork`] whose state is `[i64; S]` (made by
/// [`ReactionNetwork::with_fixed_state`]). Firing a reaction adds its dense change
/// vector: S additions at constant indices, no loop over a sparse list.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedStateNetwork<const S: usize> {
    network: ReactionNetwork,
    /// Net change of every species per reaction.
    delta: Vec<[i64; S]>,
}

impl<const S: usize> FixedStateNetwork<S> {
    /// The network.
    pub fn network(&self) -> &ReactionNetwork {
        &self.network
    }
}

impl<const S: usize> JumpModel for FixedStateNetwork<S> {
    type State = [i64; S];
    fn n_channels(&self) -> usize {
        self.network.reactions.len()
    }
    fn check_state(&self, state: &[i64; S]) -> Result<(), GillespieError> {
        check_counts(self.network.n_species, state)
    }
    #[inline]
    fn rate(&self, n: &[i64; S], r: usize) -> f64 {
        self.network.propensity(|s| n[fixed_index::<S>(s)], r)
    }
    #[inline]
    fn fire(&self, n: &mut [i64; S], r: usize) {
        for (count, d) in n.iter_mut().zip(&self.delta[r]) {
            *count += d;
        }
    }
}

/// Species s of an `S`-species state; with one species the index is the constant 0, so
/// the compiler can keep the count in a register for the whole run.
#[inline(always)]
fn fixed_index<const S: usize>(s: usize) -> usize {
    if S == 1 { 0 } else { s }
}

impl<const S: usize> Reversible for FixedStateNetwork<S> {
    fn reverse(&self, r: usize) -> Option<usize> {
        self.network.reverse[r]
    }
}

impl<const S: usize> DependencyGraph for FixedStateNetwork<S> {
    fn affected(&self, r: usize) -> &[usize] {
        &self.network.affected[r]
    }
}

impl Reversible for ReactionNetwork {
    fn reverse(&self, r: usize) -> Option<usize> {
        self.reverse[r]
    }
}

impl DependencyGraph for ReactionNetwork {
    fn affected(&self, r: usize) -> &[usize] {
        &self.affected[r]
    }
}

/// The birth–death process ∅ → A (rate k), A → ∅ (rate g·n_A), as in rebop's benchmark.
pub fn birth_death(k: f64, g: f64) -> Result<ReactionNetwork, GillespieError> {
    ReactionNetwork::new(
        1,
        vec![
            Reaction { rate: k, reactants: vec![], products: vec![(0, 1)] },
            Reaction { rate: g, reactants: vec![(0, 1)], products: vec![] },
        ],
    )
}

/// The Vilar circadian oscillator (Vilar et al., PNAS 99, 5988 (2002)) with the parameters
/// of rebop's benchmark: 9 species [Da, Dr, Dpa, Dpr, Ma, Mr, A, R, C], 16 reactions.
pub fn vilar() -> ReactionNetwork {
    // Species indices, named as in the paper.
    const DA: usize = 0;
    const DR: usize = 1;
    const DPA: usize = 2;
    const DPR: usize = 3;
    const MA: usize = 4;
    const MR: usize = 5;
    const A: usize = 6;
    const R: usize = 7;
    const C: usize = 8;
    let rx = |rate: f64, reactants: &[usize], products: &[usize]| Reaction {
        rate,
        reactants: reactants.iter().map(|&s| (s, 1)).collect(),
        products: products.iter().map(|&s| (s, 1)).collect(),
    };
    let (alpha_a, alphap_a, alpha_r, alphap_r) = (50.0, 500.0, 0.01, 50.0);
    let (beta_a, beta_r) = (50.0, 5.0);
    let (delta_ma, delta_mr, delta_a, delta_r) = (10.0, 0.5, 1.0, 0.2);
    let (gamma_a, gamma_r, gamma_c) = (1.0, 1.0, 2.0);
    let (theta_a, theta_r) = (50.0, 100.0);
    let reactions = vec![
        rx(gamma_a, &[DA, A], &[DPA]),
        rx(gamma_r, &[DR, A], &[DPR]),
        rx(theta_a, &[DPA], &[DA, A]),
        rx(theta_r, &[DPR], &[DR, A]),
        rx(alpha_a, &[DA], &[DA, MA]),
        rx(alpha_r, &[DR], &[DR, MR]),
        rx(alphap_a, &[DPA], &[DPA, MA]),
        rx(alphap_r, &[DPR], &[DPR, MR]),
        rx(beta_a, &[MA], &[MA, A]),
        rx(beta_r, &[MR], &[MR, R]),
        rx(gamma_c, &[A, R], &[C]),
        rx(delta_a, &[C], &[R]),
        rx(delta_ma, &[MA], &[]),
        rx(delta_mr, &[MR], &[]),
        rx(delta_a, &[A], &[]),
        rx(delta_r, &[R], &[]),
    ];
    ReactionNetwork::new(9, reactions).expect("the Vilar network is valid")
}

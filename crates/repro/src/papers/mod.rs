//! The reproduced papers. This is the only place that names every paper: adding a paper
//! is a folder `papers/<paper>/` (its `mod.rs` with the reference and its studies, its
//! `presets.rs`, one file per figure) and one line here.

pub mod bottleneck;
pub mod goldt;
pub mod springs;
pub mod tkachenko;

use crate::pipeline::Paper;

/// Every paper, in `--list` order.
pub fn all() -> Vec<Paper> {
    vec![bottleneck::paper(), goldt::paper(), springs::paper(), tkachenko::paper()]
}

//! # repro
//!
//! One pipeline per reproduced figure: parameters (named presets), the computation, a tidy
//! CSV, a meta.json with every parameter and choice, and an SVG plot, written to
//! `results/<paper>/<fig>/`. `--check` recomputes and compares with what is committed.
//!
//! - [`pipeline`] knows no paper: presets, the run context and its keyed random streams,
//!   studies (one computation, several figures), the runner, output, plots, checkpoints,
//!   small statistics.
//! - [`papers`] holds one folder per paper; `papers/mod.rs` is the only place that names
//!   them all. Dependencies point one way: papers → pipeline.
//!
//! Only this crate and `xtask` touch files, print progress or parse command lines.

pub mod papers;
pub mod pipeline;

pub use pipeline::{
    FigureOutput, FigureRef, Paper, Params, Preset, RunContext, RunOptions, Study, run_selection,
    select,
};

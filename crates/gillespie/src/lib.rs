//! # gillespie
//!
//! Exact stochastic simulation of continuous-time jump processes, with the entropy
//! production accumulated jump by jump, and a fast spin-flip engine for kinetic Ising
//! networks.
//!
//! **Status:** this crate is empty. Its engines are the subject of the gillespie issue;
//! until they land, exact steady states come from `stoch-core`.

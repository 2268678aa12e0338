//! # learn
//!
//! Learning algorithms for physical systems: SPSA, softmax / cross-entropy readout
//! (multinomial logistic regression) and least squares.
//!
//! **Status:** this crate is empty. Its algorithms are the subject of the MNIST-1D front
//! issue.

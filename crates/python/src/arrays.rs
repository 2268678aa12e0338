//! NumPy ⇄ Rust: inputs read in place when they are C-contiguous float64, copied
//! otherwise; Vec outputs handed to NumPy without a copy (`into_pyarray` moves the Vec),
//! faer matrices copied once.

use std::borrow::Cow;

use numpy::{
    PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The array's data as a slice: borrowed when contiguous, else copied.
pub fn slice1<'a>(a: &'a PyReadonlyArray1<'_, f64>) -> Cow<'a, [f64]> {
    match a.as_slice() {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(a.as_array().iter().copied().collect()),
    }
}

/// A 2-D array's data in row-major order: borrowed when C-contiguous, else copied.
pub fn slice2<'a>(a: &'a PyReadonlyArray2<'_, f64>) -> Cow<'a, [f64]> {
    match a.as_slice() {
        Ok(s) if a.is_c_contiguous() => Cow::Borrowed(s),
        _ => Cow::Owned(a.as_array().iter().copied().collect()),
    }
}

/// (rows, cols).
pub fn shape2(a: &PyReadonlyArray2<'_, f64>) -> (usize, usize) {
    let s = a.shape();
    (s[0], s[1])
}

/// A faer matrix copy of a 2-D array.
pub fn mat(a: &PyReadonlyArray2<'_, f64>) -> faer::Mat<f64> {
    let v = a.as_array();
    faer::Mat::from_fn(v.nrows(), v.ncols(), |i, j| v[(i, j)])
}

/// A square 2-D array, or a ValueError naming `what` and the shape.
pub fn square(a: &PyReadonlyArray2<'_, f64>, what: &str) -> PyResult<usize> {
    let (r, c) = shape2(a);
    if r != c {
        return Err(PyValueError::new_err(format!("{what} must be square, got shape ({r}, {c})")));
    }
    Ok(r)
}

/// A faer matrix as a new NumPy array.
pub fn to_numpy2<'py>(py: Python<'py>, m: faer::MatRef<'_, f64>) -> Bound<'py, PyArray2<f64>> {
    let (r, c) = (m.nrows(), m.ncols());
    let flat: Vec<f64> = (0..r).flat_map(|i| (0..c).map(move |j| m[(i, j)])).collect();
    from_flat(py, flat, r, c)
}

/// A row-major Vec as an (r, c) NumPy array (moved, not copied).
pub fn from_flat<'py>(
    py: Python<'py>,
    flat: Vec<f64>,
    r: usize,
    c: usize,
) -> Bound<'py, PyArray2<f64>> {
    let a = PyArray1::from_vec(py, flat);
    a.reshape([r, c]).expect("a Vec of r·c values reshapes to (r, c)")
}

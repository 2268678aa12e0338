//! `thermolearn._thermolearn`: the Python extension over the thermolearn crates.
//!
//! Every function is a thin wrapper: it converts NumPy arrays to slices (reading
//! C-contiguous float64 arrays in place, copying only other layouts), calls the library
//! and converts the result back. Long calls release the GIL and run on rayon; every
//! stochastic call takes an explicit seed and draws the same numbers as the Rust API
//! with that seed (`streams::stream_rng(seed, index)` for item `index` of a batch).
//! Library errors become [`ThermolearnError`] subclasses of `ValueError`, carrying the
//! typed error's message (which names the bad value) and its variant's fields.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

mod arrays;
mod data;
mod info;
mod langevin_py;
mod master;
mod sim;

create_exception!(
    _thermolearn,
    ThermolearnError,
    PyValueError,
    "Base class of thermolearn's errors (a ValueError): `args[0]` is the message naming \
     the bad value, `detail` the typed error with its fields."
);
create_exception!(_thermolearn, StochError, ThermolearnError, "Master-equation errors.");
create_exception!(_thermolearn, InfoError, ThermolearnError, "Information-theory errors.");
create_exception!(_thermolearn, GillespieError, ThermolearnError, "Gillespie errors.");
create_exception!(_thermolearn, LangevinError, ThermolearnError, "Langevin errors.");
create_exception!(_thermolearn, LearnError, ThermolearnError, "Learning errors.");
create_exception!(_thermolearn, DatasetError, ThermolearnError, "Data-set errors.");

/// Builds the exception of type `E` with the error's message and its `Debug` form (the
/// variant with its fields) as `detail`.
pub(crate) fn raise<E: pyo3::PyTypeInfo, T: std::fmt::Display + std::fmt::Debug>(err: T) -> PyErr {
    let e = PyErr::new::<E, _>(err.to_string());
    Python::attach(|py| {
        let value = e.value(py);
        // Setting an attribute on a fresh exception instance cannot fail in practice;
        // if it did, the message alone still reaches the user.
        let _ = value.setattr("detail", format!("{err:?}"));
    });
    e
}

/// Conversions from each library's error type.
pub(crate) trait IntoPy<T> {
    fn py(self) -> PyResult<T>;
}

macro_rules! error_conversion {
    ($err:ty, $exc:ty) => {
        impl<T> IntoPy<T> for Result<T, $err> {
            fn py(self) -> PyResult<T> {
                self.map_err(raise::<$exc, _>)
            }
        }
    };
}
error_conversion!(stoch_core::StochError, StochError);
error_conversion!(infotheory::InfoError, InfoError);
error_conversion!(gillespie::GillespieError, GillespieError);
error_conversion!(langevin::LangevinError, LangevinError);
error_conversion!(learn::LearnError, LearnError);
error_conversion!(datasets::DatasetError, DatasetError);

#[pymodule]
fn _thermolearn(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ThermolearnError", py.get_type::<ThermolearnError>())?;
    m.add("StochError", py.get_type::<StochError>())?;
    m.add("InfoError", py.get_type::<InfoError>())?;
    m.add("GillespieError", py.get_type::<GillespieError>())?;
    m.add("LangevinError", py.get_type::<LangevinError>())?;
    m.add("LearnError", py.get_type::<LearnError>())?;
    m.add("DatasetError", py.get_type::<DatasetError>())?;
    master::register(m)?;
    info::register(m)?;
    sim::register(m)?;
    langevin_py::register(m)?;
    data::register(m)?;
    Ok(())
}

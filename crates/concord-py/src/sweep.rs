//! Sensitivity draws as bytes, so that a Ray task's stretch of a run travels between processes
//! without a Python object per value.

use concord_api as api;
use pyo3::exceptions::PyValueError;
use pyo3::PyResult;

/// A part as little-endian u64s: its first draw, the number of draws, and per draw the zone flag
/// (0 or 1), the number of concepts, and per concept the number of packages and per package its
/// length and option indices.
pub(crate) fn encode_part(part: &api::SensitivityPart) -> Vec<u8> {
    let mut out = Vec::new();
    let mut int = |x: usize| out.extend_from_slice(&(x as u64).to_le_bytes());
    int(part.start);
    int(part.draws.len());
    for d in &part.draws {
        int(usize::from(d.zone_exists));
        int(d.picks.len());
        for packages in &d.picks {
            int(packages.len());
            for p in packages {
                int(p.len());
                for &o in p {
                    int(o);
                }
            }
        }
    }
    out
}

/// The part [`encode_part`] wrote; a ValueError when the bytes are not such a part.
pub(crate) fn decode_part(bytes: &[u8]) -> PyResult<api::SensitivityPart> {
    decode(bytes).ok_or_else(|| {
        PyValueError::new_err("the bytes are not sensitivity draws of Scenario.sensitivity_part")
    })
}

fn decode(bytes: &[u8]) -> Option<api::SensitivityPart> {
    let mut rest = bytes;
    let mut int = || -> Option<usize> {
        let (head, tail) = rest.split_at_checked(8)?;
        rest = tail;
        usize::try_from(u64::from_le_bytes(head.try_into().ok()?)).ok()
    };
    // Counts are bounded by the bytes left, so that bad bytes cannot ask for a huge allocation.
    let bounded = |n: usize| (n <= bytes.len() / 8).then_some(n);
    let start = int()?;
    let n = bounded(int()?)?;
    let mut draws = Vec::with_capacity(n);
    for _ in 0..n {
        let zone_exists = match int()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let concepts = bounded(int()?)?;
        let mut picks = Vec::with_capacity(concepts);
        for _ in 0..concepts {
            let packages = bounded(int()?)?;
            let mut ps = Vec::with_capacity(packages);
            for _ in 0..packages {
                let len = bounded(int()?)?;
                ps.push((0..len).map(|_| int()).collect::<Option<Vec<_>>>()?);
            }
            picks.push(ps);
        }
        draws.push(api::DrawChoices { zone_exists, picks });
    }
    rest.is_empty()
        .then_some(api::SensitivityPart { start, draws })
}

//! `space`: the utility space as two parties see it, for a chart: every package (or a uniform
//! sample of a space too large to walk) binned on a grid of the two utilities, with how many of
//! each cell's packages lie in the agreement zone; the pair's Pareto frontier; and the whole
//! problem's bargaining solutions at their utilities to the two.

use concord_core::engine::{space_size, Evaluator};
use concord_core::exact::{scale, Unit};
use concord_core::model::{OptionIx, PartyIx};
use concord_core::number::grouped;
use concord_core::proposal::applies;
use concord_io::request::RequestError;
use concord_report::analysis_report::{Count, Keyed};
use concord_report::space_report::{
    Axis, Cell, FrontierPoint, PairFrontier, SolutionPoint, SpaceModel, SpaceZone, SPACE_SCHEMA,
};

use crate::{analyze_loaded, AnalyzeRequest, Control, Error, Loaded, Result, Settings};

/// Which two parties, how fine a grid, how much to walk.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceRequest {
    /// Red lines, arithmetic and limits of the analysis whose zone and solutions are shown.
    pub settings: Settings,
    /// The party on the horizontal axis (an id of a party with preferences).
    pub x: String,
    /// The party on the vertical axis.
    pub y: String,
    /// Cells per axis of the grid (at least 1).
    pub grid: u32,
    /// The most frontier points listed (at least 2); a longer frontier is downsampled evenly.
    pub max_frontier: usize,
    /// Spaces up to this many packages are walked whole; larger ones are sampled uniformly,
    /// this many packages (at least 1).
    pub max_evaluated: u64,
    /// The seed of the sample.
    pub seed: u64,
}

impl SpaceRequest {
    /// The defaults, for the parties `x` and `y`.
    pub fn new(x: impl Into<String>, y: impl Into<String>) -> Self {
        SpaceRequest {
            settings: Settings::DEFAULT,
            x: x.into(),
            y: y.into(),
            grid: 160,
            max_frontier: 2000,
            max_evaluated: 2_000_000,
            seed: 0,
        }
    }
}

/// The answer of [`space`].
#[derive(Debug, Clone)]
pub struct SpaceReport {
    model: SpaceModel,
}

impl SpaceReport {
    /// The typed report (schema `concord.space/1`).
    pub fn model(&self) -> &SpaceModel {
        &self.model
    }

    /// The report as JSON.
    pub fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model)
    }
}

fn request_error(field: &str, value: &str, problem: String, expected: String) -> Error {
    Error::from(RequestError {
        field: field.to_string(),
        value: value.to_string(),
        problem,
        expected,
    })
}

/// The utility space of two parties of a loaded scenario. Zone membership is decided as the
/// analysis decides it: every consenting party at or above its reservation value (in exact
/// arithmetic when the numbers are short decimals) and every applicable red line met.
pub fn space(loaded: &Loaded, request: &SpaceRequest, control: &Control) -> Result<SpaceReport> {
    loaded.require_issues()?;
    let scenario = &loaded.scenario;
    let scored: Vec<PartyIx> = (0..scenario.parties.len())
        .filter(|&p| scenario.preferences[p].is_some())
        .collect();
    let find = |field: &str, id: &str| -> Result<PartyIx> {
        scored
            .iter()
            .copied()
            .find(|&p| scenario.parties[p].id == id)
            .ok_or_else(|| {
                let ids: Vec<&str> = scored
                    .iter()
                    .map(|&p| scenario.parties[p].id.as_str())
                    .collect();
                request_error(
                    field,
                    id,
                    format!("`{id}` is not a party with preferences"),
                    format!("one of {}", ids.join(", ")),
                )
            })
    };
    let px = find("x", &request.x)?;
    let py = find("y", &request.y)?;
    let grid = request.grid.max(1);
    let config = request.settings.config();

    let analysis = analyze_loaded(
        loaded,
        &AnalyzeRequest {
            settings: request.settings.clone(),
            ..AnalyzeRequest::default()
        },
        control,
    )?;
    let report = analysis.model();

    let (scaled, unit, exact) = match scale(scenario).filter(|_| request.settings.exact_decimals) {
        Some((s, unit)) => (s, unit, true),
        None => (scenario.clone(), Unit::ONE, false),
    };
    let eval = Evaluator::new(&scaled);
    let slot = |p: PartyIx| eval.slot(p).expect("a party with preferences is scored");
    let (sx, sy) = (slot(px), slot(py));
    let floors: Vec<(usize, f64)> = eval
        .scored
        .iter()
        .enumerate()
        .filter(|&(_, &p)| scenario.parties[p].consent)
        .map(|(k, &p)| {
            let r = scaled.preferences[p]
                .as_ref()
                .map_or(0.0, |x| x.reservation.value);
            (k, r)
        })
        .collect();
    let red_lines: Vec<_> = (0..scenario.red_lines.len())
        .filter(|&r| applies(scenario, &config, r))
        .map(|r| &scenario.red_lines[r].rule)
        .collect();

    let counts = eval.counts().to_vec();
    let Some(total) = space_size(&counts) else {
        return Err(Error::new(
            crate::ErrorKind::Limit,
            format!(
                "the space of {} has more than 2^128 packages; its chart is not drawn",
                loaded.name
            ),
        ));
    };
    let sampled = total > u128::from(request.max_evaluated.max(1));
    let evaluated = if sampled {
        request.max_evaluated.max(1)
    } else {
        u64::try_from(total).expect("at most max_evaluated")
    };

    // Walk: (scaled x, scaled y, in zone, index) per package evaluated.
    let mut points: Vec<(f64, f64, bool, u128)> = Vec::with_capacity(evaluated as usize);
    let mut out = vec![0.0; eval.width()];
    let mut visit = |package: &[OptionIx], index: u128| {
        eval.utilities(package, &mut out);
        let zone = floors.iter().all(|&(k, r)| out[k] >= r)
            && red_lines.iter().all(|rule| rule.allows(package));
        points.push((out[sx], out[sy], zone, index));
    };
    if sampled {
        let mut rng = SplitMix(request.seed);
        for n in 0..evaluated {
            if n % 65_536 == 0 {
                control.check()?;
            }
            let index = rng.below(total);
            visit(&package_of(&counts, index), index);
        }
    } else {
        let mut package: Vec<OptionIx> = vec![0; counts.len()];
        for index in 0..evaluated {
            if index % 65_536 == 0 {
                control.check()?;
            }
            visit(&package, u128::from(index));
            // The next package: the last issue moves fastest, as `package_index` numbers them.
            for i in (0..counts.len()).rev() {
                package[i] += 1;
                if package[i] < counts[i] {
                    break;
                }
                package[i] = 0;
            }
        }
    }
    control.check()?;

    let options = |index: u128| -> Keyed<String> {
        let package = package_of(&counts, index);
        Keyed(
            scenario
                .issues
                .iter()
                .zip(&package)
                .map(|(issue, &o)| (issue.id.clone(), issue.options[o].id.clone()))
                .collect(),
        )
    };

    // The grid, over the range the packages evaluated span.
    let range = |pick: fn(&(f64, f64, bool, u128)) -> f64| {
        points
            .iter()
            .map(pick)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    };
    let (x_lo, x_hi) = range(|p| p.0);
    let (y_lo, y_hi) = range(|p| p.1);
    let bin = |v: f64, lo: f64, hi: f64| -> usize {
        if hi > lo {
            (((v - lo) / (hi - lo) * f64::from(grid)) as usize).min(grid as usize - 1)
        } else {
            0
        }
    };
    let mut cells: Vec<Option<Cell>> = vec![None; (grid as usize) * (grid as usize)];
    let mut zone_evaluated = 0u64;
    for &(x, y, zone, _) in &points {
        let c = bin(x, x_lo, x_hi) * grid as usize + bin(y, y_lo, y_hi);
        let cell = cells[c].get_or_insert(Cell {
            x: unit.utility(x),
            y: unit.utility(y),
            count: 0,
            zone: 0,
        });
        cell.count += 1;
        cell.zone += u64::from(zone);
        zone_evaluated += u64::from(zone);
    }
    let cells: Vec<Cell> = cells.into_iter().flatten().collect();

    // The pair's frontier: by decreasing x (then y), keep each point above every one before.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        points[b]
            .0
            .total_cmp(&points[a].0)
            .then(points[b].1.total_cmp(&points[a].1))
            .then(points[a].3.cmp(&points[b].3))
    });
    let mut frontier: Vec<usize> = Vec::new();
    let mut best_y = f64::NEG_INFINITY;
    for i in order {
        if points[i].1 > best_y {
            best_y = points[i].1;
            frontier.push(i);
        }
    }
    let frontier_size = frontier.len();
    let max_frontier = request.max_frontier.max(2);
    let downsampled = frontier_size > max_frontier;
    let chosen: Vec<usize> = if downsampled {
        (0..max_frontier)
            .map(|k| frontier[k * (frontier_size - 1) / (max_frontier - 1)])
            .collect()
    } else {
        frontier
    };
    let frontier_points: Vec<FrontierPoint> = chosen
        .iter()
        .map(|&i| FrontierPoint {
            x: unit.utility(points[i].0),
            y: unit.utility(points[i].1),
            package: options(points[i].3),
        })
        .collect();

    let party_axis = |p: PartyIx| Axis {
        id: scenario.parties[p].id.clone(),
        name: scenario.parties[p].name.clone(),
        reservation: scenario.preferences[p]
            .as_ref()
            .map_or(0.0, |x| x.reservation.value),
        consent: scenario.parties[p].consent,
    };
    let solutions = report
        .solutions
        .iter()
        .filter_map(|s| {
            let point = s.points.first()?;
            let at = |id: &str| {
                point
                    .utilities
                    .0
                    .iter()
                    .find(|(k, _)| k == id)
                    .map(|(_, v)| *v)
            };
            Some(SolutionPoint {
                concept: s.concept.clone(),
                x: at(&request.x)?,
                y: at(&request.y)?,
                package: point.packages.first()?.options.clone(),
                tied: s.tied,
            })
        })
        .collect();

    let mut notes = Vec::new();
    if sampled {
        notes.push(format!(
            "A uniform random sample of {} of the {} packages (seed {}): the cells, counts and frontier are the sample's, not the whole space's.",
            grouped(evaluated as u128),
            grouped(total),
            request.seed
        ));
    }
    notes.push(format!(
        "{} packages binned on a {grid}×{grid} grid of the two utilities: {} occupied cells, each drawn at one of its packages.",
        grouped(evaluated as u128),
        grouped(cells.len() as u128)
    ));
    if downsampled {
        notes.push(format!(
            "The frontier of the two parties has {frontier_size} points; {max_frontier} evenly spaced ones are drawn, both ends included."
        ));
    }
    if !exact {
        notes.push(
            "Utilities are floating-point sums (not every number is a short decimal).".to_string(),
        );
    }
    if report.solutions.is_empty() {
        notes.push("No bargaining solutions: the whole problem has no agreement zone.".to_string());
    } else {
        notes.push(
            "The solutions are the whole problem's (every consenting party), shown at their utilities to these two."
                .to_string(),
        );
    }

    Ok(SpaceReport {
        model: SpaceModel {
            schema: SPACE_SCHEMA.to_string(),
            scenario: scenario.id.clone(),
            x: party_axis(px),
            y: party_axis(py),
            red_lines: request.settings.red_lines.as_str().to_string(),
            packages: Count::of(total),
            evaluated,
            sampled,
            exact,
            grid,
            cells,
            frontier: PairFrontier {
                size: frontier_size as u64,
                shown: frontier_points.len() as u64,
                downsampled,
                points: frontier_points,
            },
            solutions,
            zone: SpaceZone {
                exists: report.zone.exists,
                evaluated: zone_evaluated,
            },
            notes,
        },
    })
}

/// SplitMix64: a small, seeded, portable generator for the sample (the same packages for the
/// same seed on every machine).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (rejection sampling, no modulo bias).
    fn below(&mut self, n: u128) -> u128 {
        let wide = (u128::from(self.next()) << 64) | u128::from(self.next());
        let zone = u128::MAX - (u128::MAX % n);
        let mut v = wide;
        while v >= zone {
            v = (u128::from(self.next()) << 64) | u128::from(self.next());
        }
        v % n
    }
}

/// The package numbered `index` in the mixed-radix numbering of the space (last issue fastest,
/// as `concord_core::engine::package_index` numbers them), for spaces past 64 bits too.
fn package_of(counts: &[usize], mut index: u128) -> Vec<OptionIx> {
    let mut package = vec![0; counts.len()];
    for i in (0..counts.len()).rev() {
        let n = counts[i] as u128;
        package[i] = (index % n) as usize;
        index /= n;
    }
    package
}

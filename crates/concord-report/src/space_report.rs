//! The typed model of a utility space seen by two parties (schema `concord.space/1`): the
//! packages downsampled on a grid of the two utilities, the pair's Pareto frontier, the whole
//! problem's bargaining solutions and the agreement zone, for a chart (the dashboard's analyst
//! view, or a notebook).

use schemars::JsonSchema;
use serde::Serialize;

use crate::analysis_report::{Count, Keyed};

/// The schema identifier of utility-space reports.
pub const SPACE_SCHEMA: &str = "concord.space/1";

/// The whole report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SpaceModel {
    /// `concord.space/1`.
    #[schemars(extend("const" = "concord.space/1"))]
    pub schema: String,
    /// The scenario's id.
    pub scenario: String,
    /// The party on the horizontal axis.
    pub x: Axis,
    /// The party on the vertical axis.
    pub y: Axis,
    /// Which red lines of consenting parties apply (`all`, `cited`, `stated`).
    pub red_lines: String,
    /// Packages in the space.
    pub packages: Count,
    /// Packages evaluated: all of them, or a uniform random sample when the space is larger
    /// than the request's limit (then `sampled`).
    pub evaluated: u64,
    /// Whether the packages evaluated are a sample; counts, cells and the frontier are then of
    /// the sample.
    pub sampled: bool,
    /// Whether utilities were compared in exact arithmetic (short decimals) rather than as
    /// floating-point sums.
    pub exact: bool,
    /// Cells per axis of the grid the packages are binned on.
    pub grid: u32,
    /// The occupied cells of the grid.
    pub cells: Vec<Cell>,
    /// The two parties' Pareto frontier among the packages evaluated (ignoring every other
    /// party, red lines and reservations).
    pub frontier: PairFrontier,
    /// The bargaining solutions of the whole problem (every consenting party, within the zone),
    /// shown at their utilities to the two parties; empty without a zone.
    pub solutions: Vec<SolutionPoint>,
    /// The agreement zone of the whole problem.
    pub zone: SpaceZone,
    /// Sentences a chart of this report must show with it (sampling, downsampling).
    pub notes: Vec<String>,
}

/// One axis: a party and its reservation value.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Axis {
    /// Party id.
    pub id: String,
    /// Party name.
    pub name: String,
    /// Its reservation value.
    pub reservation: f64,
    /// Whether an agreement needs its consent.
    pub consent: bool,
}

/// A cell of the grid: the packages whose two utilities fall in it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Cell {
    /// The first package's utility to the `x` party.
    pub x: f64,
    /// The first package's utility to the `y` party.
    pub y: f64,
    /// Packages in the cell.
    pub count: u64,
    /// Of them, packages in the agreement zone.
    pub zone: u64,
}

/// The two parties' frontier, downsampled to at most the request's number of points.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PairFrontier {
    /// Distinct utility pairs on the frontier.
    pub size: u64,
    /// Points listed.
    pub shown: u64,
    /// Whether `points` is an evenly spaced selection (always with both ends) of a larger
    /// frontier.
    pub downsampled: bool,
    /// The points, by decreasing utility to `x`.
    pub points: Vec<FrontierPoint>,
}

/// A point of the pair's frontier with one package that reaches it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FrontierPoint {
    /// Utility to the `x` party.
    pub x: f64,
    /// Utility to the `y` party.
    pub y: f64,
    /// A package at this point (issue id → option id).
    pub package: Keyed<String>,
}

/// A bargaining solution of the whole problem, seen by the two parties.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SolutionPoint {
    /// `nash`, `kalai-smorodinsky`, `egalitarian` or `utilitarian`.
    pub concept: String,
    /// Utility to the `x` party.
    pub x: f64,
    /// Utility to the `y` party.
    pub y: f64,
    /// The package (the first listed when several tie).
    pub package: Keyed<String>,
    /// Whether several packages tie for it.
    pub tied: bool,
}

/// The whole problem's agreement zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SpaceZone {
    /// Whether it has a package.
    pub exists: bool,
    /// Its packages among those evaluated.
    pub evaluated: u64,
}

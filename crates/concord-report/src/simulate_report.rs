//! The report of one simulated negotiation (`concord simulate`): a typed model (schema
//! `concord.simulate/1`, `schemas/simulate.schema.json`), and its text; and the text of a
//! tournament's summary (`concord tournament`, whose tables are written by [`crate::table`]).

use std::fmt::Write;

use comfy_table::{Cell, CellAlignment};
use schemars::JsonSchema;
use serde::Serialize;

use crate::analysis_report::Keyed;

/// The identifier of the report's JSON.
pub const SIMULATE_SCHEMA: &str = "concord.simulate/1";

/// One negotiation between strategies, as it ended.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SimulateModel {
    /// `concord.simulate/1`.
    #[schemars(extend("const" = "concord.simulate/1"))]
    pub schema: String,
    /// The scenario's id.
    pub scenario: String,
    /// The protocol: `sao`, `single-text/veto` or `single-text/hill-climbing`.
    pub protocol: String,
    /// The deadline, in rounds.
    pub rounds_allowed: usize,
    /// The seed of the random draws.
    pub seed: u64,
    /// Whether it ended in agreement.
    pub agreement: bool,
    /// How it ended.
    pub end: End,
    /// The party that walked away or vetoed the final text; null otherwise.
    pub ended_by: Option<String>,
    /// The agreement: option id by issue id, in file order; null without one.
    pub package: Option<Keyed<String>>,
    /// The rounds played.
    pub rounds: usize,
    /// The time when it ended, relative to the deadline (0 to 1).
    pub relative_time: f64,
    /// The offers made (candidate texts under single text).
    pub offers: usize,
    /// Each negotiating party, in file order.
    pub parties: Vec<SimParty>,
    /// The sum of the discounted utilities.
    pub welfare: f64,
    /// How far the outcome's undiscounted utilities are from the reference points.
    pub distances: Distances,
    /// The wall-clock time the negotiation took.
    pub elapsed_seconds: f64,
    /// Every action, with `--trace` (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceEvent>>,
}

/// How a negotiation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum End {
    /// Every party accepted (or signed) one package.
    Agreement,
    /// The deadline passed.
    Deadline,
    /// The wall-clock limit passed.
    TimeLimit,
    /// A party walked away.
    WalkedAway,
    /// A party vetoed the final text.
    Vetoed,
    /// It was interrupted.
    Stopped,
}

/// A negotiating party's outcome.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SimParty {
    /// Its id.
    pub id: String,
    /// Its strategy's name.
    pub strategy: String,
    /// Its utility of the outcome (its reservation value without an agreement).
    pub utility: f64,
    /// The same, discounted by its discount factor over the rounds played.
    pub discounted_utility: f64,
    /// Its reservation value.
    pub reservation: f64,
    /// Discounted utility minus reservation value.
    pub advantage: f64,
}

/// Euclidean distances in the utility space of the negotiating parties.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Distances {
    /// `euclidean`.
    pub metric: String,
    /// To the nearest point of the Pareto frontier; null when the zone is empty.
    pub pareto: Option<f64>,
    /// To the Nash point; null when the zone is empty.
    pub nash: Option<f64>,
    /// To the Kalai-Smorodinsky point; null when the zone is empty.
    pub kalai_smorodinsky: Option<f64>,
}

/// One action of the trace.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TraceEvent {
    /// The round, from 0.
    pub round: usize,
    /// The relative time of the action.
    pub time: f64,
    /// The party that acted; null for the mediator.
    pub party: Option<String>,
    /// What it did.
    pub action: Action,
    /// The package offered, accepted, proposed or ratified (absent for a walk-away).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<Keyed<String>>,
    /// Each negotiating party's utility of that package, in file order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilities: Option<Vec<f64>>,
    /// A candidate text: whether it replaced the current text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<bool>,
    /// A candidate text: how many parties preferred the current text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vetoes: Option<usize>,
    /// A ratification: whether the party signed (else it vetoed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed: Option<bool>,
}

/// What a party (or the mediator) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// An offer.
    Offer,
    /// An acceptance of the standing offer.
    Accept,
    /// A walk-away.
    WalkAway,
    /// The mediator's candidate text (single text).
    Candidate,
    /// A signature or veto of the final text (single text).
    Ratify,
}

/// `issue=option, …`.
fn package_text(package: &Keyed<String>) -> String {
    package
        .0
        .iter()
        .map(|(i, o)| format!("{i}={o}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn distance_text(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a (empty zone)".to_string(), |v| format!("{v:.4}"))
}

impl SimulateModel {
    /// The report as text: the header, the trace (with `--trace`), how it ended, a row per
    /// party and the distances.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Simulation of {} — protocol {}, {} rounds, seed {}",
            self.scenario, self.protocol, self.rounds_allowed, self.seed
        );
        if let Some(trace) = &self.trace {
            // The party column as wide as its longest name, so that lines fit where they can.
            let who = trace
                .iter()
                .map(|e| crate::layout::display_width(e.who()))
                .max()
                .unwrap_or(0)
                .max("party".len());
            let _ = writeln!(
                out,
                "\nround  time    {:<who$} action     package  [utilities]",
                "party"
            );
            for e in trace {
                e.line(&mut out, who);
            }
            out.push('\n');
        }
        match &self.package {
            Some(package) => {
                let _ = writeln!(
                    out,
                    "Agreement in round {} of {} (relative time {:.4}): {}",
                    self.rounds,
                    self.rounds_allowed,
                    self.relative_time,
                    package_text(package)
                );
            }
            None => {
                let by = self.ended_by.as_deref().unwrap_or("a party");
                let why = match self.end {
                    End::Deadline => "the deadline passed".to_string(),
                    End::TimeLimit => "the time limit passed".to_string(),
                    End::WalkedAway => format!("`{by}` walked away"),
                    End::Vetoed => format!("`{by}` vetoed the final text"),
                    End::Stopped => "it was interrupted".to_string(),
                    // An agreement always has its package; said plainly should one lack it.
                    End::Agreement => "an agreement without a package".to_string(),
                };
                let _ = writeln!(
                    out,
                    "No agreement after {} of {} rounds: {why}.",
                    self.rounds, self.rounds_allowed
                );
            }
        }
        // A drawn table, fitted to the width (a list of rows when it cannot fit).
        let mut t = crate::layout::table();
        t.set_header(vec![
            "party",
            "strategy",
            "utility",
            "discounted",
            "reservation",
            "advantage",
        ]);
        let number = |x: String| Cell::new(x).set_alignment(CellAlignment::Right);
        for p in &self.parties {
            t.add_row(vec![
                Cell::new(&p.id),
                Cell::new(&p.strategy),
                number(format!("{:.4}", p.utility)),
                number(format!("{:.4}", p.discounted_utility)),
                number(format!("{:.4}", p.reservation)),
                number(format!("{:+.4}", p.advantage)),
            ]);
        }
        out.push('\n');
        out.push_str(&crate::layout::render_table(&t, ""));
        let d = &self.distances;
        let _ = writeln!(
            out,
            "\nDistances (Euclidean, in the utility space of the {} negotiating parties, undiscounted):\n  to the Pareto frontier {}\n  to the Nash point {}\n  to the Kalai-Smorodinsky point {}",
            self.parties.len(),
            distance_text(d.pareto),
            distance_text(d.nash),
            distance_text(d.kalai_smorodinsky)
        );
        out
    }
}

impl TraceEvent {
    /// Who acted: the party, or the mediator.
    fn who(&self) -> &str {
        self.party.as_deref().unwrap_or("(mediator)")
    }

    /// One line of the trace, its party column `width` wide.
    fn line(&self, out: &mut String, width: usize) {
        let who = self.who();
        let action = match self.action {
            Action::Offer => "offer".to_string(),
            Action::Accept => "accept".to_string(),
            Action::WalkAway => "walk away".to_string(),
            Action::Candidate if self.moved == Some(true) => "moved to".to_string(),
            Action::Candidate => format!("vetoed ×{}", self.vetoes.unwrap_or(0)),
            Action::Ratify if self.signed == Some(true) => "signs".to_string(),
            Action::Ratify => "vetoes".to_string(),
        };
        let detail = match (&self.package, &self.utilities) {
            (Some(package), Some(utilities)) => {
                let u: Vec<String> = utilities.iter().map(|u| format!("{u:.3}")).collect();
                format!("{}  [{}]", package_text(package), u.join(", "))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{:>5}  {:.4}  {:<width$} {:<10} {}",
            self.round + 1,
            self.time,
            who,
            action,
            detail
        );
    }
}

/// A tournament's summary per strategy as a drawn table, fitted to the width (a list of rows
/// when it cannot fit): seats taken, agreement rate, mean utility, advantage and welfare, mean
/// distances to the Pareto frontier and the Nash point (`-` where never defined), mean rounds.
pub fn summary_text(summary: &[concord_sim::tournament::Summary]) -> String {
    let mut t = crate::layout::table();
    t.set_header(vec![
        "strategy",
        "seats",
        "agreed",
        "utility",
        "advantage",
        "welfare",
        "d-pareto",
        "d-nash",
        "rounds",
    ]);
    let number = |x: String| Cell::new(x).set_alignment(CellAlignment::Right);
    let short = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |v| format!("{v:.4}"));
    for s in summary {
        t.add_row(vec![
            Cell::new(&s.strategy),
            number(concord_core::number::grouped(s.seats as u128)),
            number(format!("{:.1}%", 100.0 * s.agreement_rate)),
            number(format!("{:.4}", s.mean_utility)),
            number(format!("{:+.4}", s.mean_advantage)),
            number(format!("{:.4}", s.mean_welfare)),
            number(short(s.mean_pareto)),
            number(short(s.mean_nash)),
            number(format!("{:.1}", s.mean_rounds)),
        ]);
    }
    crate::layout::render_table(&t, "")
}

/// A duration in words with a unit that keeps its figure short: `1.25 s`, `3.4 ms`, `8.8 µs`.
pub fn duration_words(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

//! The commitments ledger: pledges and guarantees (who, to whom, what, how much, on which
//! layer of the guarantee, on what condition, activated by what), and the three questions asked
//! of it: what stands behind each layer, which pledges are conditional on what, and which
//! triggers have no pledge behind them.
//!
//! A commitment is *firm* when it is pledged or agreed (not merely announced, proposed or
//! requested) and someone is named as making it. A trigger is covered when a firm commitment
//! answers it.

use std::collections::BTreeMap;

use crate::quantity::format_value;

/// Pledge or guarantee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A promise of resources (money, equipment, forces).
    Pledge,
    /// A promise to act if something happens (defend, enforce, back).
    Guarantee,
}

impl Kind {
    /// The word used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pledge => "pledge",
            Kind::Guarantee => "guarantee",
        }
    }
}

/// What is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum What {
    /// Troops, a force, a presence.
    Forces,
    /// Money: grants, loans, proceeds.
    Money,
    /// A treaty or legal commitment.
    Treaty,
    /// Weapons, air defence, other materiel.
    Equipment,
    /// Other support.
    Support,
}

impl What {
    /// The word used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            What::Forces => "forces",
            What::Money => "money",
            What::Treaty => "treaty",
            What::Equipment => "equipment",
            What::Support => "support",
        }
    }

    /// Reads the word used in files.
    pub fn parse(s: &str) -> Option<What> {
        [
            What::Forces,
            What::Money,
            What::Treaty,
            What::Equipment,
            What::Support,
        ]
        .into_iter()
        .find(|w| w.as_str() == s)
    }
}

/// How far a commitment has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Firmness {
    /// Formally agreed between the parties.
    Agreed,
    /// Promised by those who make it.
    Pledged,
    /// Announced as coming ("will make concrete commitments").
    Announced,
    /// Under discussion.
    Proposed,
    /// Asked for by the beneficiary, not yet granted.
    Requested,
}

impl Firmness {
    /// The word used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Firmness::Agreed => "agreed",
            Firmness::Pledged => "pledged",
            Firmness::Announced => "announced",
            Firmness::Proposed => "proposed",
            Firmness::Requested => "requested",
        }
    }

    /// Reads the word used in files.
    pub fn parse(s: &str) -> Option<Firmness> {
        [
            Firmness::Agreed,
            Firmness::Pledged,
            Firmness::Announced,
            Firmness::Proposed,
            Firmness::Requested,
        ]
        .into_iter()
        .find(|w| w.as_str() == s)
    }

    /// Whether it binds: agreed or pledged.
    pub fn is_firm(self) -> bool {
        matches!(self, Firmness::Agreed | Firmness::Pledged)
    }
}

/// An amount with its unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// The value.
    pub value: f64,
    /// The unit, free text (`"USD bn"`, `"GBP bn"`, `"countries"`).
    pub unit: String,
    /// Whether the source gives it as approximate ("about").
    pub approx: bool,
    /// Over what period ("10 years"), if said.
    pub period: Option<String>,
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.approx {
            f.write_str("about ")?;
        }
        write!(f, "{} {}", format_value(self.value), self.unit)?;
        if let Some(p) = &self.period {
            write!(f, " over {p}")?;
        }
        Ok(())
    }
}

/// A layer of the guarantee structure (first line of defence, a European-led force, a US
/// backstop).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    /// Its id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its place, 1 being the first line.
    pub order: Option<u32>,
}

/// An event that activates guarantees ("Russia violates the agreement").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// Its id.
    pub id: String,
    /// The event.
    pub name: String,
}

/// A passage that supports a commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The source's id.
    pub source: String,
    /// The verbatim passage.
    pub quote: String,
}

/// A pledge or a guarantee.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// Its id.
    pub id: String,
    /// Pledge or guarantee.
    pub kind: Kind,
    /// Who commits (party ids).
    pub by: Vec<String>,
    /// Who commits, when the sources do not name them as parties ("international partners").
    pub by_unnamed: Option<String>,
    /// To whom (party ids).
    pub to: Vec<String>,
    /// What is committed.
    pub what: What,
    /// What exactly, in one line.
    pub description: String,
    /// How much.
    pub amount: Option<Amount>,
    /// The layer it backs (index in [`Ledger::layers`]).
    pub layer: Option<usize>,
    /// The condition it depends on.
    pub condition: Option<String>,
    /// The trigger that activates it (index in [`Ledger::triggers`]).
    pub trigger: Option<usize>,
    /// How far it has gone.
    pub firmness: Firmness,
    /// The claim of the register it rests on, by id.
    pub claim: Option<String>,
    /// Its citations.
    pub citations: Vec<Citation>,
}

impl Commitment {
    /// Whether it binds someone named: agreed or pledged, with a pledger.
    pub fn is_firm(&self) -> bool {
        self.firmness.is_firm() && (!self.by.is_empty() || self.by_unnamed.is_some())
    }

    /// Who commits, for display.
    pub fn pledger(&self) -> String {
        match (self.by.is_empty(), &self.by_unnamed) {
            (false, Some(u)) => format!("{} and {u}", self.by.join(", ")),
            (false, None) => self.by.join(", "),
            (true, Some(u)) => u.clone(),
            (true, None) => "nobody named".into(),
        }
    }
}

/// Layers, triggers and commitments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ledger {
    /// The layers of the guarantee.
    pub layers: Vec<Layer>,
    /// The triggers.
    pub triggers: Vec<Trigger>,
    /// The pledges and guarantees.
    pub commitments: Vec<Commitment>,
}

/// A sum of firm amounts in one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    /// The unit.
    pub unit: String,
    /// The sum of firm commitments' amounts.
    pub value: f64,
    /// Whether an approximate amount went into it.
    pub approx: bool,
}

/// What stands behind one layer.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerReview {
    /// Index in [`Ledger::layers`].
    pub layer: usize,
    /// Firm commitments without condition.
    pub firm: Vec<usize>,
    /// Firm commitments with a condition.
    pub conditional: Vec<usize>,
    /// Announced, proposed or requested commitments.
    pub not_firm: Vec<usize>,
    /// Sums of the firm amounts, by unit.
    pub totals: Vec<Total>,
}

/// What stands behind one trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerReview {
    /// Index in [`Ledger::triggers`].
    pub trigger: usize,
    /// Firm commitments it activates.
    pub firm: Vec<usize>,
    /// Commitments it activates that are not firm.
    pub not_firm: Vec<usize>,
}

/// The answers of [`review`].
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// Per layer, in layer order.
    pub layers: Vec<LayerReview>,
    /// Commitments on no layer.
    pub unlayered: Vec<usize>,
    /// Conditions and the commitments that depend on each, in order of first appearance.
    pub conditions: Vec<(String, Vec<usize>)>,
    /// Per trigger.
    pub triggers: Vec<TriggerReview>,
    /// Triggers with no firm commitment behind them.
    pub uncovered: Vec<usize>,
    /// Layers with no firm commitment behind them.
    pub bare_layers: Vec<usize>,
}

/// Answers the ledger's three questions.
pub fn review(ledger: &Ledger) -> Review {
    let mut order: Vec<usize> = (0..ledger.layers.len()).collect();
    order.sort_by_key(|&l| (ledger.layers[l].order.unwrap_or(u32::MAX), l));
    let layers: Vec<LayerReview> = order
        .into_iter()
        .map(|l| {
            let on: Vec<usize> = (0..ledger.commitments.len())
                .filter(|&c| ledger.commitments[c].layer == Some(l))
                .collect();
            let firm_all: Vec<usize> = on
                .iter()
                .copied()
                .filter(|&c| ledger.commitments[c].is_firm())
                .collect();
            let mut totals: BTreeMap<String, (f64, bool)> = BTreeMap::new();
            for &c in &firm_all {
                if let Some(a) = &ledger.commitments[c].amount {
                    let t = totals.entry(a.unit.clone()).or_insert((0.0, false));
                    t.0 += a.value;
                    t.1 |= a.approx;
                }
            }
            LayerReview {
                layer: l,
                firm: firm_all
                    .iter()
                    .copied()
                    .filter(|&c| ledger.commitments[c].condition.is_none())
                    .collect(),
                conditional: firm_all
                    .iter()
                    .copied()
                    .filter(|&c| ledger.commitments[c].condition.is_some())
                    .collect(),
                not_firm: on
                    .iter()
                    .copied()
                    .filter(|&c| !ledger.commitments[c].is_firm())
                    .collect(),
                totals: totals
                    .into_iter()
                    .map(|(unit, (value, approx))| Total {
                        unit,
                        value,
                        approx,
                    })
                    .collect(),
            }
        })
        .collect();
    let unlayered = (0..ledger.commitments.len())
        .filter(|&c| ledger.commitments[c].layer.is_none())
        .collect();
    let mut conditions: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, c) in ledger.commitments.iter().enumerate() {
        if let Some(cond) = &c.condition {
            match conditions.iter_mut().find(|(x, _)| x == cond) {
                Some((_, v)) => v.push(k),
                None => conditions.push((cond.clone(), vec![k])),
            }
        }
    }
    let triggers: Vec<TriggerReview> = (0..ledger.triggers.len())
        .map(|t| {
            let on: Vec<usize> = (0..ledger.commitments.len())
                .filter(|&c| ledger.commitments[c].trigger == Some(t))
                .collect();
            TriggerReview {
                trigger: t,
                firm: on
                    .iter()
                    .copied()
                    .filter(|&c| ledger.commitments[c].is_firm())
                    .collect(),
                not_firm: on
                    .iter()
                    .copied()
                    .filter(|&c| !ledger.commitments[c].is_firm())
                    .collect(),
            }
        })
        .collect();
    let uncovered = triggers
        .iter()
        .filter(|t| t.firm.is_empty())
        .map(|t| t.trigger)
        .collect();
    let bare_layers = layers
        .iter()
        .filter(|l| l.firm.is_empty() && l.conditional.is_empty())
        .map(|l| l.layer)
        .collect();
    Review {
        layers,
        unlayered,
        conditions,
        triggers,
        uncovered,
        bare_layers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commitment(
        id: &str,
        layer: Option<usize>,
        trigger: Option<usize>,
        firmness: Firmness,
        condition: Option<&str>,
        amount: Option<f64>,
    ) -> Commitment {
        Commitment {
            id: id.into(),
            kind: Kind::Pledge,
            by: vec!["coalition".into()],
            by_unnamed: None,
            to: vec!["ukraine".into()],
            what: What::Money,
            description: id.into(),
            amount: amount.map(|value| Amount {
                value,
                unit: "USD bn".into(),
                approx: true,
                period: None,
            }),
            layer,
            condition: condition.map(str::to_string),
            trigger,
            firmness,
            claim: None,
            citations: vec![],
        }
    }

    #[test]
    fn layers_conditions_and_uncovered_triggers() {
        let ledger = Ledger {
            layers: vec![
                Layer {
                    id: "backstop".into(),
                    name: "US backstop".into(),
                    order: Some(3),
                },
                Layer {
                    id: "first".into(),
                    name: "Ukrainian forces".into(),
                    order: Some(1),
                },
            ],
            triggers: vec![
                Trigger {
                    id: "violation".into(),
                    name: "Russia violates the agreement".into(),
                },
                Trigger {
                    id: "attack".into(),
                    name: "a new attack".into(),
                },
            ],
            commitments: vec![
                commitment("a", Some(1), None, Firmness::Agreed, None, Some(800.0)),
                commitment(
                    "b",
                    Some(1),
                    None,
                    Firmness::Pledged,
                    Some("a deal is signed"),
                    Some(200.0),
                ),
                commitment("c", Some(0), Some(0), Firmness::Proposed, None, None),
                commitment(
                    "d",
                    None,
                    Some(1),
                    Firmness::Pledged,
                    Some("a deal is signed"),
                    None,
                ),
            ],
        };
        let r = review(&ledger);
        assert_eq!(r.layers[0].layer, 1, "layers in order");
        assert_eq!(
            (r.layers[0].firm.clone(), r.layers[0].conditional.clone()),
            (vec![0], vec![1])
        );
        assert_eq!(r.layers[0].totals[0].value, 1000.0);
        assert_eq!(r.layers[1].not_firm, [2]);
        assert_eq!(r.bare_layers, [0]);
        assert_eq!(r.conditions, [("a deal is signed".to_string(), vec![1, 3])]);
        assert_eq!(r.uncovered, [0]);
        assert_eq!(r.unlayered, [3]);
    }
}

//! The negotiation model: parties, issues, preferences, red lines, the framework document and
//! the sources that back every position.
//!
//! Everything refers to everything else by index (`PartyIx`, `IssueIx`, `OptionIx`), never by
//! name: names are resolved once, by whoever builds the [`Scenario`] (the format crate), so that
//! the algorithms never look a string up.

/// Index of a party in [`Scenario::parties`].
pub type PartyIx = usize;
/// Index of an issue in [`Scenario::issues`].
pub type IssueIx = usize;
/// Index of an option within its issue's [`Issue::options`].
pub type OptionIx = usize;
/// Index of a source in [`Scenario::sources`].
pub type SourceIx = usize;
/// Index of a red line in [`Scenario::red_lines`].
pub type RedLineIx = usize;
/// Index of a claim in [`Scenario::claims`].
pub type ClaimIx = usize;

/// A whole negotiation as written down by an analyst.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short name.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Free text.
    pub description: String,
    /// The documents that citations quote.
    pub sources: Vec<Source>,
    /// Everyone at or around the table.
    pub parties: Vec<Party>,
    /// What is being negotiated.
    pub issues: Vec<Issue>,
    /// Preferences by party index; `None` for a party that states none.
    pub preferences: Vec<Option<Preferences>>,
    /// Hard constraints, each of one party.
    pub red_lines: Vec<RedLine>,
    /// The draft agreement's numbered points.
    pub framework: Framework,
    /// The claims register: claims that positions may rest on.
    pub claims: Vec<Claim>,
}

/// A document that citations quote.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Source {
    /// How citations name it.
    pub id: String,
    /// File name of its text, relative to a sources folder chosen by the user.
    pub file: String,
    /// Headline, if given.
    pub title: Option<String>,
    /// Publisher, if given.
    pub outlet: Option<String>,
    /// Publication date as written, if given.
    pub published: Option<String>,
    /// Language of the text (e.g. `"en"`), if given.
    pub language: Option<String>,
    /// Whether the text is a translation (possibly machine-made) of another.
    pub translated: bool,
    /// Whether the report adds colour, people or detail that no other account of the same events
    /// has (a feature written around a wire story): what it alone supplies is weaker evidence.
    pub embellished: bool,
    /// The analyst's note on the report's reliability, shown in source tables.
    pub caveat: Option<String>,
    /// News agencies the source relays (e.g. `"AFP"`): two sources relaying the same agency are
    /// not independent corroboration.
    pub agencies: Vec<String>,
}

/// A passage of a source that supports a position.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// Which source.
    pub source: SourceIx,
    /// The verbatim passage.
    pub quote: String,
    /// Who says it in the source, when not the party itself.
    pub speaker: Option<String>,
}

/// A claim of the scenario's register, as positions see it: who asserts it, who denies or
/// disputes it, and the passages that carry it. (The register's dates and figures are the
/// evidence crate's concern.)
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Its id, unique among claims.
    pub id: String,
    /// What is asserted, in one line.
    pub text: String,
    /// The parties that assert it.
    pub by: Vec<PartyIx>,
    /// The parties that deny it.
    pub denied_by: Vec<PartyIx>,
    /// The parties that dispute it.
    pub disputed_by: Vec<PartyIx>,
    /// Whether a source says it could not be verified.
    pub unverifiable: bool,
    /// The passage of each source that carries it.
    pub citations: Vec<Citation>,
}

impl Claim {
    /// Whether `party` asserts the claim: the register lists it in `by`, and it neither denies
    /// nor disputes it.
    pub fn asserted_by(&self, party: PartyIx) -> bool {
        self.by.contains(&party) && !self.contested_by(party)
    }

    /// Whether `party` denies or disputes the claim.
    pub fn contested_by(&self, party: PartyIx) -> bool {
        self.denied_by.contains(&party) || self.disputed_by.contains(&party)
    }

    /// Whether anyone denies or disputes the claim.
    pub fn contested(&self) -> bool {
        !self.denied_by.is_empty() || !self.disputed_by.is_empty()
    }

    /// The basis of a position of `party` that rests on this claim: `stated` when the party
    /// itself asserts it, `reported` otherwise (the claim is someone else's account, or the
    /// position supports no party).
    pub fn basis_for(&self, party: Option<PartyIx>) -> Basis {
        match party {
            Some(p) if self.asserted_by(p) => Basis::Stated,
            _ => Basis::Reported,
        }
    }
}

/// On what a position rests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The party's own words or acts, cited.
    Stated,
    /// Attributed to the party only by a third party (a senator, an anonymous adviser).
    Reported,
    /// An analyst's assumption.
    Assumed,
}

impl Basis {
    /// The word used in scenario files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Stated => "stated",
            Basis::Reported => "reported",
            Basis::Assumed => "assumed",
        }
    }
}

/// The basis of a position, its citations and the claims it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// Stated, reported or assumed.
    pub basis: Basis,
    /// The passages that support it.
    pub citations: Vec<Citation>,
    /// The claims of [`Scenario::claims`] it rests on.
    pub claims: Vec<ClaimIx>,
}

impl Default for Provenance {
    fn default() -> Self {
        Provenance {
            basis: Basis::Assumed,
            citations: Vec::new(),
            claims: Vec::new(),
        }
    }
}

/// What a party is at the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A side whose consent an agreement needs.
    Party,
    /// A broker of the talks.
    Mediator,
    /// A state or body that guarantees the outcome.
    Guarantor,
    /// Present, without a say.
    Observer,
}

impl Role {
    /// The word used in scenario files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Party => "party",
            Role::Mediator => "mediator",
            Role::Guarantor => "guarantor",
            Role::Observer => "observer",
        }
    }

    /// Whether an agreement needs consent of this role when the scenario does not say.
    pub fn consent_by_default(self) -> bool {
        self == Role::Party
    }
}

/// One participant.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// Short name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role at the table.
    pub role: Role,
    /// Whether an agreement needs this party's consent.
    pub consent: bool,
    /// Other names the sources use.
    pub aliases: Vec<String>,
    /// Where the party's participation is attested.
    pub provenance: Provenance,
}

/// A numeric issue's range, discretised into options `min, min + step, …, max`.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericDomain {
    /// Lowest value.
    pub min: f64,
    /// Highest value.
    pub max: f64,
    /// Distance between neighbouring options.
    pub step: f64,
    /// Unit, for display.
    pub unit: String,
}

impl NumericDomain {
    /// [`NumericDomain::values`] in decimal arithmetic when min, max and step are short decimals
    /// ([`crate::exact::decimal`]): each value is the nearest `f64` to `min + k × step` as
    /// written, so that a bound or an option written as a decimal matches it exactly. `None` when
    /// the numbers are not short decimals; `Some(None)` when the domain is invalid.
    fn decimal_values(&self, max_count: usize) -> Option<Option<Vec<f64>>> {
        use crate::exact::decimal;
        let (min, max, step) = (decimal(self.min)?, decimal(self.max)?, decimal(self.step)?);
        let d = min.1.max(max.1).max(step.1);
        let at = |(n, e): (i128, u32)| n * 10i128.pow(d - e);
        let (min, max, step) = (at(min), at(max), at(step));
        if step <= 0 || max <= min || (max - min) % step != 0 {
            return Some(None);
        }
        let n = (max - min) / step;
        if n + 1 > max_count as i128 || max.abs() >= 1 << 53 || min.abs() >= 1 << 53 {
            return Some(None);
        }
        let unit = 10f64.powi(d as i32);
        Some(Some(
            (0..=n).map(|k| (min + k * step) as f64 / unit).collect(),
        ))
    }

    /// The discretised values, or `None` when `(max - min) / step` is not a whole number in
    /// `1..=max_count`. Computed in decimal when the numbers are short decimals.
    pub fn values(&self, max_count: usize) -> Option<Vec<f64>> {
        // Written so that NaN fails too.
        if self.step.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)
            || self.max.partial_cmp(&self.min) != Some(std::cmp::Ordering::Greater)
        {
            return None;
        }
        if let Some(values) = self.decimal_values(max_count) {
            return values;
        }
        let intervals = (self.max - self.min) / self.step;
        let rounded = intervals.round();
        if (intervals - rounded).abs() > 1e-9 * intervals.max(1.0)
            || rounded + 1.0 > max_count as f64
        {
            return None;
        }
        let n = rounded as usize;
        // Computed from the index, not by repeated addition, so that the last value is `max`.
        Some(
            (0..=n)
                .map(|k| {
                    if k == n {
                        self.max
                    } else {
                        self.min + k as f64 * self.step
                    }
                })
                .collect(),
        )
    }
}

/// One choice for an issue.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueOption {
    /// Short name, unique within the issue.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The number this option stands for, on a numeric issue.
    pub value: Option<f64>,
}

/// Something to be settled, with its options.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Short name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether the options form a scale.
    pub ordered: bool,
    /// The options; at least one.
    pub options: Vec<IssueOption>,
    /// Present on a numeric issue: the range its options discretise.
    pub numeric: Option<NumericDomain>,
}

/// A number the analyst assumed, with the range it may plausibly take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assumed {
    /// The central value used by the analysis.
    pub value: f64,
    /// Low and high end, for sensitivity analysis; `None` when the value is taken as given.
    pub range: Option<(f64, f64)>,
}

impl Assumed {
    /// A value with no range.
    pub fn exact(value: f64) -> Self {
        Assumed { value, range: None }
    }
}

/// How a party values the options of one issue.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueFunction {
    /// A value in [0, 1] for each option, by option index.
    Table(Vec<Assumed>),
    /// For a numeric issue: `(x, value)` breakpoints, `x` strictly increasing; linear between
    /// breakpoints and flat outside them.
    PiecewiseLinear(Vec<(f64, f64)>),
}

impl ValueFunction {
    /// The value of option `option` of `issue`, taking each assumed number at `pick`.
    pub fn value(&self, issue: &Issue, option: OptionIx, pick: impl Fn(&Assumed) -> f64) -> f64 {
        match self {
            ValueFunction::Table(values) => pick(&values[option]),
            ValueFunction::PiecewiseLinear(points) => {
                let x = issue.options[option].value.unwrap_or(0.0);
                piecewise_linear(points, x)
            }
        }
    }
}

/// Evaluates a piecewise-linear function given by breakpoints with strictly increasing `x`.
pub fn piecewise_linear(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(&(x0, y0)) = points.first() else {
        return 0.0;
    };
    if x <= x0 {
        return y0;
    }
    for pair in points.windows(2) {
        let ((xa, ya), (xb, yb)) = (pair[0], pair[1]);
        if x <= xb {
            let (num, den) = (x - xa, xb - xa);
            if num.is_finite() && den.is_finite() {
                return ya + (yb - ya) * num / den;
            }
            // Breakpoints far apart (-1e308 and 1e308) overflow the differences, and infinity
            // over infinity is NaN; halved, they do not overflow, and the ratio is the same.
            return ya + (yb - ya) * ((x / 2.0 - xa / 2.0) / (xb / 2.0 - xa / 2.0));
        }
    }
    points[points.len() - 1].1
}

/// A party's preferences over one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuePreference {
    /// The issue's weight in the party's utility.
    pub weight: Assumed,
    /// The value of each option.
    pub values: ValueFunction,
    /// Where this preference comes from.
    pub provenance: Provenance,
}

/// A party's additive utility function and its walk-away point.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    /// The utility of no agreement (the party's BATNA).
    pub reservation: Assumed,
    /// Where the reservation value comes from.
    pub provenance: Provenance,
    /// One entry per issue, by issue index.
    pub issues: Vec<IssuePreference>,
    /// Discount factor per round of a negotiation, if any (Genius `discount_factor`); the
    /// analyses here do not use it.
    pub discount: Option<f64>,
}

/// A set of options of one issue, as a membership vector indexed by option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionSet(pub Vec<bool>);

impl OptionSet {
    /// The set of the listed options of an issue with `len` options.
    pub fn from_indices(len: usize, indices: &[OptionIx]) -> Self {
        let mut set = vec![false; len];
        for &i in indices {
            set[i] = true;
        }
        OptionSet(set)
    }

    /// Whether the set holds `option`.
    pub fn contains(&self, option: OptionIx) -> bool {
        self.0[option]
    }

    /// The options in the set, in order.
    pub fn indices(&self) -> Vec<OptionIx> {
        (0..self.0.len()).filter(|&i| self.0[i]).collect()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        !self.0.iter().any(|&b| b)
    }

    /// The options not in the set.
    pub fn complement(&self) -> OptionSet {
        OptionSet(self.0.iter().map(|&b| !b).collect())
    }
}

/// "Issue must be one of these options", the form every simple red line reduces to.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueRestriction {
    /// The issue restricted.
    pub issue: IssueIx,
    /// The options it may take.
    pub allowed: OptionSet,
    /// How the file phrased it, for display.
    pub phrasing: Phrasing,
}

/// How a restriction was phrased by its author; the meaning is always [`IssueRestriction::allowed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrasing {
    /// "must not be …"
    MustNotBe,
    /// "must be one of …"
    MustBeOneOf,
    /// "at least …" on a numeric issue.
    AtLeast,
    /// "at most …" on a numeric issue.
    AtMost,
}

/// What a red line demands.
#[derive(Debug, Clone, PartialEq)]
pub enum RedLineRule {
    /// The issue must take one of the allowed options.
    Simple(IssueRestriction),
    /// When `if_issue` is one of `if_options`, `then` must hold.
    Conditional {
        /// The issue of the condition.
        if_issue: IssueIx,
        /// The options that trigger it.
        if_options: OptionSet,
        /// What must then hold.
        then: IssueRestriction,
    },
}

impl RedLineRule {
    /// Whether a package (one option per issue) satisfies the rule.
    pub fn allows(&self, package: &[OptionIx]) -> bool {
        match self {
            RedLineRule::Simple(r) => r.allowed.contains(package[r.issue]),
            RedLineRule::Conditional {
                if_issue,
                if_options,
                then,
            } => {
                !if_options.contains(package[*if_issue])
                    || then.allowed.contains(package[then.issue])
            }
        }
    }

    /// The issues the rule mentions.
    pub fn issues(&self) -> Vec<IssueIx> {
        match self {
            RedLineRule::Simple(r) => vec![r.issue],
            RedLineRule::Conditional { if_issue, then, .. } => {
                if *if_issue == then.issue {
                    vec![*if_issue]
                } else {
                    vec![*if_issue, then.issue]
                }
            }
        }
    }
}

/// A hard constraint of one party.
#[derive(Debug, Clone, PartialEq)]
pub struct RedLine {
    /// Short name.
    pub id: String,
    /// Whose red line it is.
    pub party: PartyIx,
    /// What it demands.
    pub rule: RedLineRule,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// A party's position on a framework point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stance {
    /// Agrees to the point.
    Accepts,
    /// Refuses it.
    Rejects,
    /// Holds back, with reservations.
    Reserves,
    /// Has said nothing known.
    NotStated,
}

impl Stance {
    /// Every stance, in the order files and messages list them.
    pub const ALL: [Stance; 4] = [
        Stance::Accepts,
        Stance::Rejects,
        Stance::Reserves,
        Stance::NotStated,
    ];

    /// What a stance may be, for messages.
    pub const EXPECTED: &'static str =
        "one of \"accepts\", \"rejects\", \"reserves\", \"not-stated\"";

    /// The stance a word names ([`Stance::as_str`]'s inverse).
    pub fn parse(word: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// The word used in scenario files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Accepts => "accepts",
            Stance::Rejects => "rejects",
            Stance::Reserves => "reserves",
            Stance::NotStated => "not-stated",
        }
    }
}

/// A party's stance on a point, with its basis.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyStance {
    /// Accepts, rejects, reserves or not stated.
    pub stance: Stance,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// A numbered point of the draft agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkPoint {
    /// The point's number in the draft.
    pub number: u32,
    /// Its title.
    pub title: String,
    /// A summary of its text.
    pub summary: String,
    /// The issues it settles.
    pub issues: Vec<IssueIx>,
    /// Each party's stance, by party index.
    pub stances: Vec<PartyStance>,
    /// Where the point's text comes from.
    pub provenance: Provenance,
    /// The options the point proposes for the issues it settles, when its text says.
    pub proposes: Vec<Term>,
}

/// One term of a proposal: the options it admits on one issue (one option settles the issue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The issue.
    pub issue: IssueIx,
    /// The options admitted, ascending and without repeats; never empty.
    pub options: Vec<OptionIx>,
}

/// A package on the table, possibly partial: a draft, a party's position, a mediator's text.
/// Issues it has no term for are open.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Short name, unique among proposals.
    pub id: String,
    /// One line.
    pub title: String,
    /// Who tabled it.
    pub by: Vec<PartyIx>,
    /// When it was tabled, as written.
    pub date: Option<String>,
    /// Free text.
    pub note: String,
    /// Its terms, at most one per issue, by ascending issue.
    pub terms: Vec<Term>,
    /// Where it comes from.
    pub provenance: Provenance,
}

impl Proposal {
    /// The options the proposal admits on each issue (every option of an open issue).
    pub fn allowed(&self, counts: &[usize]) -> Vec<OptionSet> {
        let mut allowed: Vec<OptionSet> =
            counts.iter().map(|&n| OptionSet(vec![true; n])).collect();
        for t in &self.terms {
            if let Some(set) = allowed.get_mut(t.issue) {
                let n = set.0.len();
                *set = OptionSet::from_indices(n, &t.options);
            }
        }
        allowed
    }

    /// The package, when the proposal settles every issue with one option.
    pub fn package(&self, counts: &[usize]) -> Option<Vec<OptionIx>> {
        self.allowed(counts)
            .iter()
            .map(|set| match set.indices().as_slice() {
                [o] => Some(*o),
                _ => None,
            })
            .collect()
    }
}

/// The draft agreement, and the other proposals tabled beside it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Framework {
    /// Its title, such as "20-point plan".
    pub title: String,
    /// Its points in file order.
    pub points: Vec<FrameworkPoint>,
    /// Packages tabled on their own (`[[proposals]]`), in file order.
    pub proposals: Vec<Proposal>,
}

impl Framework {
    /// The draft as one proposal: the terms its points propose, intersected issue by issue when
    /// two points settle the same issue. `None` when no point proposes anything.
    pub fn draft(&self) -> Option<Proposal> {
        let mut terms: Vec<Term> = Vec::new();
        for point in &self.points {
            for t in &point.proposes {
                match terms.iter_mut().find(|u| u.issue == t.issue) {
                    Some(u) => u.options.retain(|o| t.options.contains(o)),
                    None => terms.push(t.clone()),
                }
            }
        }
        if terms.is_empty() {
            return None;
        }
        terms.sort_by_key(|t| t.issue);
        Some(Proposal {
            id: DRAFT_ID.to_string(),
            title: if self.title.is_empty() {
                "the framework draft".to_string()
            } else {
                self.title.clone()
            },
            by: Vec::new(),
            date: None,
            note: String::new(),
            terms,
            provenance: Provenance::default(),
        })
    }
}

/// The name by which commands refer to the framework draft as a proposal.
pub const DRAFT_ID: &str = "framework";

impl Scenario {
    /// The parties whose consent an agreement needs, in index order.
    pub fn consenting(&self) -> Vec<PartyIx> {
        (0..self.parties.len())
            .filter(|&p| self.parties[p].consent)
            .collect()
    }

    /// The number of options of each issue.
    pub fn option_counts(&self) -> Vec<usize> {
        self.issues.iter().map(|i| i.options.len()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piecewise_linear_interpolates_and_is_flat_outside() {
        let f = [(20.0, 0.0), (60.0, 0.8), (80.0, 1.0)];
        assert_eq!(piecewise_linear(&f, 10.0), 0.0);
        assert!((piecewise_linear(&f, 40.0) - 0.4).abs() < 1e-12);
        assert!((piecewise_linear(&f, 70.0) - 0.9).abs() < 1e-12);
        assert_eq!(piecewise_linear(&f, 99.0), 1.0);
        // Issue 16: breakpoints whose differences overflow gave NaN.
        let wide = [(-1e308, 0.0), (1e308, 1.0)];
        assert_eq!(piecewise_linear(&wide, 0.0), 0.5);
        assert_eq!(piecewise_linear(&wide, 1e308), 1.0);
    }

    #[test]
    fn numeric_domains_end_exactly_at_max() {
        let d = NumericDomain {
            min: 0.0,
            max: 1.0,
            step: 0.1,
            unit: String::new(),
        };
        let values = d.values(100).unwrap();
        assert_eq!(values.len(), 11);
        assert_eq!(values[10], 1.0);
        let uneven = NumericDomain {
            min: 0.0,
            max: 1.0,
            step: 0.3,
            unit: String::new(),
        };
        assert_eq!(uneven.values(100), None);
        assert_eq!(
            NumericDomain {
                min: 0.0,
                max: 10.0,
                step: 1.0,
                unit: String::new()
            }
            .values(5),
            None
        );
    }
}

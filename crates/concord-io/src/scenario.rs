//! Reading a scenario TOML file into a [`Scenario`], reporting every problem with its location.
//!
//! The file format is documented in `docs/scenario-format.md`; this module is its only reader.

use std::collections::{HashMap, HashSet};

use concord_core::analysis::self_contradictory_parties;
use concord_core::model::*;
use concord_evidence::register::RegisteredClaim;
use toml_edit::{Item, TableLike, Value};

use crate::cite::{read_cite, read_source_into, register, CiteRefs, ClaimRegister};
use crate::located::{
    describe_value, item_span, join, number, number_value, one_of, tables, valid_id, Cx,
    Diagnostics, Fields, Span, ID_RULE,
};
use crate::FormatError;

pub use crate::cite::MAX_QUOTE_WORDS;

/// The most options a numeric issue may be discretised into.
pub const MAX_NUMERIC_OPTIONS: usize = 10_000;
/// How far a party's weights may sum from 1.
pub const WEIGHT_TOLERANCE: f64 = 1e-6;

/// Options for reading a scenario.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Divide each party's weights by their sum instead of refusing weights that do not sum to 1.
    pub normalize_weights: bool,
}

/// A scenario and where its citations sit in the file.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// Line and column of each citation and claim reference, by its field path
    /// (`red_lines[2].cite[0]`, `red_lines[2].claims[0]`, `claims[3].cite[1]`).
    pub citation_sites: HashMap<String, (usize, usize)>,
    /// The claims register in full (dates, figures, relays), for the evidence reports;
    /// [`Scenario::claims`] holds what positions need of it.
    pub register: Vec<RegisteredClaim>,
}

/// Reads a scenario from TOML text. `file` names the file in messages.
pub fn read_scenario(
    text: &str,
    file: &str,
    options: &ReadOptions,
) -> Result<LoadedScenario, FormatError> {
    let doc = crate::located::parse_document(text, file)?;
    read_scenario_doc(text, doc.as_table(), file, options)
}

/// [`read_scenario`] of a document already parsed from `text` (the whole-file reader parses a
/// file once for every reader).
pub(crate) fn read_scenario_doc(
    text: &str,
    root: &toml_edit::Table,
    file: &str,
    options: &ReadOptions,
) -> Result<LoadedScenario, FormatError> {
    let mut reader = Reader {
        cx: Cx::new(text),
        sources: Vec::new(),
        source_ids: HashMap::new(),
        parties: Vec::new(),
        party_ids: HashMap::new(),
        party_spans: Vec::new(),
        issues: Vec::new(),
        issue_ids: HashMap::new(),
        sites: HashMap::new(),
        declared: Declared::default(),
        claim_ids: HashMap::new(),
        claims: Vec::new(),
        register: Vec::new(),
        sequence_file: false,
    };
    let scenario = reader.document(root, options);
    if !reader.cx.diagnostics.is_empty() {
        return Err(FormatError::Invalid(Diagnostics {
            file: file.to_string(),
            items: reader.cx.diagnostics,
        }));
    }
    let scenario = scenario.expect("a scenario is built whenever no problem was recorded");
    Ok(LoadedScenario {
        scenario,
        citation_sites: reader.sites,
        register: reader.register,
    })
}

pub(crate) struct Reader<'t> {
    cx: Cx<'t>,
    sources: Vec<Source>,
    source_ids: HashMap<String, SourceIx>,
    parties: Vec<Party>,
    party_ids: HashMap<String, PartyIx>,
    party_spans: Vec<Span>,
    issues: Vec<Issue>,
    issue_ids: HashMap<String, IssueIx>,
    sites: HashMap<String, (usize, usize)>,
    /// Ids written in the file, including those of entries that failed to read: a reference to
    /// one of them is not reported again, since the entry's own problem already is.
    declared: Declared,
    claim_ids: HashMap<String, ClaimIx>,
    claims: Vec<Claim>,
    register: Vec<RegisteredClaim>,
    /// Whether the file is a sequence file (`[about]`, no `[scenario]`).
    sequence_file: bool,
}

#[derive(Default)]
struct Declared {
    sources: HashSet<String>,
    parties: HashSet<String>,
    issues: HashSet<String>,
    claims: HashSet<String>,
}

/// What a position's citations may name: the sources and the claims register read so far.
macro_rules! refs {
    ($reader:expr) => {
        CiteRefs {
            sources: &$reader.source_ids,
            declared_sources: &$reader.declared.sources,
            claims: Some(ClaimRegister {
                ids: &$reader.claim_ids,
                declared: &$reader.declared.claims,
                claims: &$reader.claims,
            }),
        }
    };
}

const RED_LINE_KEYS: &[&str] = &[
    "id",
    "party",
    "issue",
    "must_not_be",
    "must_be_one_of",
    "at_least",
    "at_most",
    "if",
    "then",
    "note",
    "cite",
    "claims",
    "basis",
];

const TOP: &[&str] = &[
    "scenario",
    // A sequence file's header (docs/sequencing.md): read in place of `[scenario]` when that is
    // absent, so that every command reads a sequence file the same way.
    "about",
    "sources",
    "parties",
    "issues",
    "preferences",
    "red_lines",
    "framework",
    "proposals",
    // `claims` is read here with the evidence module's claim reader, so that positions can
    // rest on claims; the others by their own readers: sequencing (`sequence` module) and the
    // commitments ledger (`evidence` module).
    "steps",
    "demands",
    "versions",
    "claims",
    "commitments",
];

/// The top-level keys of a sequence file (`[about]` and no `[scenario]`): no scenario tables.
const SEQUENCE_TOP: &[&str] = &[
    "about",
    "sources",
    "parties",
    "steps",
    "demands",
    "versions",
    "claims",
    "commitments",
];

impl<'t> Reader<'t> {
    fn document(&mut self, root: &toml_edit::Table, options: &ReadOptions) -> Option<Scenario> {
        // A sequence file (`[about]` and no `[scenario]`) has no issues or preferences to
        // analyse; its parties, sources and citations are read all the same.
        let present = |key: &str| root.get(key).is_some_and(|i| !i.is_none());
        let sequence_file = !present("scenario") && present("about");
        let top = if sequence_file { SEQUENCE_TOP } else { TOP };
        let mut f = Fields::new(&mut self.cx, root, Some(0..0), String::new(), top);
        self.sequence_file = sequence_file;
        let header = if sequence_file { "about" } else { "scenario" };
        let meta = f.opt_table(header);
        if meta.is_none() && f.item(header).is_none() {
            f.missing(
                "scenario",
                "a [scenario] table with `id` and `title` (or, for a sequence file, an [about] table)",
            );
        }
        let sources = tables(&mut f, "sources");
        let parties = tables(&mut f, "parties");
        let issues = tables(&mut f, "issues");
        let red_lines = tables(&mut f, "red_lines");
        let claims = tables(&mut f, "claims");
        let preferences = f.opt_table("preferences");
        let framework = f.opt_table("framework");
        let proposals = tables(&mut f, "proposals");
        if parties.is_empty() && !sequence_file {
            f.missing("parties", "at least one [[parties]] table");
        }
        if issues.is_empty() && !sequence_file {
            f.missing("issues", "at least one [[issues]] table");
        }

        let declared_ids =
            |list: &[(&dyn TableLike, Span, String)]| -> std::collections::HashSet<String> {
                list.iter()
                    .filter_map(|(t, _, _)| {
                        t.get("id").and_then(|i| i.as_str()).map(str::to_string)
                    })
                    .collect()
            };
        self.declared = Declared {
            sources: declared_ids(&sources),
            parties: declared_ids(&parties),
            issues: declared_ids(&issues),
            claims: declared_ids(&claims),
        };
        let (id, title, description) = match meta {
            Some((t, span)) => {
                let mut m = Fields::new(
                    &mut self.cx,
                    t,
                    span,
                    header.into(),
                    &["id", "title", "description", "as_of"],
                );
                let id = m.req_id("id").map(|(s, _)| s);
                let title = m.req_str("title");
                let description = m.opt_str("description").unwrap_or_default();
                m.opt_str("as_of");
                (id, title, description)
            }
            None => (None, None, String::new()),
        };

        for (t, span, path) in sources {
            self.source(t, span, path);
        }
        // A party's own citations may rest on claims, and claims name parties: parties first,
        // then the claims register, then the parties' provenance.
        let mut party_provenance = Vec::new();
        for (t, span, path) in parties {
            party_provenance.push((t, span.clone(), path.clone(), self.party(t, span, path)));
        }
        self.claims_register(root, claims);
        for (t, span, path, party) in party_provenance {
            let mut f = Fields::resume(&mut self.cx, t, span, path);
            let provenance = Self::provenance(&mut f, &refs!(self), &mut self.sites, party);
            if let Some(p) = party {
                self.parties[p].provenance = provenance;
            }
        }
        for (t, span, path) in issues {
            self.issue(t, span, path);
        }
        let mut prefs: Vec<Option<Preferences>> = vec![None; self.parties.len()];
        if let Some((t, span)) = &preferences {
            self.preferences(*t, span.clone(), &mut prefs, options);
        }
        for (p, party) in self.parties.iter().enumerate() {
            // A party whose preferences table is present but broken has its own errors already.
            let written = preferences
                .as_ref()
                .is_some_and(|(t, _)| t.contains_key(&party.id));
            if party.consent && prefs[p].is_none() && !written && !sequence_file {
                let span = self.party_spans[p].clone();
                self.cx.error(
                    &span,
                    &format!("preferences.{}", party.id),
                    "no preferences",
                    format!(
                        "a [preferences.{}] table, since an agreement needs its consent",
                        party.id
                    ),
                );
            }
        }
        if !sequence_file && !self.parties.is_empty() && !self.parties.iter().any(|p| p.consent) {
            self.cx.error(
                &Some(0..0),
                "parties",
                "no party whose consent is needed",
                "at least one party with role = \"party\" or consent = true",
            );
        }
        let mut lines = Vec::new();
        let mut line_spans = Vec::new();
        let mut line_ids: HashMap<String, Span> = HashMap::new();
        for (t, span, path) in red_lines {
            if let Some((line, id_span)) = self.red_line(t, span.clone(), &path) {
                if line_ids.insert(line.id.clone(), id_span.clone()).is_some() {
                    self.cx.error(
                        &id_span,
                        &join(&path, "id"),
                        format!("{:?} again", line.id),
                        "a red-line id not used before",
                    );
                }
                lines.push(line);
                line_spans.push(span);
            }
        }
        let mut framework = match framework {
            Some((t, span)) => self.framework(t, span),
            None => Framework::default(),
        };
        let mut proposal_ids: HashMap<String, ()> = HashMap::new();
        for (t, span, path) in proposals {
            if let Some((proposal, id_span)) = self.proposal(t, span, &path) {
                if proposal_ids.insert(proposal.id.clone(), ()).is_some() {
                    self.cx.error(
                        &id_span,
                        &join(&path, "id"),
                        format!("{:?} again", proposal.id),
                        "a proposal id not used before",
                    );
                    continue;
                }
                framework.proposals.push(proposal);
            }
        }
        if !self.cx.diagnostics.is_empty() {
            return None;
        }
        let scenario = Scenario {
            id: id?,
            title: title?,
            description,
            sources: std::mem::take(&mut self.sources),
            parties: std::mem::take(&mut self.parties),
            issues: std::mem::take(&mut self.issues),
            preferences: prefs,
            red_lines: lines,
            framework,
            claims: std::mem::take(&mut self.claims),
        };
        for p in self_contradictory_parties(&scenario) {
            let first = scenario
                .red_lines
                .iter()
                .position(|r| r.party == p)
                .expect("a party with red lines");
            let ids: Vec<&str> = scenario
                .red_lines
                .iter()
                .filter(|r| r.party == p)
                .map(|r| r.id.as_str())
                .collect();
            self.cx.error(
                &line_spans[first],
                &format!("red_lines[{first}]"),
                format!(
                    "red lines of `{}` ({}) that together exclude every package",
                    scenario.parties[p].id,
                    ids.join(", ")
                ),
                "red lines that one package can satisfy together: a party whose own red lines leave nothing could accept nothing",
            );
        }
        self.cx.diagnostics.is_empty().then_some(scenario)
    }

    fn source(&mut self, t: &dyn TableLike, span: Span, path: String) {
        read_source_into(
            &mut self.cx,
            &mut self.source_ids,
            &mut self.sources,
            (t, span, path),
        );
    }

    /// Reads `cite`, `claims` and `basis` from a table being read: the provenance of a
    /// position of `party` (`None` for one that supports no party). The sequencing reader uses
    /// it too; `claims` is read only when `refs` carries the claims register.
    pub(crate) fn provenance(
        f: &mut Fields,
        refs: &CiteRefs,
        sites: &mut HashMap<String, (usize, usize)>,
        party: Option<PartyIx>,
    ) -> Provenance {
        let cite_path = f.at("cite");
        let read = read_cite(f, refs, sites, false);
        let citations: Vec<Citation> = read.iter().map(|r| r.citation.clone()).collect();
        let claims = match &refs.claims {
            Some(register) => claim_refs(f, register, sites),
            None => Vec::new(),
        };
        let register: &[Claim] = refs.claims.as_ref().map_or(&[], |r| r.claims);
        let basis_span = f.span_of("basis");
        let basis = match f.opt_str("basis").as_deref() {
            None => derived_basis(&citations, &claims, register, party),
            Some("stated") => Basis::Stated,
            Some("reported") => Basis::Reported,
            Some("assumed") => Basis::Assumed,
            Some(other) => {
                let path = f.at("basis");
                f.cx.error(
                    &basis_span,
                    &path,
                    format!("{other:?}"),
                    "one of \"stated\", \"reported\", \"assumed\"",
                );
                Basis::Assumed
            }
        };
        let written = |key: &str| {
            f.item(key)
                .and_then(|i| i.as_array())
                .is_some_and(|a| !a.is_empty())
        };
        let cite_written = written("cite") || written("claims");
        if basis != Basis::Assumed && citations.is_empty() && claims.is_empty() && !cite_written {
            let path = f.at("cite");
            f.cx.error(
                &basis_span,
                &path,
                format!("basis = \"{}\" with no citation", basis.as_str()),
                if refs.claims.is_some() {
                    "at least one citation or claim, or basis = \"assumed\""
                } else {
                    "at least one citation, or basis = \"assumed\""
                },
            );
        }
        if basis == Basis::Reported {
            for r in &read {
                if r.citation.speaker.is_none() {
                    let path = format!("{cite_path}[{}].speaker", r.index);
                    f.cx.error(
                        &r.span,
                        &path,
                        "no speaker",
                        "the third party who says it, since basis = \"reported\"",
                    );
                }
            }
        }
        Provenance {
            basis,
            citations,
            claims,
        }
    }

    /// Reads a party, except its provenance (read once the claims register is known); returns
    /// its index.
    fn party(&mut self, t: &dyn TableLike, span: Span, path: String) -> Option<PartyIx> {
        let mut f = Fields::new(
            &mut self.cx,
            t,
            span.clone(),
            path.clone(),
            &[
                "id", "name", "role", "consent", "aliases", "note", "cite", "claims", "basis",
            ],
        );
        let id = f.req_id("id");
        let name = f.req_str("name");
        let role_span = f.span_of("role");
        const ROLES: &str = "one of \"party\", \"mediator\", \"guarantor\", \"observer\"";
        // A sequence file's parties are named, not analysed: their role may be left out.
        if f.item("role").is_none() && !self.sequence_file {
            f.missing("role", ROLES);
        }
        let role = match f.opt_str("role").as_deref() {
            Some("party") => Some(Role::Party),
            Some("mediator") => Some(Role::Mediator),
            Some("guarantor") => Some(Role::Guarantor),
            Some("observer") => Some(Role::Observer),
            Some(other) => {
                let p = f.at("role");
                f.cx.error(
                    &role_span,
                    &p,
                    format!("{other:?}"),
                    "one of \"party\", \"mediator\", \"guarantor\", \"observer\"",
                );
                None
            }
            None if self.sequence_file => Some(Role::Party),
            None => None,
        };
        let consent = f.opt_bool("consent");
        let aliases = f.opt_str_array("aliases");
        f.opt_str("note");
        let (Some((id, id_span)), Some(name), Some(role)) = (id, name, role) else {
            return None;
        };
        if !register(
            &mut self.cx,
            &mut self.party_ids,
            &id,
            self.parties.len(),
            &id_span,
            &path,
            "party",
        ) {
            return None;
        }
        self.party_spans.push(span);
        self.parties.push(Party {
            id,
            name,
            role,
            consent: consent.unwrap_or(role.consent_by_default()),
            aliases,
            provenance: Provenance::default(),
        });
        Some(self.parties.len() - 1)
    }

    /// Reads `[[claims]]` with the evidence module's claim reader, keeping the full register
    /// and, for positions, each claim with its parties resolved.
    fn claims_register(
        &mut self,
        root: &toml_edit::Table,
        tables: Vec<(&dyn TableLike, Span, String)>,
    ) {
        let refs = crate::claims::Refs::declared(root);
        let cite = CiteRefs {
            sources: &self.source_ids,
            declared_sources: &self.declared.sources,
            claims: None,
        };
        let register =
            crate::claims::read_claims(&mut self.cx, tables, &refs, &cite, &mut self.sites);
        let parties = |ids: &[String]| -> Vec<PartyIx> {
            ids.iter()
                .filter_map(|id| self.party_ids.get(id).copied())
                .collect()
        };
        for c in &register {
            let claim = Claim {
                id: c.id.clone(),
                text: c.text.clone(),
                by: parties(&c.by),
                denied_by: parties(&c.denied_by),
                disputed_by: parties(&c.disputed_by),
                unverifiable: c.unverifiable,
                citations: c
                    .citations
                    .iter()
                    .map(|k| Citation {
                        source: k.source,
                        quote: k.quote.clone(),
                        speaker: k.speaker.clone(),
                    })
                    .collect(),
            };
            self.claim_ids.insert(claim.id.clone(), self.claims.len());
            self.claims.push(claim);
        }
        self.register = register;
    }

    fn issue(&mut self, t: &dyn TableLike, span: Span, path: String) {
        let mut f = Fields::new(
            &mut self.cx,
            t,
            span,
            path.clone(),
            &["id", "name", "ordered", "options", "numeric", "note"],
        );
        let id = f.req_id("id");
        let name = f.req_str("name");
        let ordered = f.opt_bool("ordered");
        f.opt_str("note");
        let mut options = Vec::new();
        let mut numeric = None;
        match (f.item("options").is_some(), f.item("numeric").is_some()) {
            (true, true) => {
                let s = f.span_of("numeric");
                let p = f.at("numeric");
                f.cx.error(
                    &s,
                    &p,
                    "both `options` and `numeric`",
                    "either `options` (a discrete issue) or `numeric`, not both",
                );
            }
            (false, false) => f.missing(
                "options",
                "`options = [...]` or `numeric = { min, max, step, unit }`",
            ),
            (true, false) => {
                let opath = f.at("options");
                if let Some(array) = f.opt_array("options") {
                    let mut seen: HashMap<String, ()> = HashMap::new();
                    for (k, v) in array.iter().enumerate() {
                        let p = format!("{opath}[{k}]");
                        let vspan = v.span();
                        let (oid, oname) = if let Some(s) = v.as_str() {
                            (Some(s.to_string()), Some(s.to_string()))
                        } else if let Some(t) = v.as_inline_table() {
                            let mut o =
                                Fields::new(f.cx, t, vspan.clone(), p.clone(), &["id", "name"]);
                            let oid = o.req_id("id").map(|(s, _)| s);
                            let oname = o.opt_str("name");
                            (oid.clone(), oname.or(oid))
                        } else {
                            f.cx.error(
                                &vspan,
                                &p,
                                describe_value(v),
                                "an option: a string id or { id = \"…\", name = \"…\" }",
                            );
                            (None, None)
                        };
                        let (Some(oid), Some(oname)) = (oid, oname) else {
                            continue;
                        };
                        if !valid_id(&oid) {
                            f.cx.error(&vspan, &p, format!("{oid:?}"), ID_RULE);
                        } else if seen.insert(oid.clone(), ()).is_some() {
                            f.cx.error(
                                &vspan,
                                &p,
                                format!("the option {oid:?} again"),
                                "an option id not used before in this issue",
                            );
                        } else {
                            options.push(IssueOption {
                                id: oid,
                                name: oname,
                                value: None,
                            });
                        }
                    }
                    if array.is_empty() {
                        let s = f.span_of("options");
                        f.cx.error(&s, &opath, "no options", "at least one option");
                    }
                }
            }
            (false, true) => {
                if let Some((t, nspan)) = f.opt_table("numeric") {
                    let npath = f.at("numeric");
                    let mut n = Fields::new(
                        f.cx,
                        t,
                        nspan.clone(),
                        npath.clone(),
                        &["min", "max", "step", "unit"],
                    );
                    let min = n.opt_number("min");
                    let max = n.opt_number("max");
                    let step = n.opt_number("step");
                    let unit = n.opt_str("unit").unwrap_or_default();
                    for (key, v) in [("min", min), ("max", max), ("step", step)] {
                        if v.is_none() && n.item(key).is_none() {
                            n.missing(key, "a number");
                        }
                    }
                    if let (Some(min), Some(max), Some(step)) = (min, max, step) {
                        let domain = NumericDomain {
                            min,
                            max,
                            step,
                            unit,
                        };
                        match domain.values(MAX_NUMERIC_OPTIONS) {
                            Some(values) => {
                                options = values
                                    .into_iter()
                                    .map(|x| IssueOption {
                                        id: format_number(x),
                                        name: if domain.unit.is_empty() {
                                            format_number(x)
                                        } else {
                                            format!("{} {}", format_number(x), domain.unit)
                                        },
                                        value: Some(x),
                                    })
                                    .collect();
                                numeric = Some(domain);
                            }
                            None => n.cx.error(
                                &nspan,
                                &npath,
                                format!("min = {min}, max = {max}, step = {step}"),
                                format!("min < max, step > 0 and (max - min) / step a whole number of at most {}", MAX_NUMERIC_OPTIONS - 1),
                            ),
                        }
                    }
                }
            }
        }
        let (Some((id, id_span)), Some(name)) = (id, name) else {
            return;
        };
        if options.is_empty() {
            return;
        }
        if !register(
            &mut self.cx,
            &mut self.issue_ids,
            &id,
            self.issues.len(),
            &id_span,
            &path,
            "issue",
        ) {
            return;
        }
        self.issues.push(Issue {
            id,
            name,
            ordered: ordered.unwrap_or(false) || numeric.is_some(),
            options,
            numeric,
        });
    }

    /// Reads an assumed number in [0, 1]: `0.3` or `{ value = 0.3, range = [0.2, 0.4] }`.
    fn assumed(cx: &mut Cx, item: &Item, span: Span, path: &str) -> Option<Assumed> {
        const EXPECTED: &str = "a number in [0, 1], or { value = x, range = [low, high] } with 0 <= low <= x <= high <= 1";
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        if let Some(x) = number(item) {
            if in_unit(x) {
                return Some(Assumed::exact(x));
            }
            cx.error(&span, path, x, EXPECTED);
            return None;
        }
        let Some(t) = item.as_table_like() else {
            cx.error(&span, path, crate::located::describe(item), EXPECTED);
            return None;
        };
        let mut f = Fields::new(cx, t, span.clone(), path.to_string(), &["value", "range"]);
        let value = f.opt_number("value");
        if value.is_none() && f.item("value").is_none() {
            f.missing("value", "a number in [0, 1]");
        }
        let range_path = f.at("range");
        let range_span = f.span_of("range");
        let range = match f.opt_array("range") {
            Some(a) => {
                let nums: Vec<Option<f64>> = a.iter().map(number_value).collect();
                match nums.as_slice() {
                    [Some(lo), Some(hi)] => Some((*lo, *hi)),
                    _ => {
                        f.cx.error(
                            &range_span,
                            &range_path,
                            "an array that is not two numbers",
                            "[low, high]",
                        );
                        None
                    }
                }
            }
            None => None,
        };
        let value = value?;
        match range {
            Some((lo, hi)) if !(in_unit(lo) && in_unit(hi) && lo <= value && value <= hi) => {
                f.cx.error(
                    &span,
                    path,
                    format!("value {value} with range [{lo}, {hi}]"),
                    EXPECTED,
                );
                None
            }
            _ if !in_unit(value) => {
                f.cx.error(&span, path, value, EXPECTED);
                None
            }
            range => Some(Assumed { value, range }),
        }
    }

    fn preferences(
        &mut self,
        t: &dyn TableLike,
        span: Span,
        prefs: &mut [Option<Preferences>],
        options: &ReadOptions,
    ) {
        let party_ids: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
        for key in party_ids {
            let item = t.get(&key).expect("key from iteration");
            let path = format!("preferences.{key}");
            let ispan = item_span(item).or_else(|| span.clone());
            let Some(&p) = self.party_ids.get(&key) else {
                if self.declared.parties.contains(&key) {
                    continue;
                }
                let kspan = t.get_key_value(&key).and_then(|(k, _)| k.span()).or(ispan);
                let known = self.party_ids.keys().cloned().collect();
                self.cx.error(
                    &kspan,
                    &path,
                    format!("the party {key:?}"),
                    one_of("a party id", known),
                );
                continue;
            };
            let Some(pt) = item.as_table_like() else {
                self.cx
                    .error(&ispan, &path, crate::located::describe(item), "a table");
                continue;
            };
            if let Some(pr) = self.party_preferences(pt, ispan, &path, p, options) {
                prefs[p] = Some(pr);
            }
        }
    }

    fn party_preferences(
        &mut self,
        t: &dyn TableLike,
        span: Span,
        path: &str,
        party: PartyIx,
        options: &ReadOptions,
    ) -> Option<Preferences> {
        let mut f = Fields::new(
            &mut self.cx,
            t,
            span.clone(),
            path.to_string(),
            &["reservation", "cite", "claims", "basis", "issues"],
        );
        let reservation = match f.item("reservation") {
            Some(item) => {
                let s = f.span_of("reservation");
                let p = f.at("reservation");
                Self::assumed(f.cx, item, s, &p)
            }
            None => {
                f.missing(
                    "reservation",
                    "the utility of no agreement, a number in [0, 1]",
                );
                None
            }
        };
        let provenance = Self::provenance(&mut f, &refs!(self), &mut self.sites, Some(party));
        let issues_path = f.at("issues");
        let issues_table = f.opt_table("issues");
        if issues_table.is_none() && f.item("issues").is_none() {
            f.missing(
                "issues",
                "a table [preferences.PARTY.issues.ISSUE] for every issue",
            );
        }
        let mut by_issue: Vec<Option<IssuePreference>> = vec![None; self.issues.len()];
        let mut complete = reservation.is_some();
        if let Some((it, ispan)) = issues_table {
            for (key, item) in it.iter() {
                let ipath = join(&issues_path, key);
                let item_span_ = item_span(item).or_else(|| ispan.clone());
                let Some(&i) = self.issue_ids.get(key) else {
                    complete = false;
                    if self.declared.issues.contains(key) {
                        continue;
                    }
                    let kspan = it
                        .get_key_value(key)
                        .and_then(|(k, _)| k.span())
                        .or(item_span_);
                    let known = self.issue_ids.keys().cloned().collect();
                    self.cx.error(
                        &kspan,
                        &ipath,
                        format!("the issue {key:?}"),
                        one_of("an issue id", known),
                    );
                    complete = false;
                    continue;
                };
                let Some(t) = item.as_table_like() else {
                    self.cx.error(
                        &item_span_,
                        &ipath,
                        crate::located::describe(item),
                        "a table with `weight` and `values`",
                    );
                    complete = false;
                    continue;
                };
                match self.issue_preference(t, item_span_, &ipath, i, party) {
                    Some(ip) => by_issue[i] = Some(ip),
                    None => complete = false,
                }
            }
            for (i, slot) in by_issue.iter().enumerate() {
                if slot.is_none() && it.get(&self.issues[i].id).is_none() {
                    let id = &self.issues[i].id;
                    self.cx.error(
                        &ispan,
                        &join(&issues_path, id),
                        "no entry",
                        format!("[{issues_path}.{id}] with a weight and values (weight = 0 if the party does not care)"),
                    );
                    complete = false;
                }
            }
        }
        if !complete || by_issue.iter().any(|x| x.is_none()) {
            return None;
        }
        let mut issues: Vec<IssuePreference> =
            by_issue.into_iter().map(|x| x.expect("checked")).collect();
        let total: f64 = issues.iter().map(|ip| ip.weight.value).sum();
        if options.normalize_weights {
            if total <= 0.0 {
                self.cx.error(
                    &span,
                    &issues_path,
                    "weights that sum to 0",
                    "at least one positive weight to normalise",
                );
                return None;
            }
            let weights: Vec<f64> = issues.iter().map(|ip| ip.weight.value).collect();
            let normalised = concord_core::exact::normalise(&weights).expect("a positive sum");
            for (ip, w) in issues.iter_mut().zip(normalised) {
                // In decimal when the weights are short decimals (exact::normalise).
                ip.weight.value = w;
                ip.weight.range = ip.weight.range.map(|(lo, hi)| (lo / total, hi / total));
            }
        } else if (total - 1.0).abs() > WEIGHT_TOLERANCE {
            self.cx.error(
                &span,
                &issues_path,
                format!("weights that sum to {}", format_number(total)),
                "weights that sum to 1 (or run with --normalize-weights to divide them by their sum)",
            );
            return None;
        }
        Some(Preferences {
            reservation: reservation?,
            provenance,
            issues,
            discount: None,
        })
    }

    fn issue_preference(
        &mut self,
        t: &dyn TableLike,
        span: Span,
        path: &str,
        i: IssueIx,
        party: PartyIx,
    ) -> Option<IssuePreference> {
        let mut f = Fields::new(
            &mut self.cx,
            t,
            span,
            path.to_string(),
            &["weight", "values", "points", "cite", "claims", "basis"],
        );
        let weight = match f.item("weight") {
            Some(item) => {
                let s = f.span_of("weight");
                let p = f.at("weight");
                Self::assumed(f.cx, item, s, &p)
            }
            None => {
                f.missing("weight", "a number in [0, 1]");
                None
            }
        };
        let issue = &self.issues[i];
        let values = match (f.item("values"), f.item("points")) {
            (Some(_), Some(_)) => {
                let s = f.span_of("points");
                let p = f.at("points");
                f.cx.error(&s, &p, "both `values` and `points`", "one of them");
                None
            }
            (None, None) => {
                f.missing(
                    "values",
                    if issue.numeric.is_some() {
                        "`values` for every option or `points = [[x, value], …]`"
                    } else {
                        "a value in [0, 1] for every option"
                    },
                );
                None
            }
            (Some(_), None) => {
                let vpath = f.at("values");
                match f.opt_table("values") {
                    Some((vt, vspan)) => {
                        let mut table: Vec<Option<Assumed>> = vec![None; issue.options.len()];
                        let mut ok = true;
                        for (key, item) in vt.iter() {
                            let p = join(&vpath, key);
                            let s = item_span(item).or_else(|| vspan.clone());
                            match issue.options.iter().position(|o| o.id == key) {
                                Some(o) => {
                                    table[o] = Self::assumed(f.cx, item, s, &p);
                                    ok &= table[o].is_some();
                                }
                                None => {
                                    let known =
                                        issue.options.iter().map(|o| o.id.clone()).collect();
                                    f.cx.error(
                                        &s,
                                        &p,
                                        format!("the option {key:?}"),
                                        one_of(
                                            &format!("an option of issue `{}`", issue.id),
                                            known,
                                        ),
                                    );
                                    ok = false;
                                }
                            }
                        }
                        let missing: Vec<&str> = (0..table.len())
                            .filter(|&o| {
                                table[o].is_none() && vt.get(&issue.options[o].id).is_none()
                            })
                            .map(|o| issue.options[o].id.as_str())
                            .collect();
                        if !missing.is_empty() {
                            f.cx.error(
                                &vspan,
                                &vpath,
                                format!("no value for {}", missing.join(", ")),
                                "a value for every option",
                            );
                            ok = false;
                        }
                        ok.then(|| {
                            ValueFunction::Table(
                                table.into_iter().map(|x| x.expect("checked")).collect(),
                            )
                        })
                    }
                    None => None,
                }
            }
            (None, Some(_)) => {
                let ppath = f.at("points");
                let pspan = f.span_of("points");
                match (&issue.numeric, f.opt_array("points")) {
                    (None, Some(_)) => {
                        f.cx.error(
                            &pspan,
                            &ppath,
                            "`points` on a discrete issue",
                            "`values`, a value for every option",
                        );
                        None
                    }
                    (Some(domain), Some(a)) => {
                        let pts: Vec<Option<(f64, f64)>> = a
                            .iter()
                            .map(|v| {
                                let pair = v.as_array()?;
                                let xs: Vec<f64> = pair.iter().filter_map(number_value).collect();
                                (pair.len() == 2 && xs.len() == 2).then(|| (xs[0], xs[1]))
                            })
                            .collect();
                        let valid = pts.iter().all(|p| p.is_some()) && !pts.is_empty();
                        let pts: Vec<(f64, f64)> = pts.into_iter().flatten().collect();
                        // An infinite x made the interpolation divide infinity by infinity:
                        // NaN utilities.
                        let finite = pts.iter().all(|(x, _)| x.is_finite());
                        let increasing = pts.windows(2).all(|w| w[0].0 < w[1].0);
                        let in_unit = pts.iter().all(|(_, y)| (0.0..=1.0).contains(y));
                        let covers =
                            valid && pts[0].0 <= domain.min && pts[pts.len() - 1].0 >= domain.max;
                        if valid && finite && increasing && in_unit && covers {
                            Some(ValueFunction::PiecewiseLinear(pts))
                        } else {
                            f.cx.error(
                                &pspan,
                                &ppath,
                                if !valid {
                                    "something other than [x, value] pairs".to_string()
                                } else if !finite {
                                    "an x that is not a finite number".into()
                                } else if !increasing {
                                    "x values that do not strictly increase".into()
                                } else if !in_unit {
                                    "a value outside [0, 1]".into()
                                } else {
                                    format!("points from {} to {}", pts[0].0, pts[pts.len() - 1].0)
                                },
                                format!(
                                    "[[x, value], …] pairs with finite x strictly increasing from at most {} to at least {}, and values in [0, 1]",
                                    format_number(domain.min),
                                    format_number(domain.max)
                                ),
                            );
                            None
                        }
                    }
                    (_, None) => None,
                }
            }
        };
        let provenance = Self::provenance(&mut f, &refs!(self), &mut self.sites, Some(party));
        Some(IssuePreference {
            weight: weight?,
            values: values?,
            provenance,
        })
    }

    /// Resolves an option reference (an id, or a number on a numeric issue).
    fn option_ref(cx: &mut Cx, issue: &Issue, v: &Value, path: &str) -> Option<OptionIx> {
        let found = match (v.as_str(), number_value(v)) {
            (Some(s), _) => issue.options.iter().position(|o| o.id == s),
            (None, Some(x)) => issue.options.iter().position(|o| {
                // Exactly as written: option values are the nearest floats to their decimals.
                o.value.is_some_and(|y| x == y)
            }),
            _ => None,
        };
        if found.is_none() {
            let known = issue.options.iter().map(|o| o.id.clone()).collect();
            cx.error(
                &v.span(),
                path,
                describe_value(v),
                one_of(&format!("an option of issue `{}`", issue.id), known),
            );
        }
        found
    }

    /// Reads one restriction form (`must_not_be`, `must_be_one_of`, `at_least`, `at_most`) on `issue`.
    /// An issue restriction. `then_of_conditional`: it is the `then` of a conditional red line,
    /// which may admit no option at all (the red line then forbids its condition).
    fn restriction(
        f: &mut Fields,
        issue: &Issue,
        i: IssueIx,
        then_of_conditional: bool,
    ) -> Option<IssueRestriction> {
        const FORMS: [&str; 4] = ["must_not_be", "must_be_one_of", "at_least", "at_most"];
        let present: Vec<&str> = FORMS
            .iter()
            .copied()
            .filter(|k| f.item(k).is_some())
            .collect();
        if present.len() != 1 {
            let span = present.get(1).map_or(f.span.clone(), |k| f.span_of(k));
            let path = f.path.clone();
            f.cx.error(
                &span,
                &path,
                if present.is_empty() {
                    "no restriction".to_string()
                } else {
                    format!("{} together", present.join(" and "))
                },
                "exactly one of `must_not_be`, `must_be_one_of`, `at_least`, `at_most`",
            );
            return None;
        }
        let key = present[0];
        let path = f.at(key);
        let span = f.span_of(key);
        let n = issue.options.len();
        let (allowed, phrasing) = match key {
            "must_not_be" | "must_be_one_of" => {
                let array = f.opt_array(key)?;
                let mut listed = Vec::new();
                for (k, v) in array.iter().enumerate() {
                    listed.push(Self::option_ref(f.cx, issue, v, &format!("{path}[{k}]"))?);
                }
                let set = OptionSet::from_indices(n, &listed);
                if key == "must_not_be" {
                    (set.complement(), Phrasing::MustNotBe)
                } else {
                    (set, Phrasing::MustBeOneOf)
                }
            }
            _ => {
                let bound = f.opt_number(key)?;
                if issue.numeric.is_none() {
                    f.cx.error(
                        &span,
                        &path,
                        format!("`{key}` on the discrete issue `{}`", issue.id),
                        "`must_not_be` or `must_be_one_of`",
                    );
                    return None;
                }
                let at_least = key == "at_least";
                let set: Vec<bool> = issue
                    .options
                    .iter()
                    .map(|o| {
                        let x = o.value.expect("numeric options carry values");
                        // No tolerance: `at_most = 19.999999999` does not admit 20.
                        if at_least {
                            x >= bound
                        } else {
                            x <= bound
                        }
                    })
                    .collect();
                (
                    OptionSet(set),
                    if at_least {
                        Phrasing::AtLeast
                    } else {
                        Phrasing::AtMost
                    },
                )
            }
        };
        if allowed.is_empty() && !then_of_conditional {
            f.cx.error(
                &span,
                &path,
                "a restriction that excludes every option",
                "a red line that at least one option satisfies",
            );
            return None;
        }
        Some(IssueRestriction {
            issue: i,
            allowed,
            phrasing,
        })
    }

    fn issue_ref(&mut self, name: Option<String>, span: &Span, path: &str) -> Option<IssueIx> {
        let name = name?;
        match self.issue_ids.get(&name) {
            Some(&i) => Some(i),
            None if self.declared.issues.contains(&name) => None,
            None => {
                let known = self.issue_ids.keys().cloned().collect();
                self.cx.error(
                    span,
                    path,
                    format!("{name:?}"),
                    one_of("an issue id", known),
                );
                None
            }
        }
    }

    fn red_line(&mut self, t: &dyn TableLike, span: Span, path: &str) -> Option<(RedLine, Span)> {
        let mut f = Fields::new(
            &mut self.cx,
            t,
            span.clone(),
            path.to_string(),
            RED_LINE_KEYS,
        );
        let id = f.req_id("id");
        let party_span = f.span_of("party");
        let party = f.req_str("party");
        f.opt_str("note");
        let party_ix = party.as_ref().and_then(|p| self.party_ids.get(p).copied());
        let provenance = Self::provenance(&mut f, &refs!(self), &mut self.sites, party_ix);
        let conditional = f.item("if").is_some() || f.item("then").is_some();
        let issue_span = f.span_of("issue");
        let issue_name = f.opt_str("issue");
        let if_table = f.opt_table("if");
        let then_table = f.opt_table("then");
        let party = party.and_then(|p| match self.party_ids.get(&p) {
            Some(&ix) => Some(ix),
            None if self.declared.parties.contains(&p) => None,
            None => {
                let known = self.party_ids.keys().cloned().collect();
                self.cx.error(
                    &party_span,
                    &join(path, "party"),
                    format!("{p:?}"),
                    one_of("a party id", known),
                );
                None
            }
        });
        let rule = if conditional {
            if issue_name.is_some() {
                self.cx.error(
                    &issue_span,
                    &join(path, "issue"),
                    "`issue` beside `if`/`then`",
                    "the issues inside `if` and `then`",
                );
                return None;
            }
            let (Some((it, ispan)), Some((tt, tspan))) = (if_table, then_table) else {
                self.cx.error(
                    &span,
                    path,
                    "a conditional red line without both `if` and `then`",
                    "`if = { issue, is }` and `then = { issue, … }`",
                );
                return None;
            };
            let if_path = join(path, "if");
            let mut fi = Fields::new(
                &mut self.cx,
                it,
                ispan.clone(),
                if_path.clone(),
                &["issue", "is"],
            );
            let if_issue_name = fi.req_str("issue");
            let if_issue_span = fi.span_of("issue");
            let is = fi.opt_array("is");
            if is.is_none() && fi.item("is").is_none() {
                fi.missing("is", "the options that trigger the condition");
            }
            let if_issue = self.issue_ref(if_issue_name, &if_issue_span, &join(&if_path, "issue"));
            let if_options = match (if_issue, is) {
                (Some(i), Some(array)) => {
                    let issue = self.issues[i].clone();
                    let mut listed = Vec::new();
                    let mut ok = true;
                    for (k, v) in array.iter().enumerate() {
                        match Self::option_ref(
                            &mut self.cx,
                            &issue,
                            v,
                            &format!("{if_path}.is[{k}]"),
                        ) {
                            Some(o) => listed.push(o),
                            None => ok = false,
                        }
                    }
                    if listed.is_empty() && ok {
                        self.cx.error(
                            &ispan,
                            &join(&if_path, "is"),
                            "no options",
                            "at least one option",
                        );
                        ok = false;
                    }
                    ok.then(|| OptionSet::from_indices(issue.options.len(), &listed))
                }
                _ => None,
            };
            let then_path = join(path, "then");
            let mut ft = Fields::new(
                &mut self.cx,
                tt,
                tspan,
                then_path.clone(),
                &[
                    "issue",
                    "must_not_be",
                    "must_be_one_of",
                    "at_least",
                    "at_most",
                ],
            );
            let then_issue_name = ft.req_str("issue");
            let then_issue_span = ft.span_of("issue");
            let then_issue = match then_issue_name {
                Some(n) => match self.issue_ids.get(&n) {
                    Some(&i) => Some(i),
                    None if self.declared.issues.contains(&n) => None,
                    None => {
                        let known = self.issue_ids.keys().cloned().collect();
                        ft.cx.error(
                            &then_issue_span,
                            &join(&then_path, "issue"),
                            format!("{n:?}"),
                            one_of("an issue id", known),
                        );
                        None
                    }
                },
                None => None,
            };
            let then = then_issue.and_then(|i| {
                let issue = self.issues[i].clone();
                Self::restriction(&mut ft, &issue, i, true)
            });
            RedLineRule::Conditional {
                if_issue: if_issue?,
                if_options: if_options?,
                then: then?,
            }
        } else {
            if issue_name.is_none() {
                self.cx.error(
                    &span,
                    &join(path, "issue"),
                    "nothing",
                    "the issue the red line restricts (or `if` and `then`)",
                );
                return None;
            }
            let i = self.issue_ref(issue_name, &issue_span, &join(path, "issue"))?;
            let issue = self.issues[i].clone();
            // The keys were checked when the red line was first read; do not report them twice.
            let mut f = Fields::resume(&mut self.cx, t, span.clone(), path.to_string());
            RedLineRule::Simple(Self::restriction(&mut f, &issue, i, false)?)
        };
        let (id, id_span) = id?;
        Some((
            RedLine {
                id,
                party: party?,
                rule,
                provenance,
            },
            id_span,
        ))
    }

    fn framework(&mut self, t: &dyn TableLike, span: Span) -> Framework {
        let mut f = Fields::new(
            &mut self.cx,
            t,
            span,
            "framework".into(),
            &["title", "points"],
        );
        let title = f.opt_str("title").unwrap_or_default();
        let points = tables(&mut f, "points");
        let mut out = Vec::new();
        let mut numbers: HashMap<u32, ()> = HashMap::new();
        for (pt, pspan, path) in points {
            let mut p = Fields::new(
                &mut self.cx,
                pt,
                pspan,
                path.clone(),
                &[
                    "number", "title", "summary", "issues", "proposes", "stances", "cite", "claims",
                ],
            );
            let number_span = p.span_of("number");
            let number = match p.item("number") {
                Some(item) => match item.as_integer() {
                    Some(n) if n >= 1 && n <= u32::MAX as i64 => Some(n as u32),
                    _ => {
                        p.wrong("number", item, "a whole number of at least 1");
                        None
                    }
                },
                None => {
                    p.missing("number", "the point's number, a whole number of at least 1");
                    None
                }
            };
            let ptitle = p.req_str("title");
            let summary = p.opt_str("summary").unwrap_or_default();
            let mut issues = Vec::new();
            let ipath = p.at("issues");
            if let Some(a) = p.opt_array("issues") {
                for (k, v) in a.iter().enumerate() {
                    let vp = format!("{ipath}[{k}]");
                    match v.as_str().and_then(|s| self.issue_ids.get(s)) {
                        Some(&i) => issues.push(i),
                        None if v.as_str().is_some_and(|s| self.declared.issues.contains(s)) => {}
                        None => {
                            let known = self.issue_ids.keys().cloned().collect();
                            p.cx.error(
                                &v.span(),
                                &vp,
                                describe_value(v),
                                one_of("an issue id", known),
                            );
                        }
                    }
                }
            }
            let proposes_path = p.at("proposes");
            let proposes = Self::terms(
                &mut p,
                &self.issues,
                &self.issue_ids,
                &self.declared.issues,
                "proposes",
            )
            .unwrap_or_default();
            if p.item("issues").is_none() {
                issues = proposes.iter().map(|(t, _)| t.issue).collect();
            }
            for (t, span) in &proposes {
                if !issues.contains(&t.issue) {
                    let id = &self.issues[t.issue].id;
                    p.cx.error(
                        span,
                        &join(&proposes_path, id),
                        format!("a proposal on `{id}`, which the point's `issues` do not list"),
                        "an issue of the point's `issues`, or `issues` left out (it then lists the proposed issues)",
                    );
                }
                // The draft is every point together: two points must leave an issue some option.
                let earlier = out
                    .iter()
                    .flat_map(|q: &FrameworkPoint| q.proposes.iter())
                    .find(|u| {
                        u.issue == t.issue && !u.options.iter().any(|o| t.options.contains(o))
                    });
                if let Some(u) = earlier {
                    let issue = &self.issues[t.issue];
                    let names = |os: &[OptionIx]| {
                        os.iter()
                            .map(|&o| issue.options[o].id.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    p.cx.error(
                        span,
                        &join(&proposes_path, &issue.id),
                        format!(
                            "{} where an earlier point proposes {}",
                            names(&t.options),
                            names(&u.options)
                        ),
                        "options that the earlier point's proposal on this issue admits too, so that the draft proposes something",
                    );
                }
            }
            let mut stances: Vec<PartyStance> = (0..self.parties.len())
                .map(|_| PartyStance {
                    stance: Stance::NotStated,
                    provenance: Provenance::default(),
                })
                .collect();
            let spath = p.at("stances");
            if let Some((st, sspan)) = p.opt_table("stances") {
                for (key, item) in st.iter() {
                    let kp = join(&spath, key);
                    let s = item_span(item).or_else(|| sspan.clone());
                    let Some(&party) = self.party_ids.get(key) else {
                        if self.declared.parties.contains(key) {
                            continue;
                        }
                        let known = self.party_ids.keys().cloned().collect();
                        p.cx.error(
                            &s,
                            &kp,
                            format!("the party {key:?}"),
                            one_of("a party id", known),
                        );
                        continue;
                    };
                    let (word, provenance) = if let Some(w) = item.as_str() {
                        (Some(w.to_string()), Provenance::default())
                    } else if let Some(t) = item.as_table_like() {
                        let mut sf = Fields::new(
                            p.cx,
                            t,
                            s.clone(),
                            kp.clone(),
                            &["stance", "cite", "claims", "basis"],
                        );
                        let w = sf.req_str("stance");
                        let prov =
                            Self::provenance(&mut sf, &refs!(self), &mut self.sites, Some(party));
                        (w, prov)
                    } else {
                        p.cx.error(
                            &s,
                            &kp,
                            crate::located::describe(item),
                            "a stance, or { stance = \"…\", cite = [...] }",
                        );
                        continue;
                    };
                    let Some(word) = word else { continue };
                    let Some(stance) = Stance::parse(&word) else {
                        p.cx.error(&s, &kp, format!("{word:?}"), Stance::EXPECTED);
                        continue;
                    };
                    stances[party] = PartyStance { stance, provenance };
                }
            }
            let provenance = Self::provenance(&mut p, &refs!(self), &mut self.sites, None);
            if let (Some(number), Some(ptitle)) = (number, ptitle) {
                if numbers.insert(number, ()).is_some() {
                    self.cx.error(
                        &number_span,
                        &join(&path, "number"),
                        format!("point {number} again"),
                        "a point number not used before",
                    );
                    continue;
                }
                out.push(FrameworkPoint {
                    number,
                    title: ptitle,
                    summary,
                    issues,
                    stances,
                    provenance,
                    proposes: proposes.into_iter().map(|(t, _)| t).collect(),
                });
            }
        }
        Framework {
            title,
            points: out,
            proposals: Vec::new(),
        }
    }

    /// Reads a table of terms, issue id to an option or an array of options, at `key`.
    fn terms(
        f: &mut Fields,
        issues: &[Issue],
        issue_ids: &HashMap<String, IssueIx>,
        declared: &HashSet<String>,
        key: &str,
    ) -> Option<Vec<(Term, Span)>> {
        let path = f.at(key);
        let (t, _) = f.opt_table(key)?;
        let mut out: Vec<(Term, Span)> = Vec::new();
        for (name, item) in t.iter() {
            let ipath = join(&path, name);
            let span = item_span(item).or_else(|| f.span.clone());
            let Some(&i) = issue_ids.get(name) else {
                if !declared.contains(name) {
                    let known = issue_ids.keys().cloned().collect();
                    f.cx.error(
                        &span,
                        &ipath,
                        format!("the issue {name:?}"),
                        one_of("an issue id", known),
                    );
                }
                continue;
            };
            let issue = &issues[i];
            let values: Vec<(Value, String)> = match item {
                Item::Value(Value::Array(a)) => a
                    .iter()
                    .enumerate()
                    .map(|(k, v)| (v.clone(), format!("{ipath}[{k}]")))
                    .collect(),
                Item::Value(v) => vec![(v.clone(), ipath.clone())],
                other => {
                    f.cx.error(
                        &span,
                        &ipath,
                        crate::located::describe(other),
                        "an option of the issue, or an array of its options",
                    );
                    continue;
                }
            };
            if values.is_empty() {
                f.cx.error(
                    &span,
                    &ipath,
                    "an empty array",
                    "at least one option (leave the issue out to keep it open)",
                );
                continue;
            }
            let mut options = Vec::new();
            let mut ok = true;
            for (v, vpath) in &values {
                match Self::option_ref(f.cx, issue, v, vpath) {
                    Some(o) => options.push(o),
                    None => ok = false,
                }
            }
            if ok {
                options.sort_unstable();
                options.dedup();
                out.push((Term { issue: i, options }, span));
            }
        }
        out.sort_by_key(|(t, _)| t.issue);
        Some(out)
    }

    /// Reads one `[[proposals]]` entry.
    fn proposal(&mut self, t: &dyn TableLike, span: Span, path: &str) -> Option<(Proposal, Span)> {
        let mut f = Fields::new(
            &mut self.cx,
            t,
            span,
            path.to_string(),
            &[
                "id", "title", "by", "date", "package", "note", "cite", "claims", "basis",
            ],
        );
        let id = f.req_id("id");
        if let Some((name, id_span)) = &id {
            if name == DRAFT_ID {
                let ipath = f.at("id");
                f.cx.error(
                    id_span,
                    &ipath,
                    format!("{name:?}"),
                    "another id: `framework` names the draft that the framework points propose",
                );
            }
        }
        let title = f.req_str("title");
        let by_path = f.at("by");
        let by_span = f.span_of("by");
        let mut by = Vec::new();
        for (k, name) in f.opt_str_array("by").into_iter().enumerate() {
            match self.party_ids.get(&name) {
                Some(&p) => by.push(p),
                None if self.declared.parties.contains(&name) => {}
                None => {
                    let known = self.party_ids.keys().cloned().collect();
                    f.cx.error(
                        &by_span,
                        &format!("{by_path}[{k}]"),
                        format!("{name:?}"),
                        one_of("a party id", known),
                    );
                }
            }
        }
        let date = f.opt_str("date");
        let note = f.opt_str("note").unwrap_or_default();
        let terms = if f.item("package").is_none() {
            f.missing("package", "a table from issue ids to the options proposed");
            None
        } else {
            Self::terms(
                &mut f,
                &self.issues,
                &self.issue_ids,
                &self.declared.issues,
                "package",
            )
        };
        let party = match by.as_slice() {
            [p] => Some(*p),
            _ => None,
        };
        let provenance = Self::provenance(&mut f, &refs!(self), &mut self.sites, party);
        let (id, id_span) = id?;
        if id == DRAFT_ID {
            return None;
        }
        Some((
            Proposal {
                id,
                title: title?,
                by,
                date,
                note,
                terms: terms?.into_iter().map(|(t, _)| t).collect(),
                provenance,
            },
            id_span,
        ))
    }
}

/// Reads `claims`: the ids of the register's claims a position rests on. An unknown id is a
/// located error.
fn claim_refs(
    f: &mut Fields,
    register: &ClaimRegister,
    sites: &mut HashMap<String, (usize, usize)>,
) -> Vec<ClaimIx> {
    let path = f.at("claims");
    let Some(array) = f.opt_array("claims") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in array.iter().enumerate() {
        let vpath = format!("{path}[{k}]");
        let vspan = v.span().or_else(|| f.span.clone());
        match v.as_str() {
            Some(id) => match register.ids.get(id) {
                Some(&ix) if out.contains(&ix) => f.cx.error(
                    &vspan,
                    &vpath,
                    format!("{id:?} again"),
                    "a claim not listed before for this position",
                ),
                Some(&ix) => {
                    if let Some(r) = &vspan {
                        sites.insert(vpath, f.cx.position(r.start));
                    }
                    out.push(ix);
                }
                None if register.declared.contains(id) => {}
                None => {
                    let known = register.ids.keys().cloned().collect();
                    f.cx.error(
                        &vspan,
                        &vpath,
                        format!("{id:?}"),
                        one_of("a claim id of [[claims]]", known),
                    );
                }
            },
            None => {
                f.cx.error(&vspan, &vpath, describe_value(v), "a claim id (a string)")
            }
        }
    }
    out
}

/// The basis of a position whose `basis` is not written: `stated` when it quotes a source or
/// rests on a claim its party asserts, `reported` when it rests only on claims others assert,
/// `assumed` when it rests on nothing.
fn derived_basis(
    citations: &[Citation],
    claims: &[ClaimIx],
    register: &[Claim],
    party: Option<PartyIx>,
) -> Basis {
    if !citations.is_empty()
        || claims
            .iter()
            .any(|&c| register[c].basis_for(party) == Basis::Stated)
    {
        Basis::Stated
    } else if !claims.is_empty() {
        Basis::Reported
    } else {
        Basis::Assumed
    }
}

/// A number as people write it: no trailing zeros, no exponent for ordinary sizes.
pub fn format_number(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a simple red line was read twice, so an unknown key in it was reported twice.
    #[test]
    fn unknown_key_in_a_simple_red_line_is_reported_once() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/water-sharing.toml"
        ))
        .expect("the example exists")
        .replace("at_most = 40", "at_most = 40\nseverity = \"high\"");
        let Err(FormatError::Invalid(d)) = read_scenario(&text, "x.toml", &ReadOptions::default())
        else {
            panic!("expected a located error");
        };
        assert_eq!(d.items.len(), 1, "{d}");
        assert_eq!(d.items[0].field, "red_lines[0].severity");
    }
}

#[cfg(test)]
mod citation_tests {
    use super::*;

    fn water(edit: (&str, &str)) -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/water-sharing.toml"
        ))
        .expect("the example exists")
        .replacen(edit.0, edit.1, 1)
    }

    fn problems(text: &str) -> Diagnostics {
        match read_scenario(text, "x.toml", &ReadOptions::default()) {
            Err(FormatError::Invalid(d)) => d,
            other => panic!("expected located problems, got {other:?}"),
        }
    }

    /// Regression: an empty `cite` array passed for basis = "stated".
    #[test]
    fn stated_with_an_empty_cite_array_is_refused() {
        let d = problems(&water((
            "role = \"mediator\"",
            "role = \"mediator\"\ncite = []\nbasis = \"stated\"",
        )));
        assert_eq!(d.items.len(), 1, "{d}");
        assert_eq!(d.items[0].field, "parties[2].cite");
    }

    /// Regression: a missing speaker was located at `cite = [`, not at the citation.
    #[test]
    fn a_missing_speaker_is_located_at_its_citation() {
        let d = problems(&water((
            "cite = [{ source = \"minutes\", quote = \"Upton will not release more than half\" }]",
            "cite = [\n  { source = \"minutes\", quote = \"Upton will not\", speaker = \"its mayor\" },\n  { source = \"minutes\", quote = \"release more than half\" },\n]\nbasis = \"reported\"",
        )));
        assert_eq!(d.items.len(), 1, "{d}");
        assert_eq!(d.items[0].field, "parties[0].cite[1].speaker");
        assert_eq!(d.items[0].line, 20);
    }

    /// A missing role says which roles there are.
    #[test]
    fn a_missing_role_lists_the_roles() {
        let d = problems(&water(("role = \"mediator\"\n", "")));
        assert!(d.items[0].expected.contains("\"guarantor\""), "{d}");
    }
}

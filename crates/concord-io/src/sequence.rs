//! Sequencing and versions in a scenario file: reading `[[steps]]`, `[[demands]]` and
//! `[[versions]]` (docs/sequencing.md) with located errors. The text and JSON reports of
//! `concord sequence` and `concord diff` are `concord_report::sequence`.
//!
//! A file with a `[scenario]` table is first read whole by [`crate::scenario::read_scenario`],
//! so that its parties, issues, sources and framework are known and checked. A file without
//! one is a *sequence file*: it may hold only `[[sources]]`, `[[parties]]`, `[[steps]]`,
//! `[[demands]]` and `[[versions]]`, and issue ids in its versions are not checked against
//! anything.

use std::collections::HashMap;

use concord_core::model::{Citation, Provenance, Source, SourceIx, Stance};
use concord_sequence::model::{
    Demand, Relation, Rule, SequenceProblem, Split, Step, StepIx, Strength, Verification, MAX_COST,
    MAX_DAYS,
};
use concord_sequence::versions::{PointStance, Version, VersionPoint};
use toml_edit::TableLike;

use crate::cite::read_source_into;
use crate::located::{
    describe, describe_value, item_span, join, one_of, tables, Cx, Diagnostics, Fields, Span,
};
use crate::scenario::ReadOptions;
use crate::FormatError;

/// The version id under which a scenario's `[framework]` can be compared.
pub const FRAMEWORK_VERSION: &str = "framework";

/// A party as the sequencing reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyName {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// Everything `concord sequence` and `concord diff` read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceFile {
    /// The scenario's id and title, when the file is a scenario.
    pub scenario: Option<(String, String)>,
    /// The parties, in file order.
    pub parties: Vec<PartyName>,
    /// The sources citations may name.
    pub sources: Vec<Source>,
    /// The steps and demands.
    pub problem: SequenceProblem,
    /// The `[[versions]]`, in file order.
    pub versions: Vec<Version>,
    /// The scenario's `[framework]` as a version with id [`FRAMEWORK_VERSION`], when it has
    /// points.
    pub framework: Option<Version>,
    /// Line and column of each citation of steps, demands and versions, by field path.
    pub citation_sites: HashMap<String, (usize, usize)>,
}

impl SequenceFile {
    /// A version by id: one of `[[versions]]`, or `framework` for the scenario's framework.
    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions
            .iter()
            .find(|v| v.id == id)
            .or_else(|| self.framework.as_ref().filter(|_| id == FRAMEWORK_VERSION))
    }

    /// The ids a user may pass as a version, for messages.
    pub fn version_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.versions.iter().map(|v| v.id.clone()).collect();
        if self.framework.is_some() {
            ids.push(FRAMEWORK_VERSION.into());
        }
        ids
    }

    /// Every citation of steps, demands and versions with its field path, for checking quotes.
    pub fn citations(&self) -> Vec<(String, &Citation)> {
        fn add<'a>(out: &mut Vec<(String, &'a Citation)>, path: String, p: &'a Provenance) {
            for (k, c) in p.citations.iter().enumerate() {
                out.push((format!("{path}.cite[{k}]"), c));
            }
        }
        let mut out = Vec::new();
        for (k, s) in self.problem.steps.iter().enumerate() {
            add(&mut out, format!("steps[{k}]"), &s.provenance);
        }
        for (k, d) in self.problem.demands.iter().enumerate() {
            add(&mut out, format!("demands[{k}]"), &d.provenance);
        }
        for (k, v) in self.versions.iter().enumerate() {
            add(&mut out, format!("versions[{k}]"), &v.provenance);
            for (j, p) in v.points.iter().enumerate() {
                add(
                    &mut out,
                    format!("versions[{k}].points[{j}]"),
                    &p.provenance,
                );
                for s in &p.stances {
                    add(
                        &mut out,
                        format!("versions[{k}].points[{j}].stances.{}", s.party),
                        &s.provenance,
                    );
                }
            }
        }
        out
    }

    /// The display name of party `ix`, or `?`.
    pub fn party(&self, ix: usize) -> &str {
        self.parties.get(ix).map_or("?", |p| p.name.as_str())
    }

    /// The id of party `ix`, or `?`.
    pub fn party_id(&self, ix: usize) -> &str {
        self.parties.get(ix).map_or("?", |p| p.id.as_str())
    }

    /// The id of step `ix`, or `?`.
    pub fn step(&self, ix: StepIx) -> &str {
        self.problem.steps.get(ix).map_or("?", |s| s.id.as_str())
    }
}

// ------------------------------------------------------------------------------------------
// Reading
// ------------------------------------------------------------------------------------------

const STANDALONE_TOP: &[&str] = &[
    "about", "sources", "parties", "steps", "demands", "versions",
];
const STEP_KEYS: &[&str] = &[
    "id",
    "name",
    "parties",
    "duration",
    "verification",
    "split",
    "note",
    "cite",
    "basis",
];
const RULE_KEYS: &[&str] = &[
    "first",
    "then",
    "relation",
    "min_gap",
    "max_gap",
    "together",
    "step",
    "not_before_day",
    "done_by_day",
    "within_days",
    "of",
];
const DEMAND_EXTRA: &[&str] = &[
    "id",
    "party",
    "any_of",
    "cost_per_day",
    "cost",
    "note",
    "cite",
    "basis",
];
const VERSION_KEYS: &[&str] = &[
    "id",
    "title",
    "date",
    "points_total",
    "leaves_out",
    "points",
    "note",
    "cite",
    "basis",
];
const POINT_KEYS: &[&str] = &["number", "title", "summary", "issues", "stances", "cite"];

/// Reads the sequencing tables and versions of a scenario or sequence file. `file` names the
/// file in messages. Every problem is reported, each with line, column and field.
pub fn read_sequence_file(text: &str, file: &str) -> Result<SequenceFile, FormatError> {
    read_sequence_file_with(text, file, &ReadOptions::default())
}

/// [`read_sequence_file`] with options for the scenario part (`concord analyze
/// --normalize-weights` reads the whole file with them).
pub fn read_sequence_file_with(
    text: &str,
    file: &str,
    options: &ReadOptions,
) -> Result<SequenceFile, FormatError> {
    let doc = crate::located::parse_document(text, file)?;
    let root = doc.as_table();
    let scenario = if root.contains_key("scenario") {
        match crate::scenario::read_scenario_doc(text, root, file, options) {
            Ok(loaded) => Some(Ok(loaded)),
            Err(FormatError::Invalid(d)) => Some(Err(d.items)),
            Err(other) => return Err(other),
        }
    } else {
        None
    };
    let part = scenario.as_ref().map(|r| r.as_ref().map_err(Clone::clone));
    read_sequence_doc(text, root, file, part)
}

/// [`read_sequence_file_with`] of a document already parsed from `text`, given what the scenario
/// reader made of its scenario part, if it has one: the scenario, or the problems it found
/// (reported with the sequencing tables' own; the whole-file reader passes none, having them
/// already).
pub(crate) fn read_sequence_doc(
    text: &str,
    root: &toml_edit::Table,
    file: &str,
    scenario_part: Option<Result<&crate::scenario::LoadedScenario, Vec<crate::Diagnostic>>>,
) -> Result<SequenceFile, FormatError> {
    let mut reader = Reader {
        cx: Cx::new(text),
        parties: Vec::new(),
        party_ids: HashMap::new(),
        sources: Vec::new(),
        source_ids: HashMap::new(),
        issue_ids: None,
        step_ids: HashMap::new(),
        sites: HashMap::new(),
    };
    // Read alone (`read_sequence_file` on a file without `[scenario]`), the file's top-level
    // keys, `[about]`, `[[sources]]` and `[[parties]]` are this reader's; otherwise the scenario
    // reader has read them, and each is read once.
    let own_tables = scenario_part.is_none();
    let mut scenario = None;
    let mut framework = None;
    // Problems of the scenario part: the sequencing tables are still read (against the ids the
    // file declares), so that every problem of the file is reported at once.
    let mut scenario_problems = Vec::new();
    let mut scenario_failed = false;
    let loaded = match scenario_part {
        Some(Ok(loaded)) => Some(loaded),
        Some(Err(problems)) => {
            scenario_problems = problems;
            scenario_failed = true;
            declare_scenario_ids(&mut reader, root);
            None
        }
        None => None,
    };
    if let Some(loaded) = loaded {
        let s = &loaded.scenario;
        for (k, p) in s.parties.iter().enumerate() {
            reader.party_ids.insert(p.id.clone(), k);
            reader.parties.push(PartyName {
                id: p.id.clone(),
                name: p.name.clone(),
            });
        }
        for (k, src) in s.sources.iter().enumerate() {
            reader.source_ids.insert(src.id.clone(), k);
        }
        reader.sources = s.sources.clone();
        // A sequence file's points name no issues the file could check.
        if root.contains_key("scenario") {
            reader.issue_ids = Some(s.issues.iter().map(|i| i.id.clone()).collect());
        }
        if !s.framework.points.is_empty() {
            framework = Some(Version {
                id: FRAMEWORK_VERSION.into(),
                title: if s.framework.title.is_empty() {
                    "the scenario's framework".into()
                } else {
                    s.framework.title.clone()
                },
                date: None,
                total_points: None,
                leaves_out: Vec::new(),
                points: s
                    .framework
                    .points
                    .iter()
                    .map(|p| VersionPoint {
                        number: Some(p.number),
                        title: p.title.clone(),
                        summary: p.summary.clone(),
                        issues: p.issues.iter().map(|&i| s.issues[i].id.clone()).collect(),
                        stances: p
                            .stances
                            .iter()
                            .enumerate()
                            .filter(|(_, st)| st.stance != Stance::NotStated)
                            .map(|(party, st)| PointStance {
                                party: s.parties[party].id.clone(),
                                stance: st.stance,
                                provenance: st.provenance.clone(),
                            })
                            .collect(),
                        provenance: p.provenance.clone(),
                    })
                    .collect(),
                note: None,
                provenance: Provenance::default(),
            });
        }
        scenario = Some((s.id.clone(), s.title.clone()));
    }
    let mut f = if !own_tables {
        // The scenario reader has checked the top-level keys.
        Fields::resume(&mut reader.cx, root, Some(0..0), String::new())
    } else {
        Fields::new(
            &mut reader.cx,
            root,
            Some(0..0),
            String::new(),
            STANDALONE_TOP,
        )
    };
    let about = if own_tables {
        f.opt_table("about")
    } else {
        None
    };
    let (sources, parties) = if own_tables {
        (tables(&mut f, "sources"), tables(&mut f, "parties"))
    } else {
        (Vec::new(), Vec::new())
    };
    let steps = tables(&mut f, "steps");
    let demands = tables(&mut f, "demands");
    let versions = tables(&mut f, "versions");
    if let Some((t, span)) = about {
        let mut a = Fields::new(
            &mut reader.cx,
            t,
            span,
            "about".into(),
            &["id", "title", "description", "as_of"],
        );
        let id = a.req_id("id").map(|(s, _)| s);
        let title = a.req_str("title");
        a.opt_str("description");
        a.opt_str("as_of");
        if let (Some(id), Some(title)) = (id, title) {
            scenario = Some((id, title));
        }
    }
    if own_tables {
        for (t, span, path) in sources {
            reader.source(t, span, path);
        }
        for (t, span, path) in parties {
            reader.party(t, span, path);
        }
    }
    let mut problem = SequenceProblem::default();
    for (t, span, path) in &steps {
        if let Some(step) = reader.step(*t, span.clone(), path) {
            problem.steps.push(step);
        }
    }
    let mut demand_ids: HashMap<String, ()> = HashMap::new();
    for (t, span, path) in &demands {
        let (demand, id) = reader.demand(*t, span.clone(), path);
        if let Some((id, id_span)) = id {
            if demand_ids.insert(id.clone(), ()).is_some() {
                reader.cx.error(
                    &id_span,
                    &join(path, "id"),
                    format!("{id:?} again"),
                    "a demand id not used before",
                );
            }
        }
        if let Some(demand) = demand {
            problem.demands.push(demand);
        }
    }
    let mut out_versions: Vec<Version> = Vec::new();
    for (t, span, path) in &versions {
        if let Some((v, id_span)) = reader.version(*t, span.clone(), path) {
            if out_versions.iter().any(|o| o.id == v.id) {
                reader.cx.error(
                    &id_span,
                    &join(path, "id"),
                    format!("{:?} again", v.id),
                    "a version id not used before",
                );
            } else if v.id == FRAMEWORK_VERSION {
                reader.cx.error(
                    &id_span,
                    &join(path, "id"),
                    format!("{:?}", v.id),
                    "another id: `framework` names the scenario's [framework]",
                );
            }
            out_versions.push(v);
        }
    }
    if !reader.cx.diagnostics.is_empty() || scenario_failed {
        let mut items = reader.cx.diagnostics;
        items.extend(scenario_problems);
        // In file order (stable: problems at one place keep the order they were found in).
        items.sort_by_key(|d| (d.line, d.column));
        return Err(FormatError::Invalid(Diagnostics {
            file: file.to_string(),
            items,
        }));
    }
    if let Err(e) = problem.validate() {
        // The reader checks everything `validate` does; this is a second line of defence.
        return Err(FormatError::Invalid(Diagnostics {
            file: file.to_string(),
            items: vec![crate::Diagnostic {
                line: 1,
                column: 1,
                field: "steps".into(),
                found: e.to_string(),
                expected: "a valid sequencing problem".into(),
                source_line: String::new(),
                source_offset: 0,
            }],
        }));
    }
    Ok(SequenceFile {
        scenario,
        parties: reader.parties,
        sources: reader.sources,
        problem,
        versions: out_versions,
        framework,
        citation_sites: reader.sites,
    })
}

/// When the scenario part of a file has problems, the ids it declares (of parties, sources and
/// issues, read or not), so that the sequencing tables can be checked against them.
fn declare_scenario_ids(reader: &mut Reader, root: &toml_edit::Table) {
    let ids = |key: &str| crate::located::declared_ids(root, key);
    for (k, id) in ids("parties").into_iter().enumerate() {
        reader.party_ids.insert(id.clone(), k);
        reader.parties.push(PartyName {
            name: id.clone(),
            id,
        });
    }
    for (k, id) in ids("sources").into_iter().enumerate() {
        reader.source_ids.insert(id.clone(), k);
        reader.sources.push(Source {
            id,
            ..Source::default()
        });
    }
    if root.contains_key("scenario") {
        reader.issue_ids = Some(ids("issues"));
    }
}

struct Reader<'t> {
    cx: Cx<'t>,
    parties: Vec<PartyName>,
    party_ids: HashMap<String, usize>,
    sources: Vec<Source>,
    source_ids: HashMap<String, SourceIx>,
    /// The scenario's issue ids; `None` in a sequence file, where they are not checked.
    issue_ids: Option<Vec<String>>,
    step_ids: HashMap<String, StepIx>,
    sites: HashMap<String, (usize, usize)>,
}

/// The step named at `key`, reporting a missing or unknown one.
fn step_ref(ids: &HashMap<String, StepIx>, f: &mut Fields, key: &str) -> Option<StepIx> {
    let span = f.span_of(key);
    let path = f.at(key);
    let name = f.req_str(key)?;
    step_name(ids, f.cx, &name, &span, &path)
}

/// The step called `name`, reporting an unknown one.
fn step_name(
    ids: &HashMap<String, StepIx>,
    cx: &mut Cx,
    name: &str,
    span: &Span,
    path: &str,
) -> Option<StepIx> {
    match ids.get(name) {
        Some(&s) => Some(s),
        None => {
            let known = ids.keys().cloned().collect();
            cx.error(span, path, format!("{name:?}"), one_of("a step id", known));
            None
        }
    }
}

/// A whole number at `key` within `lo..=hi`; `what` describes it for messages.
fn whole(f: &mut Fields, key: &str, lo: i64, hi: i64, what: &str) -> Option<i64> {
    let item = f.item(key)?;
    let expected = format!("{what}: a whole number from {lo} to {hi}");
    match item.as_integer() {
        Some(n) if (lo..=hi).contains(&n) => Some(n),
        _ => {
            f.wrong(key, item, &expected);
            None
        }
    }
}

impl<'t> Reader<'t> {
    fn source(&mut self, t: &dyn TableLike, span: Span, path: String) {
        read_source_into(
            &mut self.cx,
            &mut self.source_ids,
            &mut self.sources,
            (t, span, path),
        );
    }

    fn party(&mut self, t: &dyn TableLike, span: Span, path: String) {
        let mut f = Fields::new(
            &mut self.cx,
            t,
            span,
            path.clone(),
            &[
                "id", "name", "role", "consent", "aliases", "note", "cite", "basis",
            ],
        );
        let id = f.req_id("id");
        let name = f.req_str("name");
        f.opt_str("role");
        f.opt_bool("consent");
        f.opt_str_array("aliases");
        f.opt_str("note");
        provenance(&mut f, &self.source_ids, &mut self.sites);
        let (Some((id, id_span)), Some(name)) = (id, name) else {
            return;
        };
        if self.party_ids.contains_key(&id) {
            self.cx.error(
                &id_span,
                &join(&path, "id"),
                format!("{id:?} again"),
                "a party id not used before",
            );
            return;
        }
        self.party_ids.insert(id.clone(), self.parties.len());
        self.parties.push(PartyName { id, name });
    }

    fn party_ref(&mut self, name: &str, span: &Span, path: &str) -> Option<usize> {
        match self.party_ids.get(name) {
            Some(&p) => Some(p),
            None => {
                let known = self.party_ids.keys().cloned().collect();
                self.cx
                    .error(span, path, format!("{name:?}"), one_of("a party id", known));
                None
            }
        }
    }

    fn step(&mut self, t: &dyn TableLike, span: Span, path: &str) -> Option<Step> {
        let mut f = Fields::new(&mut self.cx, t, span, path.to_string(), STEP_KEYS);
        let id = f.req_id("id");
        let name = f.req_str("name");
        let duration = if f.item("duration").is_none() {
            f.missing("duration", "the step's duration: a whole number of days");
            None
        } else {
            whole(&mut f, "duration", 0, MAX_DAYS, "days")
        };
        f.opt_str("note");
        let parties_path = f.at("parties");
        let parties_span = f.span_of("parties");
        let listed = f.opt_array("parties");
        if listed.is_none() && f.item("parties").is_none() {
            f.missing("parties", "the parties responsible: an array of party ids");
        }
        let mut verification = Some(None);
        if let Some((vt, vspan)) = f.opt_table("verification") {
            let vpath = f.at("verification");
            let mut v = Fields::new(f.cx, vt, vspan, vpath, &["days", "by"]);
            let days = if v.item("days").is_none() {
                v.missing("days", "how many days the verification takes");
                None
            } else {
                whole(&mut v, "days", 0, MAX_DAYS, "days")
            };
            let by = v.opt_str("by");
            let by_span = v.span_of("by");
            let by_path = v.at("by");
            verification = days.map(|days| Some((days, by, by_span, by_path)));
        } else if f.item("verification").is_some() {
            verification = None;
        }
        let split_span = f.span_of("split");
        let split = match f.item("split") {
            None => Some(concord_sequence::model::DEFAULT_SPLIT),
            Some(item) => match (item.as_bool(), crate::located::number(item)) {
                (Some(false), _) => Some(Split::Never),
                (Some(true), _) => Some(concord_sequence::model::DEFAULT_SPLIT),
                (None, Some(x))
                    if x > 0.0
                        && x < 1.0
                        && (x * 100.0).round() >= 1.0
                        && (x * 100.0).round() <= 99.0 =>
                {
                    Some(Split::FirstPercent((x * 100.0).round() as u8))
                }
                _ => {
                    let p = f.at("split");
                    f.cx.error(
                        &split_span,
                        &p,
                        describe(item),
                        "false (never split), true (halves), or the first tranche's share of the duration, between 0.01 and 0.99",
                    );
                    None
                }
            },
        };
        let provenance = provenance(&mut f, &self.source_ids, &mut self.sites);
        let mut parties = Vec::new();
        let mut parties_ok = listed.is_some();
        if let Some(a) = listed {
            if a.is_empty() {
                self.cx.error(
                    &parties_span,
                    &parties_path,
                    "an empty array",
                    "at least one party responsible for the step",
                );
                parties_ok = false;
            }
            for (k, v) in a.iter().enumerate() {
                let vp = format!("{parties_path}[{k}]");
                match v.as_str() {
                    Some(s) => match self.party_ref(s, &v.span(), &vp) {
                        Some(p) => parties.push(p),
                        None => parties_ok = false,
                    },
                    None => {
                        self.cx
                            .error(&v.span(), &vp, describe_value(v), "a party id");
                        parties_ok = false;
                    }
                }
            }
        }
        let verification = match verification {
            Some(Some((days, by, by_span, by_path))) => match by {
                Some(b) => self
                    .party_ref(&b, &by_span, &by_path)
                    .map(|p| Some(Verification { by: Some(p), days })),
                None => Some(Some(Verification { by: None, days })),
            },
            Some(None) => Some(None),
            None => None,
        };
        let (id, id_span) = id?;
        if self.step_ids.contains_key(&id) {
            self.cx.error(
                &id_span,
                &join(path, "id"),
                format!("{id:?} again"),
                "a step id not used before",
            );
            return None;
        }
        // Register the id even if the step has other errors, so demands naming it are not
        // reported as naming an unknown step.
        self.step_ids.insert(id.clone(), self.step_ids.len());
        if !parties_ok {
            return None;
        }
        Some(Step {
            id,
            name: name?,
            parties,
            duration: duration?,
            verification: verification?,
            split: split?,
            provenance,
        })
    }

    /// Reads the rule keys of a demand or of one alternative of `any_of`.
    fn rule(&mut self, t: &dyn TableLike, span: Span, path: &str) -> Option<Rule> {
        let mut f = Fields::resume(&mut self.cx, t, span.clone(), path.to_string());
        let forms: Vec<&str> = [
            ("first", "`first`/`then`"),
            ("then", "`first`/`then`"),
            ("together", "`together`"),
            ("not_before_day", "`not_before_day`"),
            ("done_by_day", "`done_by_day`"),
            ("within_days", "`within_days`"),
        ]
        .iter()
        .filter(|(k, _)| f.item(k).is_some())
        .map(|(_, form)| *form)
        .fold(Vec::new(), |mut acc, form| {
            if !acc.contains(&form) {
                acc.push(form);
            }
            acc
        });
        const FORMS: &str = "exactly one form: `first` and `then`, `together`, `step` with `not_before_day`, `done_by_day` or `within_days` (with `of`), or `any_of`";
        if forms.len() != 1 {
            let found = if forms.is_empty() {
                "no rule".to_string()
            } else {
                format!("the forms {}", forms.join(" and "))
            };
            // An alternative of a choice may not itself be a choice.
            let expected = if path.contains(".any_of[") {
                FORMS.trim_end_matches(", or `any_of`")
            } else {
                FORMS
            };
            f.cx.error(&span, path, found, expected);
            return None;
        }
        let form = forms[0];
        // Keys that belong to other forms.
        let allowed: &[&str] = match form {
            "`first`/`then`" => &["first", "then", "relation", "min_gap", "max_gap"],
            "`together`" => &["together"],
            "`not_before_day`" => &["step", "not_before_day"],
            "`done_by_day`" => &["step", "done_by_day"],
            _ => &["step", "within_days", "of"],
        };
        let stray: Vec<&str> = RULE_KEYS
            .iter()
            .copied()
            .filter(|k| !allowed.contains(k) && f.item(k).is_some())
            .collect();
        for k in stray {
            let s = f.table.get_key_value(k).and_then(|(key, _)| key.span());
            let p = f.at(k);
            f.cx.error(
                &s.or_else(|| span.clone()),
                &p,
                format!("`{k}` in a demand of the form {form}"),
                format!(
                    "only {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        match form {
            "`first`/`then`" => {
                let first = step_ref(&self.step_ids, &mut f, "first");
                let then = step_ref(&self.step_ids, &mut f, "then");
                let relation_span = f.span_of("relation");
                let relation = match f.opt_str("relation").as_deref() {
                    None | Some("finish-to-start") => Some(Relation::FinishToStart),
                    Some("start-to-start") => Some(Relation::StartToStart),
                    Some("finish-to-finish") => Some(Relation::FinishToFinish),
                    Some(other) => {
                        let p = f.at("relation");
                        f.cx.error(
                            &relation_span,
                            &p,
                            format!("{other:?}"),
                            "one of \"finish-to-start\", \"start-to-start\", \"finish-to-finish\"",
                        );
                        None
                    }
                };
                let min_gap = match f.item("min_gap") {
                    None => Some(0),
                    Some(_) => whole(&mut f, "min_gap", -MAX_DAYS, MAX_DAYS, "days"),
                };
                let max_gap = match f.item("max_gap") {
                    None => Some(None),
                    Some(_) => whole(&mut f, "max_gap", -MAX_DAYS, MAX_DAYS, "days").map(Some),
                };
                if let (Some(min), Some(Some(max))) = (min_gap, max_gap) {
                    if max < min {
                        let (s, p) = (f.span_of("max_gap"), f.at("max_gap"));
                        f.cx.error(
                            &s,
                            &p,
                            format!("a maximum gap of {max} days below the minimum of {min}"),
                            "a maximum gap at least the minimum gap",
                        );
                        return None;
                    }
                }
                let (first, then) = (first?, then?);
                if first == then {
                    let (s, p) = (f.span_of("then"), f.at("then"));
                    f.cx.error(
                        &s,
                        &p,
                        "the same step as `first`",
                        "another step: a demand relates two steps",
                    );
                    return None;
                }
                Some(Rule::Before {
                    first,
                    then,
                    relation: relation?,
                    min_gap: min_gap?,
                    max_gap: max_gap?,
                })
            }
            "`together`" => {
                let (s, p) = (f.span_of("together"), f.at("together"));
                let names = f.opt_str_array("together");
                if names.len() != 2 {
                    f.cx.error(&s, &p, format!("{} step ids", names.len()), "two step ids");
                    return None;
                }
                let a = step_name(&self.step_ids, f.cx, &names[0], &s, &format!("{p}[0]"));
                let b = step_name(&self.step_ids, f.cx, &names[1], &s, &format!("{p}[1]"));
                let (a, b) = (a?, b?);
                if a == b {
                    f.cx.error(&s, &p, "the same step twice", "two different steps");
                    return None;
                }
                Some(Rule::Together { a, b })
            }
            "`not_before_day`" | "`done_by_day`" => {
                let key = if form == "`not_before_day`" {
                    "not_before_day"
                } else {
                    "done_by_day"
                };
                let step = step_ref(&self.step_ids, &mut f, "step");
                let day = whole(&mut f, key, 0, MAX_DAYS, "a day");
                let (step, day) = (step?, day?);
                Some(if key == "not_before_day" {
                    Rule::NotBefore { step, day }
                } else {
                    Rule::DoneBy { step, day }
                })
            }
            _ => {
                let step = step_ref(&self.step_ids, &mut f, "step");
                let of = step_ref(&self.step_ids, &mut f, "of");
                let days = whole(&mut f, "within_days", 0, MAX_DAYS, "days");
                let (step, of, days) = (step?, of?, days?);
                if step == of {
                    let (s, p) = (f.span_of("of"), f.at("of"));
                    f.cx.error(
                        &s,
                        &p,
                        "the same step as `step`",
                        "another step: a demand relates two steps",
                    );
                    return None;
                }
                Some(Rule::Within { step, of, days })
            }
        }
    }

    /// A demand, and its id with where it is written whenever the id itself is valid (so that a
    /// duplicate id is reported even when something else in the demand is wrong).
    fn demand(
        &mut self,
        t: &dyn TableLike,
        span: Span,
        path: &str,
    ) -> (Option<Demand>, Option<(String, Span)>) {
        let allowed: Vec<&str> = RULE_KEYS.iter().chain(DEMAND_EXTRA).copied().collect();
        let mut f = Fields::new(&mut self.cx, t, span.clone(), path.to_string(), &allowed);
        let id = f.req_id("id");
        let party_span = f.span_of("party");
        let party_path = f.at("party");
        let party = f.req_str("party");
        let note = f.opt_str("note");
        let per_day = whole(&mut f, "cost_per_day", 0, MAX_COST as i64, "a cost per day");
        let flat = whole(&mut f, "cost", 0, MAX_COST as i64, "a cost");
        let both_costs = f.item("cost_per_day").is_some() && f.item("cost").is_some();
        if both_costs {
            let (s, p) = (f.span_of("cost"), f.at("cost"));
            f.cx.error(
                &s,
                &p,
                "both `cost` and `cost_per_day`",
                "one of them: a flat cost or a cost per day (or neither, for a hard demand)",
            );
        }
        let provenance = provenance(&mut f, &self.source_ids, &mut self.sites);
        let any_of_path = f.at("any_of");
        let any_of_span = f.span_of("any_of");
        let any_of = f.opt_array("any_of");
        let rule = if let Some(array) = any_of {
            let stray: Vec<&str> = RULE_KEYS
                .iter()
                .copied()
                .filter(|k| f.item(k).is_some())
                .collect();
            for k in stray {
                let (s, p) = (f.span_of(k), f.at(k));
                f.cx.error(
                    &s,
                    &p,
                    format!("`{k}` beside `any_of`"),
                    "the rule's keys inside each alternative of `any_of`",
                );
            }
            if array.len() < 2 {
                self.cx.error(
                    &any_of_span,
                    &any_of_path,
                    match array.len() {
                        1 => "1 alternative".to_string(),
                        n => format!("{n} alternatives"),
                    },
                    "at least two alternatives",
                );
                None
            } else {
                let mut rules = Vec::new();
                let mut ok = true;
                for (k, v) in array.iter().enumerate() {
                    let ap = format!("{any_of_path}[{k}]");
                    let Some(at) = v.as_inline_table() else {
                        self.cx.error(
                            &v.span(),
                            &ap,
                            describe_value(v),
                            "an alternative: a table such as { first = \"a\", then = \"b\" }",
                        );
                        ok = false;
                        continue;
                    };
                    // Check its keys, then read it.
                    Fields::new(&mut self.cx, at, v.span(), ap.clone(), RULE_KEYS);
                    match self.rule(at, v.span(), &ap) {
                        Some(r) => rules.push(r),
                        None => ok = false,
                    }
                }
                if per_day.is_some() {
                    let p = join(path, "cost_per_day");
                    self.cx.error(
                        &span,
                        &p,
                        "a cost per day on `any_of`",
                        "a flat `cost`: a choice is broken or not, not broken by days",
                    );
                    ok = false;
                }
                ok.then_some(Rule::AnyOf(rules))
            }
        } else {
            self.rule(t, span.clone(), path)
        };
        let party = party.and_then(|p| self.party_ref(&p, &party_span, &party_path));
        let strength = match (per_day, flat) {
            (Some(c), None) => Strength::PerDay(c as u64),
            (None, Some(c)) => Strength::Flat(c as u64),
            _ => Strength::Hard,
        };
        let demand = match (&id, party, rule) {
            (Some((id, _)), Some(party), Some(rule)) => Some(Demand {
                id: id.clone(),
                party,
                rule,
                strength,
                note,
                provenance,
            }),
            _ => None,
        };
        (demand, id)
    }
}

/// The issue ids at `key`: checked against the scenario's issues when there are any, else only
/// as ids.
fn issue_list(issue_ids: &Option<Vec<String>>, f: &mut Fields, key: &str) -> Vec<String> {
    let path = f.at(key);
    let Some(array) = f.opt_array(key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in array.iter().enumerate() {
        let vp = format!("{path}[{k}]");
        match v.as_str() {
            Some(s) => {
                let known = match issue_ids {
                    Some(ids) => ids.iter().any(|i| i == s),
                    None => crate::located::valid_id(s),
                };
                if known {
                    out.push(s.to_string());
                } else {
                    let expected = match issue_ids {
                        Some(ids) => one_of("an issue id", ids.clone()),
                        None => crate::located::ID_RULE.to_string(),
                    };
                    f.cx.error(&v.span(), &vp, format!("{s:?}"), expected);
                }
            }
            None => f.cx.error(&v.span(), &vp, describe_value(v), "an issue id"),
        }
    }
    out
}

impl Reader<'_> {
    fn version(&mut self, t: &dyn TableLike, span: Span, path: &str) -> Option<(Version, Span)> {
        let mut f = Fields::new(&mut self.cx, t, span, path.to_string(), VERSION_KEYS);
        let id = f.req_id("id");
        let title = f.req_str("title");
        let date = f.opt_str("date");
        let note = f.opt_str("note");
        let total = whole(&mut f, "points_total", 1, 10_000, "a number of points");
        let total_ok = f.item("points_total").is_none() || total.is_some();
        let leaves_out = issue_list(&self.issue_ids, &mut f, "leaves_out");
        let vprov = provenance(&mut f, &self.source_ids, &mut self.sites);
        let point_tables = tables(&mut f, "points");
        let total_span = f.span_of("points_total");
        let total_path = f.at("points_total");
        let mut points = Vec::new();
        let mut numbers: Vec<u32> = Vec::new();
        for (pt, pspan, ppath) in point_tables {
            let mut p = Fields::new(&mut self.cx, pt, pspan, ppath.clone(), POINT_KEYS);
            let number_span = p.span_of("number");
            let number = whole(&mut p, "number", 1, 10_000, "the point's number").map(|n| n as u32);
            let number_ok = p.item("number").is_none() || number.is_some();
            let ptitle = p.req_str("title");
            let summary = p.opt_str("summary").unwrap_or_default();
            let issues = issue_list(&self.issue_ids, &mut p, "issues");
            let mut stances = Vec::new();
            let spath = p.at("stances");
            if let Some((st, sspan)) = p.opt_table("stances") {
                for (key, item) in st.iter() {
                    let kp = join(&spath, key);
                    let s = item_span(item).or_else(|| sspan.clone());
                    let word_and_prov = if let Some(w) = item.as_str() {
                        Some((Some(w.to_string()), Provenance::default()))
                    } else if let Some(tt) = item.as_table_like() {
                        let mut sf = Fields::new(
                            p.cx,
                            tt,
                            s.clone(),
                            kp.clone(),
                            &["stance", "cite", "basis"],
                        );
                        let w = sf.req_str("stance");
                        let prov = provenance(&mut sf, &self.source_ids, &mut self.sites);
                        Some((w, prov))
                    } else {
                        p.cx.error(
                            &s,
                            &kp,
                            describe(item),
                            "a stance, or { stance = \"…\", cite = [...] }",
                        );
                        None
                    };
                    let known_party = if self.parties.is_empty() && self.issue_ids.is_none() {
                        crate::located::valid_id(key)
                    } else {
                        self.party_ids.contains_key(key)
                    };
                    if !known_party {
                        let known = self.party_ids.keys().cloned().collect();
                        p.cx.error(
                            &s,
                            &kp,
                            format!("the party {key:?}"),
                            one_of("a party id", known),
                        );
                        continue;
                    }
                    let Some((word, prov)) = word_and_prov else {
                        continue;
                    };
                    let Some(word) = word else { continue };
                    let Some(stance) = Stance::parse(&word) else {
                        p.cx.error(&s, &kp, format!("{word:?}"), Stance::EXPECTED);
                        continue;
                    };
                    stances.push(PointStance {
                        party: key.to_string(),
                        stance,
                        provenance: prov,
                    });
                }
            }
            let pprov = provenance(&mut p, &self.source_ids, &mut self.sites);
            if let Some(n) = number {
                if numbers.contains(&n) {
                    self.cx.error(
                        &number_span,
                        &join(&ppath, "number"),
                        format!("point {n} again"),
                        "a point number not used before in this version",
                    );
                    continue;
                }
                numbers.push(n);
            }
            if let (Some(title), true) = (ptitle, number_ok) {
                points.push(VersionPoint {
                    number,
                    title,
                    summary,
                    issues,
                    stances,
                    provenance: pprov,
                });
            }
        }
        if let Some(t) = total {
            if (t as usize) < points.len() {
                self.cx.error(
                    &total_span,
                    &total_path,
                    format!("{t} points in all, but {} listed", points.len()),
                    "at least as many points as are listed",
                );
            }
        }
        let (id, id_span) = id?;
        if !total_ok {
            return None;
        }
        Some((
            Version {
                id,
                title: title?,
                date,
                total_points: total.map(|t| t as u32),
                leaves_out,
                points,
                note,
                provenance: vprov,
            },
            id_span,
        ))
    }
}

/// Reads `cite` and `basis` with the scenario reader's own citation reader.
fn provenance(
    f: &mut Fields,
    sources: &HashMap<String, SourceIx>,
    sites: &mut HashMap<String, (usize, usize)>,
) -> Provenance {
    let refs = crate::cite::CiteRefs {
        sources,
        declared_sources: &Default::default(),
        claims: None,
    };
    crate::scenario::Reader::provenance(f, &refs, sites, None)
}

//! The evidence tables of a scenario file (`[[claims]]`, the claims register, and
//! `[[commitments]]`, the ledger of layers, triggers, pledges and guarantees) and the alias file
//! of `concord evidence --aliases`. The formats are documented in docs/evidence.md; the reports
//! on them are `concord_report::evidence`.
//!
//! The scenario reader reads `[[claims]]` with `claims::read_claims` (positions may rest on
//! claims); [`read_evidence`] reads the scenario, then `[[commitments]]`, and reports every
//! problem of the scenario part and of the evidence part together, each with its file, line,
//! column and field. Citations are read by the one citation reader (`cite::read_cite`), here
//! with `via` allowed.

use std::collections::HashMap;

use concord_core::model::Scenario;
use concord_evidence::commitments::{
    Amount, Citation, Commitment, Firmness, Kind, Layer, Ledger, Trigger, What,
};
use concord_evidence::quantity::format_value;
use concord_evidence::register::{RegisterSource, RegisteredClaim};
use toml_edit::TableLike;

use crate::cite::{read_cite, CiteRefs};
use crate::claims::{one_of, party_list, Refs};
use crate::located::{declared_ids, join, tables, Cx, Diagnostics, Fields, Span};
use crate::scenario::ReadOptions;
use crate::FormatError;

/// A scenario with its claims register and commitments ledger.
#[derive(Debug, Clone)]
pub struct LoadedEvidence {
    /// The scenario.
    pub scenario: Scenario,
    /// The sources, as the register sees them (ids and agencies), in scenario order.
    pub sources: Vec<RegisterSource>,
    /// The claims register.
    pub claims: Vec<RegisteredClaim>,
    /// The ledger.
    pub ledger: Ledger,
    /// Line and column of every citation and claim reference of the file (positions, claims,
    /// commitments), by field path.
    pub citation_sites: HashMap<String, (usize, usize)>,
    /// Every citation of `[[commitments]]` (layers and triggers too), by field path
    /// (`commitments[3].cite[0]`), for checking quotes.
    pub commitment_citations: Vec<(String, concord_core::model::Citation)>,
    /// Whether the sources' texts were compared for copies and rewrites of one story
    /// ([`LoadedEvidence::join_stories`]), and which texts could not be read.
    pub stories: Option<StoryCheck>,
}

/// A [`LoadedEvidence`] without its scenario: the tables a scenario file holds beside it, for a
/// caller that keeps the scenario once elsewhere ([`LoadedEvidence::into_parts`],
/// [`EvidenceTables::with_scenario`]).
#[derive(Debug, Clone)]
pub struct EvidenceTables {
    /// As [`LoadedEvidence::sources`].
    pub sources: Vec<RegisterSource>,
    /// As [`LoadedEvidence::claims`].
    pub claims: Vec<RegisteredClaim>,
    /// As [`LoadedEvidence::ledger`].
    pub ledger: Ledger,
    /// As [`LoadedEvidence::citation_sites`].
    pub citation_sites: HashMap<String, (usize, usize)>,
    /// As [`LoadedEvidence::commitment_citations`].
    pub commitment_citations: Vec<(String, concord_core::model::Citation)>,
    /// As [`LoadedEvidence::stories`].
    pub stories: Option<StoryCheck>,
}

impl EvidenceTables {
    /// The tables with their scenario again.
    pub fn with_scenario(self, scenario: Scenario) -> LoadedEvidence {
        LoadedEvidence {
            scenario,
            sources: self.sources,
            claims: self.claims,
            ledger: self.ledger,
            citation_sites: self.citation_sites,
            commitment_citations: self.commitment_citations,
            stories: self.stories,
        }
    }
}

/// What comparing the sources' texts found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryCheck {
    /// The sources whose text was not found (ids): they count as independent.
    pub missing: Vec<String>,
    /// The groups of two or more sources that tell one story (ids, in scenario order).
    pub groups: Vec<Vec<String>>,
}

impl LoadedEvidence {
    /// The scenario and the other tables, apart.
    pub fn into_parts(self) -> (Scenario, EvidenceTables) {
        (
            self.scenario,
            EvidenceTables {
                sources: self.sources,
                claims: self.claims,
                ledger: self.ledger,
                citation_sites: self.citation_sites,
                commitment_citations: self.commitment_citations,
                stories: self.stories,
            },
        )
    }

    /// Compares the sources' texts (`None` where a text could not be read; one per scenario
    /// source, in order) and counts the copies and rewrites of one story as one origin in every
    /// claim's standing.
    pub fn join_stories(&mut self, texts: &[Option<String>]) {
        let present: Vec<usize> = (0..self.sources.len())
            .filter(|&k| texts.get(k).is_some_and(Option::is_some))
            .collect();
        let raw: Vec<&str> = present
            .iter()
            .map(|&k| texts[k].as_deref().unwrap_or_default())
            .collect();
        let story = concord_evidence::extract::same_story(&raw);
        let mut check = StoryCheck {
            missing: (0..self.sources.len())
                .filter(|k| !present.contains(k))
                .map(|k| self.sources[k].id.clone())
                .collect(),
            groups: Vec::new(),
        };
        for (at, &k) in present.iter().enumerate() {
            let root = story.group[at];
            let members: Vec<usize> = (0..present.len())
                .filter(|&m| story.group[m] == root)
                .map(|m| present[m])
                .collect();
            if members.len() > 1 {
                self.sources[k].same_story_as = Some(self.sources[present[root]].id.clone());
                if root == at {
                    check.groups.push(
                        members
                            .iter()
                            .map(|&m| self.sources[m].id.clone())
                            .collect(),
                    );
                }
            }
        }
        self.stories = Some(check);
    }
}

/// Reads a scenario file with its `[[claims]]` and `[[commitments]]` tables. Every problem of
/// the file, in the scenario part or the evidence part, is reported at once. (The scenario
/// reader reads `[[claims]]`, with `read_claims`, since positions may rest on claims.)
pub fn read_evidence(text: &str, file: &str) -> Result<LoadedEvidence, FormatError> {
    read_evidence_with(text, file, &ReadOptions::default())
}

/// [`read_evidence`] with options for the scenario part.
pub fn read_evidence_with(
    text: &str,
    file: &str,
    options: &ReadOptions,
) -> Result<LoadedEvidence, FormatError> {
    let doc = crate::located::parse_document(text, file)?;
    let root = doc.as_table();
    let (loaded, items) = match crate::scenario::read_scenario_doc(text, root, file, options) {
        Ok(loaded) => (Some(loaded), Vec::new()),
        Err(FormatError::Invalid(d)) => (None, d.items),
        Err(other) => return Err(other),
    };
    read_evidence_doc(text, root, file, loaded, items)
}

/// [`read_evidence_with`] of a document already parsed from `text`, given what the scenario
/// reader made of it: the scenario, or `None` with the problems it found (which are reported
/// with the evidence tables' own; the whole-file reader passes none, having them already).
pub(crate) fn read_evidence_doc(
    text: &str,
    root: &toml_edit::Table,
    file: &str,
    loaded: Option<crate::scenario::LoadedScenario>,
    mut items: Vec<crate::Diagnostic>,
) -> Result<LoadedEvidence, FormatError> {
    let refs = Refs::declared(root);
    // With a scenario read, sources are its own; otherwise by their order in the file, which is
    // the same whenever every source reads (and nothing is returned when one does not).
    let source_names: Vec<String> = match &loaded {
        Some(l) => l.scenario.sources.iter().map(|s| s.id.clone()).collect(),
        None => refs.sources.clone(),
    };
    let source_ids: HashMap<String, usize> = source_names
        .iter()
        .enumerate()
        .map(|(k, s)| (s.clone(), k))
        .collect();
    let claim_ids: Vec<String> = match &loaded {
        Some(l) => l.register.iter().map(|c| c.id.clone()).collect(),
        None => declared_ids(root, "claims"),
    };
    let declared_sources = refs.sources.iter().cloned().collect();
    let cite = CiteRefs {
        sources: &source_ids,
        declared_sources: &declared_sources,
        claims: None,
    };
    let mut cx = Cx::new(text);
    let mut sites = Sites::default();
    let ledger = read_commitments(
        &mut cx,
        root,
        &refs,
        &cite,
        &source_names,
        &claim_ids,
        &mut sites,
    );
    items.extend(cx.diagnostics);
    if !items.is_empty() {
        items.sort_by_key(|d| (d.line, d.column));
        items.dedup();
        return Err(FormatError::Invalid(Diagnostics {
            file: file.to_string(),
            items,
        }));
    }
    // The whole-file reader passes a scenario that failed without its problems (it has them).
    let Some(loaded) = loaded else {
        return Err(FormatError::Invalid(Diagnostics {
            file: file.to_string(),
            items,
        }));
    };
    let sources = loaded
        .scenario
        .sources
        .iter()
        .map(|s| RegisterSource {
            id: s.id.clone(),
            agencies: s.agencies.clone(),
            same_story_as: None,
        })
        .collect();
    let mut citation_sites = loaded.citation_sites;
    citation_sites.extend(sites.positions);
    Ok(LoadedEvidence {
        scenario: loaded.scenario,
        sources,
        claims: loaded.register,
        ledger,
        citation_sites,
        commitment_citations: sites.citations,
        stories: None,
    })
}

const COMMITMENT_KEYS: &[&str] = &[
    "id",
    "kind",
    "name",
    "order",
    "by",
    "by_unnamed",
    "to",
    "what",
    "description",
    "amount",
    "layer",
    "condition",
    "trigger",
    "status",
    "claim",
    "cite",
    "note",
];

/// Where the commitments' citations are: line and column by field path, and the citations.
#[derive(Default)]
struct Sites {
    positions: HashMap<String, (usize, usize)>,
    citations: Vec<(String, concord_core::model::Citation)>,
}

/// Reads the `[[commitments]]` tables: layers, triggers, pledges and guarantees.
fn read_commitments(
    cx: &mut Cx,
    root: &toml_edit::Table,
    refs: &Refs,
    cite_refs: &CiteRefs,
    source_names: &[String],
    claim_id_list: &[String],
    sites: &mut Sites,
) -> Ledger {
    // The root's other keys belong to the scenario reader, which checks them.
    let mut root_fields = Fields::resume(cx, root, Some(0..0), String::new());
    let commitment_tables = tables(&mut root_fields, "commitments");

    // Commitments: layers and triggers first, so that pledges may name them in any order.
    struct Pending<'d> {
        table: &'d dyn TableLike,
        span: Span,
        path: String,
        kind: Kind,
    }
    let mut ledger = Ledger::default();
    let mut ids: HashMap<String, Span> = HashMap::new();
    let mut pending: Vec<Pending> = Vec::new();
    for (t, span, path) in commitment_tables {
        let mut f = Fields::new(cx, t, span.clone(), path.clone(), COMMITMENT_KEYS);
        let id = f.req_id("id");
        let kind_span = f.span_of("kind");
        let kind = f.req_str("kind");
        let Some((id, id_span)) = id else { continue };
        if ids.insert(id.clone(), id_span.clone()).is_some() {
            f.cx.error(
                &id_span,
                &join(&path, "id"),
                format!("{id:?} again"),
                "a commitment id not used before",
            );
            continue;
        }
        match kind.as_deref() {
            Some("layer") => {
                let name = f.req_str("name");
                let order_span = f.span_of("order");
                let order = f.opt_number("order");
                let order = order.and_then(|o| {
                    if o >= 1.0 && o == o.trunc() && o <= 1000.0 {
                        Some(o as u32)
                    } else {
                        f.cx.error(
                            &order_span,
                            &join(&path, "order"),
                            format_value(o),
                            "a whole number from 1 (the first line)",
                        );
                        None
                    }
                });
                only_for(
                    &mut f,
                    &path,
                    "a layer",
                    &["id", "kind", "name", "order", "note", "cite"],
                );
                cite(&mut f, source_names, cite_refs, sites);
                f.opt_str("note");
                if let Some(name) = name {
                    ledger.layers.push(Layer { id, name, order });
                }
            }
            Some("trigger") => {
                let name = f.req_str("name");
                only_for(
                    &mut f,
                    &path,
                    "a trigger",
                    &["id", "kind", "name", "note", "cite"],
                );
                cite(&mut f, source_names, cite_refs, sites);
                f.opt_str("note");
                if let Some(name) = name {
                    ledger.triggers.push(Trigger { id, name });
                }
            }
            Some("pledge") => pending.push(Pending {
                table: t,
                span,
                path,
                kind: Kind::Pledge,
            }),
            Some("guarantee") => pending.push(Pending {
                table: t,
                span,
                path,
                kind: Kind::Guarantee,
            }),
            Some(other) => f.cx.error(
                &kind_span,
                &join(&path, "kind"),
                format!("{other:?}"),
                "one of \"layer\", \"trigger\", \"pledge\", \"guarantee\"",
            ),
            None => {}
        }
    }
    let layer_ids: Vec<String> = ledger.layers.iter().map(|l| l.id.clone()).collect();
    let trigger_ids: Vec<String> = ledger.triggers.iter().map(|t| t.id.clone()).collect();
    for p in pending {
        let mut f = Fields::resume(cx, p.table, p.span.clone(), p.path.clone());
        let path = p.path;
        let id = f.opt_str("id").unwrap_or_default();
        only_for(
            &mut f,
            &path,
            "a pledge or guarantee",
            &[
                "id",
                "kind",
                "by",
                "by_unnamed",
                "to",
                "what",
                "description",
                "amount",
                "layer",
                "condition",
                "trigger",
                "status",
                "claim",
                "cite",
                "note",
            ],
        );
        let by = party_list(&mut f, "by", refs);
        let by_unnamed = f.opt_str("by_unnamed");
        let to = party_list(&mut f, "to", refs);
        let what_span = f.span_of("what");
        let what = f.req_str("what").and_then(|w| {
            What::parse(&w).or_else(|| {
                f.cx.error(
                    &what_span,
                    &join(&path, "what"),
                    format!("{w:?}"),
                    "one of \"forces\", \"money\", \"treaty\", \"equipment\", \"support\"",
                );
                None
            })
        });
        let description = f.req_str("description");
        let amount = amount(&mut f, &path);
        let layer = reference(
            &mut f,
            &path,
            "layer",
            &layer_ids,
            "a layer id (a [[commitments]] entry with kind = \"layer\")",
        );
        let trigger = reference(
            &mut f,
            &path,
            "trigger",
            &trigger_ids,
            "a trigger id (a [[commitments]] entry with kind = \"trigger\")",
        );
        let claim = reference(&mut f, &path, "claim", claim_id_list, "a claim id")
            .map(|k| claim_id_list[k].clone());
        let condition = f.opt_str("condition");
        let status_span = f.span_of("status");
        let firmness = f.req_str("status").and_then(|s| {
            Firmness::parse(&s).or_else(|| {
                f.cx.error(
                    &status_span,
                    &join(&path, "status"),
                    format!("{s:?}"),
                    "one of \"agreed\", \"pledged\", \"announced\", \"proposed\", \"requested\"",
                );
                None
            })
        });
        let citations = cite(&mut f, source_names, cite_refs, sites);
        f.opt_str("note");
        if let (Some(what), Some(description), Some(firmness)) = (what, description, firmness) {
            ledger.commitments.push(Commitment {
                id,
                kind: p.kind,
                by,
                by_unnamed,
                to,
                what,
                description,
                amount,
                layer,
                condition,
                trigger,
                firmness,
                claim,
                citations,
            });
        }
    }
    ledger
}

/// Flags keys that exist in `[[commitments]]` but do not apply to this kind of entry.
fn only_for(f: &mut Fields, path: &str, what: &str, allowed: &[&str]) {
    let extra: Vec<(String, Span)> = f
        .table
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| COMMITMENT_KEYS.contains(&k.as_str()) && !allowed.contains(&k.as_str()))
        .map(|k| {
            let span = f.span_of(&k);
            (k, span)
        })
        .collect();
    for (k, span) in extra {
        f.cx.error(
            &span,
            &join(path, &k),
            format!("`{k}` on {what}"),
            format!(
                "only {} on {what}",
                allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

fn reference(
    f: &mut Fields,
    path: &str,
    key: &str,
    known: &[String],
    expected: &str,
) -> Option<usize> {
    let span = f.span_of(key);
    let name = f.opt_str(key)?;
    match known.iter().position(|k| *k == name) {
        Some(ix) => Some(ix),
        None => {
            f.cx.error(
                &span,
                &join(path, key),
                format!("{name:?}"),
                one_of(expected, known),
            );
            None
        }
    }
}

fn amount(f: &mut Fields, path: &str) -> Option<Amount> {
    let (t, span) = f.opt_table("amount")?;
    let mut a = Fields::new(
        f.cx,
        t,
        span,
        join(path, "amount"),
        &["value", "unit", "approx", "period"],
    );
    let value_span = a.span_of("value");
    let value = match a.opt_number("value") {
        Some(v) if v.is_finite() && v >= 0.0 => Some(v),
        Some(v) => {
            let p = a.at("value");
            a.cx.error(&value_span, &p, format_value(v), "a number at least 0");
            None
        }
        None => {
            if a.item("value").is_none() {
                a.missing("value", "a number");
            }
            None
        }
    };
    let unit = a.req_str("unit");
    let approx = a.opt_bool("approx").unwrap_or(false);
    let period = a.opt_str("period");
    Some(Amount {
        value: value?,
        unit: unit?,
        approx,
        period,
    })
}

/// Reads a commitment's `cite` with the scenario reader's citation reader.
fn cite(
    f: &mut Fields,
    source_names: &[String],
    cite_refs: &CiteRefs,
    sites: &mut Sites,
) -> Vec<Citation> {
    let path = f.at("cite");
    let read = read_cite(f, cite_refs, &mut sites.positions, true);
    for r in &read {
        sites
            .citations
            .push((format!("{path}[{}]", r.index), r.citation.clone()));
    }
    read.into_iter()
        .map(|r| Citation {
            source: source_names
                .get(r.citation.source)
                .cloned()
                .unwrap_or_default(),
            quote: r.citation.quote,
        })
        .collect()
}

/// Names added to the built-in alias list, read from an alias file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AliasFile {
    /// `(name, actor id)` pairs, in file order.
    pub aliases: Vec<(String, String)>,
    /// News agencies and outlets to add.
    pub outlets: Vec<String>,
}

/// Reads an alias file:
///
/// ```toml
/// outlets = ["Daily Planet"]
///
/// [actors]
/// ukraine = ["Zelensky", "Umerov"]
/// ```
pub fn read_aliases(text: &str, file: &str) -> Result<AliasFile, FormatError> {
    let doc = crate::located::parse_document(text, file)?;
    let mut cx = Cx::new(text);
    let mut out = AliasFile::default();
    {
        let mut f = Fields::new(
            &mut cx,
            doc.as_table(),
            Some(0..0),
            String::new(),
            &["actors", "outlets"],
        );
        out.outlets = f.opt_str_array("outlets");
        if let Some((t, span)) = f.opt_table("actors") {
            let mut a = Fields::resume(f.cx, t, span, "actors".into());
            let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            for key in keys {
                if !crate::located::valid_id(&key) {
                    let span = a.span_of(&key);
                    let p = a.at(&key);
                    a.cx.error(
                        &span,
                        &p,
                        format!("the actor id {key:?}"),
                        crate::located::ID_RULE,
                    );
                    continue;
                }
                for name in a.opt_str_array(&key) {
                    if name.trim().is_empty() {
                        let span = a.span_of(&key);
                        let p = a.at(&key);
                        a.cx.error(&span, &p, "an empty name", "names of at least one letter");
                        continue;
                    }
                    out.aliases.push((name, key.clone()));
                }
            }
        }
    }
    if cx.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(FormatError::Invalid(Diagnostics {
            file: file.to_string(),
            items: cx.diagnostics,
        }))
    }
}

//! The evidence tables of a scenario file (`[[claims]]`, the claims register, and
//! `[[commitments]]`, the ledger of layers, triggers, pledges and guarantees), the alias file of
//! `concord evidence --aliases`, and the JSON and text reports of extraction, conflicts, the
//! register and the ledger. The formats are documented in docs/evidence.md.
//!
//! The scenario reader reads `[[claims]]` with `read_claims` (positions may rest on claims);
//! [`read_evidence`] reads the scenario, then `[[commitments]]`, and reports every problem of the
//! scenario part and of the evidence part together, each with its file, line, column and field.
//! Citations are read by the scenario reader's one citation reader
//! (`scenario::read_cite`), here with `via` allowed.

use std::collections::HashMap;
use std::fmt::Write;

use concord_core::model::Scenario;
use concord_evidence::commitments::{
    review, Amount, Citation, Commitment, Firmness, Kind, Layer, Ledger, Review, Trigger, What,
};
use concord_evidence::conflicts::{Analysis, Standing};
use concord_evidence::date::{DateSpan, Weekday};
use concord_evidence::extract::{Claim, Extraction};
use concord_evidence::quantity::format_value;
use concord_evidence::register::{
    standing, ClaimCitation, ClaimDate, Figure, RegisterSource, RegisteredClaim,
};
use serde_json::Value;
use toml_edit::TableLike;

use crate::evidence_report::{
    AlignmentRow, AmountRow, ChronologyRow, ClaimCitationRow, ClaimDateRow, ClaimRow, ClaimsModel,
    CommitmentCitation, CommitmentRow, CommitmentsModel, ConditionRow, ConflictRow, ConflictsModel,
    DocVersionRow, DocumentRow, EventRow, ExtractModel, ExtractedClaim, FigureRow, LayerRow,
    ListRow, NearDuplicate, OrderRow, QuantityRow, RegisterSourceRow, ReportSource, RewriteRow,
    SideRow, SpeakerRow, StatusRow, TitledRow, TotalRow, TranslationHintRow, TriggerRow, WhenRow,
};
use crate::located::{
    declared_ids, describe_value, join, number_value, tables, Cx, Diagnostics, Fields, Span,
};
use crate::scenario::{read_cite, read_scenario, CiteRefs, ReadOptions};
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

fn one_of(what: &str, known: &[String]) -> String {
    if known.is_empty() {
        format!("{what} (none are defined)")
    } else {
        let mut k: Vec<&String> = known.iter().collect();
        k.sort();
        format!(
            "{what}: one of {}",
            k.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The ids the evidence tables may name, as written in the file.
pub(crate) struct Refs {
    sources: Vec<String>,
    parties: Vec<String>,
}

impl Refs {
    /// The source and party ids written in a file, read or not.
    pub(crate) fn declared(root: &toml_edit::Table) -> Refs {
        Refs {
            sources: declared_ids(root, "sources"),
            parties: declared_ids(root, "parties"),
        }
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
    let (loaded, mut items) = match read_scenario(text, file, options) {
        Ok(loaded) => (Some(loaded), Vec::new()),
        Err(FormatError::Invalid(d)) => (None, d.items),
        Err(other) => return Err(other),
    };
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
    let loaded = loaded.expect("a scenario is read whenever no problem was recorded");
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

const CLAIM_KEYS: &[&str] = &[
    "id",
    "text",
    "by",
    "about",
    "date",
    "figures",
    "denied_by",
    "disputed_by",
    "unverifiable",
    "cite",
    "note",
];

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

/// Reads the `[[claims]]` tables (the claims register), with the scenario reader's citation
/// reader; a duplicate id is reported. Called by the scenario reader.
pub(crate) fn read_claims(
    cx: &mut Cx,
    tables: Vec<(&dyn TableLike, Span, String)>,
    refs: &Refs,
    cite: &CiteRefs,
    sites: &mut HashMap<String, (usize, usize)>,
) -> Vec<RegisteredClaim> {
    let mut claims = Vec::new();
    let mut claim_ids: HashMap<String, Span> = HashMap::new();
    for (t, span, path) in tables {
        if let Some((c, id_span)) = read_claim(cx, t, span, &path, refs, cite, sites) {
            if claim_ids.insert(c.id.clone(), id_span.clone()).is_some() {
                cx.error(
                    &id_span,
                    &join(&path, "id"),
                    format!("{:?} again", c.id),
                    "a claim id not used before",
                );
                continue;
            }
            claims.push(c);
        }
    }
    claims
}

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

fn party_list(f: &mut Fields, key: &str, refs: &Refs) -> Vec<String> {
    let path = f.at(key);
    let Some(array) = f.opt_array(key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in array.iter().enumerate() {
        match v.as_str() {
            Some(s) if refs.parties.iter().any(|p| p == s) => out.push(s.to_string()),
            Some(s) => f.cx.error(
                &v.span(),
                &format!("{path}[{k}]"),
                format!("{s:?}"),
                one_of("a party id", &refs.parties),
            ),
            None => f.cx.error(
                &v.span(),
                &format!("{path}[{k}]"),
                describe_value(v),
                "a party id",
            ),
        }
    }
    out
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

fn read_claim(
    cx: &mut Cx,
    t: &dyn TableLike,
    span: Span,
    path: &str,
    refs: &Refs,
    cite_refs: &CiteRefs,
    sites: &mut HashMap<String, (usize, usize)>,
) -> Option<(RegisteredClaim, Span)> {
    let mut f = Fields::new(cx, t, span.clone(), path.to_string(), CLAIM_KEYS);
    let id = f.req_id("id");
    let text = f.req_str("text");
    let by = party_list(&mut f, "by", refs);
    let about = party_list(&mut f, "about", refs);
    let date = claim_date(&mut f, path);
    let figures = claim_figures(&mut f, path);
    let denied_by = party_list(&mut f, "denied_by", refs);
    let disputed_by = party_list(&mut f, "disputed_by", refs);
    let unverifiable = f.opt_bool("unverifiable").unwrap_or(false);
    let note = f.opt_str("note");
    if f.item("cite").is_none() {
        f.missing(
            "cite",
            "at least one citation: the passage of each source that carries the claim",
        );
    }
    let citations: Vec<ClaimCitation> = read_cite(&mut f, cite_refs, sites, true)
        .into_iter()
        .map(|r| ClaimCitation {
            source: r.citation.source,
            quote: r.citation.quote,
            speaker: r.citation.speaker,
            via: r.via,
        })
        .collect();
    let (id, id_span) = id?;
    Some((
        RegisteredClaim {
            id,
            text: text?,
            by,
            about,
            date,
            figures,
            denied_by,
            disputed_by,
            unverifiable,
            citations,
            note,
        },
        id_span,
    ))
}

const DATE_FORMS: &str = "a date \"2026-01-02\", a month \"2025-12\", a year \"2022\" or a range \"2026-01-05..2026-01-06\"";

fn claim_date(f: &mut Fields, path: &str) -> Option<ClaimDate> {
    let item = f.item("date")?;
    let span = f.span_of("date");
    let dpath = join(path, "date");
    if let Some(s) = item.as_str() {
        return match DateSpan::parse(s) {
            Some(span) => Some(ClaimDate {
                span,
                weekday: None,
                as_written: None,
            }),
            None => {
                f.cx.error(&span, &dpath, format!("{s:?}"), DATE_FORMS);
                None
            }
        };
    }
    let Some(t) = item.as_table_like() else {
        f.wrong("date", item, &format!("{DATE_FORMS}, or a table {{ on = \"…\", weekday = \"Friday\", as_written = \"late Friday\" }}"));
        return None;
    };
    let mut d = Fields::new(
        f.cx,
        t,
        span,
        dpath.clone(),
        &["on", "weekday", "as_written"],
    );
    let on_span = d.span_of("on");
    let on = d.req_str("on").and_then(|s| {
        DateSpan::parse(&s).or_else(|| {
            d.cx.error(&on_span, &join(&dpath, "on"), format!("{s:?}"), DATE_FORMS);
            None
        })
    });
    let wd_span = d.span_of("weekday");
    let weekday = d.opt_str("weekday").and_then(|w| {
        Weekday::parse(&w).or_else(|| {
            d.cx.error(
                &wd_span,
                &join(&dpath, "weekday"),
                format!("{w:?}"),
                "a weekday name, e.g. \"Friday\"",
            );
            None
        })
    });
    let as_written = d.opt_str("as_written");
    let on = on?;
    if let Some(w) = weekday {
        if on.is_day() && on.earliest.weekday() != w {
            d.cx.error(
                &wd_span,
                &join(&dpath, "weekday"),
                format!("{w} while {} is a {}", on.earliest, on.earliest.weekday()),
                "the weekday of `on`",
            );
            return None;
        }
    }
    Some(ClaimDate {
        span: on,
        weekday,
        as_written,
    })
}

fn claim_figures(f: &mut Fields, path: &str) -> Vec<Figure> {
    let fpath = join(path, "figures");
    let Some(array) = f.opt_array("figures") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in array.iter().enumerate() {
        let p = format!("{fpath}[{k}]");
        let Some(t) = v.as_inline_table() else {
            f.cx.error(
                &v.span(),
                &p,
                describe_value(v),
                "a figure { value = 28, unit = \"people\" }",
            );
            continue;
        };
        let mut g = Fields::new(f.cx, t, v.span(), p.clone(), &["value", "unit", "approx"]);
        let value_span = g.span_of("value");
        let value = match g
            .item("value")
            .and_then(|i| i.as_value())
            .and_then(number_value)
        {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                if g.item("value").is_none() {
                    g.missing("value", "a number");
                } else {
                    g.cx.error(&value_span, &join(&p, "value"), "not a number", "a number");
                }
                None
            }
        };
        let unit = g.req_str("unit");
        let approx = g.opt_bool("approx").unwrap_or(false);
        if let (Some(value), Some(unit)) = (value, unit) {
            out.push(Figure {
                value,
                unit,
                approx,
            });
        }
    }
    out
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

// ------------------------------------------------------------------------------------------
// Reports.

fn speaker_row(s: &concord_evidence::attribution::Speaker) -> SpeakerRow {
    SpeakerRow {
        text: s.text.clone(),
        actor: s.actor.clone(),
        anonymous: s.anonymous,
        verb: s.verb.clone(),
        pronoun: s.pronoun.clone(),
    }
}

fn when_row(w: &concord_evidence::when::When) -> WhenRow {
    WhenRow {
        text: w.text.clone(),
        normalised: w.canonical(),
        earliest: w.span.map(|s| s.earliest.to_string()),
        latest: w.span.map(|s| s.latest.to_string()),
        weekday: w.weekday.map(|d| d.name().to_string()),
        part: w.part.map(|p| p.as_str().to_string()),
        inference: w.inference.as_str().to_string(),
        future: w.future,
    }
}

fn extracted_claim(e: &Extraction, c: &Claim) -> ExtractedClaim {
    ExtractedClaim {
        id: c.id.clone(),
        source: e.sources[c.source].id.clone(),
        sentence_number: c.number,
        line: c.line,
        sentence: c.sentence.clone(),
        speakers: c.speakers.iter().map(speaker_row).collect(),
        anonymous: c.anonymous(),
        actors: c.actors.clone(),
        quantities: c
            .quantities
            .iter()
            .map(|q| QuantityRow {
                value: q.value,
                unit: q.unit.to_string(),
                qualifier: q.qualifier.as_str().to_string(),
                text: q.text.clone(),
            })
            .collect(),
        dates: c.times.iter().map(when_row).collect(),
        status: c
            .marks
            .iter()
            .map(|m| StatusRow {
                mark: m.mark.as_str().to_string(),
                by: m.by.clone(),
                by_text: m.by_text.clone(),
                cue: m.cue.clone(),
            })
            .collect(),
        relays: c.relays.clone(),
        titles: c
            .titled
            .iter()
            .map(|t| TitledRow {
                name: t.name.clone(),
                title: t.title.clone(),
                of: t.of.clone(),
                former: t.former,
                text: t.text.clone(),
            })
            .collect(),
        lists: c
            .lists
            .iter()
            .map(|l| ListRow {
                members: l.members.clone(),
                partial: l.partial,
                text: l.text.clone(),
            })
            .collect(),
        documents: c
            .documents
            .iter()
            .map(|d| DocumentRow {
                points: d.points,
                noun: d.noun.clone(),
                cue: d.cue.clone(),
                text: d.text.clone(),
            })
            .collect(),
    }
}

/// A share rounded to three decimals, as the reports give them.
fn three_decimals(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn report_sources(e: &Extraction) -> Vec<ReportSource> {
    e.sources
        .iter()
        .map(|s| ReportSource {
            id: s.id.clone(),
            file: s.file.clone(),
            headline: s.headline.clone(),
            outlet: s.meta.outlet.clone(),
            published: s.meta.published.map(|p| p.to_string()),
            published_from: s.published_from.as_str().to_string(),
            dates_resolved_against: s.anchor.map(|a| a.to_string()),
            undated: s.undated_note(),
            language: s.meta.language.clone(),
            translated: s.meta.translated,
            translation_hint: s.translation_hint.as_ref().map(|h| TranslationHintRow {
                language: h.language.clone(),
                names: h.names.clone(),
            }),
            agencies: s.meta.agencies.clone(),
            near_duplicates: s
                .copies
                .iter()
                .map(|&(k, shared)| NearDuplicate {
                    source: e.sources[k].id.clone(),
                    shared: three_decimals(shared),
                })
                .collect(),
            rewrites: s
                .rewrites
                .iter()
                .map(|&(k, aligned)| RewriteRow {
                    source: e.sources[k].id.clone(),
                    aligned: three_decimals(aligned),
                })
                .collect(),
            // As in `evidence claims`: null for a report that shares its story with none.
            same_story_as: e
                .sources
                .iter()
                .any(|o| o.copy_group == s.copy_group && o.id != s.id)
                .then(|| e.sources[s.copy_group].id.clone()),
            sentences: s.sentences,
            claims: e
                .claims
                .iter()
                .filter(|c| e.sources[c.source].id == s.id)
                .count(),
            furniture_removed: s.furniture.clone(),
        })
        .collect()
}

/// The schema of `concord evidence extract --json`.
pub const EXTRACT_SCHEMA: &str = "concord.extract/1";
/// The schema of `concord evidence conflicts --json`.
pub const CONFLICTS_SCHEMA: &str = "concord.conflicts/1";
/// The schema of `concord evidence claims --json`.
pub const CLAIMS_SCHEMA: &str = "concord.claims/1";
/// The schema of `concord commitments --json`.
pub const COMMITMENTS_SCHEMA: &str = "concord.commitments/1";

/// A report model as a JSON value.
fn to_json(model: &impl serde::Serialize) -> Value {
    serde_json::to_value(model).expect("the report's types serialise to JSON")
}

/// The model of `concord evidence extract` (schema `concord.extract/1`).
pub fn extract_model(e: &Extraction) -> ExtractModel {
    ExtractModel {
        schema: EXTRACT_SCHEMA.to_string(),
        sources: report_sources(e),
        claims: e.claims.iter().map(|c| extracted_claim(e, c)).collect(),
    }
}

/// The JSON report of `concord evidence extract` ([`extract_model`] serialised).
pub fn extract_json(e: &Extraction) -> Value {
    to_json(&extract_model(e))
}

fn source_line(e: &Extraction, s: &concord_evidence::extract::SourceInfo) -> String {
    let mut parts = Vec::new();
    match (&s.meta.published, s.published_from) {
        (Some(p), from) => parts.push(format!("published {p} ({})", from.as_str())),
        (None, _) => parts.push(s.undated_note().unwrap_or_default()),
    }
    if let Some(o) = &s.meta.outlet {
        parts.push(o.clone());
    }
    if s.meta.translated {
        parts.push("a translation".into());
    }
    if let Some(h) = &s.translation_hint {
        parts.push(format!(
            "possibly translated from {}: {}",
            h.language,
            h.names.join(", ")
        ));
    }
    if !s.meta.agencies.is_empty() {
        parts.push(format!("relays {}", s.meta.agencies.join(", ")));
    }
    for &(other, shared) in &s.copies {
        parts.push(format!(
            "near-duplicate of {} ({:.0}% of the shorter text shared): one source with it",
            e.sources[other].id,
            shared * 100.0
        ));
    }
    for &(other, aligned) in &s.rewrites {
        parts.push(format!(
            "rewrite of {}'s story ({:.0}% of the shorter text's sentences in the same order): \
             one source with it",
            e.sources[other].id,
            aligned * 100.0
        ));
    }
    parts.join("; ")
}

/// The explanation of what an undated report prevents, once, when some report is undated.
fn undated_explanation(e: &Extraction, out: &mut String) {
    if e.sources.iter().any(|s| s.meta.published.is_none()) {
        let _ = writeln!(
            out,
            "  note: {}",
            concord_evidence::extract::UNDATED_PREVENTS
        );
    }
}

/// The text report of `concord evidence extract`.
pub fn extract_text(e: &Extraction) -> String {
    let mut out = String::new();
    undated_explanation(e, &mut out);
    if !out.is_empty() {
        out.push('\n');
    }
    for (k, s) in e.sources.iter().enumerate() {
        let claims: Vec<&Claim> = e.claims.iter().filter(|c| c.source == k).collect();
        let _ = writeln!(
            out,
            "== {} — {}",
            s.file,
            s.headline.as_deref().unwrap_or("(no headline)")
        );
        let _ = writeln!(out, "   {}", source_line(e, s));
        let _ = writeln!(
            out,
            "   {} sentences, {} candidate claims, {} lines of page furniture removed",
            s.sentences,
            claims.len(),
            s.furniture.len()
        );
        for c in claims {
            let _ = writeln!(out, "\n[{}] {}", c.id, c.sentence);
            if !c.speakers.is_empty() {
                let who: Vec<String> = c
                    .speakers
                    .iter()
                    .map(|s| {
                        let mut t = s.text.clone();
                        if let Some(a) = &s.actor {
                            t.push_str(&format!(" → {a}"));
                        }
                        if s.anonymous {
                            t.push_str(" (anonymous)");
                        }
                        if let Some(p) = &s.pronoun {
                            t.push_str(&format!(" (from “{p}”)"));
                        }
                        t
                    })
                    .collect();
                let _ = writeln!(out, "    who: {}", who.join("; "));
            }
            if !c.actors.is_empty() {
                let _ = writeln!(out, "    actors: {}", c.actors.join(", "));
            }
            if !c.quantities.is_empty() {
                let q: Vec<String> = c
                    .quantities
                    .iter()
                    .map(|q| format!("{} (“{}”)", q.canonical(), q.text))
                    .collect();
                let _ = writeln!(out, "    figures: {}", q.join("; "));
            }
            if !c.times.is_empty() {
                let t: Vec<String> = c
                    .times
                    .iter()
                    .map(|w| {
                        let mut s = format!("“{}” → {w}", w.text);
                        if w.inference != concord_evidence::when::Inference::Stated {
                            s.push_str(&format!(" [{}]", w.inference.as_str()));
                        }
                        s
                    })
                    .collect();
                let _ = writeln!(out, "    when: {}", t.join("; "));
            }
            for m in &c.marks {
                let by = if m.by.is_empty() {
                    m.by_text.clone().unwrap_or_default()
                } else {
                    m.by.join(", ")
                };
                let silent = m.mark == concord_evidence::status::Mark::NoResponse;
                let _ = writeln!(
                    out,
                    "    status: {}{}",
                    if silent {
                        "no response"
                    } else {
                        m.mark.as_str()
                    },
                    match (by.is_empty(), silent) {
                        (true, _) => String::new(),
                        (false, true) => format!(" from {by}"),
                        (false, false) => format!(" by {by}"),
                    }
                );
            }
            if !c.relays.is_empty() {
                let _ = writeln!(out, "    relays: {}", c.relays.join(", "));
            }
        }
        out.push('\n');
    }
    out
}

/// The model of `concord evidence conflicts` (schema `concord.conflicts/1`).
pub fn conflicts_model(e: &Extraction, a: &Analysis) -> ConflictsModel {
    let claim_id = |k: usize| e.claims[k].id.clone();
    let side = |side: &concord_evidence::conflicts::Side| {
        let c = &e.claims[side.claim];
        SideRow {
            value: side.value.clone(),
            claim: c.id.clone(),
            source: e.sources[c.source].id.clone(),
            sentence: c.sentence.clone(),
        }
    };
    let versions = &a.chronology.versions;
    ConflictsModel {
        schema: CONFLICTS_SCHEMA.to_string(),
        sources: report_sources(e),
        conflicts: a
            .conflicts
            .iter()
            .map(|c| ConflictRow {
                kind: c.kind.as_str().to_string(),
                about: c.about.clone(),
                sides: c.sides.iter().map(side).collect(),
                note: c.note.clone(),
                similarity: c.similarity.map(three_decimals),
                tentative: c.tentative,
            })
            .collect(),
        events: a
            .events
            .iter()
            .map(|ev| EventRow {
                claims: ev.claims.iter().map(|&k| claim_id(k)).collect(),
                sources: ev
                    .sources
                    .iter()
                    .map(|&s| e.sources[s].id.clone())
                    .collect(),
                independent_sources: ev.independent(),
                origins: ev.origins.clone(),
                standing: ev.standing.as_str().to_string(),
                anonymous: ev.anonymous,
                denied_by: ev.denied_by.clone(),
                disputed_by: ev.disputed_by.clone(),
                unverifiable: ev.unverifiable,
                sentence: e.claims[ev.claims[0]].sentence.clone(),
            })
            .collect(),
        chronology: ChronologyRow {
            versions: versions
                .iter()
                .map(|v| DocVersionRow {
                    points: v.points,
                    noun: v.noun.clone(),
                    when: v.when.map(|w| w.to_string()),
                    before: v.before,
                    claims: v.claims.iter().map(|&k| claim_id(k)).collect(),
                })
                .collect(),
            established: a
                .chronology
                .established
                .iter()
                .map(|&(x, y)| OrderRow {
                    earlier: versions[x].points,
                    later: versions[y].points,
                })
                .collect(),
            undetermined: a
                .chronology
                .undetermined
                .iter()
                .map(|&(x, y)| [versions[x].points, versions[y].points])
                .collect(),
        },
        alignments: a
            .alignments
            .iter()
            .map(|al| AlignmentRow {
                a: claim_id(al.a),
                b: claim_id(al.b),
                similarity: three_decimals(al.similarity),
            })
            .collect(),
    }
}

/// The JSON report of `concord evidence conflicts` ([`conflicts_model`] serialised).
pub fn conflicts_json(e: &Extraction, a: &Analysis) -> Value {
    to_json(&conflicts_model(e, a))
}

/// The text report of `concord evidence conflicts`.
pub fn conflicts_text(e: &Extraction, a: &Analysis) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Sources");
    for s in &e.sources {
        let _ = writeln!(out, "  {:<28} {}", s.id, source_line(e, s));
    }
    undated_explanation(e, &mut out);
    let _ = writeln!(out, "\nConflicts ({})", a.conflicts.len());
    if a.conflicts.is_empty() {
        let _ = writeln!(out, "  none found");
    }
    for (k, c) in a.conflicts.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{}. [{}] {}{}",
            k + 1,
            c.kind.as_str(),
            c.about,
            if c.tentative {
                " (tentative: weakly aligned accounts, check they are the same event)"
            } else {
                ""
            }
        );
        for side in &c.sides {
            let claim = &e.claims[side.claim];
            let _ = writeln!(
                out,
                "   {} says {}:",
                e.sources[claim.source].id, side.value
            );
            let _ = writeln!(out, "      “{}”", claim.sentence);
        }
        if let Some(n) = &c.note {
            let _ = writeln!(out, "   note: {n}");
        }
    }
    let multi: Vec<_> = a.events.iter().filter(|ev| ev.sources.len() >= 2).collect();
    let _ = writeln!(out, "\nEvents carried by several reports ({})", multi.len());
    for ev in &multi {
        let first = &e.claims[ev.claims[0]];
        let mut line = format!(
            "{}: {} report(s), {} independent",
            ev.standing.as_str(),
            ev.sources.len(),
            ev.independent()
        );
        if ev.independent() < ev.sources.len() {
            line.push_str(&format!(" (origins: {})", ev.origins.join(", ")));
        }
        if !ev.denied_by.is_empty() {
            line.push_str(&format!("; denied by {}", ev.denied_by.join(", ")));
        }
        if !ev.disputed_by.is_empty() {
            line.push_str(&format!("; disputed by {}", ev.disputed_by.join(", ")));
        }
        let _ = writeln!(out, "  - {line}\n      “{}”", first.sentence);
    }
    let single: Vec<_> = a.events.iter().filter(|ev| ev.sources.len() == 1).collect();
    let anonymous: Vec<_> = single.iter().filter(|ev| ev.anonymous).collect();
    let _ = writeln!(
        out,
        "\nSingle-source claims: {} ({} of them resting only on anonymous speakers)",
        single.len(),
        anonymous.len()
    );
    for ev in anonymous {
        let c = &e.claims[ev.claims[0]];
        let _ = writeln!(out, "  - [{}] “{}”", c.id, c.sentence);
    }
    let ch = &a.chronology;
    if !ch.versions.is_empty() {
        let _ = writeln!(out, "\nDocument versions");
        for v in &ch.versions {
            let when = match (v.when, v.before) {
                (Some(w), true) => format!("before {}", w.latest),
                (Some(w), false) => w.to_string(),
                (None, _) => "undated".into(),
            };
            let first = &e.claims[v.claims[0]];
            let _ = writeln!(
                out,
                "  {}-point {} ({when}), in {}",
                v.points, v.noun, e.sources[first.source].id
            );
        }
        for &(x, y) in &ch.established {
            let _ = writeln!(
                out,
                "  established: the {}-point text predates the {}-point text",
                ch.versions[x].points, ch.versions[y].points
            );
        }
        for &(x, y) in &ch.undetermined {
            let _ = writeln!(
                out,
                "  undetermined: {}-point and {}-point",
                ch.versions[x].points, ch.versions[y].points
            );
        }
    }
    out
}

fn standing_label(s: Standing) -> &'static str {
    s.as_str()
}

/// The model of `concord evidence claims` (schema `concord.claims/1`).
pub fn claims_model(ev: &LoadedEvidence) -> ClaimsModel {
    let claims = ev
        .claims
        .iter()
        .map(|c| {
            let st = standing(c, &ev.sources);
            ClaimRow {
                id: c.id.clone(),
                text: c.text.clone(),
                by: c.by.clone(),
                about: c.about.clone(),
                date: c.date.as_ref().map(|d| ClaimDateRow {
                    on: d.span.to_string(),
                    weekday: d.weekday.map(|w| w.name().to_string()),
                    as_written: d.as_written.clone(),
                }),
                figures: c
                    .figures
                    .iter()
                    .map(|f| FigureRow {
                        value: f.value,
                        unit: f.unit.clone(),
                        approx: f.approx,
                    })
                    .collect(),
                standing: standing_label(st.standing).to_string(),
                independent_sources: st.origins.len(),
                origins: st.origins,
                denied_by: c.denied_by.clone(),
                disputed_by: c.disputed_by.clone(),
                unverifiable: c.unverifiable,
                citations: c
                    .citations
                    .iter()
                    .map(|k| ClaimCitationRow {
                        source: ev.sources[k.source].id.clone(),
                        quote: k.quote.clone(),
                        speaker: k.speaker.clone(),
                        via: k.via.clone(),
                    })
                    .collect(),
                note: c.note.clone(),
            }
        })
        .collect();
    ClaimsModel {
        schema: CLAIMS_SCHEMA.to_string(),
        scenario: ev.scenario.id.clone(),
        sources: ev
            .scenario
            .sources
            .iter()
            .zip(&ev.sources)
            .map(|(s, r)| RegisterSourceRow {
                id: s.id.clone(),
                file: s.file.clone(),
                outlet: s.outlet.clone(),
                published: s.published.clone(),
                translated: s.translated,
                embellished: s.embellished,
                caveat: s.caveat.clone(),
                agencies: s.agencies.clone(),
                same_story_as: r.same_story_as.clone(),
            })
            .collect(),
        stories_compared: ev.stories.is_some(),
        texts_missing: ev.stories.as_ref().map(|c| c.missing.clone()),
        claims,
    }
}

/// The JSON report of `concord evidence claims` ([`claims_model`] serialised).
pub fn claims_json(ev: &LoadedEvidence) -> Value {
    to_json(&claims_model(ev))
}

/// The source table of the claims register: what each source is, its caveats, and which
/// sources tell one story.
fn sources_table(m: &ClaimsModel, out: &mut String) {
    let width = m
        .sources
        .iter()
        .map(|s| s.id.chars().count())
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "\nSources ({})", m.sources.len());
    for s in &m.sources {
        let mut parts: Vec<String> = Vec::new();
        if let Some(o) = &s.outlet {
            parts.push(o.clone());
        }
        match &s.published {
            Some(p) => parts.push(format!("published {p}")),
            None => parts.push("undated".into()),
        }
        if s.translated {
            parts.push("TRANSLATED".into());
        }
        if s.embellished {
            parts.push("EMBELLISHED".into());
        }
        if !s.agencies.is_empty() {
            parts.push(format!("relays {}", s.agencies.join(", ")));
        }
        if let Some(first) = &s.same_story_as {
            let others: Vec<&str> = m
                .sources
                .iter()
                .filter(|o| o.same_story_as.as_ref() == Some(first) && o.id != s.id)
                .map(|o| o.id.as_str())
                .collect();
            parts.push(format!("one story with {}", others.join(", ")));
        }
        let pad = " ".repeat(width + 4);
        crate::layout::wrap(
            out,
            &format!("  {:<width$}  ", s.id),
            &pad,
            &parts.join("; "),
        );
        if let Some(c) = &s.caveat {
            crate::layout::wrap(out, &pad, &pad, &format!("({c})"));
        }
    }
    match &m.texts_missing {
        Some(missing) => {
            // Sources of one story are marked only when the texts were compared.
            if m.sources.iter().any(|s| s.same_story_as.is_some()) {
                crate::layout::wrap(
                    out,
                    "  ",
                    "  ",
                    "Sources of one story (copies or rewrites of one text, found by comparing the \
                     texts) count as one origin below.",
                );
            }
            if !missing.is_empty() {
                crate::layout::wrap(
                    out,
                    "  ",
                    "  ",
                    &format!(
                        "Not compared (text not found): {}; each counts as independent.",
                        missing.join(", ")
                    ),
                );
            }
        }
        None => {
            crate::layout::wrap(
                out,
                "  ",
                "  ",
                "The texts were not compared (give --sources DIR): copies and rewrites of one \
                 story are not found, and each source counts as independent unless it names the \
                 same agency.",
            );
        }
    }
}

/// The text report of `concord evidence claims` ([`claims_model`] rendered).
pub fn claims_text(ev: &LoadedEvidence) -> String {
    claims_model_text(&claims_model(ev))
}

/// The text of a claims register, rendered from its model (the JSON is the same model
/// serialised).
pub fn claims_model_text(m: &ClaimsModel) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Claims register of {} ({} claims)",
        m.scenario,
        m.claims.len()
    );
    sources_table(m, &mut out);
    for c in &m.claims {
        let mut head = format!("\n[{}] {} — {}", c.id, c.text, c.standing);
        if c.independent_sources >= 2 || c.citations.len() >= 2 {
            head.push_str(&format!(
                " ({} independent of {} sources)",
                c.independent_sources,
                c.citations.len()
            ));
        }
        let _ = writeln!(out, "{head}");
        if !c.by.is_empty() {
            let _ = writeln!(out, "    asserted by: {}", c.by.join(", "));
        }
        if !c.about.is_empty() {
            let _ = writeln!(out, "    about: {}", c.about.join(", "));
        }
        if let Some(d) = &c.date {
            let mut s = d.on.clone();
            if let Some(w) = &d.weekday {
                s.push_str(&format!(" ({w})"));
            }
            if let Some(a) = &d.as_written {
                s.push_str(&format!(", written “{a}”"));
            }
            let _ = writeln!(out, "    when: {s}");
        }
        if !c.figures.is_empty() {
            let f: Vec<String> = c
                .figures
                .iter()
                .map(|f| {
                    format!(
                        "{}{} {}",
                        if f.approx { "about " } else { "" },
                        format_value(f.value),
                        f.unit
                    )
                })
                .collect();
            let _ = writeln!(out, "    figures: {}", f.join(", "));
        }
        if !c.denied_by.is_empty() {
            let _ = writeln!(out, "    denied by: {}", c.denied_by.join(", "));
        }
        if !c.disputed_by.is_empty() {
            let _ = writeln!(out, "    disputed by: {}", c.disputed_by.join(", "));
        }
        for k in &c.citations {
            let mut s = format!("    {}: “{}”", k.source, k.quote);
            if let Some(sp) = &k.speaker {
                s.push_str(&format!(" — {sp}"));
            }
            if !k.via.is_empty() {
                s.push_str(&format!(" (via {})", k.via.join(", ")));
            }
            let _ = writeln!(out, "{s}");
        }
    }
    out
}

fn commitment_row(c: &Commitment, ledger: &Ledger) -> CommitmentRow {
    CommitmentRow {
        id: c.id.clone(),
        kind: c.kind.as_str().to_string(),
        by: c.by.clone(),
        by_unnamed: c.by_unnamed.clone(),
        to: c.to.clone(),
        what: c.what.as_str().to_string(),
        description: c.description.clone(),
        amount: c.amount.as_ref().map(|a| AmountRow {
            value: a.value,
            unit: a.unit.clone(),
            approx: a.approx,
            period: a.period.clone(),
        }),
        layer: c.layer.map(|l| ledger.layers[l].id.clone()),
        condition: c.condition.clone(),
        trigger: c.trigger.map(|t| ledger.triggers[t].id.clone()),
        status: c.firmness.as_str().to_string(),
        firm: c.is_firm(),
        claim: c.claim.clone(),
        cite: c
            .citations
            .iter()
            .map(|k| CommitmentCitation {
                source: k.source.clone(),
                quote: k.quote.clone(),
            })
            .collect(),
    }
}

/// The model of `concord commitments` (schema `concord.commitments/1`).
pub fn commitments_model(ledger: &Ledger, r: &Review) -> CommitmentsModel {
    let ids = |v: &[usize]| {
        v.iter()
            .map(|&c| ledger.commitments[c].id.clone())
            .collect::<Vec<_>>()
    };
    CommitmentsModel {
        schema: COMMITMENTS_SCHEMA.to_string(),
        commitments: ledger
            .commitments
            .iter()
            .map(|c| commitment_row(c, ledger))
            .collect(),
        layers: r
            .layers
            .iter()
            .map(|l| LayerRow {
                id: ledger.layers[l.layer].id.clone(),
                name: ledger.layers[l.layer].name.clone(),
                order: ledger.layers[l.layer].order,
                firm: ids(&l.firm),
                conditional: ids(&l.conditional),
                not_firm: ids(&l.not_firm),
                totals: l
                    .totals
                    .iter()
                    .map(|t| TotalRow {
                        unit: t.unit.clone(),
                        value: t.value,
                        approx: t.approx,
                    })
                    .collect(),
                bare: l.firm.is_empty() && l.conditional.is_empty(),
            })
            .collect(),
        unlayered: ids(&r.unlayered),
        conditions: r
            .conditions
            .iter()
            .map(|(cond, cs)| ConditionRow {
                condition: cond.clone(),
                commitments: ids(cs),
            })
            .collect(),
        triggers: r
            .triggers
            .iter()
            .map(|t| TriggerRow {
                id: ledger.triggers[t.trigger].id.clone(),
                name: ledger.triggers[t.trigger].name.clone(),
                firm: ids(&t.firm),
                not_firm: ids(&t.not_firm),
                covered: !t.firm.is_empty(),
            })
            .collect(),
        uncovered_triggers: r
            .uncovered
            .iter()
            .map(|&t| ledger.triggers[t].id.clone())
            .collect(),
    }
}

/// The JSON report of `concord commitments` ([`commitments_model`] serialised).
pub fn commitments_json(ledger: &Ledger, r: &Review) -> Value {
    to_json(&commitments_model(ledger, r))
}

fn commitment_line(c: &CommitmentRow) -> String {
    let pledger = match (c.by.is_empty(), &c.by_unnamed) {
        (false, Some(u)) => format!("{} and {u}", c.by.join(", ")),
        (false, None) => c.by.join(", "),
        (true, Some(u)) => u.clone(),
        (true, None) => "nobody named".into(),
    };
    let mut s = format!(
        "{} ({} {}, {}): {} — by {pledger}",
        c.id, c.kind, c.what, c.status, c.description
    );
    if !c.to.is_empty() {
        s.push_str(&format!(" to {}", c.to.join(", ")));
    }
    if let Some(a) = &c.amount {
        let amount = concord_evidence::commitments::Amount {
            value: a.value,
            unit: a.unit.clone(),
            approx: a.approx,
            period: a.period.clone(),
        };
        s.push_str(&format!("; {amount}"));
    }
    if let Some(cond) = &c.condition {
        s.push_str(&format!("; if {cond}"));
    }
    s
}

/// The text report of `concord commitments` ([`commitments_model`] rendered).
pub fn commitments_text(ledger: &Ledger, r: &Review) -> String {
    commitments_model_text(&commitments_model(ledger, r))
}

/// The text of a commitments report, rendered from its model (the JSON is the same model
/// serialised).
pub fn commitments_model_text(m: &CommitmentsModel) -> String {
    let mut out = String::new();
    if m.commitments.is_empty() && m.layers.is_empty() && m.triggers.is_empty() {
        let _ = writeln!(out, "No [[commitments]] in this file.");
        return out;
    }
    let by_id: HashMap<&str, &CommitmentRow> =
        m.commitments.iter().map(|c| (c.id.as_str(), c)).collect();
    let line = |id: &String| commitment_line(by_id[id.as_str()]);
    let _ = writeln!(out, "What stands behind each layer");
    for l in &m.layers {
        let order = l.order.map(|o| format!("{o}. ")).unwrap_or_default();
        let _ = writeln!(out, "\n  {order}{} [{}]", l.name, l.id);
        if l.bare {
            let _ = writeln!(out, "    nothing firm: no agreed or pledged commitment");
        }
        for (label, list) in [
            ("firm", &l.firm),
            ("firm, conditional", &l.conditional),
            ("not firm", &l.not_firm),
        ] {
            for c in list {
                let _ = writeln!(out, "    {label}: {}", line(c));
            }
        }
        for t in &l.totals {
            let _ = writeln!(
                out,
                "    total firm: {}{} {}",
                if t.approx { "about " } else { "" },
                format_value(t.value),
                t.unit
            );
        }
    }
    if !m.unlayered.is_empty() {
        let _ = writeln!(out, "\n  On no layer");
        for c in &m.unlayered {
            let _ = writeln!(out, "    {}", line(c));
        }
    }
    let _ = writeln!(out, "\nConditional commitments");
    if m.conditions.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for c in &m.conditions {
        let _ = writeln!(out, "  if {}: {}", c.condition, c.commitments.join(", "));
    }
    let _ = writeln!(out, "\nTriggers");
    if m.triggers.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for t in &m.triggers {
        if t.covered {
            let _ = writeln!(
                out,
                "  covered: {} [{}] by {}",
                t.name,
                t.id,
                t.firm.join(", ")
            );
        } else {
            let _ = writeln!(
                out,
                "  UNCOVERED: {} [{}]: no firm pledge behind it{}",
                t.name,
                t.id,
                if t.not_firm.is_empty() {
                    String::new()
                } else {
                    format!(" (only {})", t.not_firm.join(", "))
                }
            );
        }
    }
    out
}

/// Reviews a ledger: [`concord_evidence::commitments::review`], re-exported for the binary.
pub fn review_ledger(ledger: &Ledger) -> Review {
    review(ledger)
}

//! The JSON and text reports of `concord evidence`: extraction, conflicts, the claims register
//! and the commitments ledger (docs/evidence.md). The tables they report on are read by
//! `concord_io::evidence`; the typed models are in [`crate::evidence_report`].

use std::collections::HashMap;
use std::fmt::Write;

use crate::layout::counted;
use concord_evidence::commitments::{review, Commitment, Ledger, Review};
use concord_evidence::conflicts::{Analysis, Standing};
use concord_evidence::extract::{Claim, Extraction};
use concord_evidence::quantity::format_value;
use concord_evidence::register::standing;
use concord_io::evidence::LoadedEvidence;
use serde_json::Value;

use crate::evidence_report::{
    AlignmentRow, AmountRow, ChronologyRow, ClaimCitationRow, ClaimDateRow, ClaimRow, ClaimsModel,
    CommitmentCitation, CommitmentRow, CommitmentsModel, ConditionRow, ConflictRow, ConflictsModel,
    DocVersionRow, DocumentRow, EventRow, ExtractModel, ExtractedClaim, FigureRow, LayerRow,
    ListRow, NearDuplicate, OrderRow, QuantityRow, RegisterSourceRow, ReportSource, RewriteRow,
    SideRow, SpeakerRow, StatusRow, TitledRow, TotalRow, TranslationHintRow, TriggerRow, WhenRow,
};

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
        shown: w.to_string(),
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
        narrated: c.narrated,
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

fn source_line(s: &ReportSource) -> String {
    let mut parts = Vec::new();
    match &s.published {
        Some(p) => parts.push(format!("published {p} ({})", s.published_from)),
        None => parts.push(s.undated.clone().unwrap_or_default()),
    }
    if let Some(o) = &s.outlet {
        parts.push(o.clone());
    }
    if s.translated {
        parts.push("a translation".into());
    }
    if let Some(h) = &s.translation_hint {
        parts.push(format!(
            "possibly translated from {}: {}",
            h.language,
            h.names.join(", ")
        ));
    }
    if !s.agencies.is_empty() {
        parts.push(format!("relays {}", s.agencies.join(", ")));
    }
    for d in &s.near_duplicates {
        parts.push(format!(
            "near-duplicate of {} ({:.0}% of the shorter text shared): one source with it",
            d.source,
            d.shared * 100.0
        ));
    }
    for r in &s.rewrites {
        parts.push(format!(
            "rewrite of {}'s story ({:.0}% of the shorter text's sentences in the same order): \
             one source with it",
            r.source,
            r.aligned * 100.0
        ));
    }
    parts.join("; ")
}

/// The explanation of what an undated report prevents, once, when some report is undated.
fn undated_explanation(sources: &[ReportSource], out: &mut String) {
    if sources.iter().any(|s| s.published.is_none()) {
        let _ = writeln!(
            out,
            "  note: {}",
            concord_evidence::extract::UNDATED_PREVENTS
        );
    }
}

/// The text report of `concord evidence extract`, rendered from its model.
pub fn extract_text(e: &Extraction) -> String {
    extract_model_text(&extract_model(e))
}

/// The text of an [`ExtractModel`]: each report with its metadata, then its candidate claims
/// with who says them, the actors, figures, dates, status marks and relays.
pub fn extract_model_text(m: &ExtractModel) -> String {
    let mut out = String::new();
    undated_explanation(&m.sources, &mut out);
    if !out.is_empty() {
        out.push('\n');
    }
    for s in &m.sources {
        let claims: Vec<&ExtractedClaim> = m.claims.iter().filter(|c| c.source == s.id).collect();
        let _ = writeln!(
            out,
            "== {} — {}",
            s.file,
            s.headline.as_deref().unwrap_or("(no headline)")
        );
        let _ = writeln!(out, "   {}", source_line(s));
        let _ = writeln!(
            out,
            "   {}, {}, {} of page furniture removed",
            counted(s.sentences, "sentence", "sentences"),
            counted(claims.len(), "candidate claim", "candidate claims"),
            counted(s.furniture_removed.len(), "line", "lines")
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
            if c.narrated {
                let _ = writeln!(
                    out,
                    "    told as what happened (its past tense; not aligned across reports)"
                );
            }
            if !c.actors.is_empty() {
                let _ = writeln!(out, "    actors: {}", c.actors.join(", "));
            }
            if !c.quantities.is_empty() {
                let q: Vec<String> = c
                    .quantities
                    .iter()
                    .map(|q| format!("{} {} (“{}”)", format_value(q.value), q.unit, q.text))
                    .collect();
                let _ = writeln!(out, "    figures: {}", q.join("; "));
            }
            if !c.dates.is_empty() {
                let t: Vec<String> = c
                    .dates
                    .iter()
                    .map(|w| {
                        let mut s = format!("“{}” → {}", w.text, w.shown);
                        if w.inference != concord_evidence::when::Inference::Stated.as_str() {
                            s.push_str(&format!(" [{}]", w.inference));
                        }
                        s
                    })
                    .collect();
                let _ = writeln!(out, "    when: {}", t.join("; "));
            }
            for st in &c.status {
                let by = if st.by.is_empty() {
                    st.by_text.clone().unwrap_or_default()
                } else {
                    st.by.join(", ")
                };
                let silent = st.mark == concord_evidence::status::Mark::NoResponse.as_str();
                let _ = writeln!(
                    out,
                    "    status: {}{}",
                    if silent {
                        "no response"
                    } else {
                        st.mark.as_str()
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
                    source: e.sources[e.claims[v.claims[0]].source].id.clone(),
                    shown: match (v.when, v.before) {
                        (Some(w), true) => format!("before {}", w.latest),
                        (Some(w), false) => w.to_string(),
                        (None, _) => "undated".into(),
                    },
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

/// The text report of `concord evidence conflicts`, rendered from its model.
pub fn conflicts_text(e: &Extraction, a: &Analysis) -> String {
    conflicts_model_text(&conflicts_model(e, a))
}

/// The text of a [`ConflictsModel`]: the reports, the conflicts with each side's sentence, the
/// events several reports carry, the single-source claims (those resting only on anonymous
/// speakers listed), and the order of the document versions.
pub fn conflicts_model_text(m: &ConflictsModel) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Sources");
    for s in &m.sources {
        let _ = writeln!(out, "  {:<28} {}", s.id, source_line(s));
    }
    undated_explanation(&m.sources, &mut out);
    let _ = writeln!(out, "\nConflicts ({})", m.conflicts.len());
    if m.conflicts.is_empty() {
        let _ = writeln!(out, "  none found");
    }
    for (k, c) in m.conflicts.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{}. [{}] {}{}",
            k + 1,
            c.kind,
            c.about,
            if c.tentative {
                " (tentative: weakly aligned accounts, check they are the same event)"
            } else {
                ""
            }
        );
        for side in &c.sides {
            let _ = writeln!(out, "   {} says {}:", side.source, side.value);
            let _ = writeln!(out, "      “{}”", side.sentence);
        }
        if let Some(n) = &c.note {
            let _ = writeln!(out, "   note: {n}");
        }
    }
    let multi: Vec<&EventRow> = m.events.iter().filter(|ev| ev.sources.len() >= 2).collect();
    let _ = writeln!(out, "\nEvents carried by several reports ({})", multi.len());
    for ev in &multi {
        let mut line = format!(
            "{}: {} report(s), {} independent",
            ev.standing,
            ev.sources.len(),
            ev.independent_sources
        );
        if ev.independent_sources < ev.sources.len() {
            line.push_str(&format!(" (origins: {})", ev.origins.join(", ")));
        }
        if !ev.denied_by.is_empty() {
            line.push_str(&format!("; denied by {}", ev.denied_by.join(", ")));
        }
        if !ev.disputed_by.is_empty() {
            line.push_str(&format!("; disputed by {}", ev.disputed_by.join(", ")));
        }
        let _ = writeln!(out, "  - {line}\n      “{}”", ev.sentence);
    }
    let single: Vec<&EventRow> = m.events.iter().filter(|ev| ev.sources.len() == 1).collect();
    let anonymous: Vec<&&EventRow> = single.iter().filter(|ev| ev.anonymous).collect();
    let _ = writeln!(
        out,
        "\nSingle-source claims: {} ({} of them resting only on anonymous speakers)",
        single.len(),
        anonymous.len()
    );
    for ev in anonymous {
        let _ = writeln!(out, "  - [{}] “{}”", ev.claims[0], ev.sentence);
    }
    let ch = &m.chronology;
    if !ch.versions.is_empty() {
        let _ = writeln!(out, "\nDocument versions");
        for v in &ch.versions {
            let _ = writeln!(
                out,
                "  {}-point {} ({}), in {}",
                v.points, v.noun, v.shown, v.source
            );
        }
        for o in &ch.established {
            let _ = writeln!(
                out,
                "  established: the {}-point text predates the {}-point text",
                o.earlier, o.later
            );
        }
        for [x, y] in &ch.undetermined {
            let _ = writeln!(out, "  undetermined: {x}-point and {y}-point");
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
        "Claims register of {} ({})",
        m.scenario,
        counted(m.claims.len(), "claim", "claims")
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

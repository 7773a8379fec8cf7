//! The typed models of the evidence reports: `concord evidence extract --json`
//! (`concord.extract/1`), `evidence conflicts --json` (`concord.conflicts/1`), `evidence claims
//! --json` (`concord.claims/1`) and `concord commitments --json` (`concord.commitments/1`),
//! serialised with serde and described by JSON Schemas generated from the same types (one file
//! per report in `schemas/`). The models are built in [`crate::evidence`].

use schemars::JsonSchema;
use serde::Serialize;

/// `concord evidence extract --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExtractModel {
    /// `concord.extract/1`.
    #[schemars(extend("const" = "concord.extract/1"))]
    pub schema: String,
    /// The reports read.
    pub sources: Vec<ReportSource>,
    /// The candidate claims, report by report.
    pub claims: Vec<ExtractedClaim>,
}

/// A report read by `evidence extract` or `evidence conflicts`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReportSource {
    /// Its id (the file's stem).
    pub id: String,
    /// Its file name.
    pub file: String,
    /// Its headline, when found.
    pub headline: Option<String>,
    /// Its outlet, when known.
    pub outlet: Option<String>,
    /// Its publication date, when known.
    pub published: Option<String>,
    /// Where the publication date comes from.
    pub published_from: String,
    /// The date relative dates were resolved against.
    pub dates_resolved_against: Option<String>,
    /// Why relative dates could not be resolved, when they could not.
    pub undated: Option<String>,
    /// Its language, when stated.
    pub language: Option<String>,
    /// Whether it is a translation.
    pub translated: bool,
    /// Signs that it was translated, when found.
    pub translation_hint: Option<TranslationHintRow>,
    /// The agencies it credits.
    pub agencies: Vec<String>,
    /// Reports sharing much of its text.
    pub near_duplicates: Vec<NearDuplicate>,
    /// Reports it rewrites.
    pub rewrites: Vec<RewriteRow>,
    /// The first report of its story; null for a report that shares its story with none.
    pub same_story_as: Option<String>,
    /// Its number of sentences.
    pub sentences: usize,
    /// Its number of candidate claims.
    pub claims: usize,
    /// Lines removed as page furniture.
    pub furniture_removed: Vec<String>,
}

/// Signs that a report was translated.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TranslationHintRow {
    /// The language it was likely translated from.
    pub language: String,
    /// The names that suggest it.
    pub names: Vec<String>,
}

/// A report sharing much of another's text.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NearDuplicate {
    /// The other report's id.
    pub source: String,
    /// The share of text shared (three decimals).
    pub shared: f64,
}

/// A report rewriting another.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RewriteRow {
    /// The other report's id.
    pub source: String,
    /// The share of sentences aligned (three decimals).
    pub aligned: f64,
}

/// A candidate claim.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExtractedClaim {
    /// Its id.
    pub id: String,
    /// The report's id.
    pub source: String,
    /// Its sentence's number in the report.
    pub sentence_number: usize,
    /// Its line in the file.
    pub line: usize,
    /// The sentence.
    pub sentence: String,
    /// Who is reported to say it.
    pub speakers: Vec<SpeakerRow>,
    /// Taken as a claim only because the report tells it as what happened (a past tense or a
    /// perfect; no speaker, figure, status or event word marks it); such a claim takes no part
    /// in aligning claims into events across reports.
    pub narrated: bool,
    /// Whether every speaker is anonymous.
    pub anonymous: bool,
    /// The actors named.
    pub actors: Vec<String>,
    /// The quantities.
    pub quantities: Vec<QuantityRow>,
    /// The dates and times.
    pub dates: Vec<WhenRow>,
    /// Denials, disputes and other marks of status.
    pub status: Vec<StatusRow>,
    /// The outlets or agencies it is relayed through.
    pub relays: Vec<String>,
    /// People named with a title.
    pub titles: Vec<TitledRow>,
    /// Lists of names.
    pub lists: Vec<ListRow>,
    /// Versions of documents mentioned.
    pub documents: Vec<DocumentRow>,
}

/// A speaker.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SpeakerRow {
    /// The words naming them.
    pub text: String,
    /// The actor, when resolved.
    pub actor: Option<String>,
    /// Whether unnamed.
    pub anonymous: bool,
    /// The verb of speech.
    pub verb: String,
    /// The pronoun resolved, when one was.
    pub pronoun: Option<String>,
}

/// A quantity.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuantityRow {
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// `exact`, `about`, `at least`, …
    pub qualifier: String,
    /// The words.
    pub text: String,
}

/// A date or time.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WhenRow {
    /// The words.
    pub text: String,
    /// Its normalised form, when it has one.
    pub normalised: Option<String>,
    /// Its earliest day, when resolved.
    pub earliest: Option<String>,
    /// Its latest day, when resolved.
    pub latest: Option<String>,
    /// Its weekday, when named.
    pub weekday: Option<String>,
    /// The part of the day, when named.
    pub part: Option<String>,
    /// How it was resolved.
    pub inference: String,
    /// Whether it lies ahead of the report.
    pub future: bool,
    /// As the text report shows it: the day or span, a weekday, or the words when unresolved.
    pub shown: String,
}

/// A mark of status.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusRow {
    /// `denied`, `disputed`, `unverified`, …
    pub mark: String,
    /// Who marks it.
    pub by: Vec<String>,
    /// The words naming them.
    pub by_text: Option<String>,
    /// The cue word.
    pub cue: String,
}

/// A person named with a title.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TitledRow {
    /// The name.
    pub name: String,
    /// The title.
    pub title: String,
    /// Of what.
    pub of: Option<String>,
    /// Whether a former holder.
    pub former: bool,
    /// The words.
    pub text: String,
}

/// A list of names.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ListRow {
    /// Its members.
    pub members: Vec<String>,
    /// Whether it is partial ("among them").
    pub partial: bool,
    /// The words.
    pub text: String,
}

/// A version of a document mentioned.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocumentRow {
    /// Its number of points.
    pub points: u32,
    /// Its noun (`plan`, `framework`, …).
    pub noun: String,
    /// The cue of its order, when found.
    pub cue: Option<String>,
    /// The words.
    pub text: String,
}

/// `concord evidence conflicts --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConflictsModel {
    /// `concord.conflicts/1`.
    #[schemars(extend("const" = "concord.conflicts/1"))]
    pub schema: String,
    /// The reports read.
    pub sources: Vec<ReportSource>,
    /// The conflicts between reports.
    pub conflicts: Vec<ConflictRow>,
    /// Claims grouped across reports.
    pub events: Vec<EventRow>,
    /// The order of the document versions mentioned.
    pub chronology: ChronologyRow,
    /// Claims aligned across reports.
    pub alignments: Vec<AlignmentRow>,
}

/// A conflict between reports.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConflictRow {
    /// Its kind.
    pub kind: String,
    /// What it is about.
    pub about: String,
    /// The sides.
    pub sides: Vec<SideRow>,
    /// A note.
    pub note: Option<String>,
    /// How alike the sentences are (three decimals).
    pub similarity: Option<f64>,
    /// Whether it is tentative.
    pub tentative: bool,
}

/// A side of a conflict.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SideRow {
    /// What this side says.
    pub value: String,
    /// The claim's id.
    pub claim: String,
    /// The report's id.
    pub source: String,
    /// The sentence.
    pub sentence: String,
}

/// Claims grouped across reports.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EventRow {
    /// The claims' ids.
    pub claims: Vec<String>,
    /// The reports' ids.
    pub sources: Vec<String>,
    /// The number of its independent origins.
    pub independent_sources: usize,
    /// Its independent origins.
    pub origins: Vec<String>,
    /// Its standing in words.
    pub standing: String,
    /// Whether every speaker is anonymous.
    pub anonymous: bool,
    /// Who denies it.
    pub denied_by: Vec<String>,
    /// Who disputes it.
    pub disputed_by: Vec<String>,
    /// Whether it is reported as unverifiable.
    pub unverifiable: bool,
    /// Its first claim's sentence.
    pub sentence: String,
}

/// The order of the document versions mentioned.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChronologyRow {
    /// The versions.
    pub versions: Vec<DocVersionRow>,
    /// Orders established: `{earlier, later}` by number of points.
    pub established: Vec<OrderRow>,
    /// Pairs whose order is not determined, by number of points.
    pub undetermined: Vec<[u32; 2]>,
}

/// A document version mentioned.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocVersionRow {
    /// Its number of points.
    pub points: u32,
    /// Its noun.
    pub noun: String,
    /// When it is dated, if it is.
    pub when: Option<String>,
    /// Whether it is said to come before another.
    pub before: bool,
    /// The claims that mention it.
    pub claims: Vec<String>,
    /// The report of the first of them.
    pub source: String,
    /// Its date as the text report shows it: the day or span, `before DAY`, or `undated`.
    pub shown: String,
}

/// An order of two versions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OrderRow {
    /// The earlier version's number of points.
    pub earlier: u32,
    /// The later version's.
    pub later: u32,
}

/// Two claims aligned.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AlignmentRow {
    /// A claim's id.
    pub a: String,
    /// The other's.
    pub b: String,
    /// How alike (three decimals).
    pub similarity: f64,
}

/// `concord evidence claims --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClaimsModel {
    /// `concord.claims/1`.
    #[schemars(extend("const" = "concord.claims/1"))]
    pub schema: String,
    /// The scenario's id.
    pub scenario: String,
    /// The scenario's sources.
    pub sources: Vec<RegisterSourceRow>,
    /// Whether the source texts were compared.
    pub stories_compared: bool,
    /// The sources whose text was not found (null when not compared).
    pub texts_missing: Option<Vec<String>>,
    /// The claims register.
    pub claims: Vec<ClaimRow>,
}

/// A source of the claims register.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RegisterSourceRow {
    /// Its id.
    pub id: String,
    /// Its file.
    pub file: String,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its publication date.
    pub published: Option<String>,
    /// Whether it is a translation.
    pub translated: bool,
    /// Whether it embellishes.
    pub embellished: bool,
    /// Its caveat.
    pub caveat: Option<String>,
    /// The agencies it credits.
    pub agencies: Vec<String>,
    /// The first source of its story, when it is a copy or rewrite of another.
    pub same_story_as: Option<String>,
}

/// A claim of the register.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClaimRow {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// The ids of the parties asserting it.
    pub by: Vec<String>,
    /// The ids of the parties it is about.
    pub about: Vec<String>,
    /// Its date.
    pub date: Option<ClaimDateRow>,
    /// Its figures.
    pub figures: Vec<FigureRow>,
    /// Its standing in words (docs/evidence.md).
    pub standing: String,
    /// The number of its independent origins.
    pub independent_sources: usize,
    /// Its independent origins.
    pub origins: Vec<String>,
    /// Who denies it.
    pub denied_by: Vec<String>,
    /// Who disputes it.
    pub disputed_by: Vec<String>,
    /// Whether it is unverifiable.
    pub unverifiable: bool,
    /// Its citations.
    pub citations: Vec<ClaimCitationRow>,
    /// Its note.
    pub note: Option<String>,
}

/// A claim's date.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClaimDateRow {
    /// The day or span.
    pub on: String,
    /// Its weekday, when stated.
    pub weekday: Option<String>,
    /// As written.
    pub as_written: Option<String>,
}

/// A figure of a claim.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FigureRow {
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// Whether approximate.
    pub approx: bool,
}

/// A citation of a claim.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClaimCitationRow {
    /// The source's id.
    pub source: String,
    /// The quote.
    pub quote: String,
    /// Who said it.
    pub speaker: Option<String>,
    /// Through whom it was relayed.
    pub via: Vec<String>,
}

/// `concord commitments --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommitmentsModel {
    /// `concord.commitments/1`.
    #[schemars(extend("const" = "concord.commitments/1"))]
    pub schema: String,
    /// The commitments.
    pub commitments: Vec<CommitmentRow>,
    /// What stands behind each layer.
    pub layers: Vec<LayerRow>,
    /// Commitments in no layer.
    pub unlayered: Vec<String>,
    /// Conditional commitments by condition.
    pub conditions: Vec<ConditionRow>,
    /// What stands behind each trigger.
    pub triggers: Vec<TriggerRow>,
    /// Triggers with no firm pledge behind them.
    pub uncovered_triggers: Vec<String>,
}

/// A commitment.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommitmentRow {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Who commits.
    pub by: Vec<String>,
    /// Who commits, when unnamed.
    pub by_unnamed: Option<String>,
    /// To whom.
    pub to: Vec<String>,
    /// What is committed.
    pub what: String,
    /// In words.
    pub description: String,
    /// How much.
    pub amount: Option<AmountRow>,
    /// The layer's id.
    pub layer: Option<String>,
    /// Its condition.
    pub condition: Option<String>,
    /// The trigger's id.
    pub trigger: Option<String>,
    /// Its standing in words.
    pub status: String,
    /// Whether firm.
    pub firm: bool,
    /// The claim it rests on.
    pub claim: Option<String>,
    /// Its citations.
    pub cite: Vec<CommitmentCitation>,
}

/// An amount.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AmountRow {
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// Whether approximate.
    pub approx: bool,
    /// Its period.
    pub period: Option<String>,
}

/// A commitment's citation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommitmentCitation {
    /// The source's id.
    pub source: String,
    /// The quote.
    pub quote: String,
}

/// What stands behind a layer.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LayerRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its order.
    pub order: Option<u32>,
    /// Firm commitments.
    pub firm: Vec<String>,
    /// Conditional commitments.
    pub conditional: Vec<String>,
    /// Commitments not firm.
    pub not_firm: Vec<String>,
    /// Totals of firm amounts by unit.
    pub totals: Vec<TotalRow>,
    /// Whether nothing firm or conditional stands behind it.
    pub bare: bool,
}

/// A total by unit.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TotalRow {
    /// The unit.
    pub unit: String,
    /// The value.
    pub value: f64,
    /// Whether approximate.
    pub approx: bool,
}

/// Conditional commitments of one condition.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConditionRow {
    /// The condition.
    pub condition: String,
    /// The commitments' ids.
    pub commitments: Vec<String>,
}

/// What stands behind a trigger.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TriggerRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Firm commitments.
    pub firm: Vec<String>,
    /// Commitments not firm.
    pub not_firm: Vec<String>,
    /// Whether a firm commitment covers it.
    pub covered: bool,
}

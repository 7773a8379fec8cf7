//! The JSON Schema of every `--json` report, generated from the report models' types, with the
//! identifier its `schema` field carries and the file in `schemas/` that holds it. A test
//! (`tests/analysis_schema.rs`) fails when a committed file is not the one generated here.

use schemars::{schema_for, Schema};

use crate::analysis_report::{AnalysisReport, ANALYSIS_SCHEMA};
use crate::audit_report::{AuditVerifyModel, AUDIT_VERIFY_SCHEMA};
use crate::draft_report::{
    CompareModel, ImproveModel, ScoreModel, COMPARE_SCHEMA, IMPROVE_SCHEMA, SCORE_SCHEMA,
};
use crate::evidence::{CLAIMS_SCHEMA, COMMITMENTS_SCHEMA, CONFLICTS_SCHEMA, EXTRACT_SCHEMA};
use crate::evidence_report::{ClaimsModel, CommitmentsModel, ConflictsModel, ExtractModel};
use crate::json::SOURCES_SCHEMA;
use crate::sequence::{DIFF_SCHEMA, LINEAGE_SCHEMA, SEQUENCE_SCHEMA};
use crate::sequence_report::{DiffModel, LineageModel, SequenceModel};
use crate::simulate_report::{SimulateModel, SIMULATE_SCHEMA};
use crate::sources_report::SourcesCheckModel;
use crate::space_report::{SpaceModel, SPACE_SCHEMA};

/// A report's schema: its identifier (the `schema` field), its file under `schemas/`, and the
/// JSON Schema itself.
#[derive(Debug, Clone)]
pub struct ReportSchema {
    /// The identifier with its version, such as `concord.score/1`.
    pub id: &'static str,
    /// The file under `schemas/`, such as `score.schema.json`.
    pub file: &'static str,
    /// The JSON Schema, generated from the report's types.
    pub schema: Schema,
}

/// Every report's schema, in the order of docs/json-output.md.
pub fn report_schemas() -> Vec<ReportSchema> {
    let one = |id, file, schema| ReportSchema { id, file, schema };
    vec![
        one(
            ANALYSIS_SCHEMA,
            "analysis.schema.json",
            AnalysisReport::schema(),
        ),
        one(SCORE_SCHEMA, "score.schema.json", schema_for!(ScoreModel)),
        one(
            IMPROVE_SCHEMA,
            "improve.schema.json",
            schema_for!(ImproveModel),
        ),
        one(
            COMPARE_SCHEMA,
            "compare.schema.json",
            schema_for!(CompareModel),
        ),
        one(
            SOURCES_SCHEMA,
            "sources-check.schema.json",
            schema_for!(SourcesCheckModel),
        ),
        one(
            SEQUENCE_SCHEMA,
            "sequence.schema.json",
            schema_for!(SequenceModel),
        ),
        one(DIFF_SCHEMA, "diff.schema.json", schema_for!(DiffModel)),
        one(
            LINEAGE_SCHEMA,
            "lineage.schema.json",
            schema_for!(LineageModel),
        ),
        one(
            EXTRACT_SCHEMA,
            "extract.schema.json",
            schema_for!(ExtractModel),
        ),
        one(
            CONFLICTS_SCHEMA,
            "conflicts.schema.json",
            schema_for!(ConflictsModel),
        ),
        one(
            CLAIMS_SCHEMA,
            "claims.schema.json",
            schema_for!(ClaimsModel),
        ),
        one(
            COMMITMENTS_SCHEMA,
            "commitments.schema.json",
            schema_for!(CommitmentsModel),
        ),
        one(SPACE_SCHEMA, "space.schema.json", schema_for!(SpaceModel)),
        one(
            SIMULATE_SCHEMA,
            "simulate.schema.json",
            schema_for!(SimulateModel),
        ),
        one(
            AUDIT_VERIFY_SCHEMA,
            "audit-verify.schema.json",
            schema_for!(AuditVerifyModel),
        ),
    ]
}

/// The file under `schemas/` of a schema identifier, if Concord has that report.
pub fn schema_file(id: &str) -> Option<&'static str> {
    report_schemas()
        .into_iter()
        .find(|s| s.id == id)
        .map(|s| s.file)
}

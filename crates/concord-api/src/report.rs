//! [`Report`]: what every use case's answer offers each front end, so that a front end prints,
//! serves or returns any of them one way.

/// A use case's answer: one typed report rendered as text or as JSON and, for the use cases a
/// script branches on, whether its answer is the positive one.
///
/// ```
/// use concord_api::{commitments, Report, ScenarioInput};
///
/// /// Prints any report as a command line does, and returns its exit status.
/// fn print(report: &impl Report, json: bool) -> u8 {
///     if json {
///         println!("{:#}", report.json());
///     } else {
///         print!("{}", report.text());
///     }
///     u8::from(report.answer() == Some(false))
/// }
///
/// let text = r#"
/// [scenario]
/// id = "pledges"
/// title = "No pledges yet"
/// [[parties]]
/// id = "a"
/// name = "A"
/// role = "party"
/// [[issues]]
/// id = "x"
/// name = "X"
/// options = ["no", "yes"]
/// [preferences.a]
/// reservation = 0.5
/// [preferences.a.issues.x]
/// weight = 1.0
/// values = { no = 0.0, yes = 1.0 }
/// "#;
/// let report = commitments(&ScenarioInput::toml("pledges.toml", text)).unwrap();
/// assert_eq!(report.answer(), Some(true)); // no trigger, so none is uncovered
/// assert_eq!(report.json()["schema"], "concord.commitments/1");
/// assert_eq!(print(&report, true), 0);
/// ```
pub trait Report {
    /// As text, fitted to the width set by [`concord_report::layout::set_width`].
    fn text(&self) -> String;

    /// As JSON: the report's typed model serialised (its schema in `schemas/`).
    fn json(&self) -> serde_json::Value;

    /// `Some(true)` for a positive answer and `Some(false)` for a negative one, for the reports
    /// whose answer a script may branch on (a zone exists, a package is in it, a proposal can
    /// be improved, every quote was found, a plan exists, every trigger is covered, the
    /// negotiation agreed: the command line's exit status 0 or 1); `None` for a report that only
    /// informs.
    fn answer(&self) -> Option<bool> {
        None
    }
}

//! The tournament config file (`concord tournament --config FILE`): the settings of a tournament
//! as TOML, read with located errors like a scenario — every problem at once, each with its
//! line, column, field, what was found and what was expected.
//!
//! The reader takes the file's text, never paths: what a strategy name means and whether a
//! scenario exists are decided by the caller through [`TournamentChecks`], whose messages become
//! located problems like the reader's own.
//!
//! ```
//! use concord_io::tournament::{read_tournament_config, TournamentChecks};
//!
//! let text = "scenarios = [\"a.toml\"]\nstrategies = [\"boulware\"]\nrounds = 0\n";
//! let ok = |_: &str| Ok(());
//! let checks = TournamentChecks { strategy: &ok, scenario: &ok };
//! let err = read_tournament_config(text, "t.toml", &checks).unwrap_err();
//! assert!(err.to_string().contains("t.toml:3:10: `rounds`: found the integer 0"));
//! ```

use crate::located::{Cx, Fields, Span};
use crate::{Diagnostics, FormatError};
use concord_core::names::Named;
use concord_sim::protocol::{self, Discounting, ProtocolKind, SingleTextMode};

use crate::genius::Normalization;

/// A text value of the file with the place it was written, for later messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The value.
    pub value: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// The settings a config file gives; `None` (or empty) where it says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TournamentFile {
    /// Scenario paths as written (relative ones are relative to the config file's folder).
    pub scenarios: Vec<Placed>,
    /// Strategy specs, as `--strategies` takes them.
    pub strategies: Vec<String>,
    /// The output folder as written (relative to the config file's folder).
    pub out: Option<Placed>,
    /// `--rounds`, at least 1.
    pub rounds: Option<usize>,
    /// `--repetitions`, at least 1.
    pub repetitions: Option<usize>,
    /// `--seed`, at least 0.
    pub seed: Option<u64>,
    /// `--threads`, at least 1.
    pub threads: Option<usize>,
    /// `--max-negotiations`, at least 1.
    pub max_negotiations: Option<u64>,
    /// `--protocol`.
    pub protocol: Option<ProtocolKind>,
    /// `--mediator`.
    pub mediator: Option<SingleTextMode>,
    /// `--discount`.
    pub discount: Option<Discounting>,
    /// `--time-limit`, seconds, positive.
    pub time_limit: Option<f64>,
    /// `--normalization`.
    pub normalization: Option<Normalization>,
    /// `--normalize-weights`.
    pub normalize_weights: Option<bool>,
    /// `--max-outcomes`, at least 1.
    pub max_outcomes: Option<u64>,
}

/// Every key of the file.
pub const KEYS: &[&str] = &[
    "scenarios",
    "strategies",
    "out",
    "rounds",
    "repetitions",
    "seed",
    "threads",
    "max_negotiations",
    "protocol",
    "mediator",
    "discount",
    "time_limit",
    "normalization",
    "normalize_weights",
    "max_outcomes",
];

/// A check the caller makes on a value; `Err` says what was expected instead.
pub type Check<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// The caller's checks of values whose meaning lies outside this crate.
pub struct TournamentChecks<'a> {
    /// Whether a strategy spec is valid.
    pub strategy: Check<'a>,
    /// Whether a scenario path (as written) names a scenario that can be read.
    pub scenario: Check<'a>,
}

/// Reads a tournament config from TOML text. `file` names the file in messages.
pub fn read_tournament_config(
    text: &str,
    file: &str,
    checks: &TournamentChecks<'_>,
) -> Result<TournamentFile, FormatError> {
    let doc = crate::located::parse_document(text, file)?;
    let mut cx = Cx::new(text);
    let table = doc.as_table();
    let mut f = Fields::new(&mut cx, table, Some(0..0), String::new(), KEYS);
    let mut out = TournamentFile {
        scenarios: placed_list(&mut f, "scenarios", "scenario path", checks.scenario),
        strategies: placed_list(&mut f, "strategies", "strategy", checks.strategy)
            .into_iter()
            .map(|p| p.value)
            .collect(),
        ..TournamentFile::default()
    };
    out.out = f.opt_str("out").map(|value| {
        let (line, column) = f.cx.position(start(&f.span_of("out")));
        Placed {
            value,
            line,
            column,
        }
    });
    if let Some(p) = &out.out {
        if p.value.is_empty() {
            let span = f.span_of("out");
            f.cx.error(&span, "out", "an empty string", "a folder");
        }
    }
    out.rounds = int_within(&mut f, "rounds", 1, protocol::MAX_ROUNDS).map(to_usize);
    out.repetitions = int(&mut f, "repetitions", 1).map(to_usize);
    out.seed = int(&mut f, "seed", 0).map(|x| x as u64);
    out.threads = int_within(&mut f, "threads", 1, protocol::MAX_THREADS).map(to_usize);
    out.max_negotiations = int(&mut f, "max_negotiations", 1).map(|x| x as u64);
    out.max_outcomes = int(&mut f, "max_outcomes", 1).map(|x| x as u64);
    out.protocol = one_of(&mut f, "protocol");
    out.mediator = one_of(&mut f, "mediator");
    out.discount = one_of(&mut f, "discount");
    out.normalization = one_of(&mut f, "normalization");
    out.normalize_weights = f.opt_bool("normalize_weights");
    out.time_limit = f.opt_number("time_limit").and_then(|x| {
        if x.is_finite() && x > 0.0 && x <= protocol::MAX_TIME_LIMIT_SECS {
            Some(x)
        } else {
            let span = f.span_of("time_limit");
            f.cx.error(
                &span,
                "time_limit",
                format!("the number {x}"),
                format!(
                    "a positive number of seconds, at most {:e}",
                    protocol::MAX_TIME_LIMIT_SECS
                ),
            );
            None
        }
    });
    if out.mediator.is_some() && out.protocol == Some(ProtocolKind::Sao) {
        let span = f.span_of("mediator");
        f.cx.error(
            &span,
            "mediator",
            "a mediator for the protocol \"sao\"",
            "no mediator, or `protocol = \"single-text\"`",
        );
    }
    if cx.diagnostics.is_empty() {
        Ok(out)
    } else {
        cx.diagnostics.sort_by_key(|d| (d.line, d.column));
        Err(FormatError::Invalid(Diagnostics {
            file: file.to_string(),
            items: cx.diagnostics,
        }))
    }
}

fn start(span: &Span) -> usize {
    span.as_ref().map_or(0, |r| r.start)
}

fn to_usize(x: i64) -> usize {
    usize::try_from(x).unwrap_or(usize::MAX)
}

/// A non-empty array of non-empty strings at `key`, each passed through `check`; `what` names
/// one element (`scenario path`).
fn placed_list(f: &mut Fields<'_, '_, '_>, key: &str, what: &str, check: Check<'_>) -> Vec<Placed> {
    let Some(array) = f.opt_array(key) else {
        return Vec::new();
    };
    if array.is_empty() {
        let span = f.span_of(key);
        f.cx.error(
            &span,
            key,
            "an empty array",
            format!("an array of at least one {what}"),
        );
    }
    let mut out = Vec::new();
    for (k, v) in array.iter().enumerate() {
        let path = format!("{key}[{k}]");
        let span = v.span();
        let Some(s) = v.as_str() else {
            f.cx.error(
                &span,
                &path,
                crate::located::describe_value(v),
                format!("a {what}"),
            );
            continue;
        };
        if s.trim().is_empty() {
            f.cx.error(&span, &path, "an empty string", format!("a {what}"));
            continue;
        }
        match check(s) {
            Ok(()) => {
                let (line, column) = f.cx.position(start(&span));
                out.push(Placed {
                    value: s.to_string(),
                    line,
                    column,
                });
            }
            Err(expected) => f.cx.error(&span, &path, format!("{s:?}"), expected),
        }
    }
    out
}

/// An optional integer at `key`, at least `min`.
fn int(f: &mut Fields<'_, '_, '_>, key: &str, min: i64) -> Option<i64> {
    let item = f.item(key)?;
    match item.as_integer() {
        Some(x) if x >= min => Some(x),
        Some(x) => {
            let span = f.span_of(key);
            f.cx.error(
                &span,
                key,
                format!("the integer {x}"),
                format!("an integer of at least {min}"),
            );
            None
        }
        None => {
            f.wrong(key, item, &format!("an integer of at least {min}"));
            None
        }
    }
}

/// An optional integer at `key`, from `min` to `max`.
fn int_within(f: &mut Fields<'_, '_, '_>, key: &str, min: i64, max: usize) -> Option<i64> {
    let x = int(f, key, min)?;
    if usize::try_from(x).is_ok_and(|x| x <= max) {
        return Some(x);
    }
    let span = f.span_of(key);
    f.cx.error(
        &span,
        key,
        format!("the integer {x}"),
        format!("an integer from {min} to {max}"),
    );
    None
}

/// An optional string at `key`, one of `allowed`.
fn one_of<T: Named>(f: &mut Fields<'_, '_, '_>, key: &str) -> Option<T> {
    let s = f.opt_str(key)?;
    if let Some(v) = T::parse(&s) {
        return Some(v);
    }
    let span = f.span_of(key);
    let expected = format!(
        "one of {}",
        T::ALL
            .iter()
            .map(|a| format!("{:?}", a.name()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    f.cx.error(&span, key, format!("the string {s:?}"), expected);
    None
}

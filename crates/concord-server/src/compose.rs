//! A room's scenario: the public part a mediator uploads, and the whole scenario composed from it
//! and the delegations' private preferences. Composition is textual (TOML tables appended to the
//! public text), so the application layer reads every composed scenario exactly as it reads a
//! file, with the same checks.

use concord_api::{load, Loaded, Problem, ScenarioInput};
use serde_json::Value;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table};

use crate::error::{ApiError, FieldProblem};

/// The public part of an upload, and what was set aside.
#[derive(Debug, Clone)]
pub struct Public {
    /// The public text: the upload without `[preferences]` and `[[red_lines]]`.
    pub text: String,
    /// The parties whose preferences the upload held (and that were dropped).
    pub dropped_preferences: Vec<String>,
    /// How many red lines the upload held (dropped).
    pub dropped_red_lines: usize,
}

/// One party of the public scenario.
#[derive(Debug, Clone)]
pub struct PartyInfo {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its role.
    pub role: String,
    /// Whether an agreement needs its consent.
    pub consent: bool,
}

/// Splits an upload into its public part; checks the whole upload first (with neutral
/// placeholder preferences for the consenting parties it gives none), so that every problem is
/// reported at its line in the upload.
pub fn public_part(upload: &str) -> Result<Public, ApiError> {
    let doc: DocumentMut = upload.parse().map_err(|e: toml_edit::TomlError| {
        ApiError::bad_request(format!("request field `scenario`: not TOML: {e}"))
    })?;
    let parties = parties_of(&doc);
    let with_prefs: Vec<String> = doc
        .get("preferences")
        .and_then(Item::as_table_like)
        .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
        .unwrap_or_default();
    let missing: Vec<String> = parties
        .iter()
        .filter(|p| p.consent && !with_prefs.contains(&p.id))
        .map(|p| p.id.clone())
        .collect();
    let checked = format!("{upload}\n{}", placeholders(&doc, &missing));
    load(&ScenarioInput::toml("scenario", checked), false).map_err(|e| {
        ApiError::from_api(e, |p| FieldProblem {
            field: format!("scenario: {}", p.field),
            line: p.line,
            column: p.column,
            found: p.found.clone(),
            expected: p.expected.clone(),
        })
    })?;
    let mut public = doc;
    let dropped_red_lines = public
        .get("red_lines")
        .and_then(Item::as_array_of_tables)
        .map_or(0, ArrayOfTables::len);
    public.remove("preferences");
    public.remove("red_lines");
    Ok(Public {
        text: public.to_string(),
        dropped_preferences: with_prefs,
        dropped_red_lines,
    })
}

/// The parties of a public text, in order.
pub fn parties_of(doc: &DocumentMut) -> Vec<PartyInfo> {
    let Some(parties) = doc.get("parties").and_then(Item::as_array_of_tables) else {
        return Vec::new();
    };
    parties
        .iter()
        .map(|t| {
            let s = |k: &str| t.get(k).and_then(Item::as_str).unwrap_or("").to_string();
            let role = s("role");
            let consent = t
                .get("consent")
                .and_then(Item::as_bool)
                .unwrap_or(role == "party");
            PartyInfo {
                id: s("id"),
                name: s("name"),
                role,
                consent,
            }
        })
        .collect()
}

/// Neutral preferences for `parties` (reservation 0, all weight on the first issue, every value
/// 0): enough for the reader to check the rest of a scenario; never analysed as anyone's.
fn placeholders(doc: &DocumentMut, parties: &[String]) -> String {
    let issues: Vec<(String, Item)> = doc
        .get("issues")
        .and_then(Item::as_array_of_tables)
        .map(|issues| {
            issues
                .iter()
                .enumerate()
                .map(|(n, t)| {
                    let id = t.get("id").and_then(Item::as_str).unwrap_or("").to_string();
                    let mut entry = InlineTable::new();
                    entry.insert("weight", if n == 0 { 1.0 } else { 0.0 }.into());
                    if let Some(numeric) = t.get("numeric").and_then(Item::as_table_like) {
                        let num = |k: &str| {
                            numeric.get(k).and_then(|v| {
                                v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
                            })
                        };
                        let (lo, hi) = (num("min").unwrap_or(0.0), num("max").unwrap_or(0.0));
                        let mut points = Array::new();
                        for x in [lo, hi] {
                            let mut pair = Array::new();
                            pair.push(x);
                            pair.push(0.0);
                            points.push(pair);
                        }
                        entry.insert("points", points.into());
                    } else {
                        let mut values = InlineTable::new();
                        if let Some(options) = t.get("options").and_then(Item::as_array) {
                            for o in options {
                                let id = o.as_str().map(str::to_string).or_else(|| {
                                    o.as_inline_table()
                                        .and_then(|t| t.get("id"))
                                        .and_then(|v| v.as_str())
                                        .map(str::to_string)
                                });
                                if let Some(id) = id {
                                    values.insert(&id, 0.0.into());
                                }
                            }
                        }
                        entry.insert("values", values.into());
                    }
                    (id, Item::Value(entry.into()))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = DocumentMut::new();
    let mut prefs = Table::new();
    prefs.set_implicit(true);
    for party in parties {
        let mut t = Table::new();
        t.insert("reservation", toml_edit::value(0.0));
        let mut it = Table::new();
        for (id, item) in &issues {
            it.insert(id, item.clone());
        }
        t.insert("issues", Item::Table(it));
        prefs.insert(party, Item::Table(t));
    }
    out.insert("preferences", Item::Table(prefs));
    out.to_string()
}

/// A delegation's private preferences as it submits them (JSON): `reservation`, `issues`
/// (issue id → `{weight, values}` or `{weight, points}`) and `red_lines` (each as in a
/// scenario file, without `party`).
#[derive(Debug, Clone)]
pub struct Private {
    /// The party.
    pub party: String,
    /// The submission.
    pub body: Value,
}

/// The whole scenario of a room: the public text with each submission appended, and neutral
/// placeholders for the consenting parties in `placeholder_for`.
pub fn compose(
    public: &str,
    private: &[Private],
    placeholder_for: &[String],
) -> Result<String, ApiError> {
    let tables = if placeholder_for.is_empty() {
        String::new()
    } else {
        let doc: DocumentMut = public.parse().map_err(|e| {
            ApiError::internal(format!("a stored public scenario is not TOML: {e}"))
        })?;
        placeholder_tables(&doc, placeholder_for)
    };
    compose_with(public, private, &tables)
}

/// The neutral placeholder preferences of `parties` as [`compose`] appends them (without the
/// `[preferences]` header); empty for no parties.
pub fn placeholder_tables(doc: &DocumentMut, parties: &[String]) -> String {
    if parties.is_empty() {
        return String::new();
    }
    placeholders(doc, parties)
        .trim_start_matches("[preferences]\n")
        .to_string()
}

/// [`compose`] with the placeholder tables written already ([`placeholder_tables`]), so that
/// the public text is not read again.
pub fn compose_with(public: &str, private: &[Private], tables: &str) -> Result<String, ApiError> {
    let mut prefs = Table::new();
    prefs.set_implicit(true);
    let mut red_lines = ArrayOfTables::new();
    for p in private {
        let Value::Object(body) = &p.body else {
            return Err(ApiError::bad_request(
                "request body: expected a JSON object with `reservation`, `issues` and `red_lines`",
            ));
        };
        let mut t = Table::new();
        for (k, v) in body {
            if k == "red_lines" {
                let Value::Array(lines) = v else {
                    return Err(field_error("red_lines", "an array of red lines"));
                };
                for (n, line) in lines.iter().enumerate() {
                    let Value::Object(line) = line else {
                        return Err(field_error(&format!("red_lines[{n}]"), "a table"));
                    };
                    let mut rt = Table::new();
                    rt.insert("party", toml_edit::value(p.party.as_str()));
                    for (lk, lv) in line {
                        if lk == "party" {
                            return Err(ApiError::bad_request_problems(
                                "a delegation's red lines are its own",
                                vec![FieldProblem::field(
                                    format!("red_lines[{n}].party"),
                                    "a party",
                                    "no `party` field: the red line is the submitting delegation's",
                                )],
                            ));
                        }
                        rt.insert(lk, to_item(lv, &format!("red_lines[{n}].{lk}"))?);
                    }
                    red_lines.push(rt);
                }
            } else {
                t.insert(k, to_item(v, k)?);
            }
        }
        prefs.insert(&p.party, Item::Table(t));
    }
    let mut out = DocumentMut::new();
    out.insert("preferences", Item::Table(prefs));
    if !red_lines.is_empty() {
        out.insert("red_lines", Item::ArrayOfTables(red_lines));
    }
    Ok(format!("{public}\n{out}\n{tables}"))
}

fn field_error(field: &str, expected: &str) -> ApiError {
    ApiError::bad_request_problems(
        format!("request field `{field}`: expected {expected}"),
        vec![FieldProblem::field(
            field.to_string(),
            "another type",
            expected,
        )],
    )
}

fn to_item(v: &Value, field: &str) -> Result<Item, ApiError> {
    Ok(match v {
        Value::Object(_) => {
            let mut t = Table::new();
            if let Value::Object(m) = v {
                for (k, x) in m {
                    t.insert(k, to_item(x, &format!("{field}.{k}"))?);
                }
            }
            Item::Table(t)
        }
        other => Item::Value(to_value(other, field)?),
    })
}

fn to_value(v: &Value, field: &str) -> Result<toml_edit::Value, ApiError> {
    Ok(match v {
        Value::Null => return Err(field_error(field, "a value, not null")),
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64().unwrap_or(f64::NAN).into(),
        },
        Value::String(s) => s.as_str().into(),
        Value::Array(items) => {
            let mut a = Array::new();
            for (n, x) in items.iter().enumerate() {
                a.push(to_value(x, &format!("{field}[{n}]"))?);
            }
            a.into()
        }
        Value::Object(m) => {
            let mut t = InlineTable::new();
            for (k, x) in m {
                t.insert(k, to_value(x, &format!("{field}.{k}"))?);
            }
            t.into()
        }
    })
}

/// Checks one delegation's submission against the public scenario (with placeholders for the
/// other consenting parties), and returns its problems named by request field.
#[cfg(test)]
pub fn check_private(
    public: &str,
    submission: &Private,
    others: &[String],
) -> Result<Loaded, ApiError> {
    let doc: DocumentMut = public
        .parse()
        .map_err(|e| ApiError::internal(format!("a stored public scenario is not TOML: {e}")))?;
    check_private_with(public, submission, &placeholder_tables(&doc, others))
}

/// [`check_private`] with the other parties' placeholder tables written already
/// ([`placeholder_tables`]).
pub fn check_private_with(
    public: &str,
    submission: &Private,
    tables: &str,
) -> Result<Loaded, ApiError> {
    let text = compose_with(public, std::slice::from_ref(submission), tables)?;
    let prefix = format!("preferences.{}.", submission.party);
    let whole = format!("preferences.{}", submission.party);
    load(&ScenarioInput::toml("request body", text), false).map_err(|e| {
        ApiError::from_api(e, |p: &Problem| FieldProblem {
            field: if p.field == whole {
                String::new()
            } else {
                p.field
                    .strip_prefix(&prefix)
                    .unwrap_or(&p.field)
                    .to_string()
            },
            line: 0,
            column: 0,
            found: p.found.clone(),
            expected: p.expected.clone(),
        })
    })
}

/// A party's submission taken from a scenario file: its `[preferences.PARTY]` table and its red
/// lines (without `party`), as JSON — what a delegation that keeps its preferences in a
/// scenario file sends to `PUT /rooms/{room}/preferences`.
pub fn submission_from_scenario(text: &str, party: &str) -> Result<Value, String> {
    let doc: DocumentMut = text.parse().map_err(|e| format!("not TOML: {e}"))?;
    let prefs = doc
        .get("preferences")
        .and_then(|p| p.get(party))
        .ok_or_else(|| format!("no [preferences.{party}] table"))?;
    let mut out = item_json(prefs);
    let lines: Vec<Value> = doc
        .get("red_lines")
        .and_then(Item::as_array_of_tables)
        .map(|a| {
            a.iter()
                .filter(|t| t.get("party").and_then(Item::as_str) == Some(party))
                .map(|t| {
                    let mut j = item_json(&Item::Table(t.clone()));
                    if let Value::Object(m) = &mut j {
                        m.remove("party");
                    }
                    j
                })
                .collect()
        })
        .unwrap_or_default();
    if let Value::Object(m) = &mut out {
        m.insert("red_lines".into(), Value::Array(lines));
    }
    Ok(out)
}

fn item_json(item: &Item) -> Value {
    match item {
        Item::Value(v) => value_json(v),
        Item::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.to_string(), item_json(v)))
                .collect(),
        ),
        Item::ArrayOfTables(a) => Value::Array(
            a.iter()
                .map(|t| item_json(&Item::Table(t.clone())))
                .collect(),
        ),
        Item::None => Value::Null,
    }
}

fn value_json(v: &toml_edit::Value) -> Value {
    use toml_edit::Value as V;
    match v {
        V::String(s) => Value::String(s.value().clone()),
        V::Integer(i) => Value::from(*i.value()),
        V::Float(f) => Value::from(*f.value()),
        V::Boolean(b) => Value::Bool(*b.value()),
        V::Datetime(d) => Value::String(d.value().to_string()),
        V::Array(a) => Value::Array(a.iter().map(value_json).collect()),
        V::InlineTable(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.to_string(), value_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const UPLOAD: &str = r#"
[scenario]
id = "river"
title = "Two towns"
[[parties]]
id = "up"
name = "Upstream"
role = "party"
[[parties]]
id = "down"
name = "Downstream"
role = "party"
[[parties]]
id = "prov"
name = "Province"
role = "mediator"
[[issues]]
id = "share"
name = "Share"
numeric = { min = 20, max = 80, step = 20, unit = "%" }
[[issues]]
id = "monitor"
name = "Monitor"
options = [{ id = "upstream", name = "Upstream" }, "joint", "province"]
[preferences.up]
reservation = 0.3
[preferences.up.issues.share]
weight = 0.7
points = [[20, 1.0], [80, 0.0]]
[preferences.up.issues.monitor]
weight = 0.3
values = { upstream = 1.0, joint = 0.6, province = 0.2 }
[[red_lines]]
id = "up-half"
party = "up"
issue = "share"
at_most = 40
"#;

    #[test]
    fn the_public_part_drops_every_private_table() {
        let p = public_part(UPLOAD).unwrap();
        assert_eq!(p.dropped_preferences, vec!["up"]);
        assert_eq!(p.dropped_red_lines, 1);
        assert!(!p.text.contains("reservation"));
        assert!(!p.text.contains("up-half"));
        assert!(!p.text.contains("0.7"));
    }

    #[test]
    fn an_upload_error_keeps_its_line() {
        let bad = UPLOAD.replace("options = [{ id", "optons = [{ id");
        let e = public_part(&bad).unwrap_err();
        let p = &e.problems[0];
        assert!(p.field.starts_with("scenario"), "{p:?}");
        assert!(p.line > 0, "{p:?}");
    }

    #[test]
    fn submissions_compose_and_errors_name_request_fields() {
        let public = public_part(UPLOAD).unwrap().text;
        let good = Private {
            party: "down".into(),
            body: serde_json::json!({
                "reservation": 0.3,
                "issues": {
                    "share": {"weight": 0.6, "points": [[20, 0.0], [80, 1.0]]},
                    "monitor": {"weight": 0.4, "values": {"upstream": 0.0, "joint": 0.7, "province": 1.0}}
                },
                "red_lines": [{"id": "down-no-self", "issue": "monitor", "must_not_be": ["upstream"]}]
            }),
        };
        check_private(&public, &good, &["up".to_string()]).unwrap();
        let mut bad = good.clone();
        bad.body["issues"]["share"]["weight"] = serde_json::json!(0.9);
        let e = check_private(&public, &bad, &["up".to_string()]).unwrap_err();
        assert!(
            e.problems.iter().any(|p| p.field.starts_with("issues")),
            "{:?}",
            e.problems
        );
        let mut bad = good.clone();
        bad.body["red_lines"][0]["party"] = serde_json::json!("up");
        let e = check_private(&public, &bad, &["up".to_string()]).unwrap_err();
        assert_eq!(e.problems[0].field, "red_lines[0].party");
    }
}

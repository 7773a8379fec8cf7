//! The claims register (`[[claims]]`, docs/evidence.md): read by the scenario reader, since
//! positions may rest on claims; the commitments of [`crate::evidence`] name them too.
//! Citations are read with the one citation reader ([`crate::cite`]), here with `via` allowed.

use std::collections::HashMap;

use concord_evidence::date::{DateSpan, Weekday};
use concord_evidence::register::{ClaimCitation, ClaimDate, Figure, RegisteredClaim};
use toml_edit::TableLike;

use crate::cite::{read_cite, CiteRefs};
use crate::located::{declared_ids, describe_value, join, number_value, Cx, Fields, Span};

/// "one of `a`, `b`" for the evidence tables' messages ([`crate::located::one_of`]).
pub(crate) fn one_of(what: &str, known: &[String]) -> String {
    crate::located::one_of(what, known.to_vec())
}

/// The ids the evidence tables may name, as written in the file.
pub(crate) struct Refs {
    pub(crate) sources: Vec<String>,
    pub(crate) parties: Vec<String>,
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

/// Reads `key`: a list of party ids written in the file.
pub(crate) fn party_list(f: &mut Fields, key: &str, refs: &Refs) -> Vec<String> {
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

//! The one reader of citations (`cite = [{ source, quote, speaker? }]`): positions, steps,
//! demands, versions, claims and commitments all use it, so that a citation means one thing
//! wherever it is written.

use std::collections::{HashMap, HashSet};

use concord_core::model::{Citation, Claim, ClaimIx, Source, SourceIx};
use toml_edit::TableLike;

use crate::located::{describe_value, join, one_of, Cx, Fields, Span};

/// The most words a citation's quote may have.
pub const MAX_QUOTE_WORDS: usize = 25;

/// What citations may name: the sources, and the claims register when positions may rest on
/// claims.
pub(crate) struct CiteRefs<'a> {
    /// Source ids of the sources read.
    pub sources: &'a HashMap<String, SourceIx>,
    /// Every source id written in the file, read or not: a citation of a broken source is not
    /// reported again.
    pub declared_sources: &'a HashSet<String>,
    /// The claims register, where a `claims` key may name claims; `None` where it may not.
    pub claims: Option<ClaimRegister<'a>>,
}

/// The claims register as claim references see it.
pub(crate) struct ClaimRegister<'a> {
    /// Claim ids of the claims read.
    pub ids: &'a HashMap<String, ClaimIx>,
    /// Every claim id written in the file, read or not.
    pub declared: &'a HashSet<String>,
    /// The claims read, by index.
    pub claims: &'a [Claim],
}

/// A citation as read, with what only some tables use.
pub(crate) struct ReadCitation {
    /// The citation.
    pub citation: Citation,
    /// The agencies or outlets relayed for this passage (`via`, claims and commitments only).
    pub via: Vec<String>,
    /// Its index in the `cite` array as written.
    pub index: usize,
    /// Where it is.
    pub span: Span,
}

/// Reads `cite`: citations `{ source, quote, speaker? }` (and `via` when `via` is allowed) with
/// known sources and quotes of 1 to [`MAX_QUOTE_WORDS`] words. The one reader of citations:
/// positions, steps, demands, versions, claims and commitments all use it. Each citation's line
/// and column go into `sites` under its field path.
pub(crate) fn read_cite(
    f: &mut Fields,
    refs: &CiteRefs,
    sites: &mut HashMap<String, (usize, usize)>,
    via: bool,
) -> Vec<ReadCitation> {
    let mut out = Vec::new();
    let cite_path = f.at("cite");
    let Some(array) = f.opt_array("cite") else {
        return out;
    };
    let keys: &[&str] = if via {
        &["source", "quote", "speaker", "via"]
    } else {
        &["source", "quote", "speaker"]
    };
    for (k, v) in array.iter().enumerate() {
        let path = format!("{cite_path}[{k}]");
        let vspan = v.span().or_else(|| f.span.clone());
        let Some(t) = v.as_inline_table() else {
            f.cx.error(
                &vspan,
                &path,
                describe_value(v),
                "a citation { source = \"…\", quote = \"…\" }",
            );
            continue;
        };
        let mut c = Fields::new(f.cx, t, vspan.clone(), path.clone(), keys);
        let source = c.req_str("source");
        let quote = c.req_str("quote");
        let speaker = c.opt_str("speaker");
        let relayed = if via {
            c.opt_str_array("via")
        } else {
            Vec::new()
        };
        let source_span = c.span_of("source");
        let quote_span = c.span_of("quote");
        let source = source.and_then(|s| match refs.sources.get(&s) {
            Some(&ix) => Some(ix),
            None if refs.declared_sources.contains(&s) => None,
            None => {
                let known = refs.sources.keys().cloned().collect::<Vec<_>>();
                c.cx.error(
                    &source_span,
                    &join(&path, "source"),
                    format!("{s:?}"),
                    one_of("a source id", known),
                );
                None
            }
        });
        let quote = quote.filter(|q| {
            let words = q.split_whitespace().count();
            let ok = words > 0 && words <= MAX_QUOTE_WORDS;
            if !ok {
                c.cx.error(
                    &quote_span,
                    &join(&path, "quote"),
                    format!("a quote of {words} words"),
                    format!("a verbatim passage of 1 to {MAX_QUOTE_WORDS} words"),
                );
            }
            ok
        });
        if let (Some(source), Some(quote)) = (source, quote) {
            if let Some(r) = &vspan {
                sites.insert(path.clone(), f.cx.position(r.start));
            }
            out.push(ReadCitation {
                citation: Citation {
                    source,
                    quote,
                    speaker,
                },
                via: relayed,
                index: k,
                span: vspan,
            });
        }
    }
    out
}

/// Reads one `[[sources]]` table into `sources`, its id into `ids` (a repeated id is a problem,
/// and the source is left out): the scenario reader's and the sequencing reader's one way.
pub(crate) fn read_source_into(
    cx: &mut Cx,
    ids: &mut HashMap<String, SourceIx>,
    sources: &mut Vec<Source>,
    (t, span, path): (&dyn TableLike, Span, String),
) {
    let Some((source, id_span)) = read_source(cx, t, span, &path) else {
        return;
    };
    if register(
        cx,
        ids,
        &source.id,
        sources.len(),
        &id_span,
        &path,
        "source",
    ) {
        sources.push(source);
    }
}

/// Reads one `[[sources]]` table (the scenario reader and the sequencing reader share it): the
/// source and the span of its id, or `None` when its id or file is missing (each problem
/// recorded).
fn read_source(cx: &mut Cx, t: &dyn TableLike, span: Span, path: &str) -> Option<(Source, Span)> {
    let mut f = Fields::new(
        cx,
        t,
        span,
        path.to_string(),
        &[
            "id",
            "file",
            "title",
            "outlet",
            "published",
            "language",
            "translated",
            "embellished",
            "caveat",
            "agencies",
        ],
    );
    let id = f.req_id("id");
    let file = f.req_str("file");
    let source = Source {
        id: String::new(),
        file: String::new(),
        title: f.opt_str("title"),
        outlet: f.opt_str("outlet"),
        published: f.opt_str("published"),
        language: f.opt_str("language"),
        translated: f.opt_bool("translated").unwrap_or(false),
        embellished: f.opt_bool("embellished").unwrap_or(false),
        caveat: f.opt_str("caveat"),
        agencies: f.opt_str_array("agencies"),
    };
    let (Some((id, id_span)), Some(file)) = (id, file) else {
        return None;
    };
    Some((Source { id, file, ..source }, id_span))
}

/// Records `id` at `index` in `ids`; a duplicate is reported (at the id, as `path.id`) and
/// refused.
pub(crate) fn register(
    cx: &mut Cx,
    ids: &mut HashMap<String, usize>,
    id: &str,
    index: usize,
    span: &Span,
    path: &str,
    kind: &str,
) -> bool {
    if ids.contains_key(id) {
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        cx.error(
            span,
            &join(path, "id"),
            format!("{id:?} again"),
            format!("{article} {kind} id not used before"),
        );
        return false;
    }
    ids.insert(id.to_string(), index);
    true
}

//! Genius (XML) and GeniusWeb (JSON) scenarios, as used by the ANAC competitions and NegMAS.
//!
//! A Genius folder holds one domain (`negotiation_template`) and one `utility_space` file per
//! party; a GeniusWeb folder holds a domain and `LinearAdditiveUtilitySpace` profiles. Each
//! profile becomes a party whose consent is needed, named after its file (`p0.xml` → `p0`).
//!
//! Conventions (see `docs/genius.md`):
//! - [`Normalization::Genius`] (the default) divides each issue's evaluations by that issue's
//!   largest evaluation, as Genius does, so values lie in [0, 1]; integer issues use
//!   `offset + slope × (x − lowerbound)`.
//! - [`Normalization::Raw`] keeps evaluations as written, as NegMAS does on load; integer issues
//!   use `offset + slope × x`, NegMAS's reading of the same evaluator.
//! - A party's reservation value is the larger of the file's `reservation` (or the utility of a
//!   GeniusWeb `reservationBid`) and the party's lowest possible utility, as NegMAS uses it for
//!   bargaining solutions; a missing reservation is the lowest possible utility.
//! - Non-linear `hyperRectangle` profiles are refused: Concord's analyses need additive
//!   utilities.

use std::collections::HashMap;

use concord_core::model::*;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::located::{Diagnostic, Diagnostics};
use crate::scenario::format_number;
use crate::FormatError;

/// How evaluations are scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Normalization {
    /// Divide each issue's evaluations by the issue's largest (Genius).
    #[default]
    Genius,
    /// Keep evaluations as written (NegMAS).
    Raw,
}

impl concord_core::names::Named for Normalization {
    const ALL: &'static [Self] = &[Normalization::Genius, Normalization::Raw];

    fn name(self) -> &'static str {
        match self {
            Normalization::Genius => "genius",
            Normalization::Raw => "raw",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Normalization::Genius => "each issue's largest evaluation is 1 (Genius)",
            Normalization::Raw => "evaluations as written (NegMAS)",
        }
    }
}

/// One file of a Genius or GeniusWeb folder.
#[derive(Debug, Clone)]
pub struct NamedText {
    /// The file name, e.g. `Laptop-C-prof1.xml`.
    pub name: String,
    /// Its contents.
    pub text: String,
}

fn located(
    text: &str,
    offset: usize,
    field: &str,
    found: impl ToString,
    expected: impl ToString,
) -> Diagnostic {
    let cx = crate::located::Cx::new(text);
    let (line, column) = cx.position(offset.min(text.len()));
    let (source_line, source_offset) =
        crate::located::excerpt(text.lines().nth(line - 1).unwrap_or_default(), column);
    Diagnostic {
        line,
        column,
        field: field.to_string(),
        found: found.to_string(),
        expected: expected.to_string(),
        source_line,
        source_offset,
    }
}

fn invalid(file: &str, d: Diagnostic) -> FormatError {
    FormatError::Invalid(Diagnostics {
        file: file.to_string(),
        items: vec![d],
    })
}

/// An XML element as read: its name, attributes, children and where it starts.
#[derive(Debug, Clone, Default)]
struct Element {
    name: String,
    attrs: HashMap<String, String>,
    children: Vec<Element>,
    offset: usize,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(String::as_str)
    }

    fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.find_all(name, out);
        }
    }

    fn all(&self, name: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.find_all(name, &mut out);
        out
    }
}

fn start_element(
    e: &BytesStart,
    offset: usize,
    file: &str,
    text: &str,
) -> Result<Element, FormatError> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = HashMap::new();
    for a in e.attributes() {
        let a = a.map_err(|err| {
            invalid(
                file,
                located(
                    text,
                    offset,
                    &name,
                    format!("a malformed attribute ({err})"),
                    "name=\"value\" attributes",
                ),
            )
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|err| {
                invalid(
                    file,
                    located(
                        text,
                        offset,
                        &name,
                        format!("a malformed attribute value ({err})"),
                        "an XML-escaped value",
                    ),
                )
            })?
            .into_owned();
        attrs.insert(key, value);
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        offset,
    })
}

/// The deepest nesting of elements a Genius file may have.
pub const MAX_XML_DEPTH: usize = 64;

/// Parses a whole XML document into an element tree, with located errors.
fn parse_xml(file: &str, text: &str) -> Result<Element, FormatError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element {
        name: "#document".into(),
        ..Element::default()
    }];
    loop {
        let offset = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                // The element tree is walked recursively: a bound on its depth keeps a
                // pathological file from overflowing the stack. Genius files nest 4 deep.
                if stack.len() > MAX_XML_DEPTH {
                    return Err(invalid(
                        file,
                        located(
                            text,
                            offset,
                            "document",
                            format!("elements nested more than {MAX_XML_DEPTH} deep"),
                            "a Genius domain or profile (a few levels of nesting)",
                        ),
                    ));
                }
                stack.push(start_element(&e, offset, file, text)?)
            }
            Ok(Event::Empty(e)) => {
                let el = start_element(&e, offset, file, text)?;
                stack
                    .last_mut()
                    .expect("the document is on the stack")
                    .children
                    .push(el);
            }
            Ok(Event::End(_)) => {
                let el = stack
                    .pop()
                    .expect("quick-xml checks that ends match starts");
                if stack.is_empty() {
                    return Err(invalid(
                        file,
                        located(
                            text,
                            offset,
                            "document",
                            "a closing tag without its opening tag",
                            "well-formed XML",
                        ),
                    ));
                }
                stack.last_mut().expect("checked").children.push(el);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => {
                let at = reader.error_position() as usize;
                return Err(invalid(
                    file,
                    located(
                        text,
                        at,
                        "document",
                        format!("malformed XML ({err})"),
                        "well-formed XML",
                    ),
                ));
            }
        }
    }
    if stack.len() != 1 {
        let open = stack.last().map(|e| e.name.clone()).unwrap_or_default();
        return Err(invalid(
            file,
            located(
                text,
                text.len(),
                &open,
                "the end of the file inside an open element",
                format!("a closing </{open}>"),
            ),
        ));
    }
    Ok(stack.pop().expect("the document"))
}

/// Issues by name, each with its options by name and, on an integer issue, their values.
type NamedIssues = Vec<(String, Vec<(String, Option<f64>)>)>;
/// A GeniusWeb domain: its name and each issue's values.
type WebDomain = (String, Vec<(String, Vec<String>)>);

/// A domain issue.
struct DomainIssue {
    name: String,
    index: String,
    kind: DomainKind,
}

enum DomainKind {
    Discrete(Vec<String>),
    Integer { lower: i64, upper: i64 },
}

fn parse_domain(
    file: &str,
    text: &str,
    root: &Element,
) -> Result<(String, Vec<DomainIssue>), FormatError> {
    let mut out = Vec::new();
    let name = root
        .all("objective")
        .first()
        .and_then(|o| o.attr("name"))
        .unwrap_or("genius")
        .to_string();
    for issue in root.all("issue") {
        let iname = issue.attr("name").unwrap_or_default().to_string();
        let field = format!("issue[{}]", issue.attr("index").unwrap_or("?"));
        let kind = match issue
            .attr("vtype")
            .or(issue.attr("type"))
            .unwrap_or("discrete")
        {
            "discrete" => {
                let items: Vec<String> = issue
                    .children
                    .iter()
                    .filter(|c| c.name == "item")
                    .map(|c| c.attr("value").unwrap_or_default().to_string())
                    .collect();
                if items.is_empty() {
                    return Err(invalid(
                        file,
                        located(
                            text,
                            issue.offset,
                            &field,
                            "a discrete issue without items",
                            "<item value=\"…\"> children",
                        ),
                    ));
                }
                DomainKind::Discrete(items)
            }
            "integer" => {
                let bound = |key: &str| -> Result<i64, FormatError> {
                    issue
                        .attr(key)
                        .and_then(|v| v.trim().parse().ok())
                        .ok_or_else(|| {
                            invalid(
                                file,
                                located(
                                    text,
                                    issue.offset,
                                    &format!("{field}@{key}"),
                                    issue
                                        .attr(key)
                                        .map_or("nothing".to_string(), |v| format!("{v:?}")),
                                    "a whole number",
                                ),
                            )
                        })
                };
                let (lower, upper) = (bound("lowerbound")?, bound("upperbound")?);
                if upper < lower || upper - lower >= 10_000 {
                    return Err(invalid(
                        file,
                        located(
                            text,
                            issue.offset,
                            &field,
                            format!("bounds {lower}..{upper}"),
                            "lowerbound <= upperbound, at most 10,000 values",
                        ),
                    ));
                }
                DomainKind::Integer { lower, upper }
            }
            other => {
                return Err(invalid(
                    file,
                    located(
                        text,
                        issue.offset,
                        &format!("{field}@vtype"),
                        format!("{other:?}"),
                        "\"discrete\" or \"integer\" (real-valued issues are not supported)",
                    ),
                ))
            }
        };
        out.push(DomainIssue {
            name: iname,
            index: issue.attr("index").unwrap_or_default().to_string(),
            kind,
        });
    }
    if out.is_empty() {
        return Err(invalid(
            file,
            located(
                text,
                0,
                "negotiation_template",
                "no issues",
                "<issue> elements",
            ),
        ));
    }
    Ok((name, out))
}

/// A profile as read: per-issue raw value functions, weights, reservation, discount.
struct Profile {
    values: Vec<Vec<f64>>,
    weights: Vec<f64>,
    reservation: Option<f64>,
    discount: Option<f64>,
}

fn parse_profile(
    file: &str,
    text: &str,
    root: &Element,
    domain: &[DomainIssue],
    normalization: Normalization,
) -> Result<Profile, FormatError> {
    if let Some(h) = root.all("hyperRectangle").first() {
        return Err(invalid(
            file,
            located(
                text,
                h.offset,
                "hyperRectangle",
                "a non-linear (hyper-rectangle) utility function",
                "an additive profile: Concord's analyses need additive utilities",
            ),
        ));
    }
    let issues = root.all("issue");
    if issues.len() != domain.len() {
        return Err(invalid(
            file,
            located(
                text,
                root.offset,
                "utility_space",
                format!("{} issues", issues.len()),
                format!("the domain's {} issues", domain.len()),
            ),
        ));
    }
    let mut values = Vec::with_capacity(domain.len());
    let mut by_index: HashMap<String, usize> = HashMap::new();
    for (i, (issue, d)) in issues.iter().zip(domain).enumerate() {
        let name = issue.attr("name").unwrap_or_default();
        let field = format!("issue[{}]", issue.attr("index").unwrap_or("?"));
        if name != d.name {
            return Err(invalid(
                file,
                located(
                    text,
                    issue.offset,
                    &format!("{field}@name"),
                    format!("{name:?}"),
                    format!("the domain's issue {:?} in this position", d.name),
                ),
            ));
        }
        by_index.insert(issue.attr("index").unwrap_or(&d.index).to_string(), i);
        let raw: Vec<f64> = match &d.kind {
            DomainKind::Discrete(items) => {
                let mut v = vec![None; items.len()];
                for item in issue.children.iter().filter(|c| c.name == "item") {
                    let value = item.attr("value").unwrap_or_default();
                    let Some(k) = items.iter().position(|x| x == value) else {
                        return Err(invalid(
                            file,
                            located(
                                text,
                                item.offset,
                                &format!("{field}/item@value"),
                                format!("{value:?}"),
                                format!("one of the domain's values of {:?}", d.name),
                            ),
                        ));
                    };
                    let eval = item
                        .attr("evaluation")
                        .and_then(|e| e.trim().parse::<f64>().ok())
                        .filter(|e| e.is_finite() && *e >= 0.0);
                    let Some(eval) = eval else {
                        return Err(invalid(
                            file,
                            located(
                                text,
                                item.offset,
                                &format!("{field}/item@evaluation"),
                                item.attr("evaluation")
                                    .map_or("nothing".to_string(), |e| format!("{e:?}")),
                                "a finite number of at least 0",
                            ),
                        ));
                    };
                    v[k] = Some(eval);
                }
                if let Some(k) = v.iter().position(|x| x.is_none()) {
                    return Err(invalid(
                        file,
                        located(
                            text,
                            issue.offset,
                            &field,
                            format!("no evaluation for {:?}", items[k]),
                            "an evaluation for every item",
                        ),
                    ));
                }
                v.into_iter().map(|x| x.expect("checked")).collect()
            }
            DomainKind::Integer { lower, upper } => {
                let Some(ev) = issue.children.iter().find(|c| c.name == "evaluator") else {
                    return Err(invalid(
                        file,
                        located(
                            text,
                            issue.offset,
                            &field,
                            "an integer issue without an evaluator",
                            "<evaluator ftype=\"linear\" offset=\"…\" slope=\"…\">",
                        ),
                    ));
                };
                if ev.attr("ftype") != Some("linear") {
                    return Err(invalid(
                        file,
                        located(
                            text,
                            ev.offset,
                            &format!("{field}/evaluator@ftype"),
                            format!("{:?}", ev.attr("ftype").unwrap_or_default()),
                            "\"linear\"",
                        ),
                    ));
                }
                let num = |keys: [&str; 2], default: f64| -> Result<f64, FormatError> {
                    match ev.attr(keys[0]).or(ev.attr(keys[1])) {
                        None => Ok(default),
                        Some(v) => v.trim().parse().map_err(|_| {
                            invalid(
                                file,
                                located(
                                    text,
                                    ev.offset,
                                    &format!("{field}/evaluator@{}", keys[0]),
                                    format!("{v:?}"),
                                    "a number",
                                ),
                            )
                        }),
                    }
                };
                let offset = num(["offset", "parameter0"], 0.0)?;
                let slope = num(["slope", "parameter1"], 1.0)?;
                let raw: Vec<f64> = (*lower..=*upper)
                    .map(|x| match normalization {
                        Normalization::Genius => offset + slope * (x - lower) as f64,
                        Normalization::Raw => offset + slope * x as f64,
                    })
                    .collect();
                // Evaluations must be finite and not negative, as a discrete item's are.
                if let Some(bad) = raw.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                    return Err(invalid(
                        file,
                        located(
                            text,
                            ev.offset,
                            &format!("{field}/evaluator"),
                            format!("offset {offset} and slope {slope}, which evaluate to {bad}"),
                            format!(
                                "an offset and a slope whose evaluations over {lower}..={upper} are finite and at least 0"
                            ),
                        ),
                    ));
                }
                raw
            }
        };
        values.push(match normalization {
            Normalization::Raw => raw,
            Normalization::Genius => {
                let max = raw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if max > 0.0 {
                    raw.iter().map(|x| x / max).collect()
                } else {
                    raw
                }
            }
        });
    }
    let mut weights = vec![None; domain.len()];
    for w in root.all("weight") {
        let index = w.attr("index").unwrap_or_default();
        let Some(&i) = by_index.get(index) else {
            return Err(invalid(
                file,
                located(
                    text,
                    w.offset,
                    "weight@index",
                    format!("{index:?}"),
                    "the index of one of the profile's issues",
                ),
            ));
        };
        let Some(value) = w
            .attr("value")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| (0.0..=1.0).contains(v))
        else {
            return Err(invalid(
                file,
                located(
                    text,
                    w.offset,
                    "weight@value",
                    format!("{:?}", w.attr("value").unwrap_or_default()),
                    "a number in [0, 1]",
                ),
            ));
        };
        weights[i] = Some(value);
    }
    if let Some(i) = weights.iter().position(|w| w.is_none()) {
        return Err(invalid(
            file,
            located(
                text,
                root.offset,
                "weight",
                format!("no weight for issue {:?}", domain[i].name),
                "a <weight index=\"…\" value=\"…\"> for every issue",
            ),
        ));
    }
    if weights.iter().flatten().sum::<f64>() <= 0.0 {
        return Err(invalid(
            file,
            located(
                text,
                root.offset,
                "weight",
                "weights that are all 0",
                "at least one positive weight",
            ),
        ));
    }
    // The reservation value and the discount factor are in [0, 1] (a discount factor of 0,
    // like 1, means no discounting in Genius).
    let number = |name: &str| -> Result<Option<f64>, FormatError> {
        match root.all(name).first() {
            None => Ok(None),
            Some(e) => e
                .attr("value")
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| (0.0..=1.0).contains(v))
                .map(Some)
                .ok_or_else(|| {
                    invalid(
                        file,
                        located(
                            text,
                            e.offset,
                            &format!("{name}@value"),
                            format!("{:?}", e.attr("value").unwrap_or_default()),
                            "a number in [0, 1]",
                        ),
                    )
                }),
        }
    };
    Ok(Profile {
        values,
        weights: weights.into_iter().map(|w| w.expect("checked")).collect(),
        reservation: number("reservation")?,
        discount: number("discount_factor")?,
    })
}

/// Turns any name into an id: ASCII letters and digits kept, runs of anything else as one `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

/// Slugs made unique by a numeric suffix.
fn unique_slugs<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    names
        .map(|n| {
            let base = slug(n);
            let k = seen.entry(base.clone()).or_insert(0);
            *k += 1;
            if *k == 1 {
                base
            } else {
                format!("{base}-{k}")
            }
        })
        .collect()
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Builds the scenario from a domain and profiles.
fn assemble(domain_name: &str, issues: NamedIssues, profiles: Vec<(String, Profile)>) -> Scenario {
    let issue_ids = unique_slugs(issues.iter().map(|(n, _)| n.as_str()));
    let issues: Vec<Issue> = issues
        .into_iter()
        .zip(issue_ids)
        .map(|((name, options), id)| {
            let numeric = options.iter().all(|(_, v)| v.is_some());
            let option_ids = unique_slugs(options.iter().map(|(n, _)| n.as_str()));
            Issue {
                id,
                name,
                ordered: numeric,
                options: options
                    .into_iter()
                    .zip(option_ids)
                    .map(|((name, value), id)| IssueOption { id, name, value })
                    .collect(),
                numeric: None,
            }
        })
        .collect();
    let party_ids = unique_slugs(profiles.iter().map(|(n, _)| stem(n)));
    let mut parties = Vec::new();
    let mut preferences = Vec::new();
    for ((file, profile), id) in profiles.into_iter().zip(party_ids) {
        let lowest: f64 = profile
            .weights
            .iter()
            .zip(&profile.values)
            .map(|(w, v)| {
                w * v
                    .iter()
                    .copied()
                    .fold(f64::INFINITY, f64::min)
                    .min(f64::INFINITY)
            })
            .map(|x| if x.is_finite() { x } else { 0.0 })
            .sum();
        // NegMAS uses the lowest utility when the reserve is missing or below it.
        let reservation = profile.reservation.map_or(lowest, |r| r.max(lowest));
        parties.push(Party {
            id,
            name: stem(&file).to_string(),
            role: Role::Party,
            consent: true,
            aliases: Vec::new(),
            provenance: Provenance::default(),
        });
        preferences.push(Some(Preferences {
            reservation: Assumed::exact(reservation),
            provenance: Provenance::default(),
            issues: profile
                .weights
                .iter()
                .zip(profile.values)
                .map(|(&w, values)| IssuePreference {
                    weight: Assumed::exact(w),
                    values: ValueFunction::Table(values.into_iter().map(Assumed::exact).collect()),
                    provenance: Provenance::default(),
                })
                .collect(),
            discount: profile.discount,
        }));
    }
    Scenario {
        id: slug(domain_name),
        title: format!("{domain_name} (imported from Genius)"),
        description: String::new(),
        sources: Vec::new(),
        parties,
        issues,
        preferences,
        red_lines: Vec::new(),
        framework: Framework::default(),
        claims: Vec::new(),
    }
}

/// Reads a Genius (XML) or GeniusWeb (JSON) folder's files into a scenario. Files are told apart
/// by content: the domain is the XML `negotiation_template` or the JSON object with
/// `issuesValues`; profiles are `utility_space` or `LinearAdditiveUtilitySpace`. Other files are
/// ignored. Parties are ordered by file name, as NegMAS orders them.
pub fn read_genius(
    files: &[NamedText],
    normalization: Normalization,
) -> Result<Scenario, FormatError> {
    // A byte-order mark is not part of the text: every offset and line is counted without it.
    let files: Vec<NamedText> = files
        .iter()
        .map(|f| NamedText {
            name: f.name.clone(),
            text: f
                .text
                .strip_prefix('\u{feff}')
                .unwrap_or(&f.text)
                .to_string(),
        })
        .collect();
    let mut files: Vec<&NamedText> = files.iter().collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let xml: Vec<&&NamedText> = files
        .iter()
        .filter(|f| f.name.to_lowercase().ends_with(".xml"))
        .collect();
    let json: Vec<&&NamedText> = files
        .iter()
        .filter(|f| f.name.to_lowercase().ends_with(".json"))
        .collect();
    if !xml.is_empty() {
        let mut domain = None;
        let mut profiles = Vec::new();
        for f in &xml {
            let root = parse_xml(&f.name, &f.text)?;
            match root
                .children
                .iter()
                .find(|c| !c.name.starts_with('?'))
                .map(|c| c.name.as_str())
            {
                Some("negotiation_template") => {
                    if domain.is_some() {
                        return Err(invalid(
                            &f.name,
                            located(
                                &f.text,
                                0,
                                "negotiation_template",
                                "a second domain file",
                                "one domain per folder",
                            ),
                        ));
                    }
                    domain = Some((f, root));
                }
                Some("utility_space") => profiles.push((f, root)),
                _ => {} // e.g. pareto.xml
            }
        }
        let Some((dfile, droot)) = domain else {
            return Err(FormatError::Genius(
                "no domain file (an XML file whose root is <negotiation_template>) in the folder"
                    .into(),
            ));
        };
        if profiles.is_empty() {
            return Err(FormatError::Genius(
                "no profile (an XML file whose root is <utility_space>) in the folder".into(),
            ));
        }
        let (name, dissues) = parse_domain(&dfile.name, &dfile.text, &droot)?;
        let mut parsed = Vec::new();
        for (f, root) in profiles {
            parsed.push((
                f.name.clone(),
                parse_profile(&f.name, &f.text, &root, &dissues, normalization)?,
            ));
        }
        let issues = dissues
            .into_iter()
            .map(|d| {
                let options = match d.kind {
                    DomainKind::Discrete(items) => items.into_iter().map(|v| (v, None)).collect(),
                    DomainKind::Integer { lower, upper } => (lower..=upper)
                        .map(|x| (x.to_string(), Some(x as f64)))
                        .collect(),
                };
                (d.name, options)
            })
            .collect();
        return Ok(assemble(&name, issues, parsed));
    }
    if !json.is_empty() {
        return read_geniusweb(&json.iter().map(|f| **f).collect::<Vec<_>>(), normalization);
    }
    Err(FormatError::Genius(
        "no .xml or .json files in the folder".into(),
    ))
}

fn json_error(file: &NamedText, err: &serde_json::Error) -> FormatError {
    // serde_json counts the column of the last character read, 0 when it read none on the line
    // (an empty file, an error right after a newline); a diagnostic's columns start at 1.
    let column = err.column().max(1);
    let (source_line, source_offset) = crate::located::excerpt(
        file.text
            .lines()
            .nth(err.line().saturating_sub(1))
            .unwrap_or_default(),
        column,
    );
    invalid(
        &file.name,
        Diagnostic {
            line: err.line(),
            column,
            field: "document".into(),
            found: format!("malformed JSON ({err})"),
            expected: "well-formed JSON".into(),
            source_line,
            source_offset,
        },
    )
}

fn read_geniusweb(
    files: &[&NamedText],
    normalization: Normalization,
) -> Result<Scenario, FormatError> {
    use serde_json::Value;
    let mut domain: Option<WebDomain> = None;
    let mut profiles: Vec<(String, Value)> = Vec::new();
    let domain_of = |v: &Value| -> Option<WebDomain> {
        let name = v.get("name")?.as_str()?.to_string();
        let issues = v.get("issuesValues")?.as_object()?;
        Some((
            name,
            issues
                .iter()
                .map(|(k, iv)| {
                    let values = iv
                        .get("values")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    (k.clone(), values)
                })
                .collect(),
        ))
    };
    for f in files {
        let v: Value = serde_json::from_str(&f.text).map_err(|e| json_error(f, &e))?;
        if let Some(p) = v.get("LinearAdditiveUtilitySpace") {
            if domain.is_none() {
                domain = p.get("domain").and_then(domain_of);
            }
            profiles.push((f.name.clone(), p.clone()));
        } else if v.get("issuesValues").is_some() {
            domain = domain_of(&v);
        } else if v
            .as_object()
            .is_some_and(|o| o.keys().any(|k| k.contains("UtilitySpace")))
        {
            return Err(FormatError::Genius(format!(
                "{}: a profile that is not a LinearAdditiveUtilitySpace: Concord's analyses need additive utilities",
                f.name
            )));
        }
    }
    let Some((name, dissues)) = domain else {
        return Err(FormatError::Genius(
            "no GeniusWeb domain (an object with `name` and `issuesValues`) in the folder".into(),
        ));
    };
    if profiles.is_empty() {
        return Err(FormatError::Genius(
            "no LinearAdditiveUtilitySpace profile in the folder".into(),
        ));
    }
    let mut parsed = Vec::new();
    for (file, p) in profiles {
        let err = |what: String| FormatError::Genius(format!("{file}: {what}"));
        let utils = p
            .get("issueUtilities")
            .and_then(Value::as_object)
            .ok_or_else(|| err("no `issueUtilities` object".into()))?;
        let weights_obj = p
            .get("issueWeights")
            .and_then(Value::as_object)
            .ok_or_else(|| err("no `issueWeights` object".into()))?;
        let mut values = Vec::new();
        let mut weights = Vec::new();
        for (issue, options) in &dissues {
            let table = utils
                .get(issue)
                .and_then(|u| u.get("discreteutils"))
                .and_then(|u| u.get("valueUtilities"))
                .and_then(Value::as_object)
                .ok_or_else(|| {
                    err(format!(
                        "no `discreteutils.valueUtilities` for issue {issue:?}"
                    ))
                })?;
            let raw: Vec<f64> = options
                .iter()
                .map(|o| {
                    let u = table.get(o).and_then(Value::as_f64).ok_or_else(|| {
                        err(format!("no utility for value {o:?} of issue {issue:?}"))
                    })?;
                    if u.is_finite() && u >= 0.0 {
                        Ok(u)
                    } else {
                        Err(err(format!(
                            "issueUtilities.{issue}.discreteutils.valueUtilities.{o}: found {u}, expected a finite number of at least 0"
                        )))
                    }
                })
                .collect::<Result<_, _>>()?;
            let max = raw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            values.push(if normalization == Normalization::Genius && max > 0.0 {
                raw.iter().map(|x| x / max).collect()
            } else {
                raw
            });
            let w = weights_obj
                .get(issue)
                .and_then(Value::as_f64)
                .ok_or_else(|| err(format!("no weight for issue {issue:?}")))?;
            if !(0.0..=1.0).contains(&w) {
                return Err(err(format!(
                    "issueWeights.{issue}: found {w}, expected a number in [0, 1]"
                )));
            }
            weights.push(w);
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return Err(err(
                "issueWeights: found weights that are all 0, expected at least one positive weight"
                    .into(),
            ));
        }
        // The reservation is the utility of the reservation bid, when there is one.
        let reservation = match p
            .get("reservationBid")
            .and_then(|b| b.get("issuevalues"))
            .and_then(Value::as_object)
        {
            Some(bid) => {
                let mut u = 0.0;
                for (i, (issue, options)) in dissues.iter().enumerate() {
                    let chosen = bid.get(issue).and_then(Value::as_str).ok_or_else(|| {
                        err(format!(
                            "the reservation bid has no value for issue {issue:?}"
                        ))
                    })?;
                    let k = options.iter().position(|o| o == chosen).ok_or_else(|| {
                        err(format!(
                            "the reservation bid's value {chosen:?} is not in issue {issue:?}"
                        ))
                    })?;
                    u += weights[i] * values[i][k];
                }
                Some(u)
            }
            None => None,
        };
        parsed.push((
            file,
            Profile {
                values,
                weights,
                reservation,
                discount: None,
            },
        ));
    }
    let issues = dissues
        .into_iter()
        .map(|(n, options)| (n, options.into_iter().map(|o| (o, None)).collect()))
        .collect();
    Ok(assemble(&name, issues, parsed))
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// Writes a scenario as Genius files: a domain and one profile per party with preferences.
/// Numeric issues are written as discrete issues whose items are their values. Red lines and the
/// framework have no Genius equivalent and are left out; the caller should say so.
pub fn write_genius(scenario: &Scenario) -> Vec<NamedText> {
    let mut domain = String::from("<negotiation_template>\n");
    domain.push_str(&format!(
        "<utility_space number_of_issues=\"{}\">\n",
        scenario.issues.len()
    ));
    domain.push_str(&format!(
        "<objective description=\"\" etype=\"objective\" index=\"0\" name=\"{}\" type=\"objective\">\n",
        escape(&scenario.id)
    ));
    for (i, issue) in scenario.issues.iter().enumerate() {
        domain.push_str(&format!(
            "  <issue etype=\"discrete\" index=\"{}\" name=\"{}\" type=\"discrete\" vtype=\"discrete\">\n",
            i + 1,
            escape(&issue.id)
        ));
        for (k, o) in issue.options.iter().enumerate() {
            domain.push_str(&format!(
                "    <item index=\"{}\" value=\"{}\" description=\"{}\"></item>\n",
                k + 1,
                escape(&o.id),
                escape(&o.name)
            ));
        }
        domain.push_str("  </issue>\n");
    }
    domain.push_str("</objective>\n</utility_space>\n</negotiation_template>\n");
    let mut out = vec![NamedText {
        name: format!("{}_domain.xml", scenario.id),
        text: domain,
    }];
    for (p, prefs) in scenario.preferences.iter().enumerate() {
        let Some(prefs) = prefs else { continue };
        let mut text = String::from("<utility_space>\n");
        text.push_str(&format!(
            "<objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">\n",
            escape(&scenario.id)
        ));
        for (i, issue) in scenario.issues.iter().enumerate() {
            text.push_str(&format!(
                "  <issue index=\"{}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"{}\">\n",
                i + 1,
                escape(&issue.id)
            ));
            for (k, o) in issue.options.iter().enumerate() {
                let v = prefs.issues[i].values.value(issue, k, |a| a.value);
                text.push_str(&format!(
                    "    <item index=\"{}\" value=\"{}\" evaluation=\"{}\"></item>\n",
                    k + 1,
                    escape(&o.id),
                    v
                ));
            }
            text.push_str("  </issue>\n");
        }
        for (i, ip) in prefs.issues.iter().enumerate() {
            text.push_str(&format!(
                "  <weight index=\"{}\" value=\"{}\"></weight>\n",
                i + 1,
                ip.weight.value
            ));
        }
        text.push_str("</objective>\n");
        text.push_str(&format!(
            "<discount_factor value=\"{}\" />\n<reservation value=\"{}\" />\n</utility_space>\n",
            format_number(prefs.discount.unwrap_or(1.0)),
            prefs.reservation.value
        ));
        out.push(NamedText {
            name: format!("{}.xml", scenario.parties[p].id),
            text,
        });
    }
    out
}

/// Makes an imported scenario one that a scenario file can hold: each party's weights must sum
/// to 1, and Genius files often miss by a little. A party whose weights do not is rescaled
/// exactly (weights in decimal, and its reservation value by the same sum, so that the zone
/// stays the one the folder has). Returns each rescaled party with its original sum.
pub fn normalise_for_scenario_file(scenario: &mut Scenario) -> Vec<(usize, f64)> {
    let mut rescaled = Vec::new();
    for (p, prefs) in scenario.preferences.iter_mut().enumerate() {
        let Some(prefs) = prefs else { continue };
        let total: f64 = prefs.issues.iter().map(|ip| ip.weight.value).sum();
        if total > 0.0 && (total - 1.0).abs() > crate::scenario::WEIGHT_TOLERANCE {
            let weights: Vec<f64> = prefs.issues.iter().map(|ip| ip.weight.value).collect();
            let Some(normalised) = concord_core::exact::normalise(&weights) else {
                continue;
            };
            for (ip, w) in prefs.issues.iter_mut().zip(normalised) {
                ip.weight.value = w;
            }
            prefs.reservation.value /= total;
            rescaled.push((p, total));
        }
    }
    rescaled
}

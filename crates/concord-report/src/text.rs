//! Text reports for people: the analysis as sections and tables.

use std::fmt::Write;

use comfy_table::{Cell, CellAlignment};
use concord_core::analysis::{Analysis, Change, Constraint, Correction, Method, NoZone};
use concord_core::bargaining::{Concept, NegmasConcept};
use concord_core::citations::SourcesCheck;
use concord_core::model::{Basis, Provenance, RedLineRule, Scenario, Stance};
use concord_core::sensitivity::Sensitivity;
use concord_io::scenario::format_number;

use crate::layout::table;

pub use crate::words::{describe_rule, package_options};

/// Options for the text report.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// List every frontier point.
    pub frontier: bool,
}

pub(crate) fn basis_note(scenario: &Scenario, p: &Provenance) -> String {
    if p.basis == Basis::Assumed {
        return "assumed by the analyst".into();
    }
    // A position resting on claims shows the first claim, and its passage when it quotes none.
    let claim = p.claims.first().map(|&c| &scenario.claims[c]);
    let tag = claim
        .map(|c| format!(", claim `{}`", c.id))
        .unwrap_or_default();
    match p
        .citations
        .first()
        .or_else(|| claim.and_then(|c| c.citations.first()))
    {
        Some(c) => {
            let speaker = c
                .speaker
                .as_ref()
                .map(|s| format!(", says {s}"))
                .unwrap_or_default();
            format!(
                "{} in {}{speaker}{tag}: \"{}\"",
                p.basis.as_str(),
                scenario.sources[c.source].id,
                c.quote
            )
        }
        None => format!("{}{tag}", p.basis.as_str()),
    }
}

fn party_name(scenario: &Scenario, p: usize) -> &str {
    &scenario.parties[p].name
}

fn pct(x: f64) -> String {
    if x > 0.0 && x < 0.0001 {
        format!("{:.2e}%", x * 100.0)
    } else {
        format!("{:.2}%", x * 100.0)
    }
}

/// The size of the space in words: exact and grouped while it fits 128 bits, else its order
/// of magnitude with the number of digits (the exact number is in the JSON report).
pub(crate) fn space_words(analysis: &Analysis) -> String {
    count_words(&crate::analysis_report::space_count(analysis))
}

/// A count in words, as [`space_words`] says a space's size.
pub(crate) fn count_words(count: &crate::analysis_report::Count) -> String {
    let exact = match count {
        crate::analysis_report::Count::Number(n) => return group(u128::from(*n)),
        crate::analysis_report::Count::Decimal(digits) => digits,
    };
    // Exact and grouped while it fits 128 bits, as the analysis counts it.
    if let Ok(n) = exact.parse::<u128>() {
        return group(n);
    }
    format!(
        "about {}.{} × 10^{} (a {}-digit number, exact in --json)",
        &exact[..1],
        &exact[1..3],
        exact.len() - 1,
        exact.len()
    )
}

pub(crate) use concord_core::number::grouped as group;

fn constraint_line(scenario: &Scenario, analysis: &Analysis, c: Constraint) -> String {
    match c {
        Constraint::RedLine(r) => {
            let line = &scenario.red_lines[r];
            format!(
                "red line `{}` of {}: {} [{}]",
                line.id,
                party_name(scenario, line.party),
                describe_rule(scenario, &line.rule),
                basis_note(scenario, &line.provenance)
            )
        }
        Constraint::Reservation(p) => {
            let slot = analysis
                .consenting
                .iter()
                .position(|&q| q == p)
                .expect("consenting");
            format!(
                "reservation value of {}: {}",
                party_name(scenario, p),
                format_number(analysis.reservations[slot])
            )
        }
    }
}

/// How many conflicts the text report lists; the JSON report lists every one found.
const LISTED_CONFLICTS: usize = 10;

/// The constraints of a correction set as things to do ("drop Russia's red line `x`", "lower
/// Ukraine's reservation value from 0.45 to 0.4").
fn correction_steps(scenario: &Scenario, analysis: &Analysis, c: &Correction, own: bool) -> String {
    c.constraints
        .iter()
        .map(|&k| match k {
            Constraint::RedLine(l) => {
                let line = &scenario.red_lines[l];
                if own {
                    format!("drop its red line `{}`", line.id)
                } else {
                    format!(
                        "drop {}'s red line `{}`",
                        party_name(scenario, line.party),
                        line.id
                    )
                }
            }
            Constraint::Reservation(p) => {
                let slot = analysis
                    .consenting
                    .iter()
                    .position(|&q| q == p)
                    .expect("consenting");
                let from = analysis.reservations[slot];
                let whose = if own {
                    "its".to_string()
                } else {
                    format!("{}'s", party_name(scenario, p))
                };
                match c.lower_to.iter().find(|&&(q, _)| q == p) {
                    Some(&(_, to)) => format!(
                        "lower {whose} reservation value from {} to {} (by {}{})",
                        format_number(from),
                        format_number(to),
                        format_number(from - to),
                        if c.lower_to_proven {
                            ""
                        } else {
                            "; not proven the least drop"
                        }
                    ),
                    None => format!(
                        "lower {whose} reservation value from {}",
                        format_number(from)
                    ),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The zone a correction set opens, as text.
fn opens(c: &Correction) -> String {
    c.zone_size.map_or_else(
        || "opens a zone".to_string(),
        |n| format!("opens {} packages", group(u128::from(n))),
    )
}

/// Why there is no zone: every minimal conflict, the fewest changes that open a zone, and what
/// each party alone would have to give up. No sentence says a change opens a zone unless it does
/// with every other constraint kept.
fn no_zone_text(w: &mut String, scenario: &Scenario, analysis: &Analysis, nz: &NoZone) {
    let count = nz.conflicts.len();
    let how_many = match (count, nz.conflicts_complete) {
        (1, true) => "one minimal conflict".to_string(),
        (n, true) => format!("{n} minimal conflicts"),
        (n, false) => format!("at least {n} minimal conflicts (the search stopped at its limit)"),
    };
    let _ = writeln!(
        w,
        "\nWhy: {how_many}. A conflict is a set of constraints that together leave nothing while any smaller part of it leaves something; removing a member ends that conflict only, and a zone opens when every conflict is ended."
    );
    for (k, conflict) in nz.conflicts.iter().take(LISTED_CONFLICTS).enumerate() {
        let _ = writeln!(w, "  Conflict {}:", k + 1);
        for &c in conflict {
            let _ = writeln!(w, "    - {}", constraint_line(scenario, analysis, c));
        }
    }
    if count > LISTED_CONFLICTS {
        let _ = writeln!(
            w,
            "  ... and {} more (all in the JSON report).",
            count - LISTED_CONFLICTS
        );
    }

    // Red lines the party has not stated itself, in any conflict: whether dropping one alone opens
    // anything.
    let mut weak: Vec<usize> = nz
        .conflicts
        .iter()
        .flatten()
        .filter_map(|c| match *c {
            Constraint::RedLine(r) if scenario.red_lines[r].provenance.basis != Basis::Stated => {
                Some(r)
            }
            _ => None,
        })
        .collect();
    weak.sort_unstable();
    weak.dedup();
    for r in weak {
        let id = &scenario.red_lines[r].id;
        let alone = nz
            .corrections
            .iter()
            .any(|c| c.constraints == [Constraint::RedLine(r)]);
        let untouched = nz
            .conflicts
            .iter()
            .position(|c| !c.contains(&Constraint::RedLine(r)));
        let _ = match (alone, untouched) {
            (true, _) => writeln!(
                w,
                "Note: red line `{id}` is not stated by the party itself (reported by a third party or assumed), and dropping it alone opens a zone."
            ),
            (false, Some(k)) => writeln!(
                w,
                "Note: red line `{id}` is not stated by the party itself (reported by a third party or assumed); dropping it alone opens no zone: conflict {} remains.",
                k + 1
            ),
            (false, None) if nz.corrections_complete => writeln!(
                w,
                "Note: red line `{id}` is not stated by the party itself (reported by a third party or assumed); dropping it alone opens no zone."
            ),
            (false, None) => Ok(()),
        };
    }

    match nz.corrections.first() {
        Some(first) => {
            let size = first.constraints.len();
            let _ = writeln!(
                w,
                "\nFewest changes that open a zone, every other constraint kept ({} {}{}):",
                size,
                if size == 1 {
                    "change"
                } else {
                    "changes together"
                },
                if nz.corrections_complete {
                    ""
                } else {
                    "; the search stopped at its limit, so fewer may exist"
                }
            );
            for (k, c) in nz.corrections.iter().enumerate() {
                let _ = writeln!(
                    w,
                    "  {}. {}: {}",
                    k + 1,
                    correction_steps(scenario, analysis, c, false),
                    opens(c)
                );
            }
        }
        None => {
            let _ = writeln!(
                w,
                "\nThe search for the fewest changes that open a zone stopped at its limit."
            );
        }
    }

    let _ = writeln!(w, "\nWhat each party alone would have to give up:");
    for pc in &nz.by_party {
        let name = party_name(scenario, pc.party);
        if let Some(k) = pc.remaining_conflict {
            let _ = writeln!(
                w,
                "  - {name}: nothing it gives up alone opens a zone: conflict {} involves none of its red lines or its reservation value.",
                k + 1
            );
        } else if pc.corrections.is_empty() {
            let _ = writeln!(
                w,
                "  - {name}: not known (the search stopped at its limit)."
            );
        } else {
            let options: Vec<String> = pc
                .corrections
                .iter()
                .map(|c| {
                    format!(
                        "{} ({})",
                        correction_steps(scenario, analysis, c, true),
                        opens(c)
                    )
                })
                .collect();
            let _ = writeln!(w, "  - {name}: {}.", options.join("; or "));
        }
    }
    if nz.by_party.iter().all(|pc| pc.remaining_conflict.is_some()) {
        let _ = writeln!(w, "No party can open a zone alone.");
    }
}

/// A headed list of red lines with their basis, or nothing when there are none.
fn red_line_list(w: &mut String, scenario: &Scenario, heading: &str, lines: &[usize]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(w, "\n{heading}");
    for &l in lines {
        let line = &scenario.red_lines[l];
        let _ = writeln!(
            w,
            "  - `{}` of {}: {} [{}]",
            line.id,
            party_name(scenario, line.party),
            describe_rule(scenario, &line.rule),
            basis_note(scenario, &line.provenance)
        );
    }
}

/// The node limit of the branch and bound, in words.
fn search_limit(analysis: &Analysis) -> String {
    analysis
        .search
        .as_ref()
        .map_or_else(|| "none".to_string(), |s| group(u128::from(s.max_nodes)))
}

/// An objective value, with enough digits to show small gaps.
pub(crate) fn format_value(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        format!("{x:.3e}")
    } else {
        format!("{x:.6}")
    }
}

/// The analysis as text for people.
pub fn analysis_text(
    scenario: &Scenario,
    analysis: &Analysis,
    sensitivity: Option<&Sensitivity>,
    options: &TextOptions,
) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "{} ({})", scenario.title, scenario.id);
    let size = space_words(analysis);
    let _ = writeln!(
        w,
        "Method: {} over {size} packages ({} issues){}.",
        analysis.method.as_str(),
        scenario.issues.len(),
        match analysis.space_size {
            _ if analysis.zone_size.is_none() || analysis.method == Method::Enumeration => "",
            Some(s)
                if s <= concord_core::halves::MIN_SPACE || !analysis.count_without_enumerating =>
                "; packages counted by enumeration",
            _ => "; packages counted exactly, by meet in the middle where it applies",
        }
    );
    let consent: Vec<String> = analysis
        .consenting
        .iter()
        .zip(&analysis.reservations)
        .map(|(&p, r)| {
            format!(
                "{} (reservation {})",
                party_name(scenario, p),
                format_number(*r)
            )
        })
        .collect();
    let _ = writeln!(w, "Consent needed from: {}.", consent.join(", "));
    if !analysis.set_aside_red_lines.is_empty() {
        // What the answer depends on comes first: a zone found without some red lines is not
        // the zone of the whole file.
        let ids: Vec<&str> = analysis
            .set_aside_red_lines
            .iter()
            .map(|&r| scenario.red_lines[r].id.as_str())
            .collect();
        let _ = writeln!(
            w,
            "This answer sets aside {} of the {} red lines (by their basis, --red-lines): {}.",
            ids.len(),
            scenario.red_lines.len(),
            ids.join(", ")
        );
    }
    let others: Vec<String> = scenario
        .parties
        .iter()
        .filter(|p| !p.consent)
        .map(|p| format!("{} ({})", p.name, p.role.as_str()))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(w, "Also at the table: {}.", others.join(", "));
    }
    let _ = writeln!(w);

    if analysis.zone_exists {
        let how_many = match (analysis.zone_size, analysis.zone_share()) {
            (Some(n), Some(share)) => format!(
                "{} packages ({} of the space)",
                group(u128::from(n)),
                pct(share)
            ),
            _ => String::new(),
        };
        if how_many.is_empty() {
            let _ = writeln!(
                w,
                "{}: there are packages that break no red line of a consenting party and give each at least its reservation value (how many was not counted: the space is past --count-limit, or counting is off).",
                crate::layout::headline("AGREEMENT ZONE", crate::layout::Tone::Good)
            );
        } else {
            let _ = writeln!(
                w,
                "{}: {how_many} break no red line of a consenting party and give each at least its reservation value.",
                crate::layout::headline("AGREEMENT ZONE", crate::layout::Tone::Good)
            );
        }
    } else {
        let _ = writeln!(
            w,
            "{}: no package breaks no red line of a consenting party and gives each at least its reservation value.",
            crate::layout::headline("NO AGREEMENT ZONE", crate::layout::Tone::Bad)
        );
    }
    if let Some(search) = &analysis.search {
        let left_out: Vec<&str> = [
            (
                search.explanation_stopped,
                "why the zone is empty (its conflicts and the changes that open it)",
            ),
            (search.issue_map_stopped, "the issue map"),
        ]
        .iter()
        .filter(|(stopped, _)| *stopped)
        .map(|&(_, what)| what)
        .collect();
        if !left_out.is_empty() {
            let _ = writeln!(
                w,
                "\nNOT PROVEN, so not shown: {}. A branch and bound behind it reached its node limit ({} nodes per search) before it decided whether a set of constraints admits a package. Raise --max-nodes (0: no limit).",
                left_out.join("; "),
                search_limit(analysis)
            );
        }
    }
    if let Some(nz) = &analysis.no_zone {
        no_zone_text(w, scenario, analysis, nz);
        if nz.relaxations.is_empty() {
            let _ = writeln!(
                w,
                "\nNo single change to one constraint opens a zone with the other constraints kept."
            );
        } else {
            let _ = writeln!(w, "\nSingle changes that open a zone, every other constraint kept, cheapest first (reservation values before red lines; see docs/analysis.md):");
            for (k, r) in nz.relaxations.iter().enumerate() {
                let what = match (&r.change, r.constraint) {
                    (Change::LowerReservation { from, to, proven }, Constraint::Reservation(p)) => {
                        format!(
                            "lower {}'s reservation value from {} to {} (by {}{})",
                            party_name(scenario, p),
                            format_number(*from),
                            format_number(*to),
                            format_number(from - to),
                            if *proven {
                                ""
                            } else {
                                "; not proven the least drop: the search stopped at --max-nodes"
                            }
                        )
                    }
                    (Change::AdmitOption { issue, option }, Constraint::RedLine(l)) => format!(
                        "let {}'s red line `{}` admit {} = {}",
                        party_name(scenario, scenario.red_lines[l].party),
                        scenario.red_lines[l].id,
                        scenario.issues[*issue].id,
                        scenario.issues[*issue].options[*option].id
                    ),
                    (Change::NarrowCondition { issue, option }, Constraint::RedLine(l)) => format!(
                        "stop {}'s red line `{}` from applying when {} = {}",
                        party_name(scenario, scenario.red_lines[l].party),
                        scenario.red_lines[l].id,
                        scenario.issues[*issue].id,
                        scenario.issues[*issue].options[*option].id
                    ),
                    (Change::DropRedLine, Constraint::RedLine(l)) => format!(
                        "drop {}'s red line `{}`",
                        party_name(scenario, scenario.red_lines[l].party),
                        scenario.red_lines[l].id
                    ),
                    (change, c) => format!("{change:?} on {c:?}"),
                };
                let _ = writeln!(
                    w,
                    "  {}. {what}: opens {}{}",
                    k + 1,
                    r.zone_size.map_or_else(
                        || "a zone".to_string(),
                        |n| format!("{} packages", group(u128::from(n)))
                    ),
                    if k == 0 { "  <- cheapest" } else { "" }
                );
            }
        }
    }

    if analysis.zone_exists {
        let names: Vec<&str> = analysis
            .consenting
            .iter()
            .map(|&p| party_name(scenario, p))
            .collect();
        if let Some(search) = analysis
            .search
            .as_ref()
            .filter(|_| !analysis.frontier_materialised)
        {
            let _ = writeln!(
                w,
                "\nPARETO FRONTIER of the zone over {}: not materialised; the bargaining points below were computed by exact branch and bound{}.",
                names.join(", "),
                match &search.fallback {
                    // The merge's own limits name the flags that raise them.
                    Some(why) if why.starts_with("the merge ") => format!(
                        " ({why}; to get the frontier, raise --max-partial-sums and --max-merge-work)"
                    ),
                    Some(why) => format!(" ({why})"),
                    None => String::new(),
                }
            );
            let ideal: Vec<String> = names
                .iter()
                .zip(analysis.ideal.iter().zip(&search.ideal_upper))
                .map(|(n, (lo, hi))| {
                    if lo == hi {
                        format!("{n} {lo:.4}")
                    } else {
                        format!("{n} between {lo:.4} and {hi:.4} (not proven)")
                    }
                })
                .collect();
            let _ = writeln!(
                w,
                "Ideal point (each party's best in the zone): {}.",
                ideal.join(", ")
            );
        } else {
            let _ = writeln!(
                w,
                "\nPARETO FRONTIER of the zone over {}: {} distinct utility vector{}{}.",
                names.join(", "),
                group(analysis.frontier.len() as u128),
                if analysis.frontier.len() == 1 {
                    ""
                } else {
                    "s"
                },
                if options.frontier {
                    ""
                } else {
                    " (list them with --frontier or --json)"
                }
            );
        }
        let listed = options.frontier && analysis.frontier_materialised;
        if listed && analysis.frontier.len() > crate::analysis_report::INLINE_FRONTIER_LIMIT {
            let _ = writeln!(
                w,
                "The frontier has more than {} points: stream it with --frontier-out FILE.",
                crate::analysis_report::INLINE_FRONTIER_LIMIT
            );
        } else if listed {
            let mut t = table();
            let mut header: Vec<String> = names.iter().map(|n| format!("u({n})")).collect();
            header.push("packages".into());
            header.push("first package".into());
            t.set_header(header);
            for p in &analysis.frontier {
                let mut row: Vec<String> = p.utilities.iter().map(|u| format!("{u:.4}")).collect();
                row.push(p.package_count.to_string());
                let first = p.packages.first().map(|q| {
                    package_options(scenario, q)
                        .into_iter()
                        .map(|(i, o)| format!("{i}={o}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                });
                row.push(first.unwrap_or_default());
                t.add_row(row);
            }
            w.push_str(&crate::layout::render_table(&t, ""));
        }
        let _ = writeln!(
            w,
            "\nBARGAINING SOLUTIONS on the frontier (gains are over reservation values):"
        );
        let mut t = table();
        let mut header = vec![Cell::new("")];
        let mut columns: Vec<(String, &[usize])> = Vec::new();
        let mut notes = Vec::new();
        for (n, s) in analysis.solutions.iter().enumerate() {
            let label = match s.concept {
                Concept::Nash => "Nash",
                Concept::KalaiSmorodinsky => "Kalai-Smorodinsky",
                Concept::Egalitarian => "Egalitarian",
                Concept::Utilitarian => "Utilitarian",
            };
            let point = analysis.solution_point(s.points[0]);
            let packages: u128 = s
                .points
                .iter()
                .map(|&i| analysis.solution_point(i).package_count)
                .fold(0, u128::saturating_add);
            match analysis.proof(n) {
                Some(proof) if !proof.proven => notes.push(format!(
                    "{label}: NOT PROVEN OPTIMAL (node limit of {} reached after {} nodes): the best package found has value {}; the optimum is at most {} higher (gap bound), at most {}.",
                    search_limit(analysis),
                    proof.nodes,
                    format_value(s.value),
                    format_value(proof.gap),
                    format_value(s.value + proof.gap)
                )),
                Some(proof) if !proof.all_ties => notes.push(format!(
                    "{label}: proven optimal, but not every tied point is listed (more than {} or the search stopped early).",
                    concord_core::bnb::MAX_TIED_POINTS
                )),
                _ => {}
            }
            if packages > 1 {
                notes.push(format!(
                    "{label}: {} tied packages over {} frontier point(s); the first is shown ({} with --json).",
                    group(packages),
                    group(s.points.len() as u128),
                    if s.points.len() > crate::analysis_report::INLINE_FRONTIER_LIMIT {
                        format!(
                            "the first {} points, one package each,",
                            group(crate::analysis_report::INLINE_FRONTIER_LIMIT as u128)
                        )
                    } else if analysis.method == Method::Enumeration {
                        "more".to_string()
                    } else {
                        "one per point".to_string()
                    }
                ));
            }
            header.push(Cell::new(label));
            columns.push((label.to_string(), point.packages[0].as_slice()));
        }
        // NegMAS's rules, when asked for (`--negmas`): two more columns, read off the same
        // frontier.
        match &analysis.negmas {
            Some(_) if !analysis.frontier_materialised => notes.push(
                "NegMAS's ks_points and kalai_points (--negmas): not computed; they are read off the frontier, which branch and bound does not materialise (use --method merge).".to_string(),
            ),
            Some(found) => {
                for s in found {
                    let label = match s.concept {
                        NegmasConcept::KalaiSmorodinsky => "Kalai-Smorodinsky (NegMAS)",
                        NegmasConcept::Kalai => "Kalai (NegMAS)",
                    };
                    let packages: u128 = s
                        .points
                        .iter()
                        .map(|&i| analysis.frontier[i].package_count)
                        .fold(0, u128::saturating_add);
                    if packages > 1 {
                        notes.push(format!(
                            "{label}: {packages} tied packages over {} frontier point(s), as NegMAS's {} returns them (ties within 1e-12); the first is shown.",
                            s.points.len(),
                            s.concept.negmas_function()
                        ));
                    }
                    header.push(Cell::new(label));
                    columns.push((
                        label.to_string(),
                        analysis.frontier[s.points[0]].packages[0].as_slice(),
                    ));
                }
            }
            None => {}
        }
        t.set_header(header);
        for (i, issue) in scenario.issues.iter().enumerate() {
            let mut row = vec![Cell::new(&issue.id)];
            for (_, package) in &columns {
                let o = package[i];
                row.push(Cell::new(&issue.options[o].id));
            }
            t.add_row(row);
        }
        for (k, &p) in analysis.evaluator.scored.iter().enumerate() {
            let mut row = vec![Cell::new(format!(
                "u({}){}",
                party_name(scenario, p),
                if scenario.parties[p].consent {
                    ""
                } else {
                    " *"
                }
            ))];
            for (_, package) in &columns {
                row.push(
                    Cell::new(format!("{:.4}", analysis.utilities(package)[k]))
                        .set_alignment(CellAlignment::Right),
                );
            }
            t.add_row(row);
        }
        w.push_str(&crate::layout::render_table(&t, ""));
        if analysis
            .evaluator
            .scored
            .iter()
            .any(|&p| !scenario.parties[p].consent)
        {
            let _ = writeln!(
                w,
                "* consent not needed: shown beside the frontier, not part of it."
            );
        }
        for n in notes {
            let _ = writeln!(w, "{n}");
        }
    }

    if !analysis.issues.is_empty() {
        let _ = writeln!(
            w,
            "\nISSUE MAP, ranked by blocking: how much the zone's share of the space grows when the issue is freed\n(its red lines lifted and every party scoring it at its own favourite option):"
        );
        let mut t = table();
        let mut header = vec![
            "rank".to_string(),
            "issue".into(),
            "blocking".into(),
            "zone if freed".into(),
            "favourites differ".into(),
        ];
        for &p in &analysis.evaluator.scored {
            header.push(format!("{}: weight, favourite", scenario.parties[p].id));
        }
        header.push("red lines".into());
        t.set_header(header);
        for (rank, r) in analysis.issues.iter().enumerate() {
            let issue = &scenario.issues[r.issue];
            let mut row = vec![
                (rank + 1).to_string(),
                issue.id.clone(),
                format!(
                    "{}{}",
                    r.blocking.map_or_else(
                        || "not counted".to_string(),
                        |b| format!("{:+.2} pts", b * 100.0)
                    ),
                    if r.opens_zone { ", opens a zone" } else { "" }
                ),
                r.freed_share.map_or_else(|| "-".to_string(), pct),
                if r.favourites_differ { "yes" } else { "no" }.to_string(),
            ];
            for ((_, weight), (_, fav)) in r.weights.iter().zip(&r.favourites) {
                let favs: Vec<&str> = fav.iter().map(|&o| issue.options[o].id.as_str()).collect();
                row.push(format!("{:.2}, {}", weight, favs.join("/")));
            }
            row.push(
                r.red_lines
                    .iter()
                    .map(|&l| scenario.red_lines[l].id.clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            t.add_row(row);
        }
        w.push_str(&crate::layout::render_table(&t, ""));
    }

    let fw = &analysis.framework;
    if !fw.points.is_empty() {
        let title = if scenario.framework.title.is_empty() {
            "Framework"
        } else {
            &scenario.framework.title
        };
        let accepted = fw.points.iter().filter(|p| p.accepted).count();
        let _ = writeln!(
            w,
            "\nFRAMEWORK \"{title}\": {accepted} of {} points accepted by every consenting party ({}; weighted by issue weight: {}).",
            fw.points.len(),
            fw.accepted_share.map_or("-".into(), pct),
            fw.weighted_share.map_or("no weights".into(), pct)
        );
        let mut t = table();
        // Consenting parties always; others only where they stated a stance somewhere.
        let shown: Vec<usize> = (0..scenario.parties.len())
            .filter(|&p| {
                scenario.parties[p].consent
                    || scenario
                        .framework
                        .points
                        .iter()
                        .any(|pt| pt.stances[p].stance != Stance::NotStated)
            })
            .collect();
        let mut header = vec![
            "point".to_string(),
            "title".into(),
            "weight".into(),
            "agreed".into(),
        ];
        header.extend(shown.iter().map(|&p| scenario.parties[p].id.clone()));
        t.set_header(header);
        for ps in &fw.points {
            let point = &scenario.framework.points[ps.point];
            let mut row = vec![
                point.number.to_string(),
                point.title.clone(),
                format!("{:.2}", ps.weight),
                if ps.accepted { "yes" } else { "open" }.to_string(),
            ];
            row.extend(
                shown
                    .iter()
                    .map(|&p| point.stances[p].stance.as_str().to_string()),
            );
            t.add_row(row);
        }
        w.push_str(&crate::layout::render_table(&t, ""));
        let open: Vec<String> = fw
            .points
            .iter()
            .filter(|p| !p.accepted)
            .map(|ps| {
                let holders: Vec<String> = ps
                    .holdouts
                    .iter()
                    .map(|(p, s)| format!("{} {}", party_name(scenario, *p), s.as_str()))
                    .collect();
                format!(
                    "{} ({})",
                    scenario.framework.points[ps.point].number,
                    holders.join(", ")
                )
            })
            .collect();
        if !open.is_empty() {
            let _ = writeln!(w, "Open points: {}.", open.join("; "));
        }
    }

    red_line_list(
        w,
        scenario,
        "Red lines set aside by --red-lines (not applied):",
        &analysis.set_aside_red_lines,
    );
    red_line_list(
        w,
        scenario,
        "Red lines of parties whose consent is not needed (reported, not applied):",
        &analysis.advisory_red_lines,
    );

    if let Some(s) = sensitivity.filter(|s| s.ranged_numbers == 0) {
        let _ = writeln!(
            w,
            "\nSENSITIVITY: nothing to vary. No number of this scenario is given a range \
             (written `{{ value = 0.3, range = [0.2, 0.45] }}` on a weight, value or reservation), so every one of the {} \
             draws would be the scenario itself; the answers above are its only answers.",
            s.samples
        );
    } else if let Some(s) = sensitivity {
        let _ = writeln!(
            w,
            "\nSENSITIVITY: {} scenarios drawn uniformly within the ranges of {} assumed numbers (weights renormalised to sum to 1).",
            s.samples, s.ranged_numbers
        );
        let share = |n: usize| {
            if s.samples == 0 {
                0.0
            } else {
                n as f64 / s.samples as f64
            }
        };
        let _ = writeln!(
            w,
            "An agreement zone exists in {} of the draws (at the central values: {}).",
            pct(share(s.zone_exists)),
            if s.baseline_zone { "yes" } else { "no" }
        );
        let concepts: Vec<_> = s
            .concepts
            .iter()
            .filter(|c| !c.baseline.is_empty())
            .collect();
        if !concepts.is_empty() {
            let _ = writeln!(
                w,
                "How often each part of the central choice is still chosen (whole package in the last row):"
            );
            let mut t = table();
            let mut header = vec!["issue".to_string()];
            header.extend(concepts.iter().map(|c| c.concept.as_str().to_string()));
            t.set_header(header);
            for (i, issue) in scenario.issues.iter().enumerate() {
                let mut row = vec![issue.id.clone()];
                for c in &concepts {
                    let central = c.baseline[0][i];
                    row.push(format!(
                        "{} {}",
                        issue.options[central].id,
                        pct(share(c.issue_holds[i]))
                    ));
                }
                t.add_row(row);
            }
            let mut row = vec!["whole package".to_string()];
            row.extend(concepts.iter().map(|c| pct(share(c.baseline_holds))));
            t.add_row(row);
            w.push_str(&crate::layout::render_table(&t, ""));
            let _ = writeln!(
                w,
                "Shares are Monte Carlo estimates from {} draws (standard error at most {:.1} points).",
                s.samples,
                if s.samples > 0 { 50.0 / (s.samples as f64).sqrt() } else { 0.0 }
            );
            let forced = forced_issues(scenario, analysis);
            if !forced.is_empty() {
                let _ = writeln!(
                    w,
                    "Forced by red lines, not a sign of robustness (every package of the zone has it):"
                );
                for (i, o, lines) in forced {
                    let _ = writeln!(
                        w,
                        "  - {} = {} ({})",
                        scenario.issues[i].id,
                        scenario.issues[i].options[o].id,
                        lines.join(", ")
                    );
                }
            }
        }
    }
    out
}

/// The issues that the applied simple red lines of consenting parties fix to one option, with
/// that option and the red lines that leave nothing else.
fn forced_issues(scenario: &Scenario, analysis: &Analysis) -> Vec<(usize, usize, Vec<String>)> {
    let mut out = Vec::new();
    for (i, issue) in scenario.issues.iter().enumerate() {
        let mut allowed = vec![true; issue.options.len()];
        let mut lines = Vec::new();
        for (r, line) in scenario.red_lines.iter().enumerate() {
            let applied =
                scenario.parties[line.party].consent && !analysis.set_aside_red_lines.contains(&r);
            if let (true, RedLineRule::Simple(restriction)) = (applied, &line.rule) {
                if restriction.issue == i {
                    for (o, a) in allowed.iter_mut().enumerate() {
                        *a &= restriction.allowed.contains(o);
                    }
                    lines.push(line.id.clone());
                }
            }
        }
        let left: Vec<usize> = (0..allowed.len()).filter(|&o| allowed[o]).collect();
        if let [only] = left[..] {
            out.push((i, only, lines));
        }
    }
    out
}

/// The `concord sources check` report: every quote not found or not naming its party, every
/// claim a position rests on that is not its party's own or is contested, every attribution of
/// the claims register no passage backs, and the counts; rendered from its model
/// ([`crate::json::sources_model`]).
pub fn sources_text(
    scenario: &Scenario,
    file: &str,
    check: &SourcesCheck,
    sites: &std::collections::HashMap<String, (usize, usize)>,
) -> String {
    crate::json::sources_model(file, scenario, check, sites).text()
}

//! `concord analyze` as text for people: sections and tables rendered from its model
//! ([`AnalysisReport`]), so that the text and the JSON cannot say different things.

use std::fmt::Write;

use comfy_table::{Cell, CellAlignment};
use concord_core::analysis::Method;
use concord_core::model::{Basis, Stance};
use concord_io::scenario::format_number;

use crate::analysis_report::{
    AnalysisReport, Change, Constraint, Correction, Count, NoZone, Package, PointRow, RedLineRow,
    Sensitivity, INLINE_FRONTIER_LIMIT,
};
use crate::layout::table;
use crate::text::{count_words, group, TextOptions};

/// A party's name by its id, or the id itself when the report names no such party.
fn name_of<'a>(m: &'a AnalysisReport, id: &'a str) -> &'a str {
    m.parties
        .iter()
        .find(|p| p.id == id)
        .map_or(id, |p| p.name.as_str())
}

/// Whether the party with this id must consent (false when the report names no such party).
fn consents(m: &AnalysisReport, id: &str) -> bool {
    m.parties.iter().any(|p| p.id == id && p.consent)
}

fn pct(x: f64) -> String {
    if x > 0.0 && x < 0.0001 {
        format!("{:.2e}%", x * 100.0)
    } else {
        format!("{:.2}%", x * 100.0)
    }
}

/// A count as a number, saturating past 128 bits.
fn count_value(count: &Count) -> u128 {
    match count {
        Count::Number(n) => u128::from(*n),
        Count::Decimal(digits) => digits.parse().unwrap_or(u128::MAX),
    }
}

fn constraint_line(m: &AnalysisReport, c: &Constraint) -> String {
    match c {
        Constraint::RedLine(line) => format!(
            "red line `{}` of {}: {} [{}]",
            line.id,
            name_of(m, &line.party),
            line.rule,
            line.basis_note
        ),
        Constraint::Reservation { party, value, .. } => format!(
            "reservation value of {}: {}",
            name_of(m, party),
            format_number(*value)
        ),
    }
}

/// How many conflicts the text report lists; the JSON report lists every one found.
const LISTED_CONFLICTS: usize = 10;

/// The constraints of a correction set as things to do ("drop Russia's red line `x`", "lower
/// Ukraine's reservation value from 0.45 to 0.4").
fn correction_steps(m: &AnalysisReport, c: &Correction, own: bool) -> String {
    c.constraints
        .iter()
        .map(|k| match k {
            Constraint::RedLine(line) => {
                if own {
                    format!("drop its red line `{}`", line.id)
                } else {
                    format!("drop {}'s red line `{}`", name_of(m, &line.party), line.id)
                }
            }
            Constraint::Reservation {
                party, value: from, ..
            } => {
                let from = *from;
                let whose = if own {
                    "its".to_string()
                } else {
                    format!("{}'s", name_of(m, party))
                };
                match c.lower_to.get(party) {
                    Some(&to) => format!(
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

/// Whether a constraint is the red line `id`.
fn is_red_line(c: &Constraint, id: &str) -> bool {
    matches!(c, Constraint::RedLine(line) if line.id == id)
}

/// Why there is no zone: every minimal conflict, the fewest changes that open a zone, and what
/// each party alone would have to give up. No sentence says a change opens a zone unless it does
/// with every other constraint kept.
fn no_zone_text(w: &mut String, m: &AnalysisReport, nz: &NoZone) {
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
        for c in conflict {
            let _ = writeln!(w, "    - {}", constraint_line(m, c));
        }
    }
    if count > LISTED_CONFLICTS {
        let _ = writeln!(
            w,
            "  ... and {} more (all in the JSON report).",
            count - LISTED_CONFLICTS
        );
    }

    // Red lines the party has not stated itself, in any conflict, in file order: whether
    // dropping one alone opens anything.
    let mut weak: Vec<&str> = nz
        .conflicts
        .iter()
        .flatten()
        .filter_map(|c| match c {
            Constraint::RedLine(line) if line.provenance.basis != Basis::Stated.as_str() => {
                Some(line.id.as_str())
            }
            _ => None,
        })
        .collect();
    let file_order = |id: &str| m.red_line_ids.iter().position(|r| r == id);
    weak.sort_by_key(|&id| (file_order(id).unwrap_or(usize::MAX), id));
    weak.dedup();
    for id in weak {
        let alone = nz
            .corrections
            .iter()
            .any(|c| matches!(c.constraints.as_slice(), [only] if is_red_line(only, id)));
        let untouched = nz
            .conflicts
            .iter()
            .position(|c| !c.iter().any(|k| is_red_line(k, id)));
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
                    correction_steps(m, c, false),
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
        let name = name_of(m, &pc.party);
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
                .map(|c| format!("{} ({})", correction_steps(m, c, true), opens(c)))
                .collect();
            let _ = writeln!(w, "  - {name}: {}.", options.join("; or "));
        }
    }
    if nz.by_party.iter().all(|pc| pc.remaining_conflict.is_some()) {
        let _ = writeln!(w, "No party can open a zone alone.");
    }

    if nz.relaxations.is_empty() {
        let _ = writeln!(
            w,
            "\nNo single change to one constraint opens a zone with the other constraints kept."
        );
        return;
    }
    let _ = writeln!(w, "\nSingle changes that open a zone, every other constraint kept, cheapest first (reservation values before red lines; see docs/analysis.md):");
    for (k, r) in nz.relaxations.iter().enumerate() {
        let what = match (&r.change, &r.constraint) {
            (
                Change::LowerReservation {
                    from,
                    to,
                    by,
                    proven,
                },
                Constraint::Reservation { party, .. },
            ) => format!(
                "lower {}'s reservation value from {} to {} (by {}{})",
                name_of(m, party),
                format_number(*from),
                format_number(*to),
                format_number(*by),
                if *proven {
                    ""
                } else {
                    "; not proven the least drop: the search stopped at --max-nodes"
                }
            ),
            (Change::AdmitOption { issue, option }, Constraint::RedLine(line)) => format!(
                "let {}'s red line `{}` admit {issue} = {option}",
                name_of(m, &line.party),
                line.id
            ),
            (Change::NarrowCondition { issue, option }, Constraint::RedLine(line)) => format!(
                "stop {}'s red line `{}` from applying when {issue} = {option}",
                name_of(m, &line.party),
                line.id
            ),
            (Change::DropRedLine, Constraint::RedLine(line)) => {
                format!("drop {}'s red line `{}`", name_of(m, &line.party), line.id)
            }
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
            if r.cheapest { "  <- cheapest" } else { "" }
        );
    }
}

/// A headed list of red lines with their basis, or nothing when there are none.
fn red_line_list(w: &mut String, m: &AnalysisReport, heading: &str, lines: &[RedLineRow]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(w, "\n{heading}");
    for line in lines {
        let _ = writeln!(
            w,
            "  - `{}` of {}: {} [{}]",
            line.id,
            name_of(m, &line.party),
            line.rule,
            line.basis_note
        );
    }
}

/// The node limit of the branch and bound, in words.
fn search_limit(m: &AnalysisReport) -> String {
    m.search
        .as_ref()
        .map_or_else(|| "none".to_string(), |s| group(u128::from(s.max_nodes)))
}

/// An objective value, with enough digits to show small gaps.
fn format_value(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        format!("{x:.3e}")
    } else {
        format!("{x:.6}")
    }
}

/// The first package of a point, when it lists one.
fn first_package(p: Option<&PointRow>) -> Option<&Package> {
    p.and_then(|p| p.packages.first())
}

/// The analysis as text for people, rendered from its model (what-ifs first, when any).
pub fn analysis_model_text(m: &AnalysisReport, options: &TextOptions) -> String {
    let mut out = crate::proposal::what_if_text(m.what_if.as_deref().unwrap_or_default());
    let w = &mut out;
    let _ = writeln!(w, "{} ({})", m.scenario.title, m.scenario.id);
    let counted = match m.zone_counted_by.as_deref() {
        None => String::new(),
        Some("meet in the middle") => {
            "; packages counted exactly, by meet in the middle where it applies".to_string()
        }
        Some(by) => format!("; packages counted by {by}"),
    };
    let _ = writeln!(
        w,
        "Method: {} over {} packages ({} issues){counted}.",
        m.method,
        count_words(&m.space_size),
        m.issue_count,
    );
    let consent: Vec<String> = m
        .reservations
        .0
        .iter()
        .map(|(p, r)| format!("{} (reservation {})", name_of(m, p), format_number(*r)))
        .collect();
    let _ = writeln!(w, "Consent needed from: {}.", consent.join(", "));
    if !m.set_aside_red_lines.is_empty() {
        // What the answer depends on comes first: a zone found without some red lines is not
        // the zone of the whole file.
        let ids: Vec<&str> = m
            .set_aside_red_lines
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        let _ = writeln!(
            w,
            "This answer sets aside {} of the {} red lines (by their basis, --red-lines): {}.",
            ids.len(),
            m.red_line_ids.len(),
            ids.join(", ")
        );
    }
    let others: Vec<String> = m
        .parties
        .iter()
        .filter(|p| !p.consent)
        .map(|p| format!("{} ({})", p.name, p.role))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(w, "Also at the table: {}.", others.join(", "));
    }
    let _ = writeln!(w);

    if m.zone.exists {
        let how_many = match (m.zone.size, m.zone.share) {
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
    if let Some(search) = &m.search {
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
                search_limit(m)
            );
        }
    }
    if let Some(nz) = &m.no_zone {
        no_zone_text(w, m, nz);
    }
    if m.zone.exists {
        zone_text(w, m, options);
    }
    issue_map_text(w, m);
    framework_text(w, m);
    red_line_list(
        w,
        m,
        "Red lines set aside by --red-lines (not applied):",
        &m.set_aside_red_lines,
    );
    red_line_list(
        w,
        m,
        "Red lines of parties whose consent is not needed (reported, not applied):",
        &m.advisory_red_lines,
    );
    if let Some(s) = &m.sensitivity {
        sensitivity_text(w, s);
    }
    out
}

/// The frontier of a zone that exists and the bargaining solutions on it.
fn zone_text(w: &mut String, m: &AnalysisReport, options: &TextOptions) {
    let names: Vec<&str> = m.consenting.iter().map(|p| name_of(m, p)).collect();
    let frontier = &m.frontier;
    let frontier_size = frontier.size.unwrap_or(frontier.points.len());
    if let Some(search) = m.search.as_ref().filter(|_| !frontier.materialised) {
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
        // A missing value is one that is not a number: no best found, no bound.
        let value = |x: Option<&Option<f64>>| x.copied().flatten().unwrap_or(f64::INFINITY);
        let ideal: Vec<String> = m
            .consenting
            .iter()
            .map(|p| {
                let n = name_of(m, p);
                let lo = value(frontier.ideal.get(p));
                let hi = value(search.ideal_upper.get(p));
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
            group(frontier_size as u128),
            if frontier_size == 1 { "" } else { "s" },
            if options.frontier {
                ""
            } else {
                " (list them with --frontier or --json)"
            }
        );
    }
    let listed = options.frontier && frontier.materialised;
    if listed && !frontier.points_included {
        let _ = writeln!(
            w,
            "The frontier has more than {} points: stream it with --frontier-out FILE.",
            INLINE_FRONTIER_LIMIT
        );
    } else if listed {
        let mut t = table();
        let mut header: Vec<String> = names.iter().map(|n| format!("u({n})")).collect();
        header.push("packages".into());
        header.push("first package".into());
        t.set_header(header);
        for p in &frontier.points {
            let mut row: Vec<String> = p
                .utilities
                .0
                .iter()
                .map(|(_, u)| format!("{u:.4}"))
                .collect();
            row.push(count_value(&p.package_count).to_string());
            let first = p.packages.first().map(|q| {
                q.options
                    .0
                    .iter()
                    .map(|(i, o)| format!("{i}={o}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            row.push(first.unwrap_or_default());
            t.add_row(row);
        }
        w.push_str(&crate::layout::render_table(&t, ""));
    }
    solutions_text(w, m);
}

/// The bargaining solutions (and NegMAS's, when asked for) side by side, with their notes.
fn solutions_text(w: &mut String, m: &AnalysisReport) {
    let _ = writeln!(
        w,
        "\nBARGAINING SOLUTIONS on the frontier (gains are over reservation values):"
    );
    let mut t = table();
    let mut header = vec![Cell::new("")];
    let mut columns: Vec<Option<&Package>> = Vec::new();
    let mut notes = Vec::new();
    for s in &m.solutions {
        let label = match s.concept.as_str() {
            "nash" => "Nash",
            "kalai-smorodinsky" => "Kalai-Smorodinsky",
            "egalitarian" => "Egalitarian",
            "utilitarian" => "Utilitarian",
            other => other,
        };
        let packages = count_value(&s.package_count);
        if !s.proven {
            notes.push(format!(
                "{label}: NOT PROVEN OPTIMAL (node limit of {} reached after {} nodes): the best package found has value {}; the optimum is at most {} higher (gap bound), at most {}.",
                search_limit(m),
                s.nodes.unwrap_or(0),
                format_value(s.value),
                format_value(s.gap),
                format_value(s.value + s.gap)
            ));
        } else if !s.all_ties {
            notes.push(format!(
                "{label}: proven optimal, but not every tied point is listed (more than {} or the search stopped early).",
                concord_core::bnb::MAX_TIED_POINTS
            ));
        }
        if packages > 1 {
            let point_count = usize::try_from(s.point_count).unwrap_or(usize::MAX);
            notes.push(format!(
                "{label}: {} tied packages over {} frontier point(s); the first is shown ({} with --json).",
                group(packages),
                group(u128::from(s.point_count)),
                if point_count > INLINE_FRONTIER_LIMIT {
                    format!(
                        "the first {} points, one package each,",
                        group(INLINE_FRONTIER_LIMIT as u128)
                    )
                } else if m.method == Method::Enumeration.as_str() {
                    "more".to_string()
                } else {
                    "one per point".to_string()
                }
            ));
        }
        header.push(Cell::new(label));
        columns.push(first_package(s.points.first()));
    }
    // NegMAS's rules, when asked for (`--negmas`): two more columns, read off the same
    // frontier.
    match &m.negmas {
        Some(n) if !n.supported => notes.push(
            "NegMAS's ks_points and kalai_points (--negmas): not computed; they are read off the frontier, which branch and bound does not materialise (use --method merge).".to_string(),
        ),
        Some(n) => {
            for s in &n.solutions {
                let label = match s.concept.as_str() {
                    "negmas-kalai-smorodinsky" => "Kalai-Smorodinsky (NegMAS)",
                    "negmas-kalai" => "Kalai (NegMAS)",
                    other => other,
                };
                let packages: u128 = s
                    .points
                    .iter()
                    .map(|p| count_value(&p.package_count))
                    .fold(0, u128::saturating_add);
                if packages > 1 {
                    notes.push(format!(
                        "{label}: {packages} tied packages over {} frontier point(s), as NegMAS's {} returns them (ties within 1e-12); the first is shown.",
                        s.points.len(),
                        s.negmas_function
                    ));
                }
                header.push(Cell::new(label));
                columns.push(first_package(s.points.first()));
            }
        }
        None => {}
    }
    t.set_header(header);
    // Every package names every issue and scores every party with preferences, in file order.
    let shape = columns.iter().flatten().next();
    for (i, (issue, _)) in shape.iter().flat_map(|q| q.options.0.iter()).enumerate() {
        let mut row = vec![Cell::new(issue)];
        for package in &columns {
            let option = package
                .and_then(|q| q.options.0.get(i))
                .map_or("", |(_, o)| o.as_str());
            row.push(Cell::new(option));
        }
        t.add_row(row);
    }
    let scored: Vec<&str> = m
        .parties
        .iter()
        .filter(|p| p.reservation.is_some())
        .map(|p| p.id.as_str())
        .collect();
    for (k, &p) in scored.iter().enumerate() {
        let mut row = vec![Cell::new(format!(
            "u({}){}",
            name_of(m, p),
            if consents(m, p) { "" } else { " *" }
        ))];
        for package in &columns {
            let utility = package
                .and_then(|q| q.utilities.0.get(k))
                .map_or_else(String::new, |(_, u)| format!("{u:.4}"));
            row.push(Cell::new(utility).set_alignment(CellAlignment::Right));
        }
        t.add_row(row);
    }
    w.push_str(&crate::layout::render_table(&t, ""));
    if scored.iter().any(|&p| !consents(m, p)) {
        let _ = writeln!(
            w,
            "* consent not needed: shown beside the frontier, not part of it."
        );
    }
    for n in notes {
        let _ = writeln!(w, "{n}");
    }
}

/// The issue map, when there is one.
fn issue_map_text(w: &mut String, m: &AnalysisReport) {
    if m.issues.is_empty() {
        return;
    }
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
    for p in m.parties.iter().filter(|p| p.reservation.is_some()) {
        header.push(format!("{}: weight, favourite", p.id));
    }
    header.push("red lines".into());
    t.set_header(header);
    for r in &m.issues {
        let mut row = vec![
            r.rank.to_string(),
            r.issue.clone(),
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
        for ((_, weight), (_, fav)) in r.weights.0.iter().zip(&r.favourites.0) {
            row.push(format!("{:.2}, {}", weight, fav.join("/")));
        }
        row.push(r.red_lines.join("\n"));
        t.add_row(row);
    }
    w.push_str(&crate::layout::render_table(&t, ""));
}

/// The framework document's status, when it has points.
fn framework_text(w: &mut String, m: &AnalysisReport) {
    let fw = &m.framework;
    if fw.points.is_empty() {
        return;
    }
    let title = if fw.title.is_empty() {
        "Framework"
    } else {
        &fw.title
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
    let shown: Vec<&str> = m
        .parties
        .iter()
        .filter(|p| {
            p.consent
                || fw.points.iter().any(|pt| {
                    pt.stances
                        .get(&p.id)
                        .is_some_and(|s| s != Stance::NotStated.as_str())
                })
        })
        .map(|p| p.id.as_str())
        .collect();
    let mut header = vec![
        "point".to_string(),
        "title".into(),
        "weight".into(),
        "agreed".into(),
    ];
    header.extend(shown.iter().map(|p| p.to_string()));
    t.set_header(header);
    for point in &fw.points {
        let mut row = vec![
            point.number.to_string(),
            point.title.clone(),
            format!("{:.2}", point.weight),
            if point.accepted { "yes" } else { "open" }.to_string(),
        ];
        row.extend(
            shown
                .iter()
                .map(|&p| point.stances.get(p).cloned().unwrap_or_default()),
        );
        t.add_row(row);
    }
    w.push_str(&crate::layout::render_table(&t, ""));
    let open: Vec<String> = fw
        .points
        .iter()
        .filter(|p| !p.accepted)
        .map(|point| {
            let holders: Vec<String> = point
                .holdouts
                .iter()
                .map(|h| format!("{} {}", name_of(m, &h.party), h.stance))
                .collect();
            format!("{} ({})", point.number, holders.join(", "))
        })
        .collect();
    if !open.is_empty() {
        let _ = writeln!(w, "Open points: {}.", open.join("; "));
    }
}

/// The sensitivity draws.
fn sensitivity_text(w: &mut String, s: &Sensitivity) {
    if s.ranged_numbers == 0 {
        let _ = writeln!(
            w,
            "\nSENSITIVITY: nothing to vary. No number of this scenario is given a range \
             (written `{{ value = 0.3, range = [0.2, 0.45] }}` on a weight, value or reservation), so every one of the {} \
             draws would be the scenario itself; the answers above are its only answers.",
            s.samples
        );
        return;
    }
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
    let Some(first) = concepts.first() else {
        return;
    };
    let _ = writeln!(
        w,
        "How often each part of the central choice is still chosen (whole package in the last row):"
    );
    let mut t = table();
    let mut header = vec!["issue".to_string()];
    header.extend(concepts.iter().map(|c| c.concept.clone()));
    t.set_header(header);
    for (issue, _) in &first.issue_holds.0 {
        let mut row = vec![issue.clone()];
        for c in &concepts {
            let central = c
                .baseline
                .first()
                .and_then(|q| q.options.get(issue))
                .map_or("", String::as_str);
            let holds = c.issue_holds.get(issue).copied().unwrap_or(0);
            row.push(format!("{central} {}", pct(share(holds))));
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
        if s.samples > 0 {
            50.0 / (s.samples as f64).sqrt()
        } else {
            0.0
        }
    );
    if !s.forced.is_empty() {
        let _ = writeln!(
            w,
            "Forced by red lines, not a sign of robustness (every package of the zone has it):"
        );
        for f in &s.forced {
            let _ = writeln!(
                w,
                "  - {} = {} ({})",
                f.issue,
                f.option,
                f.red_lines.join(", ")
            );
        }
    }
}

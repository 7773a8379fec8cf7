//! Counting the packages a set of rules allows without enumerating them: meet in the middle.
//!
//! The issues are split in two halves of about equal size. Each half is enumerated once, with its
//! options pruned by simple red lines, its own conditional red lines checked, and for each
//! conditional red line whose two issues fall in different halves one bit of state: on the side
//! of its condition, whether the condition holds; on the other, whether the option breaks what
//! the condition demands. Two halves combine into a package the rules allow exactly when no
//! condition holding on one side meets a broken demand on the other, and every reservation floor
//! is met.
//!
//! Floors are decided as the engine decides them: the package's utility summed in issue order
//! from 0.0 against the reservation value (as [`crate::engine::count_by_enumeration`] does). The
//! sum of the two halves' sums differs from that by float rounding only, at most `margin` (twice
//! the engine's rounding bound for floors, 1e-9 included): pairs whose half sums clear a floor by
//! more than the margin are counted without being formed (a sort and binary search for one
//! floor, a sweep with a Fenwick tree for two), pairs that miss one by more are never formed, and
//! the pairs in between are summed exactly as the engine sums them. So the count is the
//! enumeration's, bit for bit, whatever the numbers; the proptest
//! `halves_count_matches_enumeration` checks it.
//!
//! It applies to at most two floors and three conditionals across the halves, with halves of at
//! most [`MAX_HALF`] packages each; elsewhere [`count`] returns `None` and the caller enumerates.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::engine::{Evaluator, Rounding, Rules};
use crate::model::{OptionIx, RedLineRule};

/// Spaces of at most this many packages are counted by enumeration, which is as fast there
/// ([`crate::engine::count_until`]).
pub const MIN_SPACE: u128 = 10_000;

/// The most packages one half may hold.
pub const MAX_HALF: u64 = 1 << 20;

/// The most conditional red lines whose issues fall in different halves.
const MAX_CROSSING: usize = 3;

/// One half: its packages' options, their floor sums and their conditional state.
struct Half {
    /// Issues of the half, in order.
    issues: std::ops::Range<usize>,
    /// Options of every package, `issues.len()` per package.
    options: Vec<OptionIx>,
    /// Floor sums, `floors` per package: the contributions of the half's issues summed in issue
    /// order from 0.0 (for the first half, exactly the engine's partial sums).
    sums: Vec<f64>,
    /// Per package: bit `j` set when crossing conditional `j`'s condition holds here.
    triggered: Vec<u8>,
    /// Per package: bit `j` set when the option breaks what crossing conditional `j` demands.
    broken: Vec<u8>,
}

/// A conditional red line between two issues.
struct Conditional<'r> {
    if_issue: usize,
    then_issue: usize,
    rule: &'r RedLineRule,
}

/// The number of packages `rules` allow, counted by meet in the middle; `None` where it does not
/// apply (see the module's doc) or when `cancel` was set.
pub fn count(eval: &Evaluator, rules: &Rules, cancel: Option<&AtomicBool>) -> Option<u64> {
    let counts = eval.counts();
    let m = counts.len();
    if m < 2 || rules.floors.len() > 2 {
        return None;
    }
    let mut allowed: Vec<Vec<bool>> = counts.iter().map(|&c| vec![true; c]).collect();
    let mut conditionals = Vec::new();
    for rule in &rules.red_lines {
        match rule {
            RedLineRule::Simple(r) => {
                for (a, &ok) in allowed[r.issue].iter_mut().zip(&r.allowed.0) {
                    *a &= ok;
                }
            }
            RedLineRule::Conditional { if_issue, then, .. } => conditionals.push(Conditional {
                if_issue: *if_issue,
                then_issue: then.issue,
                rule,
            }),
        }
    }
    let domains: Vec<Vec<OptionIx>> = allowed
        .iter()
        .map(|a| (0..a.len()).filter(|&o| a[o]).collect())
        .collect();
    if domains.iter().any(Vec::is_empty) {
        return Some(0);
    }
    // The split that balances the halves' sizes.
    let sizes: Vec<u128> = domains.iter().map(|d| d.len() as u128).collect();
    let total: u128 = sizes.iter().product();
    let (mut split, mut best) = (1, u128::MAX);
    let mut left = 1u128;
    for (s, &size) in sizes.iter().enumerate().take(m - 1) {
        left *= size;
        let larger = left.max(total / left);
        if larger < best {
            (split, best) = (s + 1, larger);
        }
    }
    if best > u128::from(MAX_HALF) || total > u128::from(u64::MAX) {
        return None;
    }
    let crossing: Vec<&Conditional> = conditionals
        .iter()
        .filter(|c| (c.if_issue < split) != (c.then_issue < split))
        .collect();
    if crossing.len() > MAX_CROSSING {
        return None;
    }
    let slots: Vec<usize> = rules.floors.iter().map(|f| f.slot).collect();
    let halves = [0..split, split..m].map(|issues| {
        enumerate(
            eval,
            &domains,
            issues,
            &conditionals,
            &crossing,
            &slots,
            cancel,
        )
    });
    let [Some(left), Some(right)] = halves else {
        return None;
    };
    // Twice what the engine allows for rounding over the whole sum (with its 1e-9): pairs
    // within it of a floor are summed as the engine sums them.
    let margin = 2.0
        * Rounding::new(
            eval,
            &slots,
            |i, o| allowed[i][o],
            rules.floors.iter().map(|f| f.min),
        )
        .floor(m);
    let floors: Vec<f64> = rules.floors.iter().map(|f| f.min).collect();
    let d = floors.len();
    let mut n: u64 = 0;
    // Pairs are combined group by group: packages with the same conditional state.
    let groups = |h: &Half| {
        let mut g: Vec<Vec<usize>> = vec![Vec::new(); 1 << (2 * crossing.len())];
        for p in 0..h.triggered.len() {
            g[(usize::from(h.triggered[p]) << crossing.len()) | usize::from(h.broken[p])].push(p);
        }
        g
    };
    let (left_groups, right_groups) = (groups(&left), groups(&right));
    let bits = crossing.len();
    for (gl, ls) in left_groups.iter().enumerate() {
        if ls.is_empty() {
            continue;
        }
        let (tl, bl) = (gl >> bits, gl & ((1 << bits) - 1));
        for (gr, rs) in right_groups.iter().enumerate() {
            let (tr, br) = (gr >> bits, gr & ((1 << bits) - 1));
            if rs.is_empty() || tl & br != 0 || tr & bl != 0 {
                continue;
            }
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return None;
            }
            let pairs = match d {
                0 => ls.len() as u64 * rs.len() as u64,
                _ => combine(eval, &left, &right, ls, rs, &rules.floors, &floors, margin),
            };
            n = n.checked_add(pairs)?;
        }
    }
    Some(n)
}

/// Enumerates the packages of one half (mixed radix over its issues' domains, last fastest);
/// `None` when `cancel` was set.
fn enumerate(
    eval: &Evaluator,
    domains: &[Vec<OptionIx>],
    issues: std::ops::Range<usize>,
    conditionals: &[Conditional],
    crossing: &[&Conditional],
    slots: &[usize],
    cancel: Option<&AtomicBool>,
) -> Option<Half> {
    let width = issues.len();
    let inside: Vec<&Conditional> = conditionals
        .iter()
        .filter(|c| issues.contains(&c.if_issue) && issues.contains(&c.then_issue))
        .collect();
    let mut half = Half {
        issues: issues.clone(),
        options: Vec::new(),
        sums: Vec::new(),
        triggered: Vec::new(),
        broken: Vec::new(),
    };
    let mut package = vec![0usize; domains.len()];
    let mut pos = vec![0usize; width];
    let mut steps = 0u32;
    'packages: loop {
        steps = steps.wrapping_add(1);
        if steps % 65_536 == 0 && cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return None;
        }
        for (k, i) in issues.clone().enumerate() {
            package[i] = domains[i][pos[k]];
        }
        let ok = inside.iter().all(|c| c.rule.allows(&package));
        if ok {
            let (mut triggered, mut broken) = (0u8, 0u8);
            for (j, c) in crossing.iter().enumerate() {
                let RedLineRule::Conditional {
                    if_options, then, ..
                } = c.rule
                else {
                    unreachable!("crossing rules are conditional")
                };
                if issues.contains(&c.if_issue) && if_options.contains(package[c.if_issue]) {
                    triggered |= 1 << j;
                }
                if issues.contains(&c.then_issue) && !then.allowed.contains(package[c.then_issue]) {
                    broken |= 1 << j;
                }
            }
            half.options.extend(issues.clone().map(|i| package[i]));
            for &s in slots {
                let mut u = 0.0;
                for i in issues.clone() {
                    u += eval.contribution(i, package[i])[s];
                }
                half.sums.push(u);
            }
            half.triggered.push(triggered);
            half.broken.push(broken);
        }
        // Next package, last issue fastest.
        for k in (0..width).rev() {
            pos[k] += 1;
            if pos[k] < domains[issues.start + k].len() {
                continue 'packages;
            }
            pos[k] = 0;
        }
        break;
    }
    Some(half)
}

/// The pairs of left packages `ls` and right packages `rs` that meet every floor (one or two).
#[allow(clippy::too_many_arguments)]
fn combine(
    eval: &Evaluator,
    left: &Half,
    right: &Half,
    ls: &[usize],
    rs: &[usize],
    floors: &[crate::engine::Floor],
    mins: &[f64],
    margin: f64,
) -> u64 {
    let d = mins.len();
    let a = |p: usize, f: usize| left.sums[p * d + f];
    let b = |q: usize, f: usize| right.sums[q * d + f];
    // The engine's decision for one pair: the left sum (the engine's own partial sum), then the
    // right issues' contributions added in order.
    let exact = |p: usize, q: usize| {
        floors.iter().enumerate().all(|(f, floor)| {
            let mut u = a(p, f);
            for (k, i) in right.issues.clone().enumerate() {
                u += eval.contribution(i, right.options[q * right.issues.len() + k])[floor.slot];
            }
            u >= floor.min
        })
    };
    // Right packages by their first floor sum.
    let mut by_first: Vec<usize> = rs.to_vec();
    by_first.sort_by(|&x, &y| b(x, 0).total_cmp(&b(y, 0)));
    let firsts: Vec<f64> = by_first.iter().map(|&q| b(q, 0)).collect();
    // The first position whose value is at least `x`.
    let from = |values: &[f64], x: f64| values.partition_point(|&v| v < x);
    let mut n = 0u64;
    if d == 1 {
        for &p in ls {
            let sure = from(&firsts, mins[0] + margin - a(p, 0));
            let maybe = from(&firsts, mins[0] - margin - a(p, 0));
            n += (firsts.len() - sure) as u64;
            n += by_first[maybe..sure.max(maybe)]
                .iter()
                .filter(|&&q| exact(p, q))
                .count() as u64;
        }
        return n;
    }
    // Two floors. Pairs that clear both by the margin: a sweep over the first floor (queries
    // by decreasing need), right packages entering a Fenwick tree over their second sums.
    let mut seconds: Vec<f64> = rs.iter().map(|&q| b(q, 1)).collect();
    seconds.sort_by(f64::total_cmp);
    seconds.dedup();
    let mut tree = vec![0u64; seconds.len() + 1];
    let mut queries: Vec<(f64, f64)> = ls
        .iter()
        .map(|&p| (mins[0] + margin - a(p, 0), mins[1] + margin - a(p, 1)))
        .collect();
    queries.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut entered = firsts.len();
    let mut inside = 0u64;
    for &(need_first, need_second) in &queries {
        while entered > 0 && firsts[entered - 1] >= need_first {
            entered -= 1;
            let rank = from(&seconds, b(by_first[entered], 1));
            let mut i = rank + 1;
            while i < tree.len() {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
            inside += 1;
        }
        // Entered packages whose second sum is below the need.
        let mut below = 0u64;
        let mut i = from(&seconds, need_second);
        while i > 0 {
            below += tree[i];
            i -= i & i.wrapping_neg();
        }
        n += inside - below;
    }
    // Pairs that miss neither floor by the margin but do not clear both by it: within the
    // margin of the first floor, or clearing the first and within the margin of the second.
    let mut by_second: Vec<usize> = rs.to_vec();
    by_second.sort_by(|&x, &y| b(x, 1).total_cmp(&b(y, 1)));
    let second_sorted: Vec<f64> = by_second.iter().map(|&q| b(q, 1)).collect();
    for &p in ls {
        let (lo0, hi0) = (mins[0] - margin - a(p, 0), mins[0] + margin - a(p, 0));
        let (lo1, hi1) = (mins[1] - margin - a(p, 1), mins[1] + margin - a(p, 1));
        let (s0, e0) = (from(&firsts, lo0), from(&firsts, hi0));
        n += by_first[s0..e0.max(s0)]
            .iter()
            .filter(|&&q| b(q, 1) >= lo1 && exact(p, q))
            .count() as u64;
        let (s1, e1) = (from(&second_sorted, lo1), from(&second_sorted, hi1));
        n += by_second[s1..e1.max(s1)]
            .iter()
            .filter(|&&q| b(q, 0) >= hi0 && exact(p, q))
            .count() as u64;
    }
    n
}

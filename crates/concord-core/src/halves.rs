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
//! more than the margin are counted without being formed (each half sorted by each floor sum;
//! for one floor a walk through the sorted lists, for two a sweep with a Fenwick tree, for three
//! or more bitsets: the right packages that clear one floor for a given left package are a
//! suffix of that floor's order, a range of bits for the first floor (bits are numbered in its
//! order) and a stored set for each other, and the pairs are the ones in every floor's
//! suffix), pairs that miss one by more are never formed, and
//! the pairs in between are summed exactly as the engine sums them (on the exact integer scale
//! no sum rounds and the margin is 0: see `Plan::margin`). So the count is the
//! enumeration's, bit for bit, whatever the numbers; the proptest
//! `halves_count_matches_enumeration` checks it.
//!
//! It applies to at most three conditionals across the halves, with halves of at most
//! [`MAX_HALF`] packages each (with three floors or more, a second half of at most
//! [`MAX_HALF_MANY`], where the bitsets take memory in the square of its size); elsewhere
//! [`count`] returns `None` and the caller enumerates.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::engine::{Evaluator, Rounding, Rules};
use crate::model::{OptionIx, RedLineRule};

/// Spaces of at most this many packages are counted by enumeration, which is as fast there
/// ([`crate::engine::count_until`]).
pub const MIN_SPACE: u128 = 10_000;

/// The most packages one half may hold.
pub const MAX_HALF: u64 = 1 << 20;

/// The most packages the second half (the one kept as bitsets) may hold with three floors or
/// more: a group of `n` packages keeps `(n / 64)²` words per floor past the first (2 MiB at
/// this size), and pairing costs about one word operation per such floor for every 64 pairs
/// that clear the first floor. When both halves
/// cannot be this small, the split puts as many packages in the second half as this allows
/// and the rest, up to [`MAX_HALF`], in the first.
pub const MAX_HALF_MANY: u64 = 1 << 15;

/// The largest halves meet in the middle takes: [`MAX_HALF`] and [`MAX_HALF_MANY`], smaller in
/// tests so that every split is tried on spaces small enough to enumerate.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most packages in either half.
    pub half: u64,
    /// With three floors or more, the most packages in the second half.
    pub bitset_half: u64,
    /// The packages of both halves together past which the counts run on several threads:
    /// [`PARALLEL_HALVES`], 0 in tests so that the threads' path is tried on small spaces.
    pub parallel_halves: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            half: MAX_HALF,
            bitset_half: MAX_HALF_MANY,
            parallel_halves: PARALLEL_HALVES,
        }
    }
}

/// The packages of both halves together past which the counts run on several threads:
/// measured on two cores (bench/RESULTS.md, 2026-12-07), whole processes
/// with two halves of 10^4 packages ran 10–15 % faster on two threads, and halves of 10^3 and
/// 10^4 about 5 % slower (starting the threads costs more than the work they share).
pub const PARALLEL_HALVES: usize = 1 << 14;

/// The most conditional red lines whose issues fall in different halves.
const MAX_CROSSING: usize = 3;

/// One half: its packages' options, their floor sums and their conditional state.
struct Half {
    /// Issues of the half, in order.
    issues: std::ops::Range<usize>,
    /// Options of every package, `issues.len()` per package; kept only for the right half of a
    /// pairing with a margin (the pairs within it are summed again from the right options).
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

/// What the counts under one set of rules share: the options the simple red lines leave, the
/// conditional red lines, where the issues are split, and which conditionals cross the split.
struct Plan<'r> {
    domains: Vec<Vec<OptionIx>>,
    allowed: Vec<Vec<bool>>,
    conditionals: Vec<Conditional<'r>>,
    split: usize,
    /// Indices into `conditionals` of those whose two issues fall in different halves.
    crossing: Vec<usize>,
    slots: Vec<usize>,
    mins: Vec<f64>,
    /// [`Limits::parallel_halves`].
    parallel_halves: usize,
}

/// What meet in the middle needs of a space with `floors` reservation values, in words: the
/// largest halves and the most conditional red lines across them (the conditions of the plan).
pub fn requirements(floors: usize) -> String {
    let grouped = |n: u64| crate::number::grouped(u128::from(n));
    let halves = if floors > 2 {
        format!(
            "halves of at most {} and {} packages (three reservation values or more)",
            grouped(MAX_HALF),
            grouped(MAX_HALF_MANY)
        )
    } else {
        format!("halves of at most {} packages", grouped(MAX_HALF))
    };
    format!("{halves}, and at most {MAX_CROSSING} conditional red lines across them")
}

/// Why there is no plan.
enum NoPlan {
    /// Some issue has no option left: nothing is allowed.
    Empty,
    /// Meet in the middle does not apply (see the module's doc).
    NotHere,
}

impl<'r> Plan<'r> {
    fn new(eval: &Evaluator, rules: &'r Rules, limits: Limits) -> Result<Plan<'r>, NoPlan> {
        let counts = eval.counts();
        let m = counts.len();
        if m < 2 {
            return Err(NoPlan::NotHere);
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
            return Err(NoPlan::Empty);
        }
        // The split that balances the halves' sizes. With three floors or more, the second
        // half is kept as bitsets and may hold at most `limits.bitset_half` packages: when the
        // balanced split passes that, the split that puts the most packages in the second half
        // within it (pairing costs about the same whatever the split: a word operation per
        // floor for every 64 pairs).
        let sizes: Vec<u128> = domains.iter().map(|d| d.len() as u128).collect();
        let total: u128 = sizes.iter().product();
        if total > u128::from(u64::MAX) {
            return Err(NoPlan::NotHere);
        }
        let halves = |split: usize| -> (u128, u128) {
            let left: u128 = sizes[..split].iter().product();
            (left, total / left)
        };
        let balanced = (1..m)
            .min_by_key(|&s| {
                let (left, right) = halves(s);
                left.max(right)
            })
            .expect("two issues or more");
        let fits = |(left, right): (u128, u128)| {
            let second = if rules.floors.len() > 2 {
                limits.bitset_half
            } else {
                limits.half
            };
            left <= u128::from(limits.half) && right <= u128::from(second)
        };
        let split = if fits(halves(balanced)) {
            balanced
        } else {
            match (1..m).find(|&s| halves(s).1 <= u128::from(limits.bitset_half)) {
                Some(s) if rules.floors.len() > 2 && fits(halves(s)) => s,
                _ => return Err(NoPlan::NotHere),
            }
        };
        let crossing: Vec<usize> = (0..conditionals.len())
            .filter(|&c| (conditionals[c].if_issue < split) != (conditionals[c].then_issue < split))
            .collect();
        if crossing.len() > MAX_CROSSING {
            return Err(NoPlan::NotHere);
        }
        Ok(Plan {
            domains,
            allowed,
            conditionals,
            split,
            crossing,
            slots: rules.floors.iter().map(|f| f.slot).collect(),
            mins: rules.floors.iter().map(|f| f.min).collect(),
            parallel_halves: limits.parallel_halves,
        })
    }

    /// Enumerates the packages of one half (mixed radix over its issues' `domains`, last fastest),
    /// without the conditionals `dropped` (indices into the plan's), with their options when
    /// `options`; `None` when `cancel` was set.
    fn enumerate(
        &self,
        eval: &Evaluator,
        issues: std::ops::Range<usize>,
        domains: &[Vec<OptionIx>],
        dropped: &[usize],
        options: bool,
        cancel: Option<&AtomicBool>,
    ) -> Option<Half> {
        let slots = &self.slots;
        let width = issues.len();
        // The crossing conditionals still in force, each with its bit.
        let crossing: Vec<(usize, &Conditional)> = self
            .crossing
            .iter()
            .enumerate()
            .filter(|(_, c)| !dropped.contains(c))
            .map(|(j, &c)| (j, &self.conditionals[c]))
            .collect();
        let inside: Vec<&Conditional> = (0..self.conditionals.len())
            .filter(|c| !dropped.contains(c))
            .map(|c| &self.conditionals[c])
            .filter(|c| issues.contains(&c.if_issue) && issues.contains(&c.then_issue))
            .collect();
        // At most this many packages (fewer when red lines inside the half remove some).
        let size: usize = issues.clone().map(|i| domains[i].len()).product();
        let mut half = Half {
            issues: issues.clone(),
            options: Vec::with_capacity(if options { size * width } else { 0 }),
            sums: Vec::with_capacity(size * slots.len()),
            triggered: Vec::with_capacity(size),
            broken: Vec::with_capacity(size),
        };
        let mut package = vec![0usize; domains.len()];
        let mut pos = vec![0usize; width];
        let d = slots.len();
        // Floor sums of the first k issues of the half, `d` per level: level k + 1 is level k plus
        // issue k's contribution, so that each sum is formed in issue order from 0.0 and only the
        // levels below the issue that changed are summed again.
        let mut prefix = vec![0.0f64; (width + 1) * d];
        // The first level whose option changed since the last package.
        let mut changed = 0;
        let mut steps = 0u32;
        'packages: loop {
            steps = steps.wrapping_add(1);
            if steps % 65_536 == 0 && cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return None;
            }
            for k in changed..width {
                let i = issues.start + k;
                package[i] = domains[i][pos[k]];
                let contribution = eval.contribution(i, package[i]);
                for (f, &s) in slots.iter().enumerate() {
                    prefix[(k + 1) * d + f] = prefix[k * d + f] + contribution[s];
                }
            }
            let ok = inside.iter().all(|c| c.rule.allows(&package));
            if ok {
                let (mut triggered, mut broken) = (0u8, 0u8);
                for &(j, c) in &crossing {
                    let RedLineRule::Conditional {
                        if_options, then, ..
                    } = c.rule
                    else {
                        unreachable!("crossing rules are conditional")
                    };
                    if issues.contains(&c.if_issue) && if_options.contains(package[c.if_issue]) {
                        triggered |= 1 << j;
                    }
                    if issues.contains(&c.then_issue)
                        && !then.allowed.contains(package[c.then_issue])
                    {
                        broken |= 1 << j;
                    }
                }
                if options {
                    half.options.extend_from_slice(&package[issues.clone()]);
                }
                half.sums.extend_from_slice(&prefix[width * d..]);
                half.triggered.push(triggered);
                half.broken.push(broken);
            }
            // Next package, last issue fastest.
            for k in (0..width).rev() {
                pos[k] += 1;
                if pos[k] < domains[issues.start + k].len() {
                    changed = k;
                    continue 'packages;
                }
                pos[k] = 0;
            }
            break;
        }
        Some(half)
    }

    /// The issues of half `h` (0 or 1).
    fn issues(&self, h: usize) -> std::ops::Range<usize> {
        if h == 0 {
            0..self.split
        } else {
            self.split..self.domains.len()
        }
    }

    /// Twice what the engine allows for rounding over the whole sum (with its 1e-9), under
    /// `eval` with the options `allowed` admits: pairs within it of a floor are summed as the
    /// engine sums them. Zero when no sum rounds: every contribution the floors use and every
    /// floor an integer, and every sum of them, the engine's or a half's, and every floor less
    /// a half's sum, of magnitude at most 2^52 (on the exact scale of short decimals,
    /// [`crate::exact`]). The sums are then the integers themselves, so a pair clears a floor
    /// exactly when its two half sums do, and no pair need be summed again.
    fn margin(&self, eval: &Evaluator, allowed: impl Fn(usize, OptionIx) -> bool) -> f64 {
        let integral = |x: f64| x.is_finite() && x.fract() == 0.0;
        let exact = self.mins.iter().all(|&min| integral(min))
            && self.slots.iter().all(|&s| {
                (0..self.domains.len()).all(|i| {
                    (0..eval.counts()[i])
                        .filter(|&o| allowed(i, o))
                        .all(|o| integral(eval.contribution(i, o)[s]))
                })
            });
        let rounding = Rounding::new(eval, &self.slots, &allowed, self.mins.iter().copied());
        if exact && rounding.largest_sum() <= (1u64 << 52) as f64 {
            return 0.0;
        }
        2.0 * rounding.floor(self.domains.len())
    }

    /// Whether the halves are large enough for their work to be shared among threads: below
    /// this, starting the threads (and the first touch of their memory) costs more than the
    /// work they would share.
    fn parallel(&self) -> bool {
        let size = |h: usize| -> usize { self.issues(h).map(|i| self.domains[i].len()).product() };
        size(0) + size(1) > self.parallel_halves
    }

    /// The margin of the whole space's pairing ([`Plan::margin`]).
    fn zone_margin(&self, eval: &Evaluator) -> f64 {
        self.margin(eval, |i, o| self.allowed[i][o])
    }

    /// The margin of issue `i`'s count in [`zone_and_issue_counts`], under `freed` (`eval`
    /// with the issue freed).
    fn freed_margin(&self, freed: &Evaluator, i: usize) -> f64 {
        self.margin(freed, |j, o| j == i || self.allowed[j][o])
    }

    /// A half's packages grouped by their conditional state, each group prepared for pairing as
    /// the left side or, with `right`, the right side.
    fn sides(&self, half: &Half, right: bool, scratch: &mut SortBuffers) -> Vec<Side> {
        let bits = self.crossing.len();
        let group =
            |p: usize| (usize::from(half.triggered[p]) << bits) | usize::from(half.broken[p]);
        // Each group's list allocated at its size (growing one would copy it).
        let mut sizes = vec![0usize; 1 << (2 * bits)];
        for p in 0..half.triggered.len() {
            sizes[group(p)] += 1;
        }
        let mut ids: Vec<Vec<usize>> = sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
        for p in 0..half.triggered.len() {
            ids[group(p)].push(p);
        }
        ids.into_iter()
            .map(|ids| Side::new(half, ids, self.slots.len(), right, scratch))
            .collect()
    }

    /// The pairs of the two halves' packages that meet every floor and no crossing conditional
    /// breaks; `None` when `cancel` was set.
    fn pairs(
        &self,
        eval: &Evaluator,
        floors: &[crate::engine::Floor],
        margin: f64,
        halves: [(&Half, &[Side]); 2],
        cancel: Option<&AtomicBool>,
    ) -> Option<u64> {
        let bits = self.crossing.len();
        let [(left, left_sides), (right, right_sides)] = halves;
        let mut n: u64 = 0;
        for (gl, ls) in left_sides.iter().enumerate() {
            if ls.ids.is_empty() {
                continue;
            }
            let (tl, bl) = (gl >> bits, gl & ((1 << bits) - 1));
            for (gr, rs) in right_sides.iter().enumerate() {
                let (tr, br) = (gr >> bits, gr & ((1 << bits) - 1));
                if rs.ids.is_empty() || tl & br != 0 || tr & bl != 0 {
                    continue;
                }
                if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return None;
                }
                let pairs = match self.mins.len() {
                    0 => ls.ids.len() as u64 * rs.ids.len() as u64,
                    _ => combine(eval, left, right, ls, rs, floors, &self.mins, margin),
                };
                n = n.checked_add(pairs)?;
            }
        }
        Some(n)
    }

    /// Both halves of the whole space, each with its groups (the first as the left side, the
    /// second as the right, with its options when `options`: some pairing has a margin), sorted
    /// with the buffers of `scratch` (and others on another thread); `None` when `cancel` was
    /// set.
    fn whole(
        &self,
        eval: &Evaluator,
        options: bool,
        scratch: &mut SortBuffers,
        cancel: Option<&AtomicBool>,
    ) -> Option<[(Half, Vec<Side>); 2]> {
        let half = |h: usize, scratch: &mut SortBuffers| {
            let keep = options && h == 1;
            let half = self.enumerate(eval, self.issues(h), &self.domains, &[], keep, cancel)?;
            let sides = self.sides(&half, h == 1, scratch);
            Some((half, sides))
        };
        // The two halves on two threads when they are large: each is enumerated and sorted on
        // its own.
        let (left, right) = if self.parallel() {
            rayon::join(|| half(0, &mut SortBuffers::default()), || half(1, scratch))
        } else {
            (half(0, scratch), half(1, scratch))
        };
        Some([left?, right?])
    }

    /// The packages of the whole space that `floors` (the plan's) and the red lines allow:
    /// the pairs of its two halves.
    fn zone(
        &self,
        eval: &Evaluator,
        floors: &[crate::engine::Floor],
        margin: f64,
        whole: &[(Half, Vec<Side>); 2],
        cancel: Option<&AtomicBool>,
    ) -> Option<u64> {
        let [(left, left_sides), (right, right_sides)] = whole;
        self.pairs(
            eval,
            floors,
            margin,
            [(left, left_sides), (right, right_sides)],
            cancel,
        )
    }
}

/// The number of packages `rules` allow, counted by meet in the middle; `None` where it does not
/// apply (see the module's doc) or when `cancel` was set.
pub fn count(eval: &Evaluator, rules: &Rules, cancel: Option<&AtomicBool>) -> Option<u64> {
    count_within(eval, rules, cancel, Limits::default())
}

/// [`count`] with halves of at most `limits`.
pub fn count_within(
    eval: &Evaluator,
    rules: &Rules,
    cancel: Option<&AtomicBool>,
    limits: Limits,
) -> Option<u64> {
    let plan = match Plan::new(eval, rules, limits) {
        Ok(plan) => plan,
        Err(NoPlan::Empty) => return Some(0),
        Err(NoPlan::NotHere) => return None,
    };
    let margin = plan.zone_margin(eval);
    let mut scratch = SortBuffers::default();
    let whole = plan.whole(eval, margin > 0.0, &mut scratch, cancel)?;
    plan.zone(eval, &rules.floors, margin, &whole, cancel)
}

/// The number of packages `rules` allow (as [`count`] gives it), and for each issue `i`, the
/// number allowed when the issue is freed: `rules` without the red lines that name issue `i`,
/// counted under [`Evaluator::with_issue_freed`] (issue `i` gives every party its best value,
/// as one option), as the issue map counts them. The halves
/// of the whole space are enumerated and sorted once; each issue's count enumerates again only
/// the half that holds the issue, with that issue's one option, and pairs it with the other
/// half as it was. `None` for a count where meet in the middle does not apply (the caller
/// counts it otherwise), and for every count when `cancel` was set.
pub fn zone_and_issue_counts(
    eval: &Evaluator,
    rules: &Rules,
    cancel: Option<&AtomicBool>,
) -> (Option<u64>, Vec<Option<u64>>) {
    zone_and_issue_counts_within(eval, rules, cancel, Limits::default())
}

/// [`zone_and_issue_counts`] with halves of at most `limits`.
pub fn zone_and_issue_counts_within(
    eval: &Evaluator,
    rules: &Rules,
    cancel: Option<&AtomicBool>,
    limits: Limits,
) -> (Option<u64>, Vec<Option<u64>>) {
    let m = eval.counts().len();
    let plan = match Plan::new(eval, rules, limits) {
        Ok(plan) => plan,
        Err(NoPlan::Empty) => return (Some(0), vec![None; m]),
        Err(NoPlan::NotHere) => return (None, vec![None; m]),
    };
    // Each issue freed, with the margin of its count; the right half's options are kept only
    // when some pairing has a margin.
    let margin = plan.zone_margin(eval);
    let freed: Vec<(Evaluator, f64)> = (0..m)
        .map(|i| {
            let freed = eval.with_issue_freed(i);
            let margin = plan.freed_margin(&freed, i);
            (freed, margin)
        })
        .collect();
    let options = margin > 0.0 || freed.iter().any(|&(_, margin)| margin > 0.0);
    let mut scratch = SortBuffers::default();
    let Some(whole) = plan.whole(eval, options, &mut scratch, cancel) else {
        return (None, vec![None; m]);
    };
    // The zone's count and each issue's are independent: on as many threads as there are.
    let zone = || plan.zone(eval, &rules.floors, margin, &whole, cancel);
    let mut freed = || freed_counts(&freed, rules, &plan, &whole, &mut scratch, cancel);
    let (zone, freed) = if plan.parallel() {
        rayon::join(zone, freed)
    } else {
        (zone(), freed())
    };
    (zone, freed)
}

/// Each issue's count for [`zone_and_issue_counts`], under `freed` (each issue's evaluator
/// with the issue freed, and its count's margin), in parallel when [`Plan::parallel`] (else
/// sorted with the buffers of `scratch`).
fn freed_counts(
    freed: &[(Evaluator, f64)],
    rules: &Rules,
    plan: &Plan,
    whole: &[(Half, Vec<Side>); 2],
    scratch: &mut SortBuffers,
    cancel: Option<&AtomicBool>,
) -> Vec<Option<u64>> {
    use rayon::prelude::*;
    let count = |scratch: &mut SortBuffers, i: usize| {
        let (freed, margin) = (&freed[i].0, freed[i].1);
        let h = usize::from(i >= plan.split);
        let mut domains = plan.domains.clone();
        domains[i] = vec![0];
        // The conditionals that name issue `i` are gone: those inside the half are not
        // checked, and those crossing it never set their bits here, so they break nothing.
        let dropped: Vec<usize> = (0..plan.conditionals.len())
            .filter(|&c| plan.conditionals[c].rule.issues().contains(&i))
            .collect();
        let keep = h == 1 && margin > 0.0;
        let half = plan.enumerate(freed, plan.issues(h), &domains, &dropped, keep, cancel)?;
        let sides = plan.sides(&half, h == 1, scratch);
        let mut pair = [
            (&whole[0].0, whole[0].1.as_slice()),
            (&whole[1].0, whole[1].1.as_slice()),
        ];
        pair[h] = (&half, sides.as_slice());
        plan.pairs(freed, &rules.floors, margin, pair, cancel)
    };
    let issues = 0..freed.len();
    if plan.parallel() {
        issues
            .into_par_iter()
            .map_init(SortBuffers::default, count)
            .collect()
    } else {
        issues.map(|i| count(scratch, i)).collect()
    }
}

/// One group of a half's packages (those with the same conditional state), sorted by each
/// floor sum, with what pairing it as the right side needs.
struct Side {
    /// The packages, by their index in the half.
    ids: Vec<usize>,
    /// Sorted by each floor sum that pairing uses (positions into `ids`): see [`Side::new`].
    by: Vec<Sorted>,
    /// With two floors: each package's rank (by position in `ids`) among the distinct second
    /// sums, and those sums in increasing order.
    rank: Vec<u32>,
    distinct: Vec<f64>,
    /// With three floors or more, per floor past the first: the set of packages from every
    /// `2^shift`th position of that floor's order to its end, `words` per set, so that the set
    /// from any position is one of them less at most `2^shift - 1` bits. A package's bit is its
    /// position in the first floor's order (see `bits`), so that the packages that clear the
    /// first floor, a suffix of that order, are a range of bits, and only the words of that
    /// range are intersected.
    suffixes: Vec<Vec<u64>>,
    words: usize,
    /// Every how many positions (a power of two, as a shift) a set is stored: 64 for large
    /// groups, as few as 4 for small ones, whose sets are short (see [`Side::new`]).
    shift: u32,
    /// With three floors or more, per floor past the first: the bit of each package of the
    /// floor's order (its position in the first floor's order).
    bits: Vec<Vec<u32>>,
}

impl Side {
    /// The group `ids` of `half`, with `d` floors. A left side is sorted by the floors
    /// [`combine`] walks it by (the first, and every floor of two or more); a right side by
    /// every floor, with the ranks (two floors) or the stored sets (more).
    /// The sorts use the buffers of `scratch`, shared by every side sorted on one thread: fresh
    /// memory costs a page fault per page.
    fn new(half: &Half, ids: Vec<usize>, d: usize, right: bool, scratch: &mut SortBuffers) -> Side {
        let sorted = if right || d >= 2 { d } else { d.min(1) };
        let by: Vec<Sorted> = (0..sorted)
            .map(|f| Sorted::new(&ids, |q| half.sums[q * d + f], scratch))
            .collect();
        let (mut rank, mut distinct) = (Vec::new(), Vec::new());
        if let Some(second) = by.get(1).filter(|_| right && d == 2) {
            rank = vec![0u32; ids.len()];
            for (&v, &q) in second.values.iter().zip(&second.at) {
                if distinct.last().is_none_or(|&last| last != v) {
                    distinct.push(v);
                }
                rank[q as usize] = (distinct.len() - 1) as u32;
            }
        }
        let words = ids.len().div_ceil(64);
        // Sets stored every 64 positions take about `words²` words; a small group stores them
        // more often, within about `max(words², 2^13)` words, so that fewer bits are taken off
        // each set.
        let budget = (words * words).max(1 << 13);
        let shift = (2..6)
            .find(|&s| (ids.len() >> s) * words + words <= budget)
            .unwrap_or(6);
        let (bits, suffixes) = if right && d > 2 {
            // Each package's position in the first floor's order is its bit.
            let mut first = vec![0u32; ids.len()];
            for (k, &q) in by[0].at.iter().enumerate() {
                first[q as usize] = k as u32;
            }
            let bits: Vec<Vec<u32>> = by[1..]
                .iter()
                .map(|sorted| sorted.at.iter().map(|&q| first[q as usize]).collect())
                .collect();
            // One set per 2^shift positions; the row past the last position, when that is a
            // multiple of 2^shift, is the empty set.
            let rows = (ids.len() >> shift) + 1;
            let suffixes = bits
                .iter()
                .map(|bits| {
                    let mut table = vec![0u64; rows * words];
                    let mut running = vec![0u64; words];
                    for k in (0..ids.len()).rev() {
                        let q = bits[k] as usize;
                        running[q / 64] |= 1 << (q % 64);
                        if k % (1 << shift) == 0 {
                            let row = k >> shift;
                            table[row * words..(row + 1) * words].copy_from_slice(&running);
                        }
                    }
                    table
                })
                .collect();
            (bits, suffixes)
        } else {
            (Vec::new(), Vec::new())
        };
        Side {
            ids,
            by,
            rank,
            distinct,
            suffixes,
            words,
            shift,
            bits,
        }
    }

    /// The packages from position `k` of floor `f`'s order (`f` past the first) to its end:
    /// the set stored at or before `k`, less the packages before `k` it holds (by their bits).
    #[inline]
    fn suffix(&self, f: usize, k: usize) -> (&[u64], &[u32]) {
        let row = k >> self.shift;
        (
            &self.suffixes[f - 1][row * self.words..(row + 1) * self.words],
            &self.bits[f - 1][row << self.shift..k],
        )
    }
}

/// The pairs of the left group `l` and the right group `r` that meet every floor (one or two
/// here, more in [`combine_many`]).
#[allow(clippy::too_many_arguments)]
fn combine(
    eval: &Evaluator,
    left: &Half,
    right: &Half,
    l: &Side,
    r: &Side,
    floors: &[crate::engine::Floor],
    mins: &[f64],
    margin: f64,
) -> u64 {
    let (ls, rs) = (&l.ids, &r.ids);
    let d = mins.len();
    let a = |p: usize, f: usize| left.sums[p * d + f];
    let b = |q: usize, f: usize| right.sums[q * d + f];
    // The engine's decision for one pair: the left sum (the engine's own partial sum), then the
    // right issues' contributions added in order.
    let exact = |p: usize, q: usize| {
        debug_assert!(
            !right.options.is_empty(),
            "a margin keeps the right options"
        );
        floors.iter().enumerate().all(|(f, floor)| {
            let mut u = a(p, f);
            for (k, i) in right.issues.clone().enumerate() {
                u += eval.contribution(i, right.options[q * right.issues.len() + k])[floor.slot];
            }
            u >= floor.min
        })
    };
    // Right packages by their first floor sum, and left ones likewise: as a left package's sum
    // grows, what the right one must bring shrinks, so every position sought in a sorted list
    // moves one way and is found by walking, not by binary search.
    let (right0, left0) = (&r.by[0], &l.by[0]);
    let mut n = 0u64;
    if d == 1 {
        let (mut sure, mut maybe) = (right0.len(), right0.len());
        for (&ap, &p) in left0.values.iter().zip(&left0.at) {
            let p = ls[p as usize];
            let sure = right0.down(&mut sure, mins[0] + margin - ap);
            let maybe = right0.down(&mut maybe, mins[0] - margin - ap);
            n += (right0.len() - sure) as u64;
            n += right0.at[maybe..sure.max(maybe)]
                .iter()
                .filter(|&&q| exact(p, rs[q as usize]))
                .count() as u64;
        }
        return n;
    }
    if d > 2 {
        return combine_many(l, r, mins, margin, a, b, exact);
    }
    // Two floors. Pairs that clear both by the margin: a sweep over the first floor (left
    // packages by decreasing need, so by increasing first sum), right packages entering a
    // Fenwick tree over the ranks of their second sums among the distinct ones.
    let (right1, left1) = (&r.by[1], &l.by[1]);
    let (rank, distinct) = (&r.rank, &r.distinct);
    // For each left package (by its position in `ls`): how many distinct second sums fall below
    // its second need. Left packages by decreasing second sum have increasing needs.
    let mut below_need = vec![0u32; ls.len()];
    let mut walked = 0;
    for (&ap, &p) in left1.values.iter().zip(&left1.at).rev() {
        let need = mins[1] + margin - ap;
        while walked < distinct.len() && distinct[walked] < need {
            walked += 1;
        }
        below_need[p as usize] = walked as u32;
    }
    // Counts of one group's packages: at most 2^32 (halves hold at most `MAX_HALF`).
    let mut tree = vec![0u32; distinct.len() + 1];
    let mut entered = right0.len();
    let mut inside = 0u64;
    for (&ap, &p) in left0.values.iter().zip(&left0.at) {
        let need_first = mins[0] + margin - ap;
        while entered > 0 && right0.values[entered - 1] >= need_first {
            entered -= 1;
            let mut i = rank[right0.at[entered] as usize] as usize + 1;
            while i < tree.len() {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
            inside += 1;
        }
        // Entered packages whose second sum is below the need.
        let mut below = 0u64;
        let mut i = below_need[p as usize] as usize;
        while i > 0 {
            below += u64::from(tree[i]);
            i -= i & i.wrapping_neg();
        }
        n += inside - below;
    }
    // Pairs that miss neither floor by the margin but do not clear both by it: within the
    // margin of the first floor, or clearing the first and within the margin of the second.
    // None when the margin is 0 (on the exact scale).
    if margin == 0.0 {
        return n;
    }
    let (mut s0, mut e0) = (right0.len(), right0.len());
    for (&ap, &p) in left0.values.iter().zip(&left0.at) {
        let s0 = right0.down(&mut s0, mins[0] - margin - ap);
        let e0 = right0.down(&mut e0, mins[0] + margin - ap);
        if e0 <= s0 {
            // None within the margin (always so when the margin is 0): the left package's
            // other sum, a load from anywhere in the half, is not needed.
            continue;
        }
        let p = ls[p as usize];
        let lo1 = mins[1] - margin - a(p, 1);
        n += right0.at[s0..e0]
            .iter()
            .map(|&q| rs[q as usize])
            .filter(|&q| b(q, 1) >= lo1 && exact(p, q))
            .count() as u64;
    }
    let (mut s1, mut e1) = (right1.len(), right1.len());
    for (&ap, &p) in left1.values.iter().zip(&left1.at) {
        let s1 = right1.down(&mut s1, mins[1] - margin - ap);
        let e1 = right1.down(&mut e1, mins[1] + margin - ap);
        if e1 <= s1 {
            continue;
        }
        let p = ls[p as usize];
        let hi0 = mins[0] + margin - a(p, 0);
        n += right1.at[s1..e1]
            .iter()
            .map(|&q| rs[q as usize])
            .filter(|&q| b(q, 0) >= hi0 && exact(p, q))
            .count() as u64;
    }
    n
}

/// [`combine`] for three floors or more: for each left package, the right packages that clear
/// every floor by the margin are the intersection of one suffix per floor's order (the first
/// floor's a range of bits, the others stored sets: see [`Side::suffixes`]); the pairs
/// within the margin of some floor (each counted at the first floor it does not clear by the
/// margin) are summed as the engine sums them.
fn combine_many(
    l: &Side,
    r: &Side,
    mins: &[f64],
    margin: f64,
    a: impl Fn(usize, usize) -> f64,
    b: impl Fn(usize, usize) -> f64,
    exact: impl Fn(usize, usize) -> bool,
) -> u64 {
    let d = mins.len();
    let mut n = 0u64;
    let mut inside = vec![0u64; r.words];
    let mut sets: Vec<(&[u64], &[u32])> = Vec::with_capacity(d);
    let (mut sure, mut least, mut from) = (vec![0.0; d], vec![0.0; d], vec![0; d]);
    // For each floor past the first and each left package (by its position in `l.ids`): the
    // first position of the floor's right order that clears it by the margin. Left packages by
    // decreasing sum need more and more, so one walk of each order finds them all.
    let starts: Vec<Vec<u32>> = (1..d)
        .map(|f| {
            let (values, mut walked) = (&r.by[f].values, 0);
            let mut start = vec![0u32; l.ids.len()];
            for (&ap, &p) in l.by[f].values.iter().zip(&l.by[f].at).rev() {
                let need = mins[f] + margin - ap;
                while walked < values.len() && values[walked] < need {
                    walked += 1;
                }
                start[p as usize] = walked as u32;
            }
            start
        })
        .collect();
    // Left packages by increasing first sum: the first floor's position only moves down.
    let mut first = r.by[0].len();
    let mut range_start = first;
    for (&ap, &at) in l.by[0].values.iter().zip(&l.by[0].at) {
        // From which position of each floor's order on a right package clears it by the
        // margin.
        from[0] = r.by[0].down(&mut first, mins[0] + margin - ap);
        for f in 1..d {
            from[f] = starts[f - 1][at as usize] as usize;
        }
        // The first floor's range of bits from `from[0]` on, intersected with the other
        // floors' stored sets, less the packages before each of their positions. Only the words
        // from the range's first on are written; the range only grows from one left package to
        // the next, so the words before it were never written and hold no bit.
        sets.clear();
        sets.extend((1..d).map(|f| r.suffix(f, from[f])));
        debug_assert!(from[0] <= range_start, "the range only grows");
        range_start = from[0];
        n += intersect(&mut inside, range_start, &sets);
        // Each package before a floor's position, once: its bit is cleared as it is counted, so
        // that one before several floors' positions is taken off once (no branch: which bits
        // are set is unpredictable).
        for (_, before) in &sets {
            for &k in before.iter() {
                let (word, bit) = (k as usize / 64, k % 64);
                n -= (inside[word] >> bit) & 1;
                inside[word] &= !(1u64 << bit);
            }
        }
        // No pair is within a margin of 0 (on the exact scale): the left package's sums, loads
        // from anywhere in the half, are not needed.
        if margin == 0.0 {
            continue;
        }
        // What a right package must bring on each floor to clear it by the margin, and less
        // than which it misses it by more.
        let p = l.ids[at as usize];
        for f in 0..d {
            sure[f] = mins[f] + margin - a(p, f);
            least[f] = mins[f] - margin - a(p, f);
        }
        for f in 0..d {
            let values = &r.by[f].values;
            let e = from[f];
            // Nothing within the margin below the position (the usual case): no search.
            if e == 0 || values[e - 1] < least[f] {
                continue;
            }
            let s = values[..e].partition_point(|&v| v < least[f]);
            n += r.by[f].at[s..e]
                .iter()
                .map(|&q| r.ids[q as usize])
                .filter(|&q| {
                    (0..f).all(|g| b(q, g) >= sure[g])
                        && (f + 1..d).all(|h| b(q, h) >= least[h])
                        && exact(p, q)
                })
                .count() as u64;
        }
    }
    n
}

/// Writes into `inside`, from the word of bit `start` on, the intersection of the bits from
/// `start` on with the stored sets of `sets`, and returns how many packages it holds: one pass
/// over those words (two sets, the usual case of three floors, with no inner loop).
fn intersect(inside: &mut [u64], start: usize, sets: &[(&[u64], &[u32])]) -> u64 {
    let w0 = start / 64;
    if w0 >= inside.len() {
        return 0;
    }
    let mut n = 0u64;
    if let [(a, _), (b, _)] = sets {
        for ((x, &a), &b) in inside[w0..].iter_mut().zip(&a[w0..]).zip(&b[w0..]) {
            *x = a & b;
            n += u64::from(x.count_ones());
        }
    } else {
        for (w, x) in inside.iter_mut().enumerate().skip(w0) {
            *x = sets.iter().fold(!0u64, |acc, (set, _)| acc & set[w]);
            n += u64::from(x.count_ones());
        }
    }
    // The bits of the first word below `start`.
    let below = inside[w0] & ((1u64 << (start % 64)) - 1);
    inside[w0] &= !below;
    n - u64::from(below.count_ones())
}

/// The buffers of [`Sorted::new`], kept from one sort to the next: keys packed with their
/// positions in one word ([`radix_sort_packed`]), or (key, position) pairs ([`radix_sort`])
/// where they do not fit.
#[derive(Default)]
struct SortBuffers {
    packed: (Vec<u64>, Vec<u64>),
    pairs: (Vec<KeyAt>, Vec<KeyAt>),
}

/// A sum's key ([`ordered`]) and its position.
type KeyAt = (u64, u32);

/// Packages sorted by a floor sum: the sums in increasing order (a total order, in which what
/// `<` cannot tell apart stays together) and each one's position in the list sorted.
struct Sorted {
    values: Vec<f64>,
    at: Vec<u32>,
}

impl Sorted {
    /// The packages `xs` sorted by `key`. The sums are sorted as integers that order as
    /// [`f64::total_cmp`] does ([`ordered`]), equal sums by position in `xs`; `scratch` holds
    /// the sort's buffers, kept for the next sort.
    fn new(xs: &[usize], key: impl Fn(usize) -> f64, scratch: &mut SortBuffers) -> Sorted {
        // The bits in which the keys differ, and how many bits a position takes: where both fit
        // in one word, the keys are sorted packed with their positions (half the memory).
        let (all, any) = xs.iter().fold((!0u64, 0u64), |(all, any), &x| {
            let k = ordered(key(x));
            (all & k, any | k)
        });
        let varying = all ^ any;
        let position_bits = usize::BITS - xs.len().saturating_sub(1).leading_zeros();
        if varying == 0 {
            return Sorted {
                values: vec![unordered(all); xs.len()],
                at: (0..xs.len() as u32).collect(),
            };
        }
        let low = varying.trailing_zeros();
        let span = 64 - varying.leading_zeros() - low;
        if span + position_bits <= 64 {
            let field = u64::MAX >> (64 - span);
            let fixed = all & !(field << low);
            let (packed, spare) = &mut scratch.packed;
            packed.clear();
            packed.extend(
                xs.iter().enumerate().map(|(k, &x)| {
                    (((ordered(key(x)) >> low) & field) << position_bits) | k as u64
                }),
            );
            radix_sort_packed(packed, spare, position_bits, position_bits + span);
            let positions = (1u64 << position_bits) - 1;
            return Sorted {
                values: packed
                    .iter()
                    .map(|&p| unordered(fixed | (((p >> position_bits) & field) << low)))
                    .collect(),
                at: packed.iter().map(|&p| (p & positions) as u32).collect(),
            };
        }
        let (keyed, spare) = &mut scratch.pairs;
        keyed.clear();
        keyed.extend(
            xs.iter()
                .enumerate()
                .map(|(k, &x)| (ordered(key(x)), k as u32)),
        );
        radix_sort(keyed, spare);
        Sorted {
            values: keyed.iter().map(|&(k, _)| unordered(k)).collect(),
            at: keyed.iter().map(|&(_, k)| k).collect(),
        }
    }

    fn len(&self) -> usize {
        self.values.len()
    }

    /// The first position whose sum is at least `x`, walked down from `*at` (where the last
    /// call left it: `x` never grows between calls).
    fn down(&self, at: &mut usize, x: f64) -> usize {
        while *at > 0 && self.values[*at - 1] >= x {
            *at -= 1;
        }
        *at
    }
}

/// Sorts `items` by their bits `from..to` (below `from`, positions in increasing order, so that
/// the sort is stable): [`radix_passes`] by 8-bit digits from bit `from`. Short lists are sorted
/// by comparison.
fn radix_sort_packed(items: &mut Vec<u64>, spare: &mut Vec<u64>, from: u32, to: u32) {
    if items.len() <= 64 {
        items.sort_unstable();
        return;
    }
    let digits = (to - from).div_ceil(8) as usize;
    radix_passes(items, spare, digits, |x, d| {
        ((x >> (from as usize + 8 * d)) & 0xff) as usize
    });
}

/// Sorts `items` by their keys, stably (equal keys keep their order): [`radix_passes`] by the
/// keys' bytes (on the exact integer scale the low bytes of the sums' bits are all zero, and
/// skipped). Short lists are sorted by comparison.
fn radix_sort(items: &mut Vec<(u64, u32)>, spare: &mut Vec<(u64, u32)>) {
    if items.len() <= 64 {
        items.sort_by_key(|&(k, _)| k);
        return;
    }
    radix_passes(items, spare, 8, |(k, _), byte| {
        ((k >> (8 * byte)) & 0xff) as usize
    });
}

/// A stable least-significant-digit radix sort of `items` by `digits` digits of 8 bits
/// (`digit(item, d)`, the least significant first), skipping every digit all items share, with
/// `spare` as the other buffer (its contents are not kept).
fn radix_passes<T: Copy + Default>(
    items: &mut Vec<T>,
    spare: &mut Vec<T>,
    digits: usize,
    digit: impl Fn(T, usize) -> usize,
) {
    let mut counts = vec![[0usize; 256]; digits];
    for &x in items.iter() {
        for (d, count) in counts.iter_mut().enumerate() {
            count[digit(x, d)] += 1;
        }
    }
    spare.clear();
    spare.resize(items.len(), T::default());
    for (d, count) in counts.iter().enumerate() {
        if count.contains(&items.len()) {
            continue;
        }
        let mut next = [0usize; 256];
        let mut total = 0;
        for (n, &c) in next.iter_mut().zip(count) {
            *n = total;
            total += c;
        }
        for &x in items.iter() {
            let b = digit(x, d);
            spare[next[b]] = x;
            next[b] += 1;
        }
        std::mem::swap(items, spare);
    }
}

/// The bits of `x` as an integer that orders as [`f64::total_cmp`] orders the floats.
fn ordered(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The float of [`ordered`]'s integer.
fn unordered(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

#[cfg(test)]
mod tests {
    use super::{ordered, radix_sort, unordered, SortBuffers, Sorted};
    use proptest::prelude::*;

    proptest! {
        /// A sort gives the sums in `total_cmp` order, equal ones by position, bit for bit,
        /// whether the keys fit in a word with their positions (sums of small integers, few
        /// distinct values) or not (any floats); the buffers are shared from one sort to the
        /// next, as a side's floors share them.
        #[test]
        fn sorted_matches_a_stable_sort(
            small in prop::collection::vec(0u32..100_000, 0..700),
            few in prop::collection::vec(0u32..4, 0..700),
            floats in prop::collection::vec(prop::num::f64::ANY, 0..700),
        ) {
            let mut scratch = SortBuffers::default();
            for sums in [
                small.iter().map(|&x| f64::from(x)).collect::<Vec<f64>>(),
                few.iter().map(|&x| f64::from(x) * 0.25 - 0.5).collect(),
                floats.clone(),
            ] {
                let xs: Vec<usize> = (0..sums.len()).rev().collect();
                let sorted = Sorted::new(&xs, |x| sums[x], &mut scratch);
                let mut expected: Vec<(u64, u32)> =
                    xs.iter().enumerate().map(|(k, &x)| (ordered(sums[x]), k as u32)).collect();
                expected.sort_by_key(|&(key, _)| key);
                prop_assert_eq!(
                    sorted.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    expected.iter().map(|&(key, _)| unordered(key).to_bits()).collect::<Vec<_>>()
                );
                prop_assert_eq!(sorted.at, expected.iter().map(|&(_, k)| k).collect::<Vec<_>>());
            }
        }

        /// The radix sort gives what a stable comparison sort gives, on keys that share many
        /// bytes (small integers on the exact scale, as floats) and on any keys.
        #[test]
        fn radix_sort_matches_a_stable_sort(
            small in prop::collection::vec(0u32..1000, 0..600),
            any_keys in prop::collection::vec(any::<u64>(), 0..600),
            floats in prop::collection::vec(prop::num::f64::ANY, 0..300),
        ) {
            for keys in [
                small.iter().map(|&x| ordered(f64::from(x) * 25.0)).collect::<Vec<u64>>(),
                any_keys.iter().map(|&x| x % 97).collect(),
                any_keys.clone(),
                floats.iter().map(|&x| ordered(x)).collect(),
            ] {
                let items: Vec<(u64, u32)> = keys.iter().enumerate().map(|(k, &x)| (x, k as u32)).collect();
                let mut expected = items.clone();
                expected.sort_by_key(|&(k, _)| k);
                let (mut sorted, mut spare) = (items, Vec::new());
                radix_sort(&mut sorted, &mut spare);
                prop_assert_eq!(sorted, expected);
            }
        }
    }

    /// The integers order the floats as `total_cmp` does, and give them back bit for bit.
    #[test]
    fn ordered_integers_sort_as_total_cmp_and_round_trip() {
        let mut xs = vec![
            f64::NEG_INFINITY,
            -1e300,
            -1.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            1e-300,
            0.1 + 0.2,
            0.3,
            1.0,
            f64::MAX,
            f64::INFINITY,
        ];
        let mut by_integer = xs.clone();
        by_integer.sort_by_key(|&x| ordered(x));
        xs.sort_by(f64::total_cmp);
        assert_eq!(
            xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            by_integer.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        for x in xs {
            assert_eq!(unordered(ordered(x)).to_bits(), x.to_bits());
        }
    }
}

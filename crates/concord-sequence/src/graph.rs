//! Difference constraints solved exactly: longest paths by Bellman-Ford, in integers.
//!
//! A constraint `x_v >= x_u + w` is an edge `u -> v` of weight `w`. The longest-path distances
//! from a source fixed at 0 are the *least* solution of the system (every variable as small as
//! the constraints allow), and the system has a solution exactly when the graph has no cycle of
//! positive weight: such a cycle would require a variable to exceed itself.

/// An edge `from -> to` of weight `weight`: `x[to] >= x[from] + weight`, labelled with what it
/// comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge<T> {
    pub from: usize,
    pub to: usize,
    pub weight: i64,
    pub tag: T,
}

/// The result of [`longest_paths`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Longest {
    /// The least solution and, for every node but the source, the index of the edge that sets
    /// its value (`None` for the source). Following these edges back always reaches the source.
    Feasible {
        dist: Vec<i64>,
        pred: Vec<Option<usize>>,
    },
    /// The indices of the edges of a cycle of positive weight, in the cycle's order.
    Cycle(Vec<usize>),
}

/// Longest paths from `source` over `nodes` nodes. Every node must be reachable from the source
/// (callers add an edge of weight 0 from the source to every node: "not before day 0").
pub(crate) fn longest_paths<T>(nodes: usize, source: usize, edges: &[Edge<T>]) -> Longest {
    const UNSET: i64 = i64::MIN;
    let mut dist = vec![UNSET; nodes];
    let mut pred: Vec<Option<usize>> = vec![None; nodes];
    dist[source] = 0;
    let mut changed_node = None;
    // |V| passes: the last one relaxes an edge only when a positive cycle exists.
    for _pass in 0..nodes {
        changed_node = None;
        for (k, e) in edges.iter().enumerate() {
            if dist[e.from] == UNSET {
                continue;
            }
            let candidate = dist[e.from] + e.weight;
            if candidate > dist[e.to] {
                dist[e.to] = candidate;
                pred[e.to] = Some(k);
                changed_node = Some(e.to);
            }
        }
        if changed_node.is_none() {
            break;
        }
    }
    let Some(mut v) = changed_node else {
        return Longest::Feasible { dist, pred };
    };
    // Walking back |V| predecessor edges from a node changed in the last pass lands on a cycle
    // of the predecessor graph, and every such cycle has positive weight.
    for _ in 0..nodes {
        v = edges[pred[v].expect("a changed node has a predecessor")].from;
    }
    let start = v;
    let mut cycle = Vec::new();
    loop {
        let k = pred[v].expect("a node on the cycle has a predecessor");
        cycle.push(k);
        v = edges[k].from;
        if v == start {
            break;
        }
    }
    cycle.reverse();
    Longest::Cycle(cycle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(from: usize, to: usize, weight: i64) -> Edge<()> {
        Edge {
            from,
            to,
            weight,
            tag: (),
        }
    }

    #[test]
    fn least_solution_of_a_chain_with_a_deadline() {
        // 0 = source; x1 >= 0 + 3; x2 >= x1 + 4; x2 <= 10 (x0 >= x2 - 10).
        let edges = [e(0, 1, 3), e(1, 2, 4), e(2, 0, -10), e(0, 2, 0)];
        match longest_paths(3, 0, &edges) {
            Longest::Feasible { dist, pred } => {
                assert_eq!(dist, vec![0, 3, 7]);
                assert_eq!(pred[2], Some(1));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_positive_cycle_is_returned_in_order() {
        // x1 >= x2 + 1 and x2 >= x1 + 1.
        let edges = [e(0, 1, 0), e(0, 2, 0), e(1, 2, 1), e(2, 1, 1)];
        match longest_paths(3, 0, &edges) {
            Longest::Cycle(c) => {
                let mut sorted = c.clone();
                sorted.sort();
                assert_eq!(sorted, vec![2, 3]);
                for w in c.windows(2) {
                    assert_eq!(edges[w[0]].to, edges[w[1]].from);
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_zero_weight_cycle_is_feasible() {
        let edges = [e(0, 1, 2), e(1, 2, 0), e(2, 1, 0)];
        assert!(matches!(
            longest_paths(3, 0, &edges),
            Longest::Feasible { ref dist, .. } if dist == &vec![0, 2, 2]
        ));
    }
}

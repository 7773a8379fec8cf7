//! The Hungarian assignment that matches framework points, against brute force: the total
//! weight of the pairs it returns is the largest any one-to-one pairing reaches.

use concord_sequence::versions::assignment;
use proptest::prelude::*;

/// The best total weight over every one-to-one pairing of rows to columns (or none).
fn best(weights: &[Vec<f64>], row: usize, used: &mut Vec<bool>) -> f64 {
    if row == weights.len() {
        return 0.0;
    }
    let mut top = best(weights, row + 1, used);
    for j in 0..used.len() {
        if !used[j] {
            used[j] = true;
            top = top.max(weights[row][j] + best(weights, row + 1, used));
            used[j] = false;
        }
    }
    top
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn assignment_is_a_maximum_weight_matching(
        (rows, cols, cells) in (0usize..=5, 0usize..=5)
            .prop_flat_map(|(r, c)| (Just(r), Just(c), prop::collection::vec(0u8..=10, r * c)))
    ) {
        // Coarse weights, many of them zero (below the threshold) and many tied.
        let weights: Vec<Vec<f64>> = (0..rows)
            .map(|i| (0..cols).map(|j| f64::from(cells[i * cols + j].saturating_sub(4)) / 6.0).collect())
            .collect();
        let pairs = assignment(&weights);
        let mut rows_seen = vec![false; rows];
        let mut cols_seen = vec![false; cols];
        for &(i, j) in &pairs {
            prop_assert!(!rows_seen[i] && !cols_seen[j]);
            rows_seen[i] = true;
            cols_seen[j] = true;
            prop_assert!(weights[i][j] > 0.0);
        }
        let total: f64 = pairs.iter().map(|&(i, j)| weights[i][j]).sum();
        let expected = best(&weights, 0, &mut vec![false; cols]);
        prop_assert!((total - expected).abs() < 1e-9, "{} vs {}", total, expected);
    }
}

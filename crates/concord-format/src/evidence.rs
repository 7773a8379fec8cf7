//! Reading `[[claims]]` and `[[commitments]]` from a scenario file (being written).

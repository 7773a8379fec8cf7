//! Reading `[[steps]]`, `[[demands]]` and `[[versions]]` from a scenario file (being written).

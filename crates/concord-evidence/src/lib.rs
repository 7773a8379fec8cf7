//! Claims register, evidence extraction and the commitments ledger (being written).

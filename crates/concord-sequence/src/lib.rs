//! Sequencing of joint steps and versions of the framework document (being written).

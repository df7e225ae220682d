//! De-identified community insights (being written).

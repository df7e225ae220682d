//! End-to-end tests: each starts the real server on a free port and speaks HTTP to it,
//! once on SQLite and once on PostgreSQL.

mod helpers;
mod journey;

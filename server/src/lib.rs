//! Kindred's server: HTTP API, authentication, storage, realtime and mail (the `kindred`
//! command line is the `kindred-cli` crate).
//!
//! Start at [`startup::Application`]; see ARCHITECTURE.md for the map.

pub mod api;
pub mod auth;
pub mod config;
pub mod domain;
pub mod error;
pub mod events;
pub mod fence;
pub mod http;
pub mod indexer;
pub mod language;
pub mod mail;
pub mod metrics;
pub mod page_cache;
pub mod pages;
pub mod plain_words;
pub mod rate_limit;
pub mod realtime;
pub mod screening;
pub mod seed;
pub mod service;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod upgrade;

pub use error::Error;

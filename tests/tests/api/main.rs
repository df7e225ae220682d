//! End-to-end tests: each starts the real server on a free port and speaks HTTP to it,
//! once on SQLite and once on PostgreSQL.

mod bad_input;
mod browser;
mod browser_care;
mod care;
mod care_pages;
mod compression;
mod csrf;
mod email_change;
mod error_bodies;
mod hardening;
mod helpers;
mod insights;
mod journey;
mod mail;
mod mail_preferences;
mod member_data;
mod metrics;
mod moderation;
mod notifications;
mod openapi;
mod pages;
mod pagination;
mod permalink;
mod posting;
mod privacy;
mod proxy;
mod realtime;
mod reliability;
mod search;
mod tokens;
mod xss;

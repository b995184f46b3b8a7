//! The server's HTTP API, end to end over a real socket, on SQLite by default or on the
//! PostgreSQL server named by `MANAGER_TEST_DATABASE` (the test command runs both).

mod automation;
mod email;
mod hardening;
mod isolation;
mod languages;
mod live;
mod login_throttling;
mod pages;
mod persistence;
mod relay;
mod scale;
mod session;
mod support;
mod transfers;
mod webhooks;

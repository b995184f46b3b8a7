//! The live transfers stream (server-sent events, see `app::transfers::live`): an
//! Administrator's pages hear of each change to their Organization's transfers, made by
//! whoever on whichever server process, and read them again. The stream says which
//! transfer changed and nothing more; what changed is read through the server functions.

use std::convert::Infallible;
use std::time::Duration;

use app::backend::session_user;
use app::error::{AppError, InputProblem};
use app::transfers::live::CHANGE_EVENT;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::{stream, Stream, StreamExt};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;
use transfer_rules::{OrganizationId, UserId};

use super::AppState;
use crate::store::Change;

/// How soon a browser asks again after losing the stream (a server restarting).
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

#[derive(serde::Deserialize)]
pub struct Watched {
    organization: String,
}

pub async fn transfer_changes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(watched): Query<Watched>,
) -> Response {
    match Watcher::open(state, &headers, &watched.organization).await {
        Ok(watcher) => {
            let mut response = Sse::new(watcher.events())
                .keep_alive(KeepAlive::default())
                .into_response();
            // A reverse proxy (nginx) holding the events back would delay every change.
            response
                .headers_mut()
                .insert("x-accel-buffering", HeaderValue::from_static("no"));
            response
        }
        Err(error) => {
            let status =
                StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Json(error)).into_response()
        }
    }
}

struct Watcher {
    state: AppState,
    /// Kept to see that the session is still alive at each change; never logged.
    session: String,
    user: UserId,
    organization: OrganizationId,
    changes: broadcast::Receiver<Change>,
    stopping: watch::Receiver<bool>,
}

/// What the stream says next: which transfer changed, if it knows.
type Said = Option<String>;

impl Watcher {
    /// Checks the caller as every server function does: a live session, and the right to
    /// follow this Organization's transfers.
    async fn open(
        state: AppState,
        headers: &HeaderMap,
        organization: &str,
    ) -> Result<Watcher, AppError> {
        let (session, user) = session_user(state.backend.as_ref(), headers).await?;
        let organization = OrganizationId::parse(organization)
            .map_err(|_| AppError::Invalid(InputProblem::Identifier))?;
        state
            .services
            .may_follow_transfers(&user, &organization)
            .await?;
        let changes = state.store.watch_changes().await?;
        Ok(Watcher {
            stopping: state.stopping.subscribe(),
            state,
            session,
            user,
            organization,
            changes,
        })
    }

    /// Whether the caller may still hear: logged out, or no longer an Administrator of the
    /// Organization, and the stream ends.
    async fn still_allowed(&self) -> bool {
        matches!(self.state.backend.authenticate(&self.session).await, Ok(Some(user)) if user == self.user)
            && (self.state.services)
                .may_follow_transfers(&self.user, &self.organization)
                .await
                .is_ok()
    }

    /// The next change of this Organization's, or `None` when the stream should end.
    async fn next(&mut self) -> Option<Said> {
        loop {
            let received = tokio::select! {
                received = self.changes.recv() => received,
                _ = self.stopping.wait_for(|stopping| *stopping) => return None,
            };
            let change = match received {
                Ok(change) => change,
                Err(RecvError::Lagged(_)) => Change::Missed,
                Err(RecvError::Closed) => return None,
            };
            if !change.concerns(&self.organization) {
                continue;
            }
            if !self.still_allowed().await {
                return None;
            }
            return Some(match change {
                Change::Transfer { transfer, .. } => Some(transfer),
                Change::Missed => None,
            });
        }
    }

    fn events(self) -> impl Stream<Item = Result<Event, Infallible>> {
        // A first event tells the browser how soon to come back, and that it is heard.
        let opened = Event::default().retry(RECONNECT_AFTER).comment("following");
        stream::once(async { Ok(opened) }).chain(stream::unfold(self, |mut watcher| async {
            let said = watcher.next().await?;
            let data = serde_json::json!({ "transfer": said }).to_string();
            Some((Ok(Event::default().event(CHANGE_EVENT).data(data)), watcher))
        }))
    }
}

//! Keeps the sidebar badge, the transfers list and an open transfer current with changes
//! made anywhere (another user, another server process, the expiry job): the server
//! streams the current Organization's transfer changes as server-sent events, and each
//! one makes them read again. Where the stream cannot open, they are read again every
//! little while instead, and the stream is tried anew.

/// The stream of one Organization's transfer changes: `?organization=<id>`.
pub const LIVE_TRANSFERS_PATH: &str = "/api/live/transfers";

/// The event the stream sends for each change.
pub const CHANGE_EVENT: &str = "transfer-change";

#[cfg(feature = "hydrate")]
pub use browser::follow_transfer_changes;

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::EventSource;

    use super::{CHANGE_EVENT, LIVE_TRANSFERS_PATH};
    use crate::shell::CurrentOrganization;
    use crate::transfers::TransfersChanged;

    /// While the stream cannot open: how often the pages are read again.
    const FALLBACK_REFRESH: Duration = Duration::from_secs(10);

    /// Follows the current Organization's changes, from one Organization to the next.
    pub fn follow_transfer_changes(current: CurrentOrganization, changed: TransfersChanged) {
        Effect::new(move |previous: Option<Option<Watch>>| {
            drop(previous);
            current.get().map(|organization| {
                let url = format!(
                    "{LIVE_TRANSFERS_PATH}?organization={}",
                    crate::shell::encode_component(organization.as_str())
                );
                Watch::open(url, changed)
            })
        });
    }

    type Listener = Closure<dyn FnMut(web_sys::Event)>;

    /// One Organization's stream, closed when dropped.
    struct Watch(Rc<Stream>);

    struct Stream {
        url: String,
        changed: TransfersChanged,
        source: RefCell<Option<EventSource>>,
        /// The stream was lost: once it is back, what happened meanwhile is read again.
        interrupted: Cell<bool>,
        retry: Cell<Option<TimeoutHandle>>,
        listeners: RefCell<Vec<Listener>>,
    }

    impl Watch {
        fn open(url: String, changed: TransfersChanged) -> Watch {
            let stream = Rc::new(Stream {
                url,
                changed,
                source: RefCell::new(None),
                interrupted: Cell::new(false),
                retry: Cell::new(None),
                listeners: RefCell::new(Vec::new()),
            });
            Stream::connect(&stream);
            Watch(stream)
        }
    }

    impl Drop for Watch {
        fn drop(&mut self) {
            self.0.close();
            if let Some(retry) = self.0.retry.take() {
                retry.clear();
            }
            // The listeners hold the stream: letting them go ends the cycle.
            self.0.listeners.borrow_mut().clear();
        }
    }

    impl Stream {
        fn connect(this: &Rc<Stream>) {
            let Ok(source) = EventSource::new(&this.url) else {
                Stream::fall_back(this);
                return;
            };
            let on_change = {
                let stream = Rc::clone(this);
                Listener::new(move |_: web_sys::Event| stream.changed.notify())
            };
            let on_open = {
                let stream = Rc::clone(this);
                Listener::new(move |_: web_sys::Event| {
                    if stream.interrupted.replace(false) {
                        stream.changed.notify();
                    }
                })
            };
            let on_error = {
                let stream = Rc::clone(this);
                Listener::new(move |_: web_sys::Event| {
                    stream.interrupted.set(true);
                    // CONNECTING: the browser tries again by itself (a server restarting).
                    // CLOSED: it gave up (the server refused), so refresh on a timer.
                    let closed = (stream.source.borrow().as_ref())
                        .is_some_and(|source| source.ready_state() == EventSource::CLOSED);
                    if closed {
                        Stream::fall_back(&stream);
                    }
                })
            };
            for (event, listener) in [
                (CHANGE_EVENT, &on_change),
                ("open", &on_open),
                ("error", &on_error),
            ] {
                let _ = source
                    .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            }
            this.listeners
                .borrow_mut()
                .extend([on_change, on_open, on_error]);
            *this.source.borrow_mut() = Some(source);
        }

        fn close(&self) {
            if let Some(source) = self.source.borrow_mut().take() {
                source.close();
            }
        }

        /// Reads the pages again after a while, then tries the stream anew.
        fn fall_back(this: &Rc<Stream>) {
            this.close();
            let stream = Rc::clone(this);
            let retry = set_timeout_with_handle(
                move || {
                    stream.changed.notify();
                    stream.listeners.borrow_mut().clear();
                    Stream::connect(&stream);
                },
                FALLBACK_REFRESH,
            );
            this.retry.set(retry.ok());
        }
    }
}

//! The WAI-ARIA menu button: a button opening a short list of actions that keyboard and
//! screen-reader users drive the way they drive any other menu. Enter, Space or the arrows
//! open it on an item; the arrows, Home and End move between items; Escape closes it and
//! gives focus back to the button; Tab or a click elsewhere closes it.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
enum Target {
    First,
    Last,
    Next,
    Previous,
}

/// `children` are the menu's items: elements with a `menuitem`, `menuitemradio` or
/// `menuitemcheckbox` role and `tabindex="-1"` (the menu moves focus itself).
#[component]
pub fn MenuButton(
    /// The menu's id; the button's is the same followed by `-button`.
    id: &'static str,
    /// The class of the element holding the button and its menu.
    class: &'static str,
    /// What the button shows; it names the menu.
    #[prop(into)]
    label: ViewFn,
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let holder = NodeRef::<html::Div>::new();
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Div>::new();
    let button_id = format!("{id}-button");

    let focus_item = move |target: Target| {
        if let Some(menu) = menu.get_untracked() {
            move_focus(&menu, target);
        }
    };
    let open_on = move |target: Target| {
        open.set(true);
        // The menu is shown on the next frame; focus can only go to a visible item.
        request_animation_frame(move || focus_item(target));
    };
    let close = move |give_focus_back: bool| {
        open.set(false);
        if give_focus_back {
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };

    let on_button_key = move |event: ev::KeyboardEvent| {
        let target = match event.key().as_str() {
            "ArrowDown" => Target::First,
            "ArrowUp" => Target::Last,
            _ => return,
        };
        event.prevent_default();
        open_on(target);
    };
    // Enter and Space click the button; such a click has no pointer position (`detail`
    // is 0), and the pattern then puts focus on the first item.
    let on_button_click = move |event: ev::MouseEvent| {
        if open.get_untracked() {
            close(false);
        } else if event.detail() == 0 {
            open_on(Target::First);
        } else {
            open.set(true);
        }
    };
    let on_menu_key = move |event: ev::KeyboardEvent| {
        let target = match event.key().as_str() {
            "ArrowDown" => Target::Next,
            "ArrowUp" => Target::Previous,
            "Home" => Target::First,
            "End" => Target::Last,
            "Escape" => {
                event.prevent_default();
                close(true);
                return;
            }
            "Tab" => {
                close(false);
                return;
            }
            _ => return,
        };
        event.prevent_default();
        focus_item(target);
    };
    let on_menu_click = move |event: ev::MouseEvent| {
        let on_item = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("[role^='menuitem']").ok().flatten())
            .is_some();
        if on_item {
            close(true);
        }
    };

    let outside = window_event_listener(ev::pointerdown, move |event| {
        if !open.get_untracked() {
            return;
        }
        let target = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok());
        let inside = holder
            .get_untracked()
            .is_some_and(|holder| holder.contains(target.as_ref()));
        if !inside {
            close(false);
        }
    });
    on_cleanup(move || outside.remove());

    view! {
        <div class=class node_ref=holder>
            <button
                type="button"
                class="menu-button"
                id=button_id.clone()
                node_ref=button
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-controls=id
                on:keydown=on_button_key
                on:click=on_button_click
            >
                {label.run()}
            </button>
            <div
                id=id
                class="menu"
                role="menu"
                aria-labelledby=button_id
                node_ref=menu
                hidden=move || !open.get()
                on:keydown=on_menu_key
                on:click=on_menu_click
            >
                {children()}
            </div>
        </div>
    }
}

fn move_focus(menu: &web_sys::Element, target: Target) {
    let Ok(found) = menu.query_selector_all("[role^='menuitem']") else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|index| found.item(index)?.dyn_into().ok())
        .collect();
    let count = items.len();
    if count == 0 {
        return;
    }
    let active = document().active_element();
    let current = items
        .iter()
        .position(|item| active.as_ref() == Some(item.unchecked_ref::<web_sys::Element>()));
    let index = match (target, current) {
        (Target::First, _) | (Target::Next, None) => 0,
        (Target::Last, _) | (Target::Previous, None) => count - 1,
        (Target::Next, Some(current)) => (current + 1) % count,
        (Target::Previous, Some(current)) => (current + count - 1) % count,
    };
    let _ = items[index].focus();
}

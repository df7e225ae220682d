//! `/me/saved`: the posts a member saved to read again.

use maud::html;

use crate::layout::{page, person, time};
use crate::model::{Chrome, SavedPage};

pub fn saved(chrome: &Chrome, view: &SavedPage) -> String {
    let body = html! {
        h1 { "Saved posts" }
        @if view.items.is_empty() {
            p.muted { "Nothing saved yet. Under any post, \u{201c}Save for later\u{201d} keeps it here for you; nobody else sees what you save." }
        } @else {
            ol.notifications {
                @for item in &view.items {
                    li.notification {
                        p {
                            a href={ "/p/" (item.post_id) } { (item.thread_title) }
                            " in " (item.community_name)
                        }
                        @if !item.excerpt.is_empty() { blockquote.excerpt { (item.excerpt) } }
                        p.meta { "By " (person(item.author.as_ref())) " · saved " (time(chrome, &item.saved_at)) }
                    }
                }
            }
        }
    };
    page(chrome, "Saved posts", body)
}

//! `/me/saved`: the posts a member saved to read again.

use maud::html;

use crate::layout::{page, person_in, time};
use crate::model::{Chrome, SavedPage};

pub fn saved(chrome: &Chrome, view: &SavedPage) -> String {
    let body = html! {
        h1 { (chrome.t("saved-title")) }
        @if view.items.is_empty() {
            p.muted { (chrome.t("saved-none")) }
        } @else {
            ol.notifications {
                @for item in &view.items {
                    li.notification {
                        p {
                            a href={ "/p/" (item.post_id) } { (item.thread_title) }
                            " " (chrome.t("thread-in")) " " (item.community_name)
                        }
                        @if !item.excerpt.is_empty() { blockquote.excerpt { (item.excerpt) } }
                        p.meta { (chrome.t("saved-by")) " " (person_in(chrome.lang, item.author.as_ref())) " · " (chrome.t("saved-when")) " " (time(chrome, &item.saved_at)) }
                    }
                }
            }
        }
    };
    page(chrome, &chrome.t("saved-title"), body)
}

//! What a page in one language says about the language of a record's text:
//! whether it is translated, by whom (officially or not), whether the
//! translation is out of date, and which parts are still in the default
//! language, so that templates put `lang` on those parts (screen readers
//! switch voice) and show the right notice.

use crate::model::TextState;
use serde_json::{json, Value};

/// The `text` view of a record on a page in `page_lang`; `default` is the
/// site's default language, the language of the records' own text.
///
/// `state` is `original`, `translated` or `missing`; `title_lang` and
/// `body_lang` are the language tag of the title and of the body when it
/// differs from the page's (else null).
pub fn text_view(state: TextState, default: &str) -> Value {
    let other = |translated: bool| (!translated).then_some(default);
    match state {
        TextState::Original => json!({
            "state": "original",
            "title_lang": null,
            "body_lang": null,
        }),
        TextState::Missing => json!({
            "state": "missing",
            "title_lang": default,
            "body_lang": default,
        }),
        TextState::Translated {
            unofficial,
            outdated,
            title,
            body,
        } => json!({
            "state": "translated",
            "unofficial": unofficial,
            "outdated": outdated,
            "title_lang": other(title),
            "body_lang": other(body),
        }),
    }
}

/// A language's name in itself, from its strings' `language_name` (its
/// tag when the strings do not give one).
pub fn name_in_itself(strings: &Value, tag: &str) -> String {
    let name = super::say::text(strings, "language_name");
    if name == "language_name" {
        tag.to_string()
    } else {
        name
    }
}

/// The language of a record's title when it is not the page's, for a link.
pub fn title_lang(state: TextState, default: &str) -> Option<&str> {
    match state {
        TextState::Original => None,
        TextState::Missing => Some(default),
        TextState::Translated { title, .. } => (!title).then_some(default),
    }
}

/// The languages of a source's title and quote on a page, when they are
/// not the page's: `own` is the default language on a page in another
/// language (`None` on the default language's pages). Sources are facts,
/// never translated: a web page's or document's title and every quote are
/// as the record gives them, in `own`; a record's title is that record's,
/// translated or not.
pub fn source_langs<'d>(
    graph: &crate::graph::Graph,
    r: &super::sources::Resolved,
    own: Option<&'d str>,
) -> (Option<&'d str>, Option<&'d str>) {
    use super::sources::Place;
    use crate::urls::Target;
    let title = match r.place {
        Place::Record(Target::Entity(k, id)) => match (graph.get(k, id), own) {
            (Some(i), Some(default)) => title_lang(graph.entities[i].meta.text, default),
            _ => own,
        },
        _ => own,
    };
    (title, own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untranslated_parts_carry_the_default_language() {
        let v = text_view(TextState::Missing, "en");
        assert_eq!(v["state"], "missing");
        assert_eq!(v["title_lang"], "en");
        assert_eq!(v["body_lang"], "en");
        let v = text_view(
            TextState::Translated {
                unofficial: true,
                outdated: false,
                title: true,
                body: false,
            },
            "en",
        );
        assert_eq!(v["state"], "translated");
        assert_eq!(v["unofficial"], true);
        assert_eq!(v["title_lang"], Value::Null);
        assert_eq!(v["body_lang"], "en");
        assert_eq!(
            text_view(TextState::Original, "en")["title_lang"],
            Value::Null
        );
        assert_eq!(title_lang(TextState::Missing, "en"), Some("en"));
        assert_eq!(title_lang(TextState::Original, "en"), None);
    }
}

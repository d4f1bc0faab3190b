//! Turning a structured record (a JSON object, a CSV row) into a [`Record`].
use serde_json::{Map, Value};

use super::InputOptions;
use super::limit::elide;
use crate::record::{Origin, Record};

/// Builds a record from an object's fields. Errors say what is wrong with the text field.
pub fn record_from_fields(
    mut fields: Map<String, Value>,
    options: &InputOptions,
    fallback_id: String,
    origin: Origin,
    text_limit: usize,
) -> Result<Record, String> {
    match fields.get(&options.text_field) {
        Some(Value::String(_)) => {}
        Some(Value::Null) | None => return Err(format!("no {:?} field (set --text-field)", options.text_field)),
        Some(other) => return Err(format!("field {:?} is {}, not a string", options.text_field, kind(other))),
    }
    let id = fields.get(&options.id_field).and_then(scalar).filter(|id| !id.is_empty()).unwrap_or(fallback_id);
    let title = fields.get(&options.title_field).and_then(scalar).filter(|t| !t.trim().is_empty());
    let source = match &options.source_field {
        Some(name) => fields.get(name).and_then(scalar),
        None => ["url", "source"].iter().find_map(|name| fields.get(*name).and_then(scalar)),
    }
    .map(|s| host_of(&s).unwrap_or(s))
    .unwrap_or_default();
    // The text moves out of the fields (`clean` writes the cleaned text in its place), and
    // only its first `text_limit` bytes are kept.
    let mut text = match fields.get_mut(&options.text_field) {
        Some(Value::String(text)) => std::mem::take(text),
        _ => String::new(),
    };
    let elided = elide(&mut text, text_limit);
    Ok(Record { id, source, title, text, elided, fields: Some(fields), origin })
}

/// The host of a URL (`https://www.example.com/a` gives `www.example.com`), lowercased.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') { host.split(']').next().map(|h| &h[1..])? } else { host.split(':').next()? };
    (!host.is_empty()).then(|| host.to_lowercase())
}

/// A field's value as text: strings as they are, numbers and booleans written out; `None`
/// for null, arrays and objects.
pub fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(host_of("https://www.Example.com/news/a?x=1").as_deref(), Some("www.example.com"));
        assert_eq!(host_of("http://user@site.org:8080").as_deref(), Some("site.org"));
        assert_eq!(host_of("Reuters"), None);
    }
}

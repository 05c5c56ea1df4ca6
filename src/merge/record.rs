//! Merge data: a [`Record`] maps field names to typed [`Value`]s; a list of records fills a
//! repeating region. Invoices become records through the catalogue; batch scripts build them
//! from JSON.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::error::MergeError;

/// A typed value of a merge field. Numbers and dates stay numbers and dates, so `\#` and `\@`
/// pictures act on them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// No value: merges as blank.
    Null,
    /// Text.
    Text(String),
    /// An exact number.
    Number(Decimal),
    /// A date.
    Date(NaiveDate),
    /// A date and time.
    DateTime(NaiveDateTime),
    /// A yes/no value, merged as `true` or `false` (`\#` pictures read it as 1 or 0).
    Bool(bool),
    /// The items of a repeating region.
    List(Vec<Record>),
}

impl Value {
    /// Whether the value merges as blank (null, empty text, an empty list).
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(t) => t.is_empty(),
            Value::List(l) => l.is_empty(),
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<Decimal> for Value {
    fn from(d: Decimal) -> Value {
        Value::Number(d)
    }
}

impl From<NaiveDate> for Value {
    fn from(d: NaiveDate) -> Value {
        Value::Date(d)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// One record of merge data: field names (matched without regard to case, as Word does) and
/// their values, in insertion order.
///
/// ```
/// use factuur::merge::{Record, Value};
/// let mut r = Record::new();
/// r.insert("Name", "De Vries");
/// assert_eq!(r.get("NAME"), Some(&Value::Text("De Vries".into())));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    entries: Vec<(String, Value)>,
    /// The upper-case name of each entry (the index's key), in entry order.
    uppers: Vec<String>,
    index: HashMap<String, usize>,
}

impl Record {
    /// An empty record.
    pub fn new() -> Record {
        Record::default()
    }

    /// Sets `name` to `value`, replacing an earlier value of the same name.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        let name = name.into();
        let key = name.to_uppercase();
        let value = value.into();
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1 = value,
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.uppers.push(key);
                self.entries.push((name, value));
            }
        }
    }

    /// The value of `name`, matched without regard to case.
    pub fn get(&self, name: &str) -> Option<&Value> {
        if let Some(&i) = self.index.get(name) {
            return Some(&self.entries[i].1);
        }
        self.index
            .get(&name.to_uppercase())
            .map(|&i| &self.entries[i].1)
    }

    /// The value of a name already in upper case (the fast path of rendering).
    pub(crate) fn get_upper(&self, upper: &str) -> Option<&Value> {
        self.index.get(upper).map(|&i| &self.entries[i].1)
    }

    /// Like [`Record::get_upper`], trying entry `hint` first and setting it to where the name
    /// was found: records of one list share their layout, so a field's last position usually
    /// holds.
    pub(crate) fn get_upper_hinted(&self, upper: &str, hint: &mut u32) -> Option<&Value> {
        let at = *hint as usize;
        if self.uppers.get(at).is_some_and(|k| k == upper) {
            return Some(&self.entries[at].1);
        }
        let i = *self.index.get(upper)?;
        *hint = u32::try_from(i).unwrap_or(u32::MAX);
        Some(&self.entries[i].1)
    }

    /// The entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Reads a record from a JSON object: strings, numbers (exact), booleans and null become
    /// values; an array of objects becomes a list for a region; a nested object contributes its
    /// fields as `outer.inner`. Strings stay text (a `\@` or `\#` picture still reads dates and
    /// numbers out of them).
    ///
    /// ```
    /// let r = factuur::merge::Record::from_json(br#"{"Name": "X", "Lines": [{"Qty": 2}]}"#).unwrap();
    /// assert_eq!(r.len(), 2);
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Record, MergeError> {
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
            MergeError::Data(format!("line {} column {}: {e}", e.line(), e.column()))
        })?;
        Record::from_json_value(&value)
    }

    /// Like [`Record::from_json`], from a parsed JSON value.
    pub fn from_json_value(value: &serde_json::Value) -> Result<Record, MergeError> {
        let serde_json::Value::Object(map) = value else {
            return Err(MergeError::Data(
                "the merge data must be a JSON object of field names and values".into(),
            ));
        };
        let mut record = Record::new();
        fill(&mut record, "", map, "$", 0)?;
        Ok(record)
    }
}

fn fill(
    record: &mut Record,
    prefix: &str,
    map: &serde_json::Map<String, serde_json::Value>,
    path: &str,
    depth: usize,
) -> Result<(), MergeError> {
    if depth > 32 {
        return Err(MergeError::Data(format!(
            "{path}: nested deeper than 32 levels"
        )));
    }
    for (key, value) in map {
        let name = format!("{prefix}{key}");
        let here = format!("{path}.{key}");
        let v = match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::String(s) => Value::Text(s.clone()),
            serde_json::Value::Number(n) => {
                let s = n.to_string();
                match s
                    .parse::<Decimal>()
                    .or_else(|_| Decimal::from_scientific(&s))
                {
                    Ok(d) => Value::Number(d),
                    Err(_) => Value::Text(s),
                }
            }
            serde_json::Value::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let serde_json::Value::Object(m) = item else {
                        return Err(MergeError::Data(format!(
                            "{here}[{i}]: a list holds objects, one per item of the region {key}"
                        )));
                    };
                    let mut r = Record::new();
                    fill(&mut r, "", m, &format!("{here}[{i}]"), depth + 1)?;
                    list.push(r);
                }
                Value::List(list)
            }
            serde_json::Value::Object(m) => {
                fill(record, &format!("{name}."), m, &here, depth + 1)?;
                continue;
            }
        };
        record.insert(name, v);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_records() {
        let r = Record::from_json(
            br#"{"a": 1.10, "b": "x", "c": null, "d": true, "e": {"f": 2},
                "g": [{"h": 1}, {"h": 2}], "big": 1e40}"#,
        )
        .unwrap();
        assert_eq!(r.get("A"), Some(&Value::Number("1.10".parse().unwrap())));
        assert_eq!(r.get("e.f"), Some(&Value::Number(2.into())));
        let Some(Value::List(g)) = r.get("g") else {
            panic!()
        };
        assert_eq!(g.len(), 2);
        assert!(matches!(r.get("big"), Some(Value::Text(_))));
        assert!(r.get("c").unwrap().is_blank());
        assert!(Record::from_json(b"[1]").is_err());
        let err = Record::from_json(br#"{"l": [1]}"#).unwrap_err();
        assert!(err.to_string().contains("$.l[0]"), "{err}");
        assert!(
            Record::from_json(b"{")
                .unwrap_err()
                .to_string()
                .contains("line 1")
        );
    }
}

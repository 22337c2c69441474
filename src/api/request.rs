//! A request descriptor: what to send, without the host or the access token.

use alloc::string::String;
use alloc::vec::Vec;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::paths::{Endpoint, Method};

/// `{ method, path, query, body }`: `body` is the exact JSON text to POST (None for GET and for
/// multipart uploads, whose body the I/O layer assembles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub endpoint: Endpoint,
    pub method: Method,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl Request {
    pub fn new(endpoint: Endpoint) -> Self {
        Request {
            endpoint,
            method: endpoint.method(),
            path: endpoint.path().into(),
            query: Vec::new(),
            body: None,
        }
    }

    pub fn with_query(mut self, name: &'static str, value: String) -> Self {
        self.query.push((name, value));
        self
    }

    pub fn with_body(mut self, body: String) -> Self {
        self.body = Some(body);
        self
    }

    /// The descriptor as JSON: `{"method":..,"path":..,"query":{..},"body":".."|null}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Wire(self)).unwrap_or_default()
    }
}

struct Wire<'a>(&'a Request);
struct Query<'a>(&'a [(&'static str, String)]);

impl Serialize for Query<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Serialize for Wire<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("method", r.method.as_str())?;
        map.serialize_entry("path", &r.path)?;
        map.serialize_entry("query", &Query(&r.query))?;
        map.serialize_entry("body", &r.body)?;
        map.end()
    }
}

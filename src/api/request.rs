//! A request descriptor: what to send, without the host or the access token.

use super::json::{self, Obj};
use super::paths::{Endpoint, Method};
use alloc::string::String;
use alloc::vec::Vec;

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
        let mut query = Obj::new();
        for (k, v) in &self.query {
            query = query.str(k, v);
        }
        let body = match &self.body {
            Some(b) => json::string(b),
            None => String::from("null"),
        };
        Obj::new()
            .str("method", self.method.as_str())
            .str("path", &self.path)
            .raw("query", &query.finish())
            .raw("body", &body)
            .finish()
    }
}

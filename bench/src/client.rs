//! The benchmarks' HTTP client: JSON requests to a `kindred serve` on this machine,
//! through `reqwest` (plain HTTP on loopback, so no TLS).

use reqwest::Method;
use serde_json::{json, Value};

use kindred_server::error::Error;
use kindred_server::seed::DEMO_PASSWORD;

/// The API of the node listening on `127.0.0.1:<port>`. Cheap to clone: clones share one
/// client.
#[derive(Clone)]
pub(crate) struct LocalApi {
    client: reqwest::Client,
    base: String,
}

impl LocalApi {
    /// Every request opens its own connection (no idle connections are kept), as the
    /// benchmarks have always measured: a reply's latency includes its connect.
    pub(crate) fn new(port: u16) -> Result<LocalApi, Error> {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| Error::failed("cannot build the HTTP client", e))?;
        Ok(LocalApi {
            client,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    /// One request; the status and the JSON body (`Null` when the body is not JSON).
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<&Value>,
    ) -> Result<(u16, Value), Error> {
        let failed = |e: reqwest::Error| Error::failed(format!("HTTP {method} {path}"), e);
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(failed)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(failed)?;
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    /// Signs in as a demo member; the access token.
    pub(crate) async fn login(&self, username: &str) -> Result<String, Error> {
        let body = json!({"username": username, "password": DEMO_PASSWORD});
        match self
            .send(Method::POST, "/api/v1/auth/login", None, Some(&body))
            .await?
        {
            (200, json) => json["access_token"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| Error::Internal("login answered without an access token".into())),
            (status, json) => Err(Error::Internal(format!(
                "login as {username}: {status} {json}"
            ))),
        }
    }
}

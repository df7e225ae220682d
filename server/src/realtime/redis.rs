//! Redis pub/sub as a wake-up path between nodes. After its tail delivers events that
//! this node committed, a node publishes `"{node}:{last event id}"` on the channel;
//! the other nodes wake their tails, which read the new events from the database.
//!
//! Nothing is delivered *from* Redis: a lost message only delays delivery until the
//! next poll of the database, and a node whose Redis connection drops keeps polling at
//! the fast interval while it reconnects with backoff: the tail is told the moment the
//! subscription drops, not at its next (slow) safety poll.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{watch, Notify};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(2);
const PING_EVERY: Duration = Duration::from_secs(10);
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

pub struct RedisLink {
    client: redis::Client,
    channel: String,
    /// Random per process, so a node ignores its own announcements.
    node: u64,
    /// Whether the subscription is up; the tail watches it to change its poll at once.
    connected: watch::Sender<bool>,
    announced: watch::Sender<i64>,
    pub published: AtomicU64,
    pub wakeups: AtomicU64,
}

impl RedisLink {
    pub fn new(url: &str, channel: &str) -> Result<RedisLink, crate::Error> {
        let client = redis::Client::open(url)
            .map_err(|e| crate::Error::Config(format!("REDIS_URL: {e}")))?;
        Ok(RedisLink {
            client,
            channel: channel.to_owned(),
            node: rand::random(),
            connected: watch::Sender::new(false),
            announced: watch::Sender::new(0),
            published: AtomicU64::new(0),
            wakeups: AtomicU64::new(0),
        })
    }

    /// Whether the subscription is up (the tail polls less often while it is).
    pub fn is_connected(&self) -> bool {
        *self.connected.borrow()
    }

    /// Changes whenever the subscription goes down or comes back.
    pub fn connection_changes(&self) -> watch::Receiver<bool> {
        self.connected.subscribe()
    }

    /// Announces that events up to `last_id` are committed. Never waits: the publisher
    /// task sends the latest value when it can, and failures only delay the other nodes
    /// until their next database poll.
    pub fn announce(&self, last_id: i64) {
        self.announced.send_replace(last_id);
    }

    /// Publishes announcements until shutdown, reconnecting with backoff.
    pub async fn publish(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let mut announced = self.announced.subscribe();
        let mut connection: Option<redis::aio::MultiplexedConnection> = None;
        let mut backoff = FIRST_BACKOFF;
        loop {
            tokio::select! {
                changed = announced.changed() => if changed.is_err() { return },
                _ = shutdown.changed() => return,
            }
            let last_id = *announced.borrow_and_update();
            loop {
                if connection.is_none() {
                    connection = match tokio::time::timeout(
                        CONNECT_TIMEOUT,
                        self.client.get_multiplexed_async_connection(),
                    )
                    .await
                    {
                        Ok(Ok(connection)) => Some(connection),
                        Ok(Err(e)) => {
                            tracing::debug!(error = %e, "redis publish connection failed");
                            None
                        }
                        Err(_) => None,
                    };
                }
                if let Some(open) = connection.as_mut() {
                    let message = format!("{}:{last_id}", self.node);
                    let sent = tokio::time::timeout(
                        PUBLISH_TIMEOUT,
                        redis::cmd("PUBLISH")
                            .arg(&self.channel)
                            .arg(message)
                            .query_async::<i64>(open),
                    )
                    .await;
                    if matches!(sent, Ok(Ok(_))) {
                        self.published.fetch_add(1, Ordering::Relaxed);
                        backoff = FIRST_BACKOFF;
                        break;
                    }
                    connection = None;
                }
                // Only the newest announcement matters; wait, then send that.
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    _ = shutdown.changed() => return,
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                if announced.has_changed().unwrap_or(false) {
                    break;
                }
            }
        }
    }

    /// Listens on the channel until shutdown, waking `wake` for every other node's
    /// announcement; reconnects with exponential backoff.
    pub async fn listen(self: Arc<Self>, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        let mut backoff = FIRST_BACKOFF;
        let mut was_up = true;
        loop {
            match self.subscribe().await {
                Ok((mut sink, mut messages)) => {
                    self.connected.send_replace(true);
                    if !was_up {
                        tracing::info!("redis subscription restored");
                    }
                    was_up = true;
                    backoff = FIRST_BACKOFF;
                    // Whatever was announced while we were away is in the database.
                    wake.notify_one();
                    let mut ping = tokio::time::interval(PING_EVERY);
                    ping.tick().await;
                    loop {
                        tokio::select! {
                            message = messages.next() => match message {
                                Some(message) => self.on_message(&message, &wake),
                                None => break,
                            },
                            _ = ping.tick() => {
                                let pong = tokio::time::timeout(PUBLISH_TIMEOUT, sink.ping::<String>()).await;
                                if !matches!(pong, Ok(Ok(_))) {
                                    break;
                                }
                            }
                            _ = shutdown.changed() => return,
                        }
                    }
                    self.connected.send_replace(false);
                    tracing::warn!(
                        "redis subscription lost; polling the database until it is back"
                    );
                }
                Err(e) => {
                    if was_up {
                        tracing::warn!(error = %e, "cannot subscribe to redis; retrying with backoff");
                    }
                    was_up = false;
                }
            }
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                _ = shutdown.changed() => return,
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    async fn subscribe(
        &self,
    ) -> Result<(redis::aio::PubSubSink, redis::aio::PubSubStream), String> {
        let attempt = async {
            let mut pubsub = self.client.get_async_pubsub().await?;
            pubsub.subscribe(&self.channel).await?;
            Ok::<_, redis::RedisError>(pubsub.split())
        };
        match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
            Ok(Ok(pair)) => Ok(pair),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("timed out".into()),
        }
    }

    fn on_message(&self, message: &redis::Msg, wake: &Notify) {
        let Ok(text) = message.get_payload::<String>() else {
            return;
        };
        let node = text
            .split_once(':')
            .and_then(|(node, _)| node.parse::<u64>().ok());
        if node == Some(self.node) {
            return;
        }
        self.wakeups.fetch_add(1, Ordering::Relaxed);
        wake.notify_one();
    }
}

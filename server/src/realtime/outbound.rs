//! The write side of a connection: a bounded queue of frames and the response body that
//! drains it into the socket.
//!
//! Live events are queued without waiting ([`Outbound::try_send`]): when a client reads
//! too slowly the queue fills, and instead of buffering more (memory) or waiting (which
//! would hold up every other connection fed by the same hub), the connection is aborted:
//! the queued frames are dropped and a close frame with a reason takes their place.
//!
//! An event going to many connections is encoded once ([`encode_text`]) and queued as
//! [`Frame::Encoded`]: every queue holds a reference to the same bytes. The body hands
//! such a frame to the socket as it is when it is the only one waiting, and copies the
//! frames into one buffer (one write) when several are.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_http::ws::{OpCode, Parser};
use actix_web::web::{Bytes, BytesMut};
use actix_ws::{CloseCode, CloseReason};
use futures_util::Stream;
use tokio::sync::{mpsc, oneshot};

/// Bytes handed to the HTTP layer per poll; the rest waits in the bounded queue.
const CHUNK_BYTES: usize = 64 * 1024;

#[derive(Debug)]
pub enum Frame {
    Text(String),
    /// A complete text frame, encoded once for every connection it goes to.
    Encoded(Bytes),
    Ping,
    Pong(Bytes),
    Close(CloseReason),
}

/// A final, unmasked text frame (as a server sends it) carrying `text`.
pub fn encode_text(text: &str) -> Bytes {
    let mut frame = BytesMut::with_capacity(text.len() + 10);
    Parser::write_message(&mut frame, text, OpCode::Text, true, false);
    frame.freeze()
}

/// Why a queued write failed.
#[derive(Debug, PartialEq, Eq)]
pub enum SendError {
    /// The client is not keeping up.
    Full,
    /// The connection is gone.
    Closed,
}

/// Ends a connection at once, skipping whatever is still queued. Shared by the
/// connection's task and the hub; the first abort wins.
#[derive(Default)]
pub struct Closer {
    abort: Mutex<Option<oneshot::Sender<CloseReason>>>,
}

impl Closer {
    pub fn abort(&self, code: CloseCode, reason: &str) {
        let sender = self
            .abort
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(sender) = sender {
            let _ = sender.send(CloseReason {
                code,
                description: Some(reason.to_owned()),
            });
        }
    }
}

/// The connection task's handle on the write side.
pub struct Outbound {
    frames: mpsc::Sender<Frame>,
    pub closer: Arc<Closer>,
}

impl Outbound {
    /// A queue of `capacity` frames and the body stream that drains it.
    pub fn new(capacity: usize) -> (Outbound, OutboundBody) {
        let (frames, receiver) = mpsc::channel(capacity.max(1));
        let (abort, aborted) = oneshot::channel();
        let closer = Arc::new(Closer {
            abort: Mutex::new(Some(abort)),
        });
        (
            Outbound { frames, closer },
            OutboundBody {
                frames: receiver,
                aborted: Some(aborted),
                buffer: BytesMut::new(),
                alone: None,
                done: false,
            },
        )
    }

    /// Queues a frame without waiting.
    pub fn try_send(&self, frame: Frame) -> Result<(), SendError> {
        self.frames.try_send(frame).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => SendError::Full,
            mpsc::error::TrySendError::Closed(_) => SendError::Closed,
        })
    }

    /// Queues a frame, waiting up to `patience` for room (replays, which must not be
    /// dropped but may wait for a client that reads).
    pub async fn send_patiently(&self, frame: Frame, patience: Duration) -> Result<(), SendError> {
        match tokio::time::timeout(patience, self.frames.send(frame)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(SendError::Closed),
            Err(_) => Err(SendError::Full),
        }
    }

    /// Closes after the frames already queued; aborts if there is no room for the close
    /// frame.
    pub fn close(&self, code: CloseCode, reason: &str) {
        let frame = Frame::Close(CloseReason {
            code,
            description: Some(reason.to_owned()),
        });
        if self.try_send(frame) == Err(SendError::Full) {
            self.closer.abort(code, reason);
        }
    }
}

/// The websocket response body: encodes queued frames; after a close frame (queued or by
/// abort) it ends, and with it the connection.
pub struct OutboundBody {
    frames: mpsc::Receiver<Frame>,
    aborted: Option<oneshot::Receiver<CloseReason>>,
    buffer: BytesMut,
    /// An encoded frame received while `buffer` was empty: handed over without a copy
    /// if no other frame follows it in this poll.
    alone: Option<Bytes>,
    done: bool,
}

impl OutboundBody {
    fn encode(&mut self, frame: Frame) {
        if let Some(alone) = self.alone.take() {
            self.buffer.extend_from_slice(&alone);
        }
        match frame {
            Frame::Encoded(bytes) if self.buffer.is_empty() => self.alone = Some(bytes),
            Frame::Encoded(bytes) => self.buffer.extend_from_slice(&bytes),
            Frame::Text(text) => {
                Parser::write_message(&mut self.buffer, text, OpCode::Text, true, false);
            }
            Frame::Ping => Parser::write_message(&mut self.buffer, b"", OpCode::Ping, true, false),
            Frame::Pong(bytes) => {
                Parser::write_message(&mut self.buffer, bytes, OpCode::Pong, true, false);
            }
            Frame::Close(reason) => {
                Parser::write_close(&mut self.buffer, Some(reason), false);
                self.done = true;
            }
        }
    }
}

impl Stream for OutboundBody {
    type Item = Result<Bytes, actix_web::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if !this.done {
            if let Some(aborted) = this.aborted.as_mut() {
                match Pin::new(aborted).poll(cx) {
                    Poll::Ready(Ok(reason)) => {
                        this.aborted = None;
                        this.frames.close();
                        while this.frames.try_recv().is_ok() {}
                        this.encode(Frame::Close(reason));
                    }
                    Poll::Ready(Err(_)) => this.aborted = None,
                    Poll::Pending => {}
                }
            }
        }
        while !this.done && this.buffer.len() < CHUNK_BYTES {
            match this.frames.poll_recv(cx) {
                Poll::Ready(Some(frame)) => this.encode(frame),
                Poll::Ready(None) => this.done = true,
                Poll::Pending => break,
            }
        }
        if let Some(alone) = this.alone.take() {
            return Poll::Ready(Some(Ok(alone)));
        }
        if !this.buffer.is_empty() {
            return Poll::Ready(Some(Ok(this.buffer.split().freeze())));
        }
        if this.done {
            return Poll::Ready(None);
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[tokio::test]
    async fn abort_skips_the_queue() {
        let (outbound, mut body) = Outbound::new(2);
        assert_eq!(outbound.try_send(Frame::Text("one".into())), Ok(()));
        assert_eq!(outbound.try_send(Frame::Text("two".into())), Ok(()));
        assert_eq!(
            outbound.try_send(Frame::Text("three".into())),
            Err(SendError::Full)
        );
        outbound.closer.abort(CloseCode::Policy, "too slow");
        let bytes = body.next().await.expect("a chunk").expect("bytes");
        // Only the close frame: opcode 0x8 with FIN, code 1008, then the reason.
        assert_eq!(bytes[0], 0x88);
        assert_eq!(&bytes[2..4], &1008u16.to_be_bytes());
        assert_eq!(&bytes[4..], b"too slow");
        assert!(body.next().await.is_none());
        assert_eq!(
            outbound.try_send(Frame::Text("late".into())),
            Err(SendError::Closed)
        );
    }

    #[tokio::test]
    async fn close_follows_queued_frames() {
        let (outbound, mut body) = Outbound::new(4);
        assert_eq!(outbound.try_send(Frame::Text("hi".into())), Ok(()));
        outbound.close(CloseCode::Away, "bye");
        let bytes = body.next().await.expect("a chunk").expect("bytes");
        assert_eq!(&bytes[..4], &[0x81, 2, b'h', b'i']);
        assert_eq!(bytes[4], 0x88);
        assert!(body.next().await.is_none());
    }

    #[tokio::test]
    async fn an_encoded_frame_alone_is_written_without_a_copy() {
        let (outbound, mut body) = Outbound::new(4);
        let frame = encode_text("hello");
        assert_eq!(&frame[..], &[0x81, 5, b'h', b'e', b'l', b'l', b'o']);
        assert_eq!(outbound.try_send(Frame::Encoded(frame.clone())), Ok(()));
        let chunk = body.next().await.expect("a chunk").expect("bytes");
        assert_eq!(chunk.as_ptr(), frame.as_ptr(), "the shared buffer itself");
    }

    #[tokio::test]
    async fn frames_queued_together_go_out_in_one_chunk() {
        let (outbound, mut body) = Outbound::new(4);
        let shared = encode_text("a");
        assert_eq!(outbound.try_send(Frame::Encoded(shared.clone())), Ok(()));
        assert_eq!(outbound.try_send(Frame::Text("b".into())), Ok(()));
        assert_eq!(outbound.try_send(Frame::Encoded(shared)), Ok(()));
        let chunk = body.next().await.expect("a chunk").expect("bytes");
        assert_eq!(&chunk[..], &[0x81, 1, b'a', 0x81, 1, b'b', 0x81, 1, b'a']);
    }
}

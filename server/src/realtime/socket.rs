//! A websocket on the bare TCP socket, once the HTTP layer has handed it over
//! ([`crate::upgrade`]): the read side ([`Incoming`]) turns bytes into client messages
//! for the connection's task, and a small writer task drains the outbound queue into the
//! socket.
//!
//! Memory is why this exists. Served as a streaming response, a websocket kept
//! actix-http's HTTP/1 dispatcher alive, with its 8 KiB read and 8 KiB write buffers, for
//! as long as the connection lived. Here an idle connection holds no buffer at all: the
//! read buffer is allocated when the socket becomes readable and let go as soon as every
//! received frame has been parsed, so it lives only while a frame is partly received.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_codec::Decoder;
use actix_http::ws::{Codec, Frame, Item, ProtocolError};
use actix_web::web::{self, Bytes, BytesMut};
use actix_ws::AggregatedMessage;
use bytestring::ByteString;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::sync::{oneshot, Notify};

use super::outbound::OutboundBody;
use super::{session, ConnectionSlot};
use crate::domain::current_user::CurrentUser;
use crate::state::AppState;

/// Room made in the read buffer before each read; a frame larger than this grows it.
const READ_CHUNK: usize = 1024;
/// How long a closed websocket waits for the client to close its side: actix-http's
/// `client_disconnect_timeout` as the server sets it.
const LINGER: Duration = Duration::from_secs(1);

/// Runs an accepted websocket on its socket: `leftover` is what the client sent after
/// its handshake and the HTTP layer had already read.
pub fn open(
    state: web::Data<AppState>,
    user: Option<(CurrentUser, i64)>,
    slot: ConnectionSlot,
    io: TcpStream,
    leftover: &[u8],
) {
    let (read, write) = io.into_split();
    let (hand_back, read_again) = oneshot::channel();
    let incoming = Incoming::new(
        read,
        leftover,
        state.settings.realtime.max_frame_bytes,
        hand_back,
    );
    let open = OpenSocket::new(state.clone());
    let body = session::start(state, user, incoming, slot);
    actix_web::rt::spawn(write_out(write, body, read_again, open));
}

/// Writes the connection's frames until its last (a close frame, or the connection task
/// letting go), then ends the socket's write side and lingers.
///
/// Closing a socket with bytes from the client still unread (a pong, its own close
/// frame) makes the kernel answer with a reset, which can make the client lose the close
/// frame it has not read yet. So, like actix-http's dispatcher, the socket is kept open
/// for up to [`LINGER`] once the read side is handed back by the connection's task,
/// reading and dropping whatever arrives, until the client closes its side.
async fn write_out(
    mut io: OwnedWriteHalf,
    mut body: OutboundBody,
    read_again: oneshot::Receiver<OwnedReadHalf>,
    _open: OpenSocket,
) {
    while let Some(Ok(chunk)) = body.next().await {
        if io.write_all(&chunk).await.is_err() {
            return;
        }
    }
    drop(body);
    let _ = io.shutdown().await;
    let linger = async {
        if let Ok(read) = read_again.await {
            drain(&read).await;
        }
    };
    let _ = tokio::time::timeout(LINGER, linger).await;
}

/// Reads and drops until the client closes its side (or the socket fails).
async fn drain(read: &OwnedReadHalf) {
    let mut scratch = [0u8; 256];
    loop {
        if read.readable().await.is_err() {
            return;
        }
        match read.try_read(&mut scratch) {
            Ok(0) => return,
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => return,
        }
    }
}

/// The client's side of a websocket: frames parsed from the socket, continuations
/// aggregated into one message (as `actix_ws::AggregatedMessageStream` does).
pub struct Incoming {
    io: OwnedReadHalf,
    buffer: BytesMut,
    codec: Codec,
    max_bytes: usize,
    /// The parts of a message sent in continuation frames, and whether it is text.
    parts: Vec<Bytes>,
    parts_bytes: usize,
    parts_text: bool,
    ended: bool,
    /// Gives the read side to the writer when the connection's task is done with it.
    hand_back: oneshot::Sender<OwnedReadHalf>,
}

impl Incoming {
    fn new(
        io: OwnedReadHalf,
        leftover: &[u8],
        max_bytes: usize,
        hand_back: oneshot::Sender<OwnedReadHalf>,
    ) -> Incoming {
        Incoming {
            io,
            buffer: BytesMut::from(leftover),
            codec: Codec::new().max_size(max_bytes),
            max_bytes,
            parts: Vec::new(),
            parts_bytes: 0,
            parts_text: false,
            ended: false,
            hand_back,
        }
    }

    /// The connection's task is done reading: the writer lingers on the socket (unless
    /// the client has already closed it).
    pub fn hand_back(self) {
        if !self.ended {
            let _ = self.hand_back.send(self.io);
        }
    }

    /// The next message; `None` once the client has closed the socket. Cancel safe: all
    /// state is kept in `self` between reads.
    pub async fn recv(&mut self) -> Option<Result<AggregatedMessage, ProtocolError>> {
        loop {
            while !self.buffer.is_empty() {
                match self.codec.decode(&mut self.buffer) {
                    Ok(Some(frame)) => {
                        if let Some(message) = self.aggregate(frame) {
                            self.release_if_empty();
                            return Some(message);
                        }
                    }
                    Ok(None) => break,
                    Err(error) => return Some(Err(error)),
                }
            }
            self.release_if_empty();
            if self.ended {
                return None;
            }
            if let Err(error) = self.io.readable().await {
                return Some(Err(ProtocolError::Io(error)));
            }
            self.buffer.reserve(READ_CHUNK);
            match self.io.try_read_buf(&mut self.buffer) {
                Ok(0) => self.ended = true,
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(error) => return Some(Err(ProtocolError::Io(error))),
            }
        }
    }

    /// An idle connection keeps no read buffer.
    fn release_if_empty(&mut self) {
        if self.buffer.is_empty() && self.buffer.capacity() > 0 {
            self.buffer = BytesMut::new();
        }
    }

    fn aggregate(&mut self, frame: Frame) -> Option<Result<AggregatedMessage, ProtocolError>> {
        let message = match frame {
            Frame::Text(bytes) => text(bytes),
            Frame::Binary(bytes) => Ok(AggregatedMessage::Binary(bytes)),
            Frame::Ping(bytes) => Ok(AggregatedMessage::Ping(bytes)),
            Frame::Pong(bytes) => Ok(AggregatedMessage::Pong(bytes)),
            Frame::Close(reason) => Ok(AggregatedMessage::Close(reason)),
            Frame::Continuation(item) => return self.continuation(item),
        };
        Some(message)
    }

    fn continuation(&mut self, item: Item) -> Option<Result<AggregatedMessage, ProtocolError>> {
        let (bytes, last) = match item {
            Item::FirstText(bytes) => {
                self.parts_text = true;
                (bytes, false)
            }
            Item::FirstBinary(bytes) => {
                self.parts_text = false;
                (bytes, false)
            }
            Item::Continue(bytes) => (bytes, false),
            Item::Last(bytes) => (bytes, true),
        };
        self.parts_bytes += bytes.len();
        if self.parts_bytes > self.max_bytes {
            self.parts = Vec::new();
            self.parts_bytes = 0;
            return Some(Err(ProtocolError::Io(std::io::Error::other(
                "Exceeded maximum continuation size",
            ))));
        }
        self.parts.push(bytes);
        if !last {
            return None;
        }
        let mut whole = BytesMut::with_capacity(self.parts_bytes);
        for part in std::mem::take(&mut self.parts) {
            whole.extend_from_slice(&part);
        }
        self.parts_bytes = 0;
        let whole = whole.freeze();
        Some(if self.parts_text {
            text(whole)
        } else {
            Ok(AggregatedMessage::Binary(whole))
        })
    }
}

fn text(bytes: Bytes) -> Result<AggregatedMessage, ProtocolError> {
    ByteString::try_from(bytes)
        .map(AggregatedMessage::Text)
        .map_err(|e| ProtocolError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// How many websockets this node is still writing to, so that a shutdown lets their
/// close frames out before the workers stop.
#[derive(Default)]
pub struct OpenSockets {
    count: AtomicUsize,
    drained: Notify,
}

impl OpenSockets {
    /// Waits until every websocket has ended, or `patience` has passed.
    pub async fn drained(&self, patience: Duration) {
        let all_ended = async {
            loop {
                let notified = self.drained.notified();
                if self.count.load(Ordering::Acquire) == 0 {
                    return;
                }
                notified.await;
            }
        };
        let _ = tokio::time::timeout(patience, all_ended).await;
    }
}

/// Counts one websocket in [`OpenSockets`] while it lives.
struct OpenSocket(web::Data<AppState>);

impl OpenSocket {
    fn new(state: web::Data<AppState>) -> OpenSocket {
        state.realtime.sockets.count.fetch_add(1, Ordering::AcqRel);
        OpenSocket(state)
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        let sockets = &self.0.realtime.sockets;
        if sockets.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            sockets.drained.notify_waiters();
        }
    }
}

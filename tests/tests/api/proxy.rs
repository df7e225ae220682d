//! A TCP proxy the test controls, put between the server and PostgreSQL or Redis to
//! play a network that stalls (bytes stop flowing, sockets stay open) or breaks (every
//! connection is cut and new ones are dropped at once).

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Forward,
    /// Hold every byte; connections stay open and new ones are accepted.
    Freeze,
    /// Cut every connection and drop new ones.
    Close,
}

pub struct Proxy {
    pub address: SocketAddr,
    mode: watch::Sender<Mode>,
    accept: JoinHandle<()>,
}

impl Proxy {
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let address = listener.local_addr().expect("proxy address");
        let mode = watch::Sender::new(Mode::Forward);
        let modes = mode.clone();
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if *modes.borrow() == Mode::Close {
                    continue;
                }
                tokio::spawn(pipe(client, upstream, modes.subscribe()));
            }
        });
        Proxy {
            address,
            mode,
            accept,
        }
    }

    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.set(Mode::Close);
        self.accept.abort();
    }
}

async fn pipe(client: TcpStream, upstream: SocketAddr, mut mode: watch::Receiver<Mode>) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let mut up = vec![0u8; 16 * 1024];
    let mut down = vec![0u8; 16 * 1024];
    loop {
        let current = *mode.borrow_and_update();
        match current {
            Mode::Close => return,
            Mode::Freeze => {
                if mode.changed().await.is_err() {
                    return;
                }
                continue;
            }
            Mode::Forward => {}
        }
        tokio::select! {
            changed = mode.changed() => if changed.is_err() { return },
            read = client_read.read(&mut up) => match read {
                Ok(n) if n > 0 => if server_write.write_all(&up[..n]).await.is_err() { return },
                _ => return,
            },
            read = server_read.read(&mut down) => match read {
                Ok(n) if n > 0 => if client_write.write_all(&down[..n]).await.is_err() { return },
                _ => return,
            },
        }
    }
}

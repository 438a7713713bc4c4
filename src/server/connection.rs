//! The bytes of one connection: its first request line read before hyper sees it (so
//! an over-long one gets the JSON 414), replayed to hyper afterwards, and the socket's
//! activity tracked for the idle timeout.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::http::header;
use axum::response::IntoResponse;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::error::ApiError;

/// Longest request line (method, target and version) the server reads.
///
/// hyper refuses a request target longer than 65,534 bytes itself, answering a bare
/// 414 with no body, and offers no way to change that answer. So the first line of
/// each connection is read here before hyper sees it, and a line longer than this
/// (which every target hyper would refuse makes it) is answered with the JSON error
/// of [`ApiError::UriTooLong`]. Later requests on a kept-alive connection reach
/// hyper directly and keep its bare 414: their first line cannot be found without
/// parsing the request before it.
pub const MAX_REQUEST_LINE_BYTES: usize = 65_534;

/// What the start of a connection holds.
pub(super) enum RequestLine {
    /// The bytes read, up to and including the end of the first line (and perhaps
    /// more), to be replayed to hyper.
    Read(Vec<u8>),
    /// The first line is longer than [`MAX_REQUEST_LINE_BYTES`].
    TooLong,
}

/// Reads a connection until its first line ends or grows longer than the limit.
pub(super) async fn read_request_line(io: &mut Tracked) -> std::io::Result<RequestLine> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 8192];
    loop {
        let n = read_some(io, &mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let searched = head.len();
        head.extend_from_slice(&chunk[..n]);
        match head[searched..].iter().position(|&b| b == b'\n') {
            Some(end) if searched + end <= MAX_REQUEST_LINE_BYTES => {
                return Ok(RequestLine::Read(head));
            }
            Some(_) => return Ok(RequestLine::TooLong),
            None if head.len() > MAX_REQUEST_LINE_BYTES => return Ok(RequestLine::TooLong),
            None => {}
        }
    }
}

/// Reads what the stream has into `chunk`; 0 at its end. (tokio's io-util extension
/// traits are not built, so the stream is polled directly.)
async fn read_some(io: &mut Tracked, chunk: &mut [u8]) -> std::io::Result<usize> {
    std::future::poll_fn(|cx| {
        let mut buf = ReadBuf::new(chunk);
        Pin::new(&mut *io)
            .poll_read(cx, &mut buf)
            .map_ok(|()| buf.filled().len())
    })
    .await
}

/// Answers a request line over the limit with 414 and the JSON error shape, then
/// closes the connection (the rest of the request is never read).
pub(super) async fn refuse_long_request_line(io: &mut Tracked) -> Result<(), hyper::Error> {
    let response = ApiError::UriTooLong(MAX_REQUEST_LINE_BYTES).into_response();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let Ok(body) = axum::body::to_bytes(response.into_body(), usize::MAX).await else {
        return Ok(());
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    );
    // The client may already have gone; there is no one left to tell.
    let mut answer = head.into_bytes();
    answer.extend_from_slice(&body);
    let mut written = 0;
    while written < answer.len() {
        match std::future::poll_fn(|cx| Pin::new(&mut *io).poll_write(cx, &answer[written..])).await
        {
            Ok(0) | Err(_) => return Ok(()),
            Ok(n) => written += n,
        }
    }
    let _ = std::future::poll_fn(|cx| Pin::new(&mut *io).poll_shutdown(cx)).await;
    // Closing a socket with unread bytes makes the kernel reset the connection, and a
    // reset can destroy the answer before the client reads it; so read on (and
    // discard) what the client is still sending, within a bound. The connection's
    // idle timeout ends a client that neither sends nor closes.
    let mut chunk = [0u8; 8192];
    let mut drained = 0;
    while drained < MAX_DRAIN_BYTES {
        match read_some(io, &mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    Ok(())
}

/// Most bytes read and discarded after refusing a request line, so the refusal
/// reaches a client still sending (see [`refuse_long_request_line`]).
const MAX_DRAIN_BYTES: usize = 1024 * 1024;

/// A connection whose first bytes were already read: replays them, then reads on.
#[derive(Debug)]
pub(super) struct Replay {
    pub(super) head: Vec<u8>,
    pub(super) at: usize,
    pub(super) io: Tracked,
}

impl AsyncRead for Replay {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.at < this.head.len() {
            let n = buf.remaining().min(this.head.len() - this.at);
            buf.put_slice(&this.head[this.at..this.at + n]);
            this.at += n;
            if this.at == this.head.len() {
                this.head = Vec::new();
                this.at = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replay {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

/// When a connection last moved a byte, shared between its socket and its watchdog.
#[derive(Clone, Debug)]
pub(super) struct Activity {
    opened: Instant,
    last_ms: Arc<AtomicU64>,
}

impl Activity {
    pub(super) fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
        }
    }

    fn touch(&self) {
        let now = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(now, Ordering::Relaxed);
    }

    /// Completes once no byte has moved for `limit`.
    pub(super) async fn idle_for(self, limit: Duration) {
        loop {
            let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = self.opened + last + limit;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline.into()).await;
        }
    }
}

/// A TCP stream that records its activity.
#[derive(Debug)]
pub(super) struct Tracked {
    pub(super) stream: TcpStream,
    pub(super) activity: Activity,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

//! The live preview of `vitae watch --serve`: a small HTTP server on a local address.
//!
//! It serves its own routes and nothing else:
//! - `/`: the page, which shows the pages of the last good build as SVG images, the page count,
//!   the fit report and links to the outputs; with several documents (variants), a tab each;
//! - `/doc/D/page/N.svg`: page N of the build's document D (from 1, in the build's order), and
//!   `/page/N.svg` of the first;
//! - `/events`: server-sent events, one on every rebuild, which the page uses to reload its
//!   images in place (the scroll position stays) or to show an error over the last good pages;
//! - `/files/NAME`: an output of the last good build, only by a name that build wrote.
//!
//! Everything else is 404. No request path is ever joined to a folder: a file is served only
//! when its name equals one the build reported, and then from the path the build reported.
//!
//! One thread serves every connection. Sockets are non-blocking, and a mio poll says which can
//! be read or written, so a client that sends nothing, half a request, or never reads what it
//! is sent costs a socket and a few kilobytes, never a thread; an event stream is a connection
//! with a buffer, written to as rebuilds come. Requests are parsed by httparse. Every
//! connection is bounded in time and the server in connections (see [`Limits`]); a browser
//! never comes near a limit.

use super::{Outcome, Preview, PreviewDocument, Rebuild, plain_text};
use crate::Error;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a client has to send a request head: from its connection, or on a kept-alive one
/// from the end of the previous response. A browser sends its head in one packet; a client
/// that trickles it a byte at a time (slowloris) is cut at this deadline, not per byte.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// A response or event the client takes nothing of for this long is dropped with its
/// connection, so that a page that stopped reading cannot hold its slot and buffer for good.
/// Generous: a browser in a background tab still reads its sockets.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections open at once. A browser opens at most six to one host, and each preview tab
/// holds one for its event stream: 64 is room for many tabs while bounding what a local
/// program can make the server hold (a socket and at most one buffered response each).
const MAX_CONNECTIONS: usize = 64;

/// Event streams at once (a preview tab each); half the connections, so that the pages and
/// images of open tabs always find room.
const MAX_STREAMS: usize = 32;

/// The request line and headers together, at most. 16 KiB (as Node's default) rather than
/// 8: browsers send the cookies of every local app on `localhost` to every port, so a preview
/// on a developer's machine can receive more than its own few hundred bytes.
const MAX_HEAD: usize = 16 * 1024;

/// Headers in one request, at most (a browser sends about 15).
const MAX_HEADERS: usize = 64;

/// How often an idle event stream sends a comment, which also finds out that a page has gone.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// How soon to try accepting again after the system refused (out of file descriptors), as no
/// readiness event says when it would work.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// The bounds of a preview server. [`Limits::default`] is what `vitae watch --serve` uses; a
/// caller may tighten them (tests use short timeouts).
///
/// What a client sees when it meets one:
/// - request head not complete within `header_timeout`: `408` and the connection closed (a
///   kept-alive connection idle that long is closed without a word, as HTTP allows);
/// - request head over `max_head` bytes or 64 headers: `431`;
/// - `max_connections` open: to make room the oldest connection still waiting for its request
///   head is closed with `503`; when every connection is busy (streaming events or sending a
///   response), the new one gets `503` and is closed;
/// - `max_streams` event streams open: `/events` gets `503`;
/// - a response or event taken by none for `send_timeout`: the connection is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// For a whole request head, however it is trickled (default 5 s).
    pub header_timeout: Duration,
    /// For the client to take any part of a response or event (default 30 s).
    pub send_timeout: Duration,
    /// Connections open at once (default 64).
    pub max_connections: usize,
    /// Event streams open at once (default 32).
    pub max_streams: usize,
    /// Bytes of a request head (default 16 KiB).
    pub max_head: usize,
    /// How often an idle event stream sends a comment (default 15 s).
    pub keepalive: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: HEADER_TIMEOUT,
            send_timeout: SEND_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            max_streams: MAX_STREAMS,
            max_head: MAX_HEAD,
            keepalive: KEEPALIVE,
        }
    }
}

/// The bodies of the answers a client gets when it meets a limit, or sends what is not HTTP.
const BUSY: &str = "the preview has too many connections open\n";
const TOO_MANY_PAGES: &str = "too many preview pages are open\n";
const TOO_SLOW: &str = "the request took too long to arrive\n";
const TOO_LARGE: &str = "the request head is too large\n";
const BAD_REQUEST: &str = "bad request\n";

/// The listening socket's token, and the waker's; connections count up from 2.
const LISTENER: Token = Token(0);
const WAKE: Token = Token(1);

/// A running preview server. Dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    /// Tells the serving thread that the state changed (a rebuild, or stopping).
    waker: Waker,
    thread: Option<JoinHandle<()>>,
}

/// What the server shows, updated by every rebuild.
#[derive(Default)]
struct State {
    /// Counts rebuilds, good or bad: an event stream sends what it has not sent yet.
    generation: u64,
    preview: Option<Arc<Preview>>,
    /// The outputs of the last good build: file name, path, format.
    files: Vec<(String, PathBuf)>,
    /// Milliseconds the last good rebuild took.
    took_ms: f64,
    /// The located message of the last rebuild, when it failed.
    error: Option<String>,
    stopping: bool,
}

struct Shared {
    state: Mutex<State>,
    /// The bound address is a loopback one: requests must then name a loopback host, so that a
    /// web page elsewhere cannot read the preview through a name that resolves to 127.0.0.1.
    loopback: bool,
    port: u16,
}

/// What an event carries to the page.
#[derive(Serialize)]
struct Event<'a> {
    generation: u64,
    documents: Vec<EventDocument<'a>>,
    files: Vec<&'a str>,
    #[serde(rename = "tookMs")]
    took_ms: f64,
    error: Option<&'a str>,
}

/// One document, as an event carries it.
#[derive(Serialize)]
struct EventDocument<'a> {
    /// The variant's name, or "résumé".
    name: &'a str,
    pages: usize,
    /// The fit report as people read it.
    #[serde(rename = "fitReport")]
    fit_report: Vec<String>,
}

impl<'a> EventDocument<'a> {
    fn of(document: &'a PreviewDocument) -> Self {
        EventDocument {
            name: document.variant.as_deref().unwrap_or("résumé"),
            pages: document.pages.len(),
            fit_report: document
                .fit_report
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

impl Server {
    /// Listens on `addr` (port 0 takes a free port; [`Server::addr`] tells which), with the
    /// default [`Limits`].
    pub fn start(addr: SocketAddr) -> Result<Server, Error> {
        Server::start_with(addr, Limits::default())
    }

    /// Listens on `addr` with these limits.
    pub fn start_with(addr: SocketAddr, limits: Limits) -> Result<Server, Error> {
        let fail = |source: std::io::Error| Error::Serve { addr, source };
        let listener = std::net::TcpListener::bind(addr).map_err(fail)?;
        listener.set_nonblocking(true).map_err(fail)?;
        let bound = listener.local_addr().map_err(fail)?;
        let mut listener = TcpListener::from_std(listener);
        let poll = Poll::new().map_err(fail)?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)
            .map_err(fail)?;
        let waker = Waker::new(poll.registry(), WAKE).map_err(fail)?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            loopback: bound.ip().is_loopback(),
            port: bound.port(),
        });
        let serving = Loop {
            poll,
            listener,
            connections: BTreeMap::new(),
            next: 2,
            ctx: Context {
                shared: shared.clone(),
                limits,
                event: None,
                streams: Arc::new(()),
            },
        };
        let thread = std::thread::Builder::new()
            .name("vitae-preview".into())
            .spawn(move || serving.run())
            .map_err(fail)?;
        Ok(Server {
            addr: bound,
            shared,
            waker,
            thread: Some(thread),
        })
    }

    /// The address it listens on, with the real port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Shows what a rebuild did: new pages, or an error over the last good ones.
    pub fn update(&self, rebuild: &Rebuild) {
        {
            let mut state = lock(&self.shared.state);
            match &rebuild.outcome {
                Outcome::Built(built) => {
                    if let Some(preview) = &built.preview {
                        state.preview = Some(preview.clone());
                    }
                    state.files = built
                        .report
                        .files
                        .iter()
                        .filter_map(|f| {
                            let name = f.path.file_name()?.to_str()?.to_string();
                            Some((name, f.path.clone()))
                        })
                        .collect();
                    state.took_ms = rebuild.took.as_secs_f64() * 1000.0;
                    state.error = built
                        .preview_error
                        .as_ref()
                        .map(|list| list.iter().map(plain_text).collect());
                }
                Outcome::Failed(failed) => {
                    state.error = Some(failed.diagnostics.iter().map(plain_text).collect());
                }
                Outcome::Unaffected => return,
            }
            state.generation += 1;
        }
        self.wake();
    }

    /// Stops listening and ends every event stream.
    pub fn stop(&mut self) {
        lock(&self.shared.state).stopping = true;
        self.wake();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    fn wake(&self) {
        // Fails only when the poll is gone, and with it the thread that would have listened.
        let _ = self.waker.wake();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A lock that a panicked holder did not poison for good: the state is plain data.
fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// The serving thread: the poll, the listener and every connection, by token.
struct Loop {
    poll: Poll,
    listener: TcpListener,
    /// By token, which counts up: the first is the oldest.
    connections: BTreeMap<usize, Connection>,
    next: usize,
    ctx: Context,
}

/// What answering a connection needs besides the connection.
struct Context {
    shared: Arc<Shared>,
    limits: Limits,
    /// The current event and its generation, made once for every stream.
    event: Option<(u64, Arc<[u8]>)>,
    /// Each event stream holds a clone: the count of streams is the count of clones, which
    /// stays right however a connection ends.
    streams: Arc<()>,
}

struct Connection {
    stream: TcpStream,
    phase: Phase,
    /// Bytes received and not yet part of a handled request.
    input: Vec<u8>,
    /// What is left to send, the first from `offset`.
    output: VecDeque<Body>,
    offset: usize,
    /// In [`Phase::Head`], when the wait for the head began; otherwise when a byte was last
    /// sent (or the phase began). Every deadline counts from here.
    since: Instant,
    /// Requests answered on this connection.
    requests: u32,
}

enum Phase {
    /// Reading a request head.
    Head,
    /// Sending a response; then the next request, or the end.
    Respond { keep_alive: bool },
    /// An event stream; `sent` is the generation of the last event queued.
    Stream { sent: u64, _slot: Arc<()> },
}

/// Some bytes to send.
enum Body {
    Static(&'static [u8]),
    Owned(Vec<u8>),
    /// An event, the same for every stream.
    Shared(Arc<[u8]>),
    /// Page `.2` of document `.1`, from 0, sent from the preview itself rather than a copy.
    Page(Arc<Preview>, usize, usize),
}

impl Body {
    fn bytes(&self) -> &[u8] {
        match self {
            Body::Static(bytes) => bytes,
            Body::Owned(bytes) => bytes,
            Body::Shared(bytes) => bytes,
            Body::Page(preview, d, n) => preview
                .documents
                .get(*d)
                .and_then(|doc| doc.pages.get(*n))
                .map_or(&[], |svg| svg.as_bytes()),
        }
    }
}

/// A request, as much of it as routing needs.
struct Request {
    method: String,
    target: String,
    /// The Host header, lower-cased; `None` when there is none.
    host: Option<String>,
    /// HTTP/1.1, no `Connection: close`, and no body this server would have to skip.
    keep_alive: bool,
}

/// What a request head amounts to so far.
enum Head {
    Partial,
    Complete(Request, usize),
    /// Answered with this status and text, then the connection closes.
    Refused(u16, &'static str),
}

/// An answer with a known length (everything but an event stream).
struct Response {
    status: u16,
    content_type: &'static str,
    body: Body,
    /// More headers: name and value, each ASCII without line breaks.
    headers: Vec<(&'static str, String)>,
}

enum Reply {
    Response(Response),
    Stream,
}

impl Loop {
    fn run(mut self) {
        let mut events = Events::with_capacity(256);
        let mut retry_accept = false;
        loop {
            let now = Instant::now();
            let mut timeout = self
                .next_deadline()
                .map(|d| d.saturating_duration_since(now));
            if retry_accept {
                timeout = Some(timeout.map_or(ACCEPT_RETRY, |t| t.min(ACCEPT_RETRY)));
            }
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() == ErrorKind::Interrupted {
                    continue;
                }
                // The poll itself failed: nothing can be served any more.
                return;
            }
            let now = Instant::now();
            let mut accept = retry_accept;
            let mut woken = false;
            for event in events.iter() {
                match event.token() {
                    LISTENER => accept = true,
                    WAKE => woken = true,
                    Token(token) => self.drive(token, now),
                }
            }
            if woken {
                if !self.ctx.refresh() {
                    return;
                }
                // A rebuild: every stream sends the new event once it has sent what it had.
                let streams: Vec<usize> = self
                    .connections
                    .iter()
                    .filter(|(_, c)| matches!(c.phase, Phase::Stream { .. }))
                    .map(|(&t, _)| t)
                    .collect();
                for token in streams {
                    self.drive(token, now);
                }
            }
            // After the connections' own events, so that one whose request just arrived is
            // busy and not taken for an idle one to close.
            if accept {
                retry_accept = !self.accept(now);
            }
            self.expire(now);
        }
    }

    /// The earliest deadline of any connection.
    fn next_deadline(&self) -> Option<Instant> {
        self.connections
            .values()
            .map(|c| c.deadline(&self.ctx.limits))
            .min()
    }

    /// Reads, answers and writes what a connection is ready for; closes it when it is done.
    fn drive(&mut self, token: usize, now: Instant) {
        let keep = match self.connections.get_mut(&token) {
            Some(connection) => self.ctx.drive(connection, now),
            None => return,
        };
        if !keep {
            self.remove(token);
        }
    }

    fn remove(&mut self, token: usize) -> Option<Connection> {
        let mut connection = self.connections.remove(&token)?;
        let _ = self.poll.registry().deregister(&mut connection.stream);
        Some(connection)
    }

    /// Takes every waiting connection. `false` when the system refused one (out of file
    /// descriptors): the listener stays ready, and is tried again soon.
    fn accept(&mut self, now: Instant) -> bool {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => self.admit(stream, now),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
    }

    fn admit(&mut self, mut stream: TcpStream, now: Instant) {
        if self.connections.len() >= self.ctx.limits.max_connections {
            // Full. A connection that has not sent its request yet is the cheapest to lose
            // and the likeliest to be a stalled or hostile one: the oldest makes room. When
            // every connection is busy, the new one is refused.
            let waiting = self
                .connections
                .iter()
                .find(|(_, c)| matches!(c.phase, Phase::Head))
                .map(|(&t, _)| t);
            match waiting.and_then(|t| self.remove(t)) {
                Some(oldest) => oldest.close(503, BUSY),
                None => return last_word(&mut stream, Some(&error_bytes(503, BUSY))),
            }
        }
        // Responses are written whole, so Nagle's delay would only slow the last packet.
        let _ = stream.set_nodelay(true);
        let token = self.next;
        self.next += 1;
        let registered = self.poll.registry().register(
            &mut stream,
            Token(token),
            Interest::READABLE | Interest::WRITABLE,
        );
        if registered.is_err() {
            // Dropped: the client sees the connection close.
            return;
        }
        self.connections.insert(token, Connection::new(stream, now));
        // Its request may be there already.
        self.drive(token, now);
    }

    /// Acts on every deadline that has passed.
    fn expire(&mut self, now: Instant) {
        let due: Vec<usize> = self
            .connections
            .iter()
            .filter(|(_, c)| c.deadline(&self.ctx.limits) <= now)
            .map(|(&t, _)| t)
            .collect();
        for token in due {
            let Some(connection) = self.connections.get_mut(&token) else {
                continue;
            };
            match connection.phase {
                Phase::Stream { .. } if connection.output.is_empty() => {
                    connection
                        .output
                        .push_back(Body::Static(b": keepalive\n\n"));
                    connection.since = now;
                    self.drive(token, now);
                }
                Phase::Head => {
                    if let Some(connection) = self.remove(token) {
                        connection.close(408, TOO_SLOW);
                    }
                }
                // Nothing taken of a response or an event for the whole send timeout.
                Phase::Respond { .. } | Phase::Stream { .. } => {
                    self.remove(token);
                }
            }
        }
    }
}

impl Connection {
    fn new(stream: TcpStream, now: Instant) -> Connection {
        Connection {
            stream,
            phase: Phase::Head,
            input: Vec::new(),
            output: VecDeque::new(),
            offset: 0,
            since: now,
            requests: 0,
        }
    }

    fn deadline(&self, limits: &Limits) -> Instant {
        let wait = match self.phase {
            Phase::Head => limits.header_timeout,
            Phase::Stream { .. } if self.output.is_empty() => limits.keepalive,
            Phase::Respond { .. } | Phase::Stream { .. } => limits.send_timeout,
        };
        self.since + wait
    }

    /// Closes a connection that is waiting for a request head, saying why unless it is a
    /// kept-alive connection that sent nothing more (closing those is ordinary, and a client
    /// retries on a new one).
    fn close(mut self, status: u16, why: &'static str) {
        let idle = self.requests > 0 && self.input.is_empty();
        let answer = (!idle).then(|| error_bytes(status, why));
        last_word(&mut self.stream, answer.as_deref());
    }

    /// Writes what it can. `Ok(true)` when everything queued has been sent.
    fn flush(&mut self, now: Instant) -> std::io::Result<bool> {
        while let Some(front) = self.output.front() {
            let bytes = front.bytes();
            if self.offset >= bytes.len() {
                self.output.pop_front();
                self.offset = 0;
                continue;
            }
            match self.stream.write(&bytes[self.offset..]) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => {
                    self.offset += n;
                    self.since = now;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }
}

/// Answers a connection that will not be kept: what the client sent is read first (closing
/// with unread data would reset the connection, and the client could lose the answer), then
/// the answer is written once, as far as it goes without waiting, and the connection closed.
fn last_word(stream: &mut TcpStream, answer: Option<&[u8]>) {
    let mut chunk = [0; 4096];
    for _ in 0..16 {
        match stream.read(&mut chunk) {
            Ok(n) if n > 0 => {}
            _ => break,
        }
    }
    if let Some(answer) = answer {
        let _ = stream.write(answer);
    }
    let _ = stream.shutdown(Shutdown::Write);
}

/// Reads what has arrived, up to `cap` bytes in `buffer`. `Ok(true)` when the client has
/// closed its side.
fn read_into(stream: &mut TcpStream, buffer: &mut Vec<u8>, cap: usize) -> std::io::Result<bool> {
    let mut chunk = [0; 4096];
    while buffer.len() < cap {
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(true),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// Reads and drops what has arrived. `Ok(true)` when the client has closed its side.
fn discard(stream: &mut TcpStream) -> std::io::Result<bool> {
    let mut chunk = [0; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The request head at the start of `input`, if it is all there.
fn parse(input: &[u8], max_head: usize) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let len = match parsed.parse(input) {
        Ok(httparse::Status::Complete(len)) if len <= max_head => len,
        Ok(httparse::Status::Partial) if input.len() <= max_head => return Head::Partial,
        Ok(_) | Err(httparse::Error::TooManyHeaders) => return Head::Refused(431, TOO_LARGE),
        Err(_) => return Head::Refused(400, BAD_REQUEST),
    };
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Head::Refused(400, BAD_REQUEST);
    };
    let mut host = None;
    let mut close = version == 0;
    for header in parsed.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                // Two Host headers: which one a proxy in front believed is anyone's guess.
                return Head::Refused(400, BAD_REQUEST);
            }
            host = Some(String::from_utf8_lossy(header.value).to_ascii_lowercase());
        } else if name.eq_ignore_ascii_case("connection") {
            close |= String::from_utf8_lossy(header.value)
                .split(',')
                .any(|token| token.trim().eq_ignore_ascii_case("close"));
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            || (name.eq_ignore_ascii_case("content-length") && header.value.trim_ascii() != b"0")
        {
            // A body: never read, so the connection cannot carry another request after it.
            close = true;
        }
    }
    Head::Complete(
        Request {
            method: method.to_string(),
            target: target.to_string(),
            host,
            keep_alive: !close,
        },
        len,
    )
}

impl Context {
    /// Brings the current event up to date. `false` when the server is stopping.
    fn refresh(&mut self) -> bool {
        let state = lock(&self.shared.state);
        if state.stopping {
            return false;
        }
        if self.event.as_ref().map(|(g, _)| *g) != Some(state.generation) {
            let event = format!("event: build\ndata: {}\n\n", event_json(&state));
            self.event = Some((state.generation, Arc::from(event.into_bytes())));
        }
        true
    }

    /// Reads, answers and writes what `connection` is ready for, as far as it goes without
    /// waiting. `false` when the connection is done with and should be closed.
    fn drive(&mut self, connection: &mut Connection, now: Instant) -> bool {
        loop {
            match &mut connection.phase {
                Phase::Head => {
                    let cap = self.limits.max_head + 1;
                    let Ok(closed) = read_into(&mut connection.stream, &mut connection.input, cap)
                    else {
                        return false;
                    };
                    match parse(&connection.input, self.limits.max_head) {
                        // Half a request and no more to come.
                        Head::Partial if closed => return false,
                        Head::Partial => return true,
                        Head::Refused(status, text) => {
                            connection.input.clear();
                            let response = plain(status, text);
                            connection.respond(response, false, false, now);
                        }
                        Head::Complete(request, len) => {
                            connection.input.drain(..len);
                            connection.requests += 1;
                            self.answer(connection, &request, closed, now);
                        }
                    }
                }
                Phase::Respond { keep_alive } => {
                    let keep_alive = *keep_alive;
                    match connection.flush(now) {
                        Err(_) => return false,
                        Ok(false) => return true,
                        Ok(true) if keep_alive => {
                            connection.phase = Phase::Head;
                            connection.since = now;
                        }
                        Ok(true) => {
                            let _ = connection.stream.shutdown(Shutdown::Write);
                            return false;
                        }
                    }
                }
                Phase::Stream { sent, .. } => {
                    // A page sends nothing after its request; reading finds out it has gone.
                    let sent = *sent;
                    match discard(&mut connection.stream) {
                        Ok(false) => {}
                        Ok(true) | Err(_) => return false,
                    }
                    match connection.flush(now) {
                        Err(_) => return false,
                        Ok(false) => return true,
                        Ok(true) => {}
                    }
                    // Only once the last event is out: a page that reads slowly gets the
                    // latest state, never a queue of stale ones.
                    let Some((generation, event)) = &self.event else {
                        return true;
                    };
                    if *generation == sent {
                        return true;
                    }
                    connection.output.push_back(Body::Shared(event.clone()));
                    if let Phase::Stream { sent, .. } = &mut connection.phase {
                        *sent = *generation;
                    }
                }
            }
        }
    }

    /// Queues the answer to a request.
    fn answer(
        &mut self,
        connection: &mut Connection,
        request: &Request,
        closed: bool,
        now: Instant,
    ) {
        let head_only = request.method == "HEAD";
        let keep_alive = request.keep_alive && !closed;
        match self.handle(request) {
            Reply::Response(response) => connection.respond(response, head_only, keep_alive, now),
            Reply::Stream if head_only => {
                let mut response = plain(200, "");
                response.content_type = "text/event-stream";
                connection.respond(response, true, false, now);
            }
            Reply::Stream if Arc::strong_count(&self.streams) > self.limits.max_streams => {
                connection.respond(plain(503, TOO_MANY_PAGES), false, false, now);
            }
            Reply::Stream => {
                if !self.refresh() {
                    // Stopping: the connection goes with the rest.
                    connection.respond(plain(503, BUSY), false, false, now);
                    return;
                }
                let Some((generation, event)) = &self.event else {
                    return;
                };
                connection.output.push_back(Body::Static(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                      Cache-Control: no-store\r\nConnection: close\r\n\
                      X-Content-Type-Options: nosniff\r\n\r\n",
                ));
                connection.output.push_back(Body::Shared(event.clone()));
                connection.phase = Phase::Stream {
                    sent: *generation,
                    _slot: self.streams.clone(),
                };
                connection.since = now;
            }
        }
    }

    /// Routes a request.
    fn handle(&self, request: &Request) -> Reply {
        if !matches!(request.method.as_str(), "GET" | "HEAD") {
            let mut response = plain(405, "only GET\n");
            response.headers.push(("Allow", "GET, HEAD".to_string()));
            return Reply::Response(response);
        }
        if !host_allowed(request.host.as_deref(), &self.shared) {
            return Reply::Response(plain(403, "wrong host\n"));
        }
        // The query string only defeats caches (`?g=3`); routes are matched on the path alone.
        let path = request.target.split(['?', '#']).next().unwrap_or("");
        let state = lock(&self.shared.state);
        if path == "/" {
            return Reply::Response(Response {
                status: 200,
                content_type: "text/html; charset=utf-8",
                body: Body::Owned(page(&state).into_bytes()),
                headers: Vec::new(),
            });
        }
        if path == "/events" {
            return Reply::Stream;
        }
        if let Some((d, n)) = page_route(path) {
            let found = state.preview.as_ref().filter(|p| {
                p.documents
                    .get(d - 1)
                    .is_some_and(|doc| doc.pages.len() >= n)
            });
            return Reply::Response(match found {
                Some(preview) => Response {
                    status: 200,
                    content_type: "image/svg+xml",
                    body: Body::Page(preview.clone(), d - 1, n - 1),
                    headers: Vec::new(),
                },
                None => not_found(),
            });
        }
        if let Some(name) = path.strip_prefix("/files/").and_then(percent_decode) {
            // Only a name the last good build wrote, and only from where it wrote it.
            let found = state
                .files
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, p)| p.clone());
            drop(state);
            let Some(bytes) = found.and_then(|file| std::fs::read(file).ok()) else {
                return Reply::Response(not_found());
            };
            return Reply::Response(Response {
                status: 200,
                content_type: content_type(&name),
                body: Body::Owned(bytes),
                headers: vec![("Content-Disposition", disposition(&name))],
            });
        }
        Reply::Response(not_found())
    }
}

impl Connection {
    /// Queues a response; `head_only` for HEAD, which gets the length of a body it is not sent.
    fn respond(&mut self, response: Response, head_only: bool, keep_alive: bool, now: Instant) {
        let length = response.body.bytes().len();
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {length}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
            response.status,
            reason(response.status),
            response.content_type,
            if keep_alive { "keep-alive" } else { "close" },
        );
        if response.content_type.starts_with("text/html") {
            head.push_str(
                "Content-Security-Policy: default-src 'none'; img-src 'self'; \
                 style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'\r\n",
            );
        }
        for (name, value) in &response.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        self.output.push_back(Body::Owned(head.into_bytes()));
        if !head_only {
            self.output.push_back(response.body);
        }
        self.phase = Phase::Respond { keep_alive };
        self.since = now;
    }
}

/// A plain-text answer.
fn plain(status: u16, text: &'static str) -> Response {
    Response {
        status,
        content_type: "text/plain; charset=utf-8",
        body: Body::Static(text.as_bytes()),
        headers: Vec::new(),
    }
}

fn not_found() -> Response {
    plain(404, "not found\n")
}

/// A plain-text answer whole, for a connection that is closed right after.
fn error_bytes(status: u16, text: &'static str) -> Vec<u8> {
    let mut connection_less = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        reason(status),
        text.len()
    )
    .into_bytes();
    connection_less.extend_from_slice(text.as_bytes());
    connection_less
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// `attachment`, with the file name when it can be written in a header as it is: printable
/// ASCII; quotes and backslashes are dropped, as they would end or escape the quoted string.
fn disposition(name: &str) -> String {
    if name.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        format!("attachment; filename=\"{}\"", name.replace(['"', '\\'], ""))
    } else {
        "attachment".to_string()
    }
}

/// Whether the request's Host header names this server on a loopback name.
fn host_allowed(host: Option<&str>, shared: &Shared) -> bool {
    if !shared.loopback {
        return true;
    }
    let Some(host) = host else {
        // HTTP/1.0 clients may send none; they name no other host either.
        return true;
    };
    let port = shared.port.to_string();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == *name || host == format!("{name}:{port}"))
}

/// `(D, N)` of `/doc/D/page/N.svg`, or `(1, N)` of `/page/N.svg`; both from 1.
fn page_route(path: &str) -> Option<(usize, usize)> {
    // A number as written in a route: digits, no leading zero.
    let number = |n: &str| {
        (!n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()))
            .then(|| n.parse::<usize>().ok())
            .flatten()
    };
    let (document, page) = match path.strip_prefix("/doc/") {
        Some(rest) => {
            let (d, page) = rest.split_once('/')?;
            (number(d)?, format!("/{page}"))
        }
        None => (1, path.to_string()),
    };
    let n = page.strip_prefix("/page/")?.strip_suffix(".svg")?;
    Some((document, number(n)?))
}

/// `%XX` decoded; `None` for a malformed escape, a name that is not UTF-8, or one with a `/`.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let name = String::from_utf8(out).ok()?;
    (!name.is_empty() && !name.contains(['/', '\\'])).then_some(name)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "md" => "text/markdown; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The state as the event the page reads.
fn event_json(state: &State) -> String {
    let event = Event {
        generation: state.generation,
        documents: state.preview.as_ref().map_or(Vec::new(), |p| {
            p.documents.iter().map(EventDocument::of).collect()
        }),
        files: state.files.iter().map(|(n, _)| n.as_str()).collect(),
        took_ms: state.took_ms,
        error: state.error.as_deref(),
    };
    serde_json::to_string(&event).unwrap_or_else(|_| "{}".to_string())
}

/// The preview page as it is now; the script keeps it current from then on.
fn page(state: &State) -> String {
    let pages = state
        .preview
        .as_ref()
        .and_then(|p| p.first())
        .map_or(0, |d| d.pages.len());
    let images: String = (1..=pages)
        .map(|n| {
            format!(
                r#"<img class="page" alt="page {n}" src="/doc/1/page/{n}.svg?g={}">"#,
                state.generation
            )
        })
        .collect();
    // Script text is not entity-decoded; JSON's own escapes keep `</script>` out of it.
    let initial = event_json(state)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    PAGE.replace("{{images}}", &images)
        .replace("{{initial}}", &initial)
}

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vitae preview</title>
<style>
  body { margin: 0; background: #e8e8e8; font: 14px/1.4 system-ui, sans-serif; color: #222; }
  header { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: .4em 1.2em;
           align-items: baseline; padding: .6em 1.2em; background: #fff;
           border-bottom: 1px solid #ccc; }
  header b { font-size: 15px; }
  header a { color: #1f4e79; }
  #fit { flex-basis: 100%; color: #555; font-size: 13px; }
  #documents:empty { display: none; }
  #documents button { font: inherit; padding: .1em .7em; border: 1px solid #bbb;
                      border-radius: 4px; background: #f4f4f4; cursor: pointer; }
  #documents button[aria-pressed="true"] { background: #1f4e79; border-color: #1f4e79;
                                            color: #fff; }
  #fit:empty { display: none; }
  main { display: flex; flex-direction: column; align-items: center; gap: 1.2em; padding: 1.2em; }
  img.page { width: min(100%, 900px); background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
  #error { display: none; position: fixed; left: 50%; top: 5em; transform: translateX(-50%);
           z-index: 2; width: min(90%, 900px); max-height: 70vh; overflow: auto; margin: 0;
           padding: 1em 1.2em; background: #fff4f4; color: #8b0000; border: 2px solid #c00;
           border-radius: 6px; box-shadow: 0 4px 16px rgba(0,0,0,.3);
           font: 13px/1.4 ui-monospace, monospace; white-space: pre-wrap; }
  body.failed #error { display: block; }
  body.failed main { opacity: .55; }
</style>
</head>
<body>
<header>
  <b>vitae preview</b>
  <span id="documents"></span>
  <span id="count"></span>
  <span id="took"></span>
  <span id="files"></span>
  <div id="fit"></div>
</header>
<pre id="error"></pre>
<main id="pages">{{images}}</main>
<script type="application/json" id="initial">{{initial}}</script>
<script>
"use strict";
const main = document.getElementById("pages");
let shown = -1;
// The document shown, from 1; its pages are reloaded when another is picked.
let current = 1;
let last = null;

function show(state) {
  last = state;
  if (current > state.documents.length) current = 1;
  const tabs = document.getElementById("documents");
  tabs.textContent = "";
  if (state.documents.length > 1) {
    state.documents.forEach((d, i) => {
      const b = document.createElement("button");
      b.textContent = d.name;
      b.setAttribute("aria-pressed", String(i + 1 === current));
      b.onclick = () => { current = i + 1; shown = -1; show(last); };
      tabs.append(b);
    });
  }
  const doc = state.documents[current - 1] || { pages: 0, fitReport: [] };
  document.getElementById("count").textContent =
    doc.pages + (doc.pages === 1 ? " page" : " pages");
  document.getElementById("took").textContent =
    state.tookMs ? "built in " + state.tookMs.toFixed(1) + " ms" : "";
  const files = document.getElementById("files");
  files.textContent = "";
  for (const name of state.files) {
    const a = document.createElement("a");
    a.href = "/files/" + encodeURIComponent(name);
    a.textContent = name;
    files.append(a, " ");
  }
  const fit = document.getElementById("fit");
  fit.textContent = doc.fitReport.length ? "fit: " + doc.fitReport.join("; ") : "";
  document.getElementById("error").textContent = state.error || "";
  document.body.classList.toggle("failed", !!state.error);
  if (state.generation === shown) return;
  shown = state.generation;
  // Each image is swapped only once its new version has loaded, in place: nothing moves,
  // and the scroll position stays.
  const images = main.querySelectorAll("img.page");
  for (let n = 1; n <= doc.pages; n++) {
    const src = "/doc/" + current + "/page/" + n + ".svg?g=" + state.generation;
    const img = images[n - 1];
    if (img) {
      const next = new Image();
      next.onload = () => { img.src = src; };
      next.src = src;
    } else {
      const added = document.createElement("img");
      added.className = "page";
      added.alt = "page " + n;
      added.src = src;
      main.append(added);
    }
  }
  for (let n = images.length; n > doc.pages; n--) images[n - 1].remove();
}

const initial = JSON.parse(document.getElementById("initial").textContent);
shown = initial.generation;
show(initial);
new EventSource("/events").addEventListener("build", (e) => show(JSON.parse(e.data)));
</script>
</body>
</html>
"#;

#[cfg(test)]
mod tests {
    use super::page_route;

    #[test]
    fn page_routes_name_a_document_and_a_page_from_one() {
        assert_eq!(page_route("/page/3.svg"), Some((1, 3)));
        assert_eq!(page_route("/doc/2/page/1.svg"), Some((2, 1)));
        assert_eq!(page_route("/doc/12/page/10.svg"), Some((12, 10)));
        for refused in [
            "/page/0.svg",
            "/page/01.svg",
            "/doc/0/page/1.svg",
            "/doc/1/page/1.png",
            "/doc//page/1.svg",
            "/doc/1/2/page/1.svg",
            "/doc/x/page/1.svg",
            "/page/1.svg/x",
            "/page/-1.svg",
            "/../page/1.svg",
        ] {
            assert_eq!(page_route(refused), None, "{refused}");
        }
    }
}

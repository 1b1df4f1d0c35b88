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
//! tiny_http answers on a pool of its own; each request is handled on a thread of its own, as
//! an event stream holds its connection open for as long as the page is shown.

use super::{Outcome, Preview, PreviewDocument, Rebuild, plain_text};
use crate::Error;
use serde::Serialize;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// At most this many pages keep an event stream open at once; more get 503.
const MAX_STREAMS: usize = 32;

/// How often an idle event stream sends a comment, which also finds out that a page has gone.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// A running preview server. Dropping it stops it.
pub struct Server {
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
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
    changed: Condvar,
    streams: AtomicUsize,
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
    /// Listens on `addr` (port 0 takes a free port; [`Server::addr`] tells which).
    pub fn start(addr: SocketAddr) -> Result<Server, Error> {
        let http = tiny_http::Server::http(addr)
            .map_err(|e| Error::Other(format!("cannot serve the preview on {addr}: {e}")))?;
        let bound = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| Error::Other("the preview server has no IP address".to_string()))?;
        let http = Arc::new(http);
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            streams: AtomicUsize::new(0),
            loopback: bound.ip().is_loopback(),
            port: bound.port(),
        });
        let accept = {
            let (http, shared) = (http.clone(), shared.clone());
            std::thread::Builder::new()
                .name("vitae-preview".into())
                .spawn(move || accept(&http, &shared))
                .map_err(|e| Error::Other(format!("cannot start the preview server: {e}")))?
        };
        Ok(Server {
            http,
            addr: bound,
            shared,
            accept: Some(accept),
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
        self.shared.changed.notify_all();
    }

    /// Stops listening and ends every event stream.
    pub fn stop(&mut self) {
        lock(&self.shared.state).stopping = true;
        self.shared.changed.notify_all();
        self.http.unblock();
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
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

fn accept(http: &tiny_http::Server, shared: &Arc<Shared>) {
    // `recv` returns an error once the server is unblocked, and between requests on a
    // connection that failed; only stopping ends the loop.
    loop {
        if lock(&shared.state).stopping {
            return;
        }
        let request = match http.recv() {
            Ok(request) => request,
            Err(_) => continue,
        };
        let shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("vitae-preview-request".into())
            .spawn(move || handle(request, &shared));
        // Out of threads: the request is dropped, and the browser sees the connection close.
        drop(spawned);
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| unreachable!("header names and values here are ASCII"))
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    // The length is known: sent as Content-Length, never chunked.
    let mut response = Response::from_data(body)
        .with_chunked_threshold(usize::MAX)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    if content_type.starts_with("text/html") {
        response = response.with_header(header(
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; \
             script-src 'unsafe-inline'; connect-src 'self'",
        ));
    }
    // The browser went away before the answer; nothing to do.
    let _ = request.respond(response);
}

fn not_found(request: Request) {
    respond(
        request,
        404,
        "text/plain; charset=utf-8",
        b"not found\n".to_vec(),
    );
}

/// Whether the request's Host header names this server on a loopback name.
fn host_allowed(request: &Request, shared: &Shared) -> bool {
    if !shared.loopback {
        return true;
    }
    let Some(host) = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase())
    else {
        // HTTP/1.0 clients may send none; they name no other host either.
        return true;
    };
    let port = shared.port.to_string();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == *name || host == format!("{name}:{port}"))
}

fn handle(request: Request, shared: &Arc<Shared>) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return respond(
            request,
            405,
            "text/plain; charset=utf-8",
            b"only GET\n".to_vec(),
        );
    }
    if !host_allowed(&request, shared) {
        return respond(
            request,
            403,
            "text/plain; charset=utf-8",
            b"wrong host\n".to_vec(),
        );
    }
    // The query string only defeats caches (`?g=3`); routes are matched on the path alone.
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == "/" {
        let page = page(&lock(&shared.state));
        return respond(request, 200, "text/html; charset=utf-8", page.into_bytes());
    }
    if path == "/events" {
        return events(request, shared);
    }
    if let Some((d, n)) = page_route(path) {
        let svg = lock(&shared.state)
            .preview
            .as_ref()
            .and_then(|p| p.documents.get(d - 1)?.pages.get(n - 1).cloned());
        return match svg {
            Some(svg) => respond(request, 200, "image/svg+xml", svg.into_bytes()),
            None => not_found(request),
        };
    }
    if let Some(name) = path.strip_prefix("/files/").and_then(percent_decode) {
        // Only a name the last good build wrote, and only from where it wrote it.
        let found = lock(&shared.state)
            .files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| p.clone());
        let Some(file) = found else {
            return not_found(request);
        };
        return match std::fs::read(&file) {
            Ok(bytes) => {
                let disposition = format!("attachment; filename=\"{}\"", name.replace('"', ""));
                let response = Response::from_data(bytes)
                    .with_chunked_threshold(usize::MAX)
                    .with_header(header("Content-Type", content_type(&name)))
                    .with_header(header("Cache-Control", "no-store"))
                    .with_header(header("X-Content-Type-Options", "nosniff"))
                    .with_header(
                        Header::from_bytes("Content-Disposition", disposition.as_bytes())
                            .unwrap_or_else(|()| header("Content-Disposition", "attachment")),
                    );
                let _ = request.respond(response);
            }
            Err(_) => not_found(request),
        };
    }
    not_found(request)
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

/// A server-sent event stream: the current state at once, then one event per rebuild, and a
/// comment now and then so that a closed page is noticed and its thread ends.
fn events(request: Request, shared: &Arc<Shared>) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return respond(
            request,
            503,
            "text/plain; charset=utf-8",
            b"too many preview pages are open\n".to_vec(),
        );
    }
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n";
    let mut sent = None;
    let mut result = out.write_all(head.as_bytes()).and_then(|()| out.flush());
    while result.is_ok() {
        let mut state = lock(&shared.state);
        if state.stopping {
            break;
        }
        if sent == Some(state.generation) {
            let (next, timeout) = shared
                .changed
                .wait_timeout(state, KEEPALIVE)
                .unwrap_or_else(|e| e.into_inner());
            state = next;
            if state.stopping {
                break;
            }
            if timeout.timed_out() && sent == Some(state.generation) {
                drop(state);
                result = out.write_all(b": keepalive\n\n").and_then(|()| out.flush());
                continue;
            }
        }
        let data = event_json(&state);
        sent = Some(state.generation);
        drop(state);
        result = write!(out, "event: build\ndata: {data}\n\n").and_then(|()| out.flush());
    }
    shared.streams.fetch_sub(1, Ordering::SeqCst);
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

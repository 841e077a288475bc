//! The INLINE application: everything runs on the server's I/O thread, inside `handle` and the
//! callbacks, and nothing blocks.
//!
//! Each request that reads or streams keeps its state in one `Exchange` behind an `Rc`, with
//! `Cell`s for what changes. The server may call a completion before the `read` or `write` that
//! asked for it returns, and `cleanup` before `finish` returns (SPEC §8.1, §9.3, §10.1), so no
//! `&mut` to the state may live across those calls: the code running holds its own `Rc`, each
//! pending callback holds another (passed as its context with `Rc::into_raw` and taken back with
//! `Rc::from_raw` when it runs, exactly once), and the state is freed when the last one goes.
//!
//! A completion that comes inside the call that asked for it is left in `completion` for the
//! loop in `drive` to take when the call returns; one that comes later resumes `drive` itself.
//! So the loop never recurses, however many completions come at once.

use crate::ffi::*;
use crate::route::{self, Fnv1a, Route};
use crate::server::{catching, log_outside, startup_failed, Server};
use core::ffi::{c_char, c_void, CStr};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicPtr, Ordering};

/// The descriptor `app` returns.
pub static DESCRIPTOR: App = crate::descriptor(
    c"hello-rust",
    SSGI_EXECUTION_INLINE,
    startup,
    handle,
    shutdown,
);

/// The operations table, kept from `startup` for the log line of `shutdown`.
static OPS: AtomicPtr<ServerOps> = AtomicPtr::new(core::ptr::null_mut());

unsafe extern "C" fn startup(
    _: *mut c_void,
    info: *const ServerInfo,
    error: *mut c_char,
    capacity: usize,
) -> i32 {
    let started = catching(|| {
        let info = &*info;
        OPS.store(info.ops as *mut ServerOps, Ordering::Release);
        let software = CStr::from_ptr(info.server_software).to_string_lossy();
        log_outside(
            &*info.ops,
            &format!("hello-rust: started (INLINE) under {software}"),
        );
    });
    match started {
        Ok(()) => 0,
        Err(message) => startup_failed(error, capacity, &format!("startup panicked: {message}")),
    }
}

unsafe extern "C" fn shutdown(_: *mut c_void) {
    let _ = catching(|| {
        let ops = OPS.load(Ordering::Acquire);
        if !ops.is_null() {
            log_outside(&*ops, "hello-rust: shutdown (INLINE)");
        }
    });
}

unsafe extern "C" fn handle(
    _: *mut c_void,
    request: *const Request,
    call: *mut Call,
    ops: *const ServerOps,
) {
    let server = Server::new(call, ops);
    // Whether the request was handed on, to an exchange that finishes it: after that, a panic
    // here must not finish it again.
    let handed_on = Cell::new(false);
    let outcome = catching(|| {
        let route = Route::of(&*request);
        match route {
            Route::Hello => {
                server.start_response(
                    "200 OK",
                    &[("Content-Type", "text/plain"), ("X-Written-In", "Rust")],
                );
                server.write(route::HELLO, None, core::ptr::null_mut());
                server.finish(SSGI_FINISH_OK, None, core::ptr::null_mut());
            }
            Route::NotFound => {
                server.start_response("404 Not Found", &[("Content-Type", "text/plain")]);
                server.write(route::NOT_FOUND, None, core::ptr::null_mut());
                server.finish(SSGI_FINISH_OK, None, core::ptr::null_mut());
            }
            Route::Panic => panic!("deliberate panic in handle"),
            Route::Stream { .. } | Route::Upload | Route::Echo | Route::PanicInRead => {
                handed_on.set(true);
                Exchange::start(server, route);
            }
        }
    });
    if let Err(message) = outcome {
        if !handed_on.get() {
            server.log(&format!("hello-rust: panicked in handle: {message}"));
            server.finish(SSGI_FINISH_ERROR, None, core::ptr::null_mut());
        }
    }
}

/// A completion, as the loop takes it.
enum Completion {
    Read {
        length: usize,
        status: i32,
    },
    Written(i32),
    /// The callback panicked: the request fails.
    Panicked(String),
}

/// What issuing the next operation came to.
enum Next {
    /// Its completion came inside the call.
    Completed(Completion),
    /// Its completion will resume the loop.
    Pending,
    /// The request is finished.
    Finished,
}

/// One request that reads its body or streams its answer.
struct Exchange {
    server: Server,
    route: Route,
    /// Inside a `read` or `write` this code called.
    in_call: Cell<bool>,
    /// A completion that came inside such a call.
    completion: Cell<Option<Completion>>,
    finished: Cell<bool>,
    /// The end of the body was read.
    ended: Cell<bool>,
    received: Cell<u64>,
    hash: Cell<Fnv1a>,
    lines_written: Cell<usize>,
    /// The bytes of the last read, for `/echo` to send back.
    chunk: Cell<Vec<u8>>,
    /// `/echo`: `chunk` holds bytes not sent yet.
    chunk_pending: Cell<bool>,
}

impl Exchange {
    fn start(server: Server, route: Route) {
        let exchange = Rc::new(Exchange {
            server,
            route,
            in_call: Cell::new(false),
            completion: Cell::new(None),
            finished: Cell::new(false),
            ended: Cell::new(false),
            received: Cell::new(0),
            hash: Cell::new(Fnv1a::new()),
            lines_written: Cell::new(0),
            chunk: Cell::new(Vec::new()),
            chunk_pending: Cell::new(false),
        });
        match route {
            Route::Stream { .. } => {
                exchange
                    .server
                    .start_response("200 OK", &[("Content-Type", "text/plain")]);
            }
            Route::Echo => {
                exchange
                    .server
                    .start_response("200 OK", &[("Content-Type", "application/octet-stream")]);
            }
            _ => {}
        }
        resume(exchange);
    }

    /// Applies a completion; an error says why the request fails.
    fn absorb(&self, completion: Completion) -> Result<(), String> {
        match completion {
            Completion::Read { status, .. } if status != SSGI_OK => Err(format!(
                "hello-rust: the body could not be read (read_done {status})"
            )),
            Completion::Read { length: 0, .. } => {
                self.ended.set(true);
                Ok(())
            }
            Completion::Read { length, .. } => {
                self.received.set(self.received.get() + length as u64);
                self.chunk_pending.set(self.route == Route::Echo);
                Ok(())
            }
            Completion::Written(status) if status != SSGI_OK => Err(format!(
                "hello-rust: the client went away after {} lines (write_done {status})",
                self.lines_written.get()
            )),
            Completion::Written(_) => Ok(()),
            Completion::Panicked(message) => {
                Err(format!("hello-rust: panicked in a callback: {message}"))
            }
        }
    }

    /// Issues the next operation of the route.
    fn next(self: &Rc<Self>) -> Next {
        match self.route {
            Route::Upload | Route::PanicInRead if !self.ended.get() => self.read(),
            Route::Upload => {
                let answer = route::upload_answer(self.received.get(), &self.hash.get());
                self.server
                    .start_response("200 OK", &[("Content-Type", "text/plain")]);
                self.server
                    .write(answer.as_bytes(), None, core::ptr::null_mut());
                self.finish(SSGI_FINISH_OK)
            }
            Route::Echo if self.chunk_pending.get() => {
                self.chunk_pending.set(false);
                let chunk = self.chunk.take();
                let next = self.write(&chunk);
                self.chunk.set(chunk);
                next
            }
            Route::Echo if !self.ended.get() => self.read(),
            Route::Stream { lines } if self.lines_written.get() < lines => {
                let number = self.lines_written.get() + 1;
                self.lines_written.set(number);
                self.write(route::line(number).as_bytes())
            }
            _ => self.finish(SSGI_FINISH_OK),
        }
    }

    fn read(self: &Rc<Self>) -> Next {
        let context = Rc::into_raw(Rc::clone(self)) as *mut c_void;
        self.in_call.set(true);
        let code = self.server.read(on_read, context);
        self.in_call.set(false);
        self.take_completion(code, context, |status| Completion::Read {
            length: 0,
            status,
        })
    }

    fn write(self: &Rc<Self>, bytes: &[u8]) -> Next {
        let context = Rc::into_raw(Rc::clone(self)) as *mut c_void;
        self.in_call.set(true);
        let code = self.server.write(bytes, Some(on_written), context);
        self.in_call.set(false);
        self.take_completion(code, context, Completion::Written)
    }

    /// After a `read` or `write` returned `code`: a refused call's callback will not run, so its
    /// reference is taken back here.
    fn take_completion(
        &self,
        code: i32,
        context: *mut c_void,
        refused: impl FnOnce(i32) -> Completion,
    ) -> Next {
        if code != SSGI_OK {
            drop(unsafe { Rc::from_raw(context as *const Exchange) });
            return Next::Completed(refused(code));
        }
        match self.completion.take() {
            Some(completion) => Next::Completed(completion),
            None => Next::Pending,
        }
    }

    fn finish(self: &Rc<Self>, outcome: i32) -> Next {
        self.finished.set(true);
        let context = Rc::into_raw(Rc::clone(self)) as *mut c_void;
        // `release` may run before this returns: `self` is still held by the caller's `Rc`.
        if self.server.finish(outcome, Some(release), context) != SSGI_OK {
            // Refused (SSGI_E_FINISHED): the cleanup will not run.
            drop(unsafe { Rc::from_raw(context as *const Exchange) });
        }
        Next::Finished
    }

    fn fail(self: &Rc<Self>, why: &str) {
        if self.finished.get() {
            log_outside(self.server.ops(), why);
        } else {
            self.server.log(why);
            self.finish(SSGI_FINISH_ERROR);
        }
    }
}

/// Runs the request on from where it stands until it waits for a completion or is finished.
fn drive(exchange: &Rc<Exchange>) {
    let mut completion = exchange.completion.take();
    loop {
        if let Some(done) = completion.take() {
            if let Err(why) = exchange.absorb(done) {
                exchange.fail(&why);
                return;
            }
        }
        match exchange.next() {
            Next::Completed(done) => completion = Some(done),
            Next::Pending | Next::Finished => return,
        }
    }
}

/// `drive`, with a panic turned into a failed request.
fn resume(exchange: Rc<Exchange>) {
    if let Err(message) = catching(|| drive(&exchange)) {
        exchange.fail(&format!("hello-rust: panicked: {message}"));
    }
}

unsafe extern "C" fn on_read(context: *mut c_void, bytes: Bytes, status: i32) {
    let exchange = Rc::from_raw(context as *const Exchange);
    let completion = catching(|| {
        // `bytes` is valid only during this call: what is kept is copied.
        let bytes = bytes.as_slice();
        if exchange.route == Route::PanicInRead && !bytes.is_empty() {
            panic!("deliberate panic in the read callback");
        }
        let mut hash = exchange.hash.get();
        hash.update(bytes);
        exchange.hash.set(hash);
        if exchange.route == Route::Echo {
            let mut chunk = exchange.chunk.take();
            chunk.clear();
            chunk.extend_from_slice(bytes);
            exchange.chunk.set(chunk);
        }
        Completion::Read {
            length: bytes.len(),
            status,
        }
    });
    complete(exchange, completion.unwrap_or_else(Completion::Panicked));
}

unsafe extern "C" fn on_written(context: *mut c_void, status: i32) {
    complete(
        Rc::from_raw(context as *const Exchange),
        Completion::Written(status),
    );
}

/// Hands a completion to the loop: left for it when it came inside the call, else resumes it.
fn complete(exchange: Rc<Exchange>, completion: Completion) {
    exchange.completion.set(Some(completion));
    if !exchange.in_call.get() {
        resume(exchange);
    }
}

/// The cleanup: the server is done with the request; the reference it held goes.
unsafe extern "C" fn release(context: *mut c_void, status: i32) {
    let exchange = Rc::from_raw(context as *const Exchange);
    if status != SSGI_OK {
        let _ = catching(|| {
            log_outside(
                exchange.server.ops(),
                &format!("hello-rust: response not delivered (cleanup {status})"),
            )
        });
    }
}

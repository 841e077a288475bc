//! The THREAD_POOL application: `handle` hands each request to a pool of threads and returns;
//! a pool thread runs the request start to finish in plain blocking code, waiting for each
//! `read` and `write` completion. Requests whose answer cannot block (`/hello`, a 404) are
//! answered in `handle` itself, which SPEC §5.2 allows a THREAD_POOL application.
//!
//! A completion runs on the server's I/O thread, so what it shares with the waiting thread is
//! an `Arc` of a `Mutex` and a `Condvar`: the waiting thread keeps its own reference, the callback
//! gets another as its context. The lock is never held across an operation call (SPEC §12,
//! rule 3): the completion may come before the call returns and takes it.

use crate::ffi::*;
use crate::route::{self, Fnv1a, Route};
use crate::server::{catching, log_outside, startup_failed, Server};
use core::ffi::{c_char, c_void, CStr};
use std::cell::Cell;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

/// The descriptor `app_threads` returns.
pub static DESCRIPTOR: App = crate::descriptor(
    c"hello-rust-threads",
    SSGI_EXECUTION_THREAD_POOL,
    startup,
    handle,
    shutdown,
);

/// How many requests may block at once.
const THREADS: usize = 4;

/// A request on its way to a pool thread.
struct Job {
    request: *const Request,
    server: Server,
}

// The server lets the request and its handle be used from any thread until `finish`, one
// thread at a time (SPEC §5.1, §12); the channel orders the handover.
unsafe impl Send for Job {}

/// The pool: where `handle` sends requests, and its threads, from `startup` to `shutdown`.
struct Pool {
    jobs: Sender<Job>,
    threads: Vec<JoinHandle<()>>,
    ops: &'static ServerOps,
}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);

unsafe extern "C" fn startup(
    _: *mut c_void,
    info: *const ServerInfo,
    error: *mut c_char,
    capacity: usize,
) -> i32 {
    let info = &*info;
    let ops: &'static ServerOps = &*info.ops;
    let started = catching(|| {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let threads = (0..THREADS)
            .map(|_| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || loop {
                    let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    match job {
                        Ok(job) => run(job),
                        Err(_) => return, // the sender is gone: shutdown
                    }
                })
            })
            .collect();
        *POOL.lock().unwrap_or_else(PoisonError::into_inner) = Some(Pool { jobs, threads, ops });
        let software = CStr::from_ptr(info.server_software).to_string_lossy();
        log_outside(
            ops,
            &format!("hello-rust: started (THREAD_POOL, {THREADS} threads) under {software}"),
        );
    });
    match started {
        Ok(()) => 0,
        Err(message) => startup_failed(
            error,
            capacity,
            &format!("cannot start the pool: {message}"),
        ),
    }
}

unsafe extern "C" fn shutdown(_: *mut c_void) {
    let _ = catching(|| {
        let Some(pool) = POOL.lock().unwrap_or_else(PoisonError::into_inner).take() else {
            return;
        };
        drop(pool.jobs);
        for thread in pool.threads {
            let _ = thread.join();
        }
        log_outside(pool.ops, "hello-rust: shutdown (THREAD_POOL)");
    });
}

unsafe extern "C" fn handle(
    _: *mut c_void,
    request: *const Request,
    call: *mut Call,
    ops: *const ServerOps,
) {
    let server = Server::new(call, ops);
    // An answer that cannot block is given at once, here on the I/O thread, as INLINE code would
    // (SPEC §5.2); the rest goes to the pool.
    let at_once = catching(|| matches!(Route::of(&*request), Route::Hello | Route::NotFound));
    if at_once == Ok(true) {
        return run(Job { request, server });
    }
    let sent = catching(|| {
        let pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
        pool.as_ref()
            .map(|pool| pool.jobs.send(Job { request, server }).is_ok())
    });
    if sent != Ok(Some(true)) {
        server.log("hello-rust: no pool thread takes requests");
        server.finish(SSGI_FINISH_ERROR, None, core::ptr::null_mut());
    }
}

/// Serves one request, on a pool thread or, when it cannot block, in `handle`; a panic fails it,
/// unless it was finished already.
fn run(job: Job) {
    let call = Blocking {
        server: job.server,
        finished: Cell::new(false),
    };
    let outcome = catching(|| serve(unsafe { Route::of(&*job.request) }, &call));
    let why = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(why)) => why,
        Err(message) => format!("hello-rust: panicked on a pool thread: {message}"),
    };
    if call.finished.get() {
        log_outside(call.server.ops(), &why);
    } else {
        call.server.log(&why);
        call.finish(SSGI_FINISH_ERROR);
    }
}

fn serve(route: Route, call: &Blocking) -> Result<(), String> {
    let server = &call.server;
    match route {
        Route::Hello => {
            server.start_response(
                "200 OK",
                &[("Content-Type", "text/plain"), ("X-Written-In", "Rust")],
            );
            server.write(route::HELLO, None, core::ptr::null_mut());
        }
        Route::NotFound => {
            server.start_response("404 Not Found", &[("Content-Type", "text/plain")]);
            server.write(route::NOT_FOUND, None, core::ptr::null_mut());
        }
        Route::Panic => panic!("deliberate panic on a pool thread"),
        Route::Stream { lines } => {
            server.start_response("200 OK", &[("Content-Type", "text/plain")]);
            for number in 1..=lines {
                call.write(route::line(number).as_bytes())
                    .map_err(|status| {
                        format!(
                            "hello-rust: the client went away after {} lines (write_done {status})",
                            number - 1
                        )
                    })?;
            }
        }
        Route::Upload => {
            let mut received = 0u64;
            let mut hash = Fnv1a::new();
            loop {
                let chunk = call.read()?;
                if chunk.is_empty() {
                    break;
                }
                received += chunk.len() as u64;
                hash.update(&chunk);
            }
            server.start_response("200 OK", &[("Content-Type", "text/plain")]);
            server.write(
                route::upload_answer(received, &hash).as_bytes(),
                None,
                core::ptr::null_mut(),
            );
        }
        Route::Echo => {
            server.start_response("200 OK", &[("Content-Type", "application/octet-stream")]);
            loop {
                let chunk = call.read()?;
                if chunk.is_empty() {
                    break;
                }
                call.write(&chunk).map_err(|status| {
                    format!("hello-rust: the client went away (write_done {status})")
                })?;
            }
        }
        Route::PanicInRead => {
            call.read()?;
            panic!("deliberate panic after a read");
        }
    }
    call.finish(SSGI_FINISH_OK);
    Ok(())
}

/// A request served by one pool thread, which waits for each completion.
struct Blocking {
    server: Server,
    finished: Cell<bool>,
}

impl Blocking {
    /// The next bytes of the body; empty at its end.
    fn read(&self) -> Result<Vec<u8>, String> {
        let waiter = Arc::new(Waiter::<(Vec<u8>, i32)>::default());
        let context = Arc::into_raw(Arc::clone(&waiter)) as *mut c_void;
        let code = self.server.read(read_done, context);
        let (bytes, status) = if code == SSGI_OK {
            waiter.wait()
        } else {
            drop(unsafe { Arc::from_raw(context as *const Waiter<(Vec<u8>, i32)>) });
            (Vec::new(), code)
        };
        if status != SSGI_OK {
            return Err(format!(
                "hello-rust: the body could not be read (read_done {status})"
            ));
        }
        Ok(bytes)
    }

    /// Writes `bytes` and waits until the server can take more; the error is the status.
    fn write(&self, bytes: &[u8]) -> Result<(), i32> {
        let waiter = Arc::new(Waiter::<i32>::default());
        let context = Arc::into_raw(Arc::clone(&waiter)) as *mut c_void;
        let code = self.server.write(bytes, Some(write_done), context);
        let status = if code == SSGI_OK {
            waiter.wait()
        } else {
            drop(unsafe { Arc::from_raw(context as *const Waiter<i32>) });
            code
        };
        if status == SSGI_OK {
            Ok(())
        } else {
            Err(status)
        }
    }

    fn finish(&self, outcome: i32) {
        self.finished.set(true);
        // The cleanup's context is the operations table, which outlives every request.
        let ops = self.server.ops() as *const ServerOps as *mut c_void;
        self.server.finish(outcome, Some(cleanup), ops);
    }
}

/// A value a completion hands to the thread that waits for it.
struct Waiter<T> {
    value: Mutex<Option<T>>,
    ready: Condvar,
}

impl<T> Default for Waiter<T> {
    fn default() -> Self {
        Waiter {
            value: Mutex::new(None),
            ready: Condvar::new(),
        }
    }
}

impl<T> Waiter<T> {
    fn complete(&self, value: T) {
        *self.value.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        self.ready.notify_one();
    }

    fn wait(&self) -> T {
        let mut value = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(value) = value.take() {
                return value;
            }
            value = self
                .ready
                .wait(value)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

unsafe extern "C" fn read_done(context: *mut c_void, bytes: Bytes, status: i32) {
    let waiter = Arc::from_raw(context as *const Waiter<(Vec<u8>, i32)>);
    // `bytes` is valid only during this call: the waiting thread gets a copy.
    let _ = catching(|| waiter.complete((bytes.as_slice().to_vec(), status)));
}

unsafe extern "C" fn write_done(context: *mut c_void, status: i32) {
    let waiter = Arc::from_raw(context as *const Waiter<i32>);
    let _ = catching(|| waiter.complete(status));
}

unsafe extern "C" fn cleanup(context: *mut c_void, status: i32) {
    if status != SSGI_OK {
        let ops = &*(context as *const ServerOps);
        let _ = catching(|| {
            log_outside(
                ops,
                &format!("hello-rust: response not delivered (cleanup {status})"),
            )
        });
    }
}

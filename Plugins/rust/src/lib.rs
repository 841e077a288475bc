//! An SSGI 1.0 application written in Rust against `ssgi.h` and `docs/SPEC.md` alone: no crate,
//! the FFI declared by hand once (`ffi`), as an outside developer would (SPEC §21 says what to
//! get right in another language).
//!
//! ```sh
//! cargo build --release        # target/release/libhello_rust.so
//! swiftserve target/release/libhello_rust.so:app
//! ```
//!
//! Two entry points serve the same routes (`route.rs`) in the two styles of §5.2:
//! - `app` is INLINE: its code runs on the server's I/O thread, inside `handle` and the
//!   callbacks, and never blocks. Per-request state is an `Rc` of `Cell`s (`inline.rs`).
//! - `app_threads` is THREAD_POOL: `handle` hands each request to a pool of threads that block
//!   on the operations' completions, and answers at once those that cannot block. What a pool
//!   thread shares with the completions is an `Arc` with a `Mutex` (`pool.rs`).
//!
//! Routes: `GET /hello` ("Hello world from Rust!"); `GET /stream?lines=N` (N lines, each written
//! after the previous one's completion); `POST /upload` (reads the body, answers its length and
//! FNV-1a hash); `POST /echo` (sends the body back while reading it); `/panic` and
//! `POST /panic-in-read` (panic in `handle`, and in the read callback, or for `app_threads` after
//! the first read: the client gets a 500).

pub mod ffi;

mod inline;
mod pool;
mod route;
mod server;

/// The descriptor of one of this library's applications: SSGI 1.0, no SDK, built by Rust.
const fn descriptor(
    name: &'static core::ffi::CStr,
    execution: u32,
    startup: ffi::Startup,
    handle: ffi::Handle,
    shutdown: ffi::Shutdown,
) -> ffi::App {
    ffi::App {
        magic: ffi::SSGI_MAGIC,
        abi_major: ffi::SSGI_ABI_MAJOR,
        abi_minor: ffi::SSGI_ABI_MINOR,
        struct_size: core::mem::size_of::<ffi::App>(),
        name: name.as_ptr(),
        sdk_version: c"".as_ptr(),
        compiler: c"Rust".as_ptr(),
        execution,
        context: core::ptr::null_mut(),
        startup: Some(startup),
        handle,
        shutdown: Some(shutdown),
    }
}

/// The INLINE application.
#[no_mangle]
pub extern "C" fn app() -> *const ffi::App {
    &inline::DESCRIPTOR
}

/// The THREAD_POOL application.
#[no_mangle]
pub extern "C" fn app_threads() -> *const ffi::App {
    &pool::DESCRIPTOR
}

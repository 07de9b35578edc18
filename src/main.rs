//! The browser entry point: everything lives in the library so that native
//! unit tests and wasm-bindgen tests see the same code.

fn main() {
    cognito_spa::start();
}

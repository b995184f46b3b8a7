// The browser bundle is split after linking by the data symbols each piece of code uses.
// At -O1 and above the WASM linker merges constant strings into shared segments, so one
// string the first page needs would pull every page's strings into the main module; -O0
// keeps each string its own segment, for the cost of a few duplicated strings.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=-O0");
    }
}

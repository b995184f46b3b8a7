# Installs what building and testing need, each only when missing (sourced by run and test).
# shellcheck shell=bash

CARGO_LEPTOS_VERSION=0.3.10
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  # The package lists of a fresh machine are empty: update once, then install.
  if [ -z "${APT_UPDATED:-}" ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_tools() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
  # The browser bundle is built with its own standard library (see build_release).
  rustup component list --installed | grep -qx rust-src || rustup component add rust-src
  if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  local wanted
  wanted="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wanted" ]; then
    # Not --locked: a dependency version it locks is no longer in the registry.
    cargo install wasm-bindgen-cli --version "$wanted"
  fi
}

# npm packages of end2end/: Playwright, and the wasm-opt that keeps hydration working
# (Debian's older binaryen produces a WASM that does not hydrate).
ensure_node_tools() {
  local stamp="$ROOT/end2end/node_modules/.package-lock.sha"
  local want
  want="$(sha256sum "$ROOT/end2end/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
  export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
}

# Real services the tests start themselves: Chromium, PostgreSQL, and an SMTP server.
ensure_test_services() {
  command -v chromium >/dev/null || apt_install chromium
  ensure_database_and_mail
}

# PostgreSQL and the SMTP server (aiosmtpd): what the fault suite needs too.
ensure_database_and_mail() {
  [ -x /usr/lib/postgresql/15/bin/initdb ] || apt_install postgresql
  python3 -c "import aiosmtpd" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check aiosmtpd
}

# The command-line client the browser suite drives against the release server; a debug
# build, sharing what the Rust tests compiled.
build_cli() {
  (cd "$ROOT" && cargo build -p server --bin manager)
}

# The release server and its bundle (a module per section of pages; pre-compressed files
# named for the build, see seal-bundle.mjs).
# Skipped when no source changed since the last build: cargo-leptos would run wasm-opt
# again, for minutes.
build_release() {
  local stamp="$ROOT/target/release/.sources.sha"
  local want
  want="$(cd "$ROOT" && git ls-files -z -co --exclude-standard -- Cargo.toml Cargo.lock app core server \
    style public scripts/seal-bundle.mjs scripts/tools.sh \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -x "$ROOT/target/release/server" ] \
    && [ -f "$ROOT/target/release/hash.txt" ] && [ -d "$ROOT/target/site/pkg" ]; then
    return
  fi
  # A clean folder: cargo-leptos would hash the last build's files over again.
  rm -rf "$ROOT/target/site/pkg"
  # The browser's WASM gets a standard library compiled for size, panics that stop it at
  # once instead of formatting a message, and no source paths: about a tenth smaller (see
  # the README). These options are unstable on the stable compiler, so RUSTC_BOOTSTRAP
  # unlocks them for this build only; the server is built without it.
  local wasm_flags="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
  (cd "$ROOT" && RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$wasm_flags" \
    cargo leptos build --release --precompress --split --frontend-only \
      --lib-cargo-args=-Zbuild-std=std,panic_abort \
      --lib-cargo-args=-Zbuild-std-features=optimize_for_size)
  (cd "$ROOT" && cargo leptos build --release --precompress --split --server-only)
  node "$ROOT/scripts/seal-bundle.mjs" "$ROOT/target/site/pkg" "$ROOT/target/release/hash.txt"
  echo "$want" >"$stamp"
}

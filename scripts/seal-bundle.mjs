// Renames the bundle's files so that a browser keeping them for a year never mixes two
// builds. cargo-leptos names each file by a hash taken before it writes the route
// modules' loader name into the main JS and WASM, so a build can change a file's content
// and keep its name; and the loader and the modules refer to each other, so no file can
// be named by its own content alone. Here every file's name derives from the whole
// bundle instead: change one byte anywhere and every name changes, references included.
//
// Usage: node scripts/seal-bundle.mjs <pkg dir> <hash.txt>
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [pkg, hashFile] = process.argv.slice(2);
if (!pkg || !hashFile) {
  console.error("usage: node seal-bundle.mjs <pkg dir> <hash.txt>");
  process.exit(2);
}

// `name.<22 URL-safe base64 characters>.ext`, as cargo-leptos writes them.
const HASHED = /^(.+?)\.([A-Za-z0-9_-]{22})\.(.+)$/;
const COMPRESSED = /\.(br|gz)$/;

const files = readdirSync(pkg, { withFileTypes: true })
  .filter((entry) => entry.isFile() && !COMPRESSED.test(entry.name))
  .map((entry) => entry.name)
  .sort();

const build = createHash("sha256");
const contents = new Map();
for (const name of files) {
  const bytes = readFileSync(join(pkg, name));
  contents.set(name, bytes);
  build.update(`${name}\0${bytes.length}\0`).update(bytes);
}
const buildId = build.digest();

const renames = new Map();
for (const name of files) {
  const match = HASHED.exec(name);
  if (!match) continue;
  const [, stem, old, ext] = match;
  const fresh = createHash("sha256").update(buildId).update(name).digest().subarray(0, 16).toString("base64url");
  renames.set(old, { fresh, name, sealed: `${stem}.${fresh}.${ext}` });
}

// Same length, so binary files stay valid as they are patched in place.
function replaceAll(bytes) {
  for (const [old, { fresh }] of renames) {
    const from = Buffer.from(old);
    for (let at = bytes.indexOf(from); at !== -1; at = bytes.indexOf(from, at + from.length)) {
      bytes.write(fresh, at, "latin1");
    }
  }
  return bytes;
}

for (const entry of readdirSync(pkg)) {
  if (COMPRESSED.test(entry)) rmSync(join(pkg, entry));
}
for (const name of files) {
  const bytes = replaceAll(contents.get(name));
  const match = HASHED.exec(name);
  const sealed = match ? renames.get(match[2]).sealed : name;
  if (sealed !== name) rmSync(join(pkg, name));
  writeFileSync(join(pkg, sealed), bytes);
  // Compressed once here, served as they are (leptos_axum's file handler).
  writeFileSync(join(pkg, `${sealed}.br`), brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
  writeFileSync(join(pkg, `${sealed}.gz`), gzipSync(bytes, { level: 9 }));
}
writeFileSync(hashFile, replaceAll(readFileSync(hashFile)));
console.log(`sealed ${renames.size} bundle files as build ${buildId.subarray(0, 16).toString("base64url")}`);

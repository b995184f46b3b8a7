import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

// The bundle's files are kept by browsers for a year, so a name must never stand for two
// contents. scripts/seal-bundle.mjs names them for the whole build; here it seals a small
// bundle shaped like cargo-leptos' output (the main JS and WASM name the route modules'
// loader, which names the modules), twice, and once with a single byte changed.

const SEAL = resolve(__dirname, "../../scripts/seal-bundle.mjs");
const H = (c: string) => c.repeat(22);

function bundle(chunkByte: number) {
  const dir = mkdtempSync(join(tmpdir(), "manager-seal-"));
  const pkg = join(dir, "pkg");
  mkdirSync(pkg);
  const loader = `__wasm_split.${H("b")}.js`;
  const chunk = `chunk_1.${H("c")}.wasm`;
  writeFileSync(join(pkg, `manager.${H("a")}.js`), `import "/pkg/${loader}";`);
  writeFileSync(join(pkg, `manager.${H("d")}.wasm`), Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d]), Buffer.from(loader)]));
  writeFileSync(join(pkg, loader), `export const chunks = ["${chunk}"];`);
  writeFileSync(join(pkg, chunk), Buffer.from([0, 0x61, 0x73, 0x6d, chunkByte]));
  writeFileSync(join(pkg, `${chunk}.br`), "stale");
  writeFileSync(join(dir, "hash.txt"), `js: ${H("a")}\nwasm: ${H("d")}\nsplit: ${H("b")}\n`);
  execFileSync("node", [SEAL, pkg, join(dir, "hash.txt")]);
  const files = readdirSync(pkg).sort();
  const read = (name: string) => readFileSync(join(pkg, name));
  const hashes = Object.fromEntries(
    readFileSync(join(dir, "hash.txt"), "utf8").trim().split("\n").map((line) => line.split(": ")),
  );
  return { dir, files, read, hashes };
}

test("bundle files are named for their build, references and compressed copies included", () => {
  const first = bundle(1);
  const again = bundle(1);
  const changed = bundle(2);
  try {
    const plain = first.files.filter((f) => !/\.(br|gz)$/.test(f));
    expect(plain).toHaveLength(4);
    for (const name of plain) {
      expect(name).not.toMatch(/(a|b|c|d)\1{21}/);
      // Every file is compressed afresh: no copy of a file from before the seal is left.
      expect(brotliDecompressSync(first.read(`${name}.br`))).toEqual(first.read(name));
      expect(gunzipSync(first.read(`${name}.gz`))).toEqual(first.read(name));
    }
    const js = `manager.${first.hashes.js}.js`;
    const wasm = `manager.${first.hashes.wasm}.wasm`;
    const loader = `__wasm_split.${first.hashes.split}.js`;
    expect(plain).toEqual(expect.arrayContaining([js, wasm, loader]));
    // The references name the sealed files, in text and in binary alike.
    expect(first.read(js).toString()).toBe(`import "/pkg/${loader}";`);
    expect(first.read(wasm).subarray(4).toString()).toBe(loader);
    const chunk = /"(chunk_1\.[\w-]{22}\.wasm)"/.exec(first.read(loader).toString())![1];
    expect(plain).toContain(chunk);

    // The same build gets the same names; one byte changed anywhere renames every file.
    expect(again.files).toEqual(first.files);
    const changedPlain = changed.files.filter((f) => !/\.(br|gz)$/.test(f));
    for (const name of changedPlain) {
      expect(plain).not.toContain(name);
    }
  } finally {
    for (const { dir } of [first, again, changed]) rmSync(dir, { recursive: true, force: true });
  }
});

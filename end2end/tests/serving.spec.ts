import { expect, test, type APIResponse } from "@playwright/test";
import { DEMO_PASSWORD } from "./support";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

// The bundle is served like a production site's: content-hashed names kept for a year,
// files compressed once at build time, pages asked for again on every visit.

const PKG = resolve(__dirname, "../../target/site/pkg");

test("hashed assets are immutable and pre-compressed; pages are not cached", async ({ request }) => {
  const login = await request.get("/login");
  expect(login.status()).toBe(200);
  expect(login.headers()["cache-control"]).toBe("private, no-cache");
  const html = await login.text();
  const assets = [...html.matchAll(/(\/pkg\/[\w.-]+\.(?:wasm|js|css))\b/g)].map((m) => m[1]);
  const wasm = assets.find((path) => path.endsWith(".wasm"));
  const css = assets.find((path) => path.endsWith(".css"));
  const js = assets.find((path) => path.endsWith(".js"));
  for (const path of [wasm, css, js]) {
    expect(path, `the page links ${assets.join(", ")}`).toMatch(/^\/pkg\/[\w-]+\.[A-Za-z0-9_-]{22}\.\w+$/);
  }

  for (const path of [wasm!, css!, js!]) {
    const brotli = await request.get(path, { headers: { "Accept-Encoding": "br" } });
    expect(brotli.status()).toBe(200);
    expect(brotli.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotli.headers()["content-encoding"]).toBe("br");
    // The very file written at build time, not one compressed for this request.
    const built = statSync(join(PKG, `${path.slice("/pkg/".length)}.br`)).size;
    expect(Number(brotli.headers()["content-length"])).toBe(built);

    const gzip = await request.get(path, { headers: { "Accept-Encoding": "gzip" } });
    expect(gzip.headers()["content-encoding"]).toBe("gzip");
    expect(Number(gzip.headers()["content-length"])).toBe(statSync(join(PKG, `${path.slice("/pkg/".length)}.gz`)).size);
  }

  const plain = await request.get(wasm!, { headers: { "Accept-Encoding": "identity" } });
  expect(plain.headers()["content-encoding"]).toBeUndefined();
  expect(plain.headers()["content-type"]).toBe("application/wasm");

  // A name that is not in this build is not cached for a year.
  const missing = await request.get("/pkg/manager.AAAAAAAAAAAAAAAAAAAAAA.wasm");
  expect(missing.status()).toBe(404);
  expect(missing.headers()["cache-control"]).not.toContain("immutable");
  // Nor are the files of the assets folder, whose names do not change.
  const icon = await request.get("/favicon.svg");
  expect(icon.headers()["cache-control"]).toBe("no-cache");
});

test("the WASM names no source file of the machine that built it", () => {
  // Panic locations used to ship every crate's path on the build machine
  // (`/root/.cargo/registry/src/…/lib.rs`, `app/src/ui.rs`).
  const modules = readdirSync(PKG).filter((name) => name.endsWith(".wasm"));
  expect(modules.length).toBeGreaterThan(1);
  for (const name of modules) {
    const text = readFileSync(join(PKG, name)).toString("latin1");
    expect(text.match(/[\w.-]+\/src\/[\w/.-]*\.rs/g) ?? [], name).toEqual([]);
  }
});

test("a page drawn while files and server functions are served keeps its own policy", async ({ request }) => {
  const login = await request.post("/api/login", {
    form: { email: "alice@example.com", password: DEMO_PASSWORD, next: "/products" },
    maxRedirects: 0,
  });
  expect(login.ok()).toBe(true);
  const policy = (response: APIResponse) => response.headers()["content-security-policy"] ?? "";
  const pages = ["/products", "/transfers", "/users", "/billing", "/api-tokens", "/webhooks"];
  for (let round = 0; round < 10; round++) {
    // Every page load asks for files and calls server functions at the same moment.
    const [drawn, files, calls] = await Promise.all([
      Promise.all(pages.map((path) => request.get(path))),
      Promise.all(pages.map(() => request.get("/favicon.svg"))),
      Promise.all(pages.map(() => request.post("/api/get_me"))),
    ]);
    for (const page of drawn) {
      expect(page.status()).toBe(200);
      const nonce = (await page.text()).match(/nonce="([\w-]+)"/)?.[1];
      expect(policy(page), page.url()).toContain(`'nonce-${nonce}'`);
    }
    for (const response of [...files, ...calls]) {
      expect(response.ok()).toBe(true);
      expect(policy(response), response.url()).toMatch(/^default-src 'none'/);
    }
  }
});

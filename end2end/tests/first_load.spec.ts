import { expect, test } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { hydrated, logIn, logInHere, visit } from "./support";

// The bundle's main module, under its content-hashed name.
const MAIN_MODULE = /^manager\.[\w-]{22}\.wasm$/;

// The server sends each page whole; when the WASM takes it over, nothing on it moves.

test("no layout shift while the pages load and hydrate, on a phone and a desktop", async ({ browser }) => {
  for (const viewport of [{ width: 412, height: 823 }, { width: 1280, height: 800 }]) {
    const context = await browser.newContext({ locale: "en-US", viewport });
    await context.addInitScript(() => {
      (window as any).shifted = 0;
      new PerformanceObserver((entries) => {
        for (const entry of entries.getEntries() as any[]) {
          if (!entry.hadRecentInput) (window as any).shifted += entry.value;
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    const page = await context.newPage();
    await logIn(page, "alice@example.com");
    for (const path of ["/login", "/products", "/transfers", "/users", "/transfers/new"]) {
      await page.goto(path);
      await hydrated(page);
      await expect(page.getByText("Loading…")).toHaveCount(0);
      // Let the last frames settle.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const shifted = await page.evaluate(() => (window as any).shifted);
      expect(shifted, `${path} at ${viewport.width} px`).toBeLessThan(0.01);
    }
    await context.close();
  }
});

// Data the server drew a page with is read back by the browser in the order it was
// resolved; were the two to disagree, the page would log errors as it is taken over.
test("the browser takes each page over without an error", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  await logIn(page, "alice@example.com");
  for (const path of ["/products", "/products/prd-studio-drive", "/users", "/billing", "/api-tokens", "/webhooks", "/transfers", "/transfers/new"]) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByText("Loading…")).toHaveCount(0);
  }
  expect(errors).toEqual([]);
});

// The login page is drawn by the main module alone; the frame of the pages behind the
// login, and each page's section, come with the first page that shows them.
test("the login page downloads the main module only; each page adds its sections", async ({ page }) => {
  const fetched: string[] = [];
  page.on("request", (request) => {
    const file = new URL(request.url()).pathname.split("/").pop()!;
    if (file.endsWith(".wasm")) fetched.push(file);
  });
  await visit(page, "/login");
  await page.waitForLoadState("networkidle");
  expect(fetched).toEqual([expect.stringMatching(MAIN_MODULE)]);

  await logInHere(page, "alice@example.com");
  await expect(page.getByRole("heading", { name: "Products" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(fetched).toContainEqual(expect.stringMatching(/^split_layout_section_/));
  expect(fetched).toContainEqual(expect.stringMatching(/^split_products_section_/));
  expect(fetched.some((file) => file.startsWith("split_transfers_section_"))).toBe(false);
});

// Constant strings go with the code that uses them (app/build.rs): the main module, all
// the login page downloads, carries the login page's texts and not the other pages'.
test("the main module holds the login page's texts, not the wizard's or the receive page's", async ({ page }) => {
  let main = "";
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (MAIN_MODULE.test(path.split("/").pop()!)) main = path;
  });
  await visit(page, "/login");
  await expect.poll(() => main).not.toBe("");
  const bytes = (await (await page.request.get(main)).body()).toString("utf8");
  const locales = resolve(__dirname, "../../app/locales");
  const words = (text: string) => text.split("{")[0].trim();
  for (const file of readdirSync(locales).filter((name) => name.endsWith(".json"))) {
    const texts = JSON.parse(readFileSync(join(locales, file), "utf8"));
    expect(bytes, `${file} login heading`).toContain(words(texts.login.heading));
    for (const [section, key] of [["wizard", "intro"], ["wizard", "no_match"], ["receive", "title"], ["receive", "declined"], ["receive", "no_destination"]]) {
      expect(bytes.includes(words(texts[section][key])), `${file} ${section}.${key}`).toBe(false);
    }
  }
});

import { expect, test, type Page } from "@playwright/test";
import { hydrated, sessionOf, switchOrganization, visit } from "../tests/support";

// Each figure of issue #10's targets, measured in Chromium on the release build with
// 10,000 products, 1,000 users and 200 teams. Times run from the user's action to the
// frame that shows its result; most are the median of 5 runs, the keystroke and tick
// times the 95th percentile of 20 and 10.

const RUNS = 5;
const ALL_IDS = Array.from({ length: 10_000 }, (_, i) => `prd-scale-${i + 1}`);

type Figure = { name: string; value: number; unit: string; target: number; how: string };
const figures: Figure[] = [];

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function p95(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

function record(name: string, value: number, unit: string, target: number, how: string) {
  figures.push({ name, value, unit, target, how });
}

/** Runs `action` in the page, lets the WASM's reactive updates run (they are queued as
 * microtasks), waits for `done` to hold, then for the next frame; milliseconds. */
async function timedInPage(page: Page, action: string, done: string): Promise<number> {
  return page.evaluate(
    async ([action, done]) => {
      const start = performance.now();
      new Function(action)();
      const check = new Function(`return (${done});`);
      do await new Promise((r) => setTimeout(r, 0));
      while (!check());
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return performance.now() - start;
    },
    [action, done],
  );
}

/** Milliseconds from `action` until `ready` resolves. */
async function timed(action: () => Promise<unknown>, ready: () => Promise<unknown>) {
  const start = Date.now();
  await action();
  await ready();
  return Date.now() - start;
}

const statusText = `[...document.querySelectorAll('[role=status]')].map(e => e.textContent).join(' ')`;
const selectAll = `document.querySelector('input[aria-describedby="matching-count"]')`;

async function openWizard(alice: Page) {
  await visit(alice, "/transfers");
  return timed(
    () => alice.getByRole("button", { name: "Transfer products" }).click(),
    () => expect(alice.getByRole("checkbox", { name: "client100001.example hosting", exact: true })).toBeEnabled(),
  );
}

async function selectAllAndAccept(alice: Page) {
  await alice.getByRole("checkbox", { name: "Select all" }).check();
  await expect(alice.getByText("10,000 selected", { exact: true })).toBeVisible();
  await alice.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
}

test("the bulk flow at 10,000 products", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  await switchOrganization(alice, "Scale Reseller SA");
  // The WASM's linear memory is not part of the JS heap: keep a hand on it to report it too.
  // The main module exports it; the bundle's sections import it and export none.
  await alice.addInitScript(() => {
    const keep = (result: WebAssembly.WebAssemblyInstantiatedSource) => {
      const memory = result.instance.exports.memory;
      if (memory) (window as any).__wasmMemory = memory;
      return result;
    };
    const streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = (...args) => streaming(...args).then(keep);
  });
  const bob = await sessionOf(browser, "bob@example.com");

  // Products page: the first page's HTML, and going to the next page.
  const html = await (await alice.request.get("/products")).text();
  record("products page: first page HTML", html.length / 1024, "KB", 150, "bytes of the server-rendered /products");
  await visit(alice, "/products");
  const pager = alice.getByRole("navigation", { name: "Pages" });
  const nextPage: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    nextPage.push(
      await timed(
        () => pager.getByRole("link", { name: "Next" }).click(),
        () => expect(pager).toContainText(`${(50 * run + 1).toLocaleString("en-US")}–`),
      ),
    );
  }
  record("products page: next page", median(nextPage), "ms", 200, "click Next → new rows shown");

  // Wizard: open, type, select all, tick.
  const open: number[] = [];
  for (let run = 0; run < RUNS; run++) open.push(await openWizard(alice));
  record("wizard: Transfer products → interactive", median(open), "ms", 1000, "click → first row enabled");

  const keystrokes: number[] = [];
  const word = "client1000";
  for (let i = 1; i <= word.length; i++) {
    const value = word.slice(0, i);
    keystrokes.push(
      await timedInPage(
        alice,
        `const s = document.getElementById('product-search'); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('input', { bubbles: true }));`,
        `[...document.querySelectorAll('.choice-list label')].every(l => l.textContent.toLowerCase().includes(${JSON.stringify(value)}))`,
      ),
    );
  }
  for (let i = word.length - 1; i >= 0; i--) {
    const value = word.slice(0, i);
    keystrokes.push(
      await timedInPage(
        alice,
        `const s = document.getElementById('product-search'); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('input', { bubbles: true }));`,
        `document.getElementById('matching-count').textContent.startsWith(${JSON.stringify(i === 0 ? "10,200 of" : "")})`,
      ),
    );
  }
  record("wizard: keystroke → list painted (p95 of 20)", p95(keystrokes), "ms", 100, "typing then erasing “client1000”");

  const selecting: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    selecting.push(await timedInPage(alice, `${selectAll}.click()`, `${statusText}.includes('10,000 selected')`));
    await timedInPage(alice, `${selectAll}.click()`, `${statusText}.includes('0 selected')`);
  }
  record("wizard: Select all (10,000)", median(selecting), "ms", 200, "click → “10,000 selected” painted");

  await timedInPage(alice, `${selectAll}.click()`, `${statusText}.includes('10,000 selected')`);
  const ticks: number[] = [];
  for (let run = 0; run < 10; run++) {
    const expected = run % 2 === 0 ? "9,999 selected" : "10,000 selected";
    ticks.push(
      await timedInPage(
        alice,
        `document.querySelector('.choice-list input[type=checkbox]:not([disabled])').click()`,
        `${statusText}.includes(${JSON.stringify(expected)})`,
      ),
    );
  }
  record("wizard: ticking one (p95 of 10)", p95(ticks), "ms", 50, "click → count painted");

  const cdp = await alice.context().newCDPSession(alice);
  await cdp.send("Performance.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  const metrics = (await cdp.send("Performance.getMetrics")).metrics;
  const heap = metrics.find((m) => m.name === "JSHeapUsedSize")!.value / 1024 / 1024;
  const wasm = (await alice.evaluate(() => (window as any).__wasmMemory.buffer.byteLength)) / 1024 / 1024;
  record("wizard: browser JS heap", heap, "MB", 100, "JSHeapUsedSize after a GC, 10,000 selected");
  record("wizard: JS heap and WASM memory together", heap + wasm, "MB", 100, "the above plus the WASM linear memory's size");

  // Warnings, validation, receipt: each run starts a transfer of all 10,000 products,
  // bob opens and receives it, then the products come back to alice through the API.
  const warnings: number[] = [];
  const validate: number[] = [];
  const receiveOpen: number[] = [];
  const receiveDone: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    if (run > 0) await openWizard(alice);
    await selectAllAndAccept(alice);
    warnings.push(
      await timed(
        () => alice.getByRole("button", { name: "Transfer", exact: true }).click(),
        () => expect(alice.getByText(/^Invoices staying with the sending Organization/)).toBeVisible(),
      ),
    );
    const linkBox = alice.getByRole("textbox", { name: "Transfer link" });
    validate.push(
      await timed(
        () => alice.getByRole("button", { name: "Validate the warnings" }).click(),
        () => expect(linkBox).toBeVisible(),
      ),
    );
    const link = new URL(await linkBox.inputValue()).pathname;
    for (let open = 0; open < (run === 0 ? RUNS : 1); open++) {
      receiveOpen.push(
        await timed(
          () => bob.goto(link),
          async () => {
            await hydrated(bob);
            await expect(bob.getByRole("region", { name: "Warnings" })).toBeVisible();
          },
        ),
      );
    }
    if (run === 0) {
      const calls = await bob.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .filter((e) => e.name.includes("/api/"))
          .map((e) => `${e.name.split("/api/")[1]} ${Math.round(e.duration)} ms`),
      );
      console.log(`receive page, its requests after the document: ${calls.join(", ")}`);
    }
    await bob.getByRole("combobox", { name: "Destination Organization" }).selectOption({ label: "Bob Consulting Sàrl" });
    await bob.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
    receiveDone.push(
      await timed(
        () => bob.getByRole("button", { name: "Receive the products" }).click(),
        () => expect(bob.getByText("Completed").first()).toBeVisible(),
      ),
    );
    // Back to alice, untimed.
    const back = await bob.request.post("/api/start_transfer", {
      data: { organization: "org-bob-consulting", products: ALL_IDS, accepted_conditions: true },
    });
    expect(back.ok()).toBe(true);
    const id = await back.json();
    const detail = await (await bob.request.post("/api/get_transfer", { form: { transfer: id } })).json();
    const token = detail.link.split("/").pop();
    const received = await alice.request.post("/api/receive_transfer", {
      form: { token, destination: "org-scale", accepted_conditions: "true" },
    });
    expect(received.ok()).toBe(true);
  }
  record("Transfer → warnings shown", median(warnings), "ms", 1000, "click → grouped warnings painted");
  record("Validate the warnings → link shown", median(validate), "ms", 2000, "click → transfer page with its link");
  record("receive page open", median(receiveOpen), "ms", 1000, "navigation → hydrated, warnings shown");
  record("Receive the products → done", median(receiveDone), "ms", 2000, "click → transfer page says Completed");

  console.log("\n| figure | measured | target | |\n|---|---:|---:|---|");
  for (const f of figures) {
    const ok = f.value <= f.target ? "✓" : "✗";
    console.log(`| ${f.name} | ${f.value.toFixed(f.unit === "ms" ? 0 : 1)} ${f.unit} | ≤ ${f.target} ${f.unit} | ${ok} |`);
  }
  console.log("\nHow each was measured:");
  for (const f of figures) console.log(`- ${f.name}: ${f.how}`);
});

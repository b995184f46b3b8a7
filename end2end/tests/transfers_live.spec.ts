import { expect, test, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { managerServer } from "../launch";
import { hydrated, logIn, sessionOf, transferRow } from "./support";

/** Starts a transfer through the API, as another tab or a script would; returns its id. */
async function startThroughApi(page: Page, organization: string, product: string) {
  const started = await page.request.post("/api/start_transfer", {
    data: { organization, products: [product], accepted_conditions: true },
  });
  expect(started.ok()).toBe(true);
  return (await started.json()) as string;
}

async function linkOf(page: Page, transfer: string) {
  const detail = await page.request.post("/api/get_transfer", { form: { transfer } });
  expect(detail.ok()).toBe(true);
  return (await detail.json()).link as string;
}

/** Waits for the transfers list to be on screen, read before what follows. */
async function listShown(page: Page) {
  await expect(page.getByRole("heading", { name: "Product transfers", level: 1 })).toBeVisible();
  await expect(page.getByRole("table").or(page.getByText("No transfer yet."))).toBeVisible();
  await hydrated(page);
}

/** What the badge says when `count` transfers are in progress. */
async function expectBadge(page: Page, count: number) {
  const link = page.getByRole("link", { name: "Product transfers" });
  if (count > 0) {
    await expect(link).toHaveAccessibleDescription(`${count} in progress`);
  } else {
    await expect(link).not.toHaveAccessibleDescription(/in progress/);
  }
}

test("alice's badge, list and open transfer follow changes made elsewhere, without a reload", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  const bob = await sessionOf(browser, "bob@example.com");
  const counted = await alice.request.post("/api/count_transfers_in_progress", {
    form: { organization: "org-alice-studio" },
  });
  const before = (await counted.json()) as number;
  await alice.getByRole("link", { name: "Product transfers" }).click();
  await listShown(alice);
  // Gone if the page were loaded again: what follows changes in place.
  await alice.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  // Another tab of alice's starts a transfer: this one hears of it.
  const transfer = await startThroughApi(alice, "org-alice-studio", "prd-studio-backup");
  const row = transferRow(alice, "studio-backup").filter({ hasText: "In progress" });
  await expect(row).toHaveCount(1);
  await expectBadge(alice, before + 1);

  // Alice opens it; bob receives it in his own browser; her page and badge follow.
  await row.getByRole("link", { name: "studio-backup" }).click();
  await expect(alice.getByRole("heading", { name: "Transfer", level: 1 })).toBeVisible();
  await expect(alice.getByText("In progress").first()).toBeVisible();
  await bob.goto(await linkOf(alice, transfer));
  await hydrated(bob);
  await bob.getByRole("combobox", { name: "Destination Organization" }).selectOption({ label: "Bob Consulting Sàrl" });
  await bob.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
  await bob.getByRole("button", { name: "Receive the products" }).click();
  await expect(bob.getByText("Completed").first()).toBeVisible();
  await expect(alice.getByText("Completed").first()).toBeVisible();
  await expect(alice.getByRole("definition").filter({ hasText: "Bob Consulting Sàrl" })).toBeVisible();
  await expect(alice.getByRole("listitem").filter({ hasText: "Products received" })).toBeVisible();
  await expectBadge(alice, before);
  expect(await alice.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // The product goes home to Alice Studio SA, for the journeys after this one.
  const home = await startThroughApi(bob, "org-bob-consulting", "prd-studio-backup");
  const token = (await linkOf(bob, home)).split("/").pop()!;
  const received = await alice.request.post("/api/receive_transfer", {
    form: { token, destination: "org-alice-studio", accepted_conditions: "true" },
  });
  expect(received.ok()).toBe(true);
});

test("where the live stream cannot open, the transfers list is read again every few seconds", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-US" });
  let refused = 0;
  await context.route("**/api/live/transfers?*", (route) => {
    refused += 1;
    return route.fulfill({ status: 503, body: "" });
  });
  const alice = await context.newPage();
  await logIn(alice, "alice@example.com");
  await alice.getByRole("link", { name: "Product transfers" }).click();
  await listShown(alice);
  expect(refused).toBeGreaterThan(0);
  const transfer = await startThroughApi(alice, "org-alice-studio", "prd-studio-backup");
  const row = transferRow(alice, "studio-backup").filter({ hasText: "In progress" });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  const cancelled = await alice.request.post("/api/cancel_transfer", { form: { transfer } });
  expect(cancelled.ok()).toBe(true);
});

test("after the server restarts, the stream comes back by itself", async ({ browser }) => {
  // A server of this test's own, to restart without disturbing the other journeys.
  const port = Number(process.env.E2E_RESTART_PORT ?? 3110);
  const dataDir = mkdtempSync(join(tmpdir(), "manager-e2e-restart-"));
  const server = managerServer(port, dataDir);
  const start = async () => {
    const child = spawn(server.command, [], { cwd: server.cwd, env: { ...process.env, ...server.env }, stdio: "ignore" });
    await expect.poll(async () => (await fetch(server.url).catch(() => null))?.ok, { timeout: 60_000 }).toBe(true);
    return child;
  };
  let child: ChildProcess = await start();
  try {
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, locale: "en-US" });
    const alice = await context.newPage();
    await logIn(alice, "alice@example.com");
    await alice.getByRole("link", { name: "Product transfers" }).click();
    await listShown(alice);
    await alice.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    child.kill("SIGTERM");
    await once(child, "exit");
    child = await start();

    // Sooner than the 10-second refresh of a stream that could not open: the stream is back.
    await startThroughApi(alice, "org-alice-studio", "prd-studio-backup");
    await expect(transferRow(alice, "studio-backup").filter({ hasText: "In progress" })).toHaveCount(1, { timeout: 5_000 });
    expect(await alice.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await context.close();
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

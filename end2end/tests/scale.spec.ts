import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, sessionOf, switchOrganization, visit } from "./support";

// The scale data set: "Scale Reseller SA" holds 10,000 products that can move and 200 that
// cannot (my kSuite, Jelastic Cloud), 1,000 users and 200 teams; alice is its legal
// representative. Its own server (see playwright.config.ts). The journeys run in order:
// the last one moves the 10,000 products away.
test.use({ baseURL: process.env.E2E_SCALE_URL });
test.describe.configure({ mode: "serial", timeout: 180_000 });

const SCALE = "Scale Reseller SA";

async function scaleSession(browser: import("@playwright/test").Browser) {
  const alice = await sessionOf(browser, "alice@example.com");
  await switchOrganization(alice, SCALE);
  return alice;
}

function pager(page: Page) {
  return page.getByRole("navigation", { name: "Pages" });
}

async function openWizard(alice: Page) {
  await visit(alice, "/transfers/new");
  await expect(alice.getByText("10,200 of 10,200 products shown, 10,000 of them can move")).toBeVisible();
}

test("the products page paginates on the server and keeps page and search in the URL", async ({ browser }) => {
  const alice = await scaleSession(browser);
  await visit(alice, "/products");
  await expect(pager(alice)).toContainText("1–50 of 10,200");
  await expect(alice.getByRole("row")).toHaveCount(51);
  await pager(alice).getByRole("link", { name: "Next" }).click();
  await expect(alice).toHaveURL(/[?&]page=2\b/);
  await expect(pager(alice)).toContainText("51–100 of 10,200");

  await alice.getByRole("searchbox", { name: "Search by name" }).fill("client1000");
  await alice.getByRole("combobox", { name: "Kind" }).selectOption({ label: "Domain" });
  await alice.getByRole("button", { name: "Search", exact: true }).click();
  await expect(alice).toHaveURL(/q=client1000/);
  await expect(alice).toHaveURL(/kind=domain/);
  await expect(pager(alice)).toContainText("1–10 of 10");
  await expect(alice.getByRole("link", { name: "client100002.example" })).toBeVisible();

  // Reload and back keep what the URL says.
  await alice.reload();
  await hydrated(alice);
  await expect(pager(alice)).toContainText("1–10 of 10");
  await expect(alice.getByRole("searchbox", { name: "Search by name" })).toHaveValue("client1000");
  await alice.goBack();
  await expect(pager(alice)).toContainText("51–100 of 10,200");
  await alice.context().close();
});

test("search and kind narrow the wizard; select all takes exactly the matching products that can move", async ({ browser }) => {
  const alice = await scaleSession(browser);
  await openWizard(alice);
  // Only the rows on screen are drawn, whatever the Organization holds.
  expect(await alice.getByRole("checkbox").count()).toBeLessThan(60);

  await alice.getByRole("searchbox", { name: "Search products" }).fill("client1000");
  await expect(alice.getByText("99 of 10,200 products shown, 99 of them can move")).toBeVisible();
  await alice.getByRole("combobox", { name: "Kind" }).selectOption({ label: "Domain" });
  await expect(alice.getByText("10 of 10,200 products shown, 10 of them can move")).toBeVisible();
  await alice.getByRole("checkbox", { name: "Select all" }).check();
  await expect(alice.getByRole("status").filter({ hasText: "selected" })).toHaveText("10 selected");
  for (let n = 2; n < 100; n += 10) {
    await expect(alice.getByRole("checkbox", { name: `client1000${String(n).padStart(2, "0")}.example`, exact: true })).toBeChecked();
  }

  // Products that cannot move keep their reason; select all has nothing to take there.
  await alice.getByRole("searchbox", { name: "Search products" }).fill("reserved");
  await alice.getByRole("combobox", { name: "Kind" }).selectOption({ label: "my kSuite" });
  await expect(alice.getByText("100 of 10,200 products shown, 0 of them can move")).toBeVisible();
  await expect(alice.getByRole("checkbox", { name: "Select all" })).toBeDisabled();
  const reserved = alice.getByRole("checkbox", { name: "reserved100002.example", exact: true });
  await expect(reserved).toBeDisabled();
  await expect(reserved).toHaveAccessibleDescription("my kSuite cannot be transferred");

  // The selection can be reviewed and trimmed.
  await alice.getByRole("button", { name: "Review the selection" }).click();
  await expect(alice.getByText("0 of 10,200 products shown, 0 of them can move")).toBeVisible();
  await alice.getByRole("searchbox", { name: "Search products" }).fill("");
  await alice.getByRole("combobox", { name: "Kind" }).selectOption({ label: "All kinds" });
  await expect(alice.getByText("10 of 10,200 products shown, 10 of them can move")).toBeVisible();
  await alice.getByRole("checkbox", { name: "client100012.example", exact: true }).uncheck();
  await expect(alice.getByRole("status").filter({ hasText: "selected" })).toHaveText("9 selected");
  // An unticked row stays in the review, to be ticked again.
  await expect(alice.getByRole("checkbox", { name: "client100012.example", exact: true })).not.toBeChecked();
  await alice.context().close();
});

test("10,000 products are selected, warned about, transferred and received", async ({ browser }) => {
  const alice = await scaleSession(browser);
  await openWizard(alice);
  await alice.getByRole("checkbox", { name: "Select all" }).check();
  await expect(alice.getByRole("status").filter({ hasText: "selected" })).toHaveText("10,000 selected");
  await alice.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
  await alice.getByRole("button", { name: "Transfer", exact: true }).click();

  const report = alice.getByRole("region", { name: "Warnings" });
  await expect(report.getByText("Invoices staying with the sending Organization, for 5,000 products")).toBeVisible();
  // One group per person, the largest first.
  const group = report.getByText(/^Scale User \d+ will lose access to [\d,]+ products$/).first();
  await expect(group).toBeVisible();
  await group.click();
  const opened = report.getByRole("group").filter({ hasText: /^Scale User \d+ will lose access/ }).first();
  await expect(opened.getByRole("listitem").first()).toBeVisible();
  // The complete list, one line per product and change: 12,500 grants, 2,000 team rights
  // and 5,000 invoices in the seed; every product has someone, so none is quiet.
  const download = alice.waitForEvent("download");
  await report.getByRole("button", { name: "Download the complete list (CSV)" }).click();
  const csv = readFileSync(await (await download).path(), "utf8").trimEnd().split("\n");
  expect(csv[0]).toBe("product_id,product_name,product_kind,change,subject_id,subject_name");
  expect(csv.length - 1).toBe(12_500 + 2_000 + 5_000);
  expect(new Set(csv.slice(1).map((line) => line.split(",")[0])).size).toBe(10_000);

  await alice.getByRole("button", { name: "Validate the warnings" }).click();
  const linkBox = alice.getByRole("textbox", { name: "Transfer link" });
  await expect(linkBox).toBeVisible({ timeout: 30_000 });
  const link = await linkBox.inputValue();
  await expect(alice.getByText("10,000 products", { exact: true })).toBeVisible();

  const bob = await sessionOf(browser, "bob@example.com");
  await visit(bob, new URL(link).pathname);
  await expect(bob.getByText("10,000 products", { exact: true })).toBeVisible();
  await expect(pager(bob)).toContainText("1–50 of 10,000");
  await expect(bob.getByRole("region", { name: "Warnings" })).toBeVisible({ timeout: 30_000 });
  await bob.getByRole("combobox", { name: "Destination Organization" }).selectOption({ label: "Bob Consulting Sàrl" });
  await bob.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
  await bob.getByRole("button", { name: "Receive the products" }).click();
  await expect(bob.getByText("Completed").first()).toBeVisible({ timeout: 60_000 });

  // Both Organizations count what they now hold.
  await visit(bob, "/products");
  await expect(pager(bob)).toContainText("of 10,002");
  await visit(alice, "/products");
  await expect(pager(alice)).toContainText("1–50 of 200");

  // The transfers list finds it by a product's name, and keeps the search in the URL.
  await visit(alice, "/transfers?q=client100123");
  await expect(alice.getByRole("link", { name: /and 9,997 more$/ })).toBeVisible();
  await alice.reload();
  await hydrated(alice);
  await expect(alice.getByRole("searchbox", { name: "Search by product name" })).toHaveValue("client100123");
  await visit(alice, "/transfers?q=nothing-like-this");
  await expect(alice.getByText("No transfer yet.")).toBeVisible();
  await alice.context().close();
  await bob.context().close();
});

test("the transfers list comes a page at a time", async ({ browser }) => {
  const bob = await sessionOf(browser, "bob@example.com");
  // Fifty-five more transfers out of Bob Consulting, one product each, started through the API.
  for (let n = 1; n <= 55; n++) {
    const response = await bob.request.post("/api/start_transfer", {
      data: { organization: "org-bob-consulting", products: [`prd-scale-${n}`], accepted_conditions: true },
    });
    expect(response.ok()).toBe(true);
  }
  await visit(bob, "/transfers");
  await expect(pager(bob)).toContainText("1–50 of 56");
  await pager(bob).getByRole("link", { name: "Next" }).click();
  await expect(bob).toHaveURL(/page=2/);
  await expect(pager(bob)).toContainText("51–56 of 56");
  await expect(bob.getByRole("row")).toHaveCount(7);
  await bob.context().close();
});

import { expect, test } from "@playwright/test";
import { hydrated, logInHere, sessionOf, startTransfer, transferRow, visit } from "./support";

test("alice sends two products by link and bob receives them into Bob Consulting Sàrl", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  await alice.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const link = await startTransfer(alice, ["Studio Drive", "studio.example hosting"], async (page) => {
    // Grouped by person, team and kind of change; each group opens on its products.
    const report = page.getByRole("region", { name: "Warnings" });
    await expect(report.getByText("Carol Dubois joins the destination Organization, keeping access and kDrive permissions on 1 product but losing any management rights")).toBeVisible();
    await expect(report.getByText("Carol Dubois will lose access to 1 product")).toBeVisible();
    await report.getByText("Team Designers will lose its rights on 1 product").click();
    await expect(report.getByRole("group").filter({ hasText: "Team Designers" }).getByRole("listitem")).toContainText("studio.example hosting");
    // Invoices and linked products under a heading of their own, not the teams' above.
    await expect(report.getByRole("heading", { name: "Staying with the sending Organization", level: 3 })).toBeVisible();
    await report.getByText("Invoices staying with the sending Organization, for 2 products").click();
    await expect(report.getByText("Studio Drive: 2026-0001")).toBeVisible();
    await expect(report.getByText("studio.example hosting: 2026-0002")).toBeVisible();
    await report.getByText(/^Linked products staying behind/).click();
    await expect(report.getByText("studio.example hosting: studio.example")).toBeVisible();
  });
  expect(link).toMatch(/\/receive\/[A-Za-z0-9_-]{43}$/);
  await expect(alice.getByRole("heading", { name: "Transfer", level: 1 })).toBeVisible();
  await expect(alice.getByText("In progress").first()).toBeVisible();
  await expect(alice.getByRole("link", { name: "Product transfers" })).toHaveAccessibleDescription(/^\d+ in progress$/);
  await alice.getByRole("button", { name: "Copy the transfer link" }).click();
  expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // Bob opens the link logged out, logs in, and lands back on it.
  const bobContext = await browser.newContext({ locale: "en-US" });
  const bob = await bobContext.newPage();
  await bob.goto(link);
  await expect(bob).toHaveURL(/\/login\?next=/);
  await logInHere(bob, "bob@example.com");
  await expect(bob.getByRole("heading", { name: "Receive products" })).toBeVisible();
  await hydrated(bob);
  await expect(bob.getByText("Alice Studio SA")).toBeVisible();
  await expect(bob.getByText("Carol Dubois will lose access to 1 product")).toBeVisible();
  // The receiver too learns that the domain linked to the hosting stays behind.
  const bobReport = bob.getByRole("region", { name: "Warnings" });
  await bobReport.getByText(/^Linked products staying behind/).click();
  await expect(bobReport.getByText("studio.example hosting: studio.example")).toBeVisible();
  const receiveButton = bob.getByRole("button", { name: "Receive the products" });
  await expect(bob.getByRole("combobox", { name: "Destination Organization" })).toHaveValue("org-bob-consulting");
  await expect(receiveButton).toBeDisabled();
  await expect(receiveButton).toHaveAccessibleDescription("Accept the general conditions to receive.");
  await bob.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
  await expect(receiveButton).toBeEnabled();
  // A panic in the WASM is only logged, and so is a request that fails: the page goes on,
  // broken in ways a test may miss.
  const panics: string[] = [];
  bob.on("console", (message) => {
    if (message.text().includes("panicked")) panics.push(message.text());
  });
  const failed: string[] = [];
  for (const page of [alice, bob]) {
    page.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
  }
  await receiveButton.click();
  await expect(bob.getByText("Completed").first()).toBeVisible();
  await expect(bob.getByRole("status").filter({ hasText: "The products were received." })).toBeVisible();
  await bob.waitForLoadState("networkidle");
  expect(panics, "the receive page hands over to the transfer page without a panic").toEqual([]);
  // alice's page follows by itself; a closed transfer has no warnings left to ask for.
  await expect(alice.getByText("Completed").first()).toBeVisible();
  await alice.reload();
  await hydrated(alice);
  await alice.waitForLoadState("networkidle");
  expect(failed, "neither page asks for what a closed transfer no longer has").toEqual([]);

  // carol is now a User of Bob Consulting Sàrl, with her kDrive access and no management right.
  await bob.getByRole("link", { name: "Users" }).click();
  await expect(bob.getByRole("row", { name: /Carol Dubois/ }).getByRole("cell", { name: "User", exact: true })).toBeVisible();
  await bob.getByRole("link", { name: "Products" }).click();
  await bob.getByRole("link", { name: "Studio Drive" }).click();
  await expect(bob.getByRole("listitem").filter({ hasText: "Carol Dubois" })).toHaveText("Carol Dubois — read and write");
  // carol lost the hosting, and team Designers its rights on it.
  await bob.getByRole("link", { name: "Products" }).click();
  await bob.getByRole("link", { name: "studio.example hosting" }).click();
  await expect(bob.getByText("No user has been given access.")).toBeVisible();
  await expect(bob.getByText("No team has rights on this product.")).toBeVisible();

  // The invoices stay with Alice Studio SA.
  await alice.getByRole("link", { name: "Billing" }).click();
  await expect(alice.getByRole("row", { name: /2026-0001.*Studio Drive/ })).toBeVisible();
  await expect(alice.getByRole("row", { name: /2026-0002.*studio.example hosting/ })).toBeVisible();

  // Both lists say Completed.
  for (const page of [alice, bob]) {
    await page.getByRole("link", { name: "Product transfers" }).click();
    await expect(transferRow(page, "Studio Drive, studio.example hosting").getByText("Completed")).toBeVisible();
  }

  // The same link cannot be received twice.
  await visit(bob, new URL(link).pathname);
  await expect(bob.getByRole("alert")).toContainText("This transfer link cannot be used");
  await expect(bob.getByRole("button", { name: "Receive the products" })).toHaveCount(0);

  // carol, a plain User, sees her kDrive in Bob Consulting Sàrl but not the hosting.
  const carol = await sessionOf(browser, "carol@example.com");
  await carol.getByRole("combobox", { name: "Organization" }).selectOption({ label: "Bob Consulting Sàrl" });
  await expect(carol.getByRole("link", { name: "Studio Drive" })).toBeVisible();
  await expect(carol.getByRole("link", { name: "studio.example hosting" })).toHaveCount(0);
});

test("the receive page sends no referrer and changes nothing when opened", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  const link = await startTransfer(alice, ["studio.example"]);
  const bob = await sessionOf(browser, "bob@example.com");
  const response = await bob.goto(link);
  expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
  await hydrated(bob);
  await expect(bob.getByText("studio.example", { exact: true })).toBeVisible();
  // Linked products left behind are warned about on the sender's side; here the domain's
  // mail and hosting stay: opening the link moved nothing.
  await alice.reload();
  await hydrated(alice);
  await expect(alice.getByText("In progress").first()).toBeVisible();
  await alice.getByRole("button", { name: "Cancel the transfer" }).click();
  await alice.getByRole("button", { name: "Yes, cancel the transfer" }).click();
  await expect(alice.getByText("Cancelled").first()).toBeVisible();
});

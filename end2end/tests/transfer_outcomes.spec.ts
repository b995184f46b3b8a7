import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { hydrated, sessionOf, startTransfer, switchOrganization, transferRow, visit } from "./support";

test("a transfer straight into another of my Organizations completes at once", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  await startTransfer(alice, ["build-vps"]);
  await alice
    .getByRole("listitem")
    .filter({ hasText: "Alice Holding" })
    .getByRole("button", { name: "Transfer to this Organization" })
    .click();
  await expect(alice.getByRole("status").filter({ hasText: "The products were moved." })).toBeVisible();
  await expect(alice.getByText("Completed").first()).toBeVisible();
  await alice.getByRole("link", { name: "Products" }).click();
  await switchOrganization(alice, "Alice Holding");
  await expect(alice.getByRole("link", { name: "build-vps" })).toBeVisible();
});

test("a cancelled transfer frees its products", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  await startTransfer(alice, ["studio-backup"]);
  await alice.getByRole("button", { name: "Cancel the transfer" }).click();
  await alice.getByRole("button", { name: "Yes, cancel the transfer" }).click();
  await expect(alice.getByText("Cancelled").first()).toBeVisible();
  await expect(alice.getByRole("textbox", { name: "Transfer link" })).toHaveCount(0);
  await alice.getByRole("link", { name: "Product transfers" }).click();
  await alice.getByRole("button", { name: "Transfer products" }).click();
  await expect(alice.getByRole("checkbox", { name: "studio-backup", exact: true })).toBeEnabled();
});

test("the receiver can decline; the sender sees it", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  const link = await startTransfer(alice, ["Studio kSuite"]);
  const bob = await sessionOf(browser, "bob@example.com");
  await visit(bob, new URL(link).pathname);
  await bob.getByRole("button", { name: "Decline" }).click();
  await expect(bob.getByRole("main").getByRole("status")).toHaveText("You declined this transfer. The products stay with the sending Organization.");
  await alice.getByRole("link", { name: "Product transfers" }).click();
  await expect(transferRow(alice, "Studio kSuite").getByText("Declined")).toBeVisible();
});

test("an expired link tells so and moves nothing", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  await switchOrganization(alice, "Alice Holding");
  const link = await startTransfer(alice, ["alice-holding.example SSL"]);
  // Fourteen days pass.
  const db = join(process.env.E2E_DATA_DIR!, "manager.db");
  execFileSync("python3", ["-c", `import sqlite3; c = sqlite3.connect(${JSON.stringify(db)}); c.execute("UPDATE transfers SET expires_at = 1 WHERE status = 'in_progress'"); c.commit()`]);
  const bob = await sessionOf(browser, "bob@example.com");
  await visit(bob, new URL(link).pathname);
  await expect(bob.getByRole("alert")).toContainText("This transfer link cannot be used");
  await alice.getByRole("link", { name: "Product transfers" }).click();
  await expect(transferRow(alice, "alice-holding.example SSL").getByText("Expired")).toBeVisible();
});

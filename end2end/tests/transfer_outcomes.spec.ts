import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { hydrated, sessionOf, startTransfer, switchOrganization, transferRow, visit } from "./support";

/** Runs SQL on the e2e server's database (python3's sqlite3: no client to install). */
function sql(statements: string[]) {
  const db = join(process.env.E2E_DATA_DIR!, "manager.db");
  const script = statements.map((statement) => `c.execute(${JSON.stringify(statement)})`).join("; ");
  execFileSync("python3", ["-c", `import sqlite3; c = sqlite3.connect(${JSON.stringify(db)}); ${script}; c.commit()`]);
}

test("a transfer straight into another Organization completes at once; another administrator accepts the conditions first", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  await startTransfer(alice, ["build-vps"]);
  const conditions = { name: "I have read and accept the general conditions" };
  const move = (page: Page) =>
    page.getByRole("listitem").filter({ hasText: "Alice Holding" }).getByRole("button", { name: "Transfer to this Organization" });
  // Alice accepted the conditions in the wizard: nothing more to tick.
  await expect(move(alice)).toBeEnabled();
  await expect(alice.getByRole("checkbox", conditions)).toHaveCount(0);

  // Carol, made an administrator of both Organizations, never saw them.
  sql([
    "UPDATE memberships SET role = 'administrator' WHERE organization_id = 'org-alice-studio' AND user_id = 'usr-carol'",
    "INSERT INTO memberships (organization_id, user_id, role) VALUES ('org-alice-holding', 'usr-carol', 'administrator')",
  ]);
  try {
    const carol = await sessionOf(browser, "carol@example.com");
    await visit(carol, new URL(alice.url()).pathname);
    await expect(move(carol)).toBeDisabled();
    await expect(move(carol)).toHaveAccessibleDescription("Accept the general conditions to receive.");
    await carol.getByRole("checkbox", conditions).check();
    await move(carol).click();
    await expect(carol.getByRole("status").filter({ hasText: "The products were moved." })).toBeVisible();
    await expect(carol.getByText("Completed").first()).toBeVisible();
  } finally {
    sql([
      "UPDATE memberships SET role = 'user' WHERE organization_id = 'org-alice-studio' AND user_id = 'usr-carol'",
      "DELETE FROM memberships WHERE organization_id = 'org-alice-holding' AND user_id = 'usr-carol'",
    ]);
  }
  await alice.reload();
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
  sql(["UPDATE transfers SET expires_at = 1 WHERE status = 'in_progress'"]);
  const bob = await sessionOf(browser, "bob@example.com");
  await visit(bob, new URL(link).pathname);
  await expect(bob.getByRole("alert")).toContainText("This transfer link cannot be used");
  await alice.getByRole("link", { name: "Product transfers" }).click();
  await expect(transferRow(alice, "alice-holding.example SSL").getByText("Expired")).toBeVisible();
});

import { expect, test } from "@playwright/test";
import { sessionOf } from "./support";

test("products that cannot move are disabled with their reason", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  await alice.getByRole("link", { name: "Product transfers" }).click();
  await alice.getByRole("button", { name: "Transfer products" }).click();
  const myKSuite = alice.getByRole("checkbox", { name: "Alice my kSuite", exact: true });
  await expect(myKSuite).toBeDisabled();
  await expect(myKSuite).toHaveAccessibleDescription("my kSuite cannot be transferred");
  const jelastic = alice.getByRole("checkbox", { name: "studio-env", exact: true });
  await expect(jelastic).toBeDisabled();
  await expect(jelastic).toHaveAccessibleDescription("Jelastic Cloud has its own transfer procedure");

  // The search narrows the list; select all takes only what may move.
  await alice.getByRole("searchbox", { name: "Search products" }).fill("studio.example");
  await expect(alice.getByRole("checkbox", { name: "Studio kSuite", exact: true })).toHaveCount(0);
  await alice.getByRole("checkbox", { name: "Select all" }).check();
  await expect(alice.getByText(/^\d+ selected$/)).not.toHaveText("0 selected");

  // Warnings name what is lost, computed by the rules crate for the selection.
  await alice.getByRole("searchbox", { name: "Search products" }).fill("");
  await alice.getByRole("button", { name: "Clear the selection" }).click();
  await expect(alice.getByText("0 selected", { exact: true })).toBeVisible();
  await alice.getByRole("checkbox", { name: "studio.example", exact: true }).check();
  await alice.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
  await alice.getByRole("button", { name: "Transfer", exact: true }).click();
  await alice.getByText("Invoices staying with the sending Organization, for 1 product").click();
  await expect(alice.getByText("studio.example: 2026-0003")).toBeVisible();
  await expect(alice.getByRole("button", { name: "Validate the warnings" })).toBeVisible();
});

test("Manage, then Transfer, opens the wizard with that product chosen", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  await alice.getByRole("link", { name: "studio-backup" }).click();
  await alice.getByRole("button", { name: "Manage" }).click();
  await alice.getByRole("menuitem", { name: "Transfer" }).click();
  await expect(alice.getByRole("heading", { name: "Transfer products", level: 1 })).toBeVisible();
  await expect(alice.getByRole("checkbox", { name: "studio-backup", exact: true })).toBeChecked();
  await expect(alice.getByRole("checkbox", { name: "Studio kSuite", exact: true })).not.toBeChecked();
});

test("a plain User cannot start a transfer, in the page or through the API", async ({ browser }) => {
  const carol = await sessionOf(browser, "carol@example.com");
  await carol.getByRole("link", { name: "Product transfers" }).click();
  await expect(carol.getByRole("heading", { name: "Product transfers", level: 1 })).toBeVisible();
  await expect(carol.getByRole("button", { name: "Transfer products" })).toHaveCount(0);
  const response = await carol.request.post("/api/start_transfer", {
    data: { organization: "org-alice-studio", products: ["prd-studio-drive"], accepted_conditions: true },
    headers: { accept: "application/json" },
  });
  expect(response.ok()).toBe(false);
  expect(await response.json()).toBe("Forbidden");
});

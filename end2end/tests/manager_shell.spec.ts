import { expect, test } from "@playwright/test";
import { backToEnglish, hydrated, logIn, logInHere, visit } from "./support";

test("alice browses her Organizations without reloading, then logs out", async ({ page }) => {
  await logIn(page, "alice@example.com");
  await expect(page).toHaveTitle("Products · Manager");
  const switcher = page.getByRole("combobox", { name: "Organization" });
  await expect(switcher).toHaveValue("org-alice-studio");
  await expect(page.getByRole("link", { name: "Studio Drive" })).toBeVisible();
  await expect(page.getByRole("link", { name: "studio-env" })).toBeVisible();

  // A value kept in the page proves the switch does not reload the document.
  await page.evaluate(() => ((window as any).keptAcrossSwitch = 42));
  await switcher.selectOption({ label: "Alice Holding" });
  await expect(page.getByRole("link", { name: "alice-holding.example", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Studio Drive" })).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).keptAcrossSwitch)).toBe(42);

  await page.getByRole("link", { name: "alice-holding.example", exact: true }).click();
  await expect(page.getByRole("heading", { name: "alice-holding.example", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle("alice-holding.example · Manager");
  await page.getByRole("button", { name: "Manage" }).click();
  await expect(page.getByRole("menuitem", { name: "Transfer" })).toBeVisible();

  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("cell", { name: "alice@example.com" })).toBeVisible();
  await page.getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("cell", { name: "2026-0005" })).toBeVisible();

  await page.getByRole("button", { name: "Alice Martin" }).click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
  // Drawn in the browser this time, from what the document's body carries.
  await expect(page.getByRole("heading", { name: "Demo accounts" })).toBeVisible();
  await expect(page.getByText("carol@example.com")).toBeVisible();
  await expect(page.getByText("demo-password", { exact: true })).toBeVisible();
  await visit(page, "/products");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("a product or transfer that cannot be shown says so in the tab and the heading", async ({ page }) => {
  await logIn(page, "alice@example.com");
  for (const path of ["/products/prd-missing", "/transfers/trf-missing"]) {
    await visit(page, path);
    const error = "Not found, or you do not have access to it.";
    await expect(page.getByRole("heading", { name: error, level: 1 })).toBeVisible();
    await expect(page).toHaveTitle(`${error} · Manager`);
  }
});

test("a wrong password shows an error and opens no session", async ({ page }) => {
  await visit(page, "/login");
  await logInHere(page, "dave@example.com", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");
  await visit(page, "/products");
  await expect(page).toHaveURL(/\/login\?next=%2Fproducts|\/login\?next=\/products/);
});

test("an anonymous visit lands on login, then returns to the page asked for", async ({ page }) => {
  await page.goto("/billing");
  await expect(page).toHaveURL(/\/login\?next=/);
  await logInHere(page, "bob@example.com");
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(page.getByRole("cell", { name: "2026-0006" })).toBeVisible();
});

test("the Manager speaks French when asked, and remembers it", async ({ page }) => {
  await logIn(page, "bob@example.com");
  await page.getByRole("button", { name: "Bob Keller" }).click();
  await page.getByRole("menuitemradio", { name: "Français" }).click();
  await expect(page.getByRole("heading", { name: "Produits", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Transferts de produits" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Organisation" })).toBeVisible();
  // The list's pager follows too, without a reload.
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText("Suivante");
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(" sur ");
  // The server itself draws the next page in French, before any script runs.
  const served = await page.reload();
  expect(await served!.text()).toMatch(/<html[^>]* lang="fr"/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Produits", level: 1 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await backToEnglish(page);
});

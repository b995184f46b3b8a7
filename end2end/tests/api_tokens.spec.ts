import { expect, request, test } from "@playwright/test";
import { logIn, onSmallPhone } from "./support";

// An Administrator creates a token on the API tokens page, a script uses it (no cookies),
// and revoking it on the page stops the script at once.

test("a token created on the page works for the API until it is revoked", async ({ page, baseURL }) => {
  await logIn(page, "alice@example.com");
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();

  await page.getByRole("textbox", { name: "Name" }).fill("nightly sync");
  await page.getByRole("checkbox", { name: /products:read/ }).check();
  await page.getByRole("combobox", { name: "Valid for" }).selectOption({ label: "90 days" });
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: "Token created" })).toBeVisible();
  const secret = await page.getByRole("textbox", { name: "New API token" }).inputValue();
  expect(secret).toMatch(/^mgr_/);
  const row = page.getByRole("row", { name: /nightly sync/ });
  await expect(row).toContainText("products:read");
  await expect(row).toContainText("Never");

  const script = await request.newContext({ baseURL });
  const products = await script.get("/api/v1/products", { headers: { authorization: `Bearer ${secret}` } });
  expect(products.status()).toBe(200);
  const names = (await products.json()).items.map((item: { name: string }) => item.name);
  expect(names).toContain("Studio Drive");

  // The secret is shown once: a reload lists the token, never its secret.
  await page.reload();
  await expect(page.getByRole("row", { name: /nightly sync/ })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "New API token" })).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  // On a small phone the list becomes cards, each cell under its label.
  const listed = page.getByRole("row", { name: /nightly sync/ });
  await expect(listed.getByText("Last used")).toBeHidden();
  await onSmallPhone(page, "the tokens list", () => expect(listed.getByText("Last used")).toBeVisible());

  await page.getByRole("button", { name: "Revoke — nightly sync" }).click();
  await expect(page.getByRole("row", { name: /nightly sync/ })).toContainText("Revoked");
  const refused = await script.get("/api/v1/products", { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
  await script.dispose();
});

test("a token needs a name and a permission", async ({ page }) => {
  await logIn(page, "alice@example.com");
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByRole("textbox", { name: "Name" }).fill("no rights");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("alert")).toHaveText("Choose at least one permission for the token.");
  await expect(page.getByRole("row", { name: /no rights/ })).toHaveCount(0);
});

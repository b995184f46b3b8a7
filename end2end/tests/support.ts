import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo-password";

/** Waits until the WASM has hydrated the page: clicks before that are lost. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body?.dataset.hydrated === "true");
}

export async function visit(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

/** Logs in through the form on the page the browser is on (the login page). */
export async function logInHere(page: Page, email: string, password = DEMO_PASSWORD) {
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function logIn(page: Page, email: string) {
  await visit(page, "/login");
  await logInHere(page, email);
  await expect(page.getByRole("combobox", { name: "Organization" })).toBeVisible();
  await hydrated(page);
}

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { backToEnglish, brokenWords, hydrated, logIn, onSmallPhone, sessionOf, switchOrganization, visit } from "./support";

// axe-core on every page of the flow, in each state a user meets: no serious or critical
// violation, and no two buttons of a page with one accessible name.

async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `${what}: serious or critical violations`).toEqual([]);
  const tree = await page.locator("body").ariaSnapshot();
  const names = [...tree.matchAll(/- button "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  expect(repeated, `${what}: buttons sharing a name`).toEqual([]);
}

test("every page of the flow passes axe-core, as alice and as bob", async ({ browser, page }) => {
  await visit(page, "/login");
  await expectAccessible(page, "login page");
  await visit(page, "/no-such-page");
  await expectAccessible(page, "page not found");

  await logIn(page, "alice@example.com");
  await expectAccessible(page, "products");
  await page.getByRole("link", { name: "Studio Drive" }).click();
  await expect(page.getByRole("heading", { name: "Studio Drive", level: 1 })).toBeVisible();
  await expectAccessible(page, "product dashboard");
  await page.getByRole("button", { name: "Manage" }).click();
  await expect(page.getByRole("menuitem", { name: "Transfer" })).toBeVisible();
  await expectAccessible(page, "product dashboard, Manage menu open");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Alice Martin" }).click();
  await expect(page.getByRole("menuitem", { name: "Log out" })).toBeVisible();
  await expectAccessible(page, "user menu open");
  await page.keyboard.press("Escape");
  for (const [link, heading] of [["Users", "Users"], ["Billing", "Billing"], ["API tokens", "API tokens"], ["Webhooks", "Webhooks"], ["Product transfers", "Product transfers"]]) {
    await page.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expectAccessible(page, heading);
  }

  // The wizard, each step, from Alice Holding (a product no other journey moves).
  await switchOrganization(page, "Alice Holding");
  await page.getByRole("button", { name: "Transfer products" }).click();
  await expect(page.getByRole("checkbox", { name: "alice-holding.example", exact: true })).toBeVisible();
  await expectAccessible(page, "wizard, choosing");
  await page.getByRole("checkbox", { name: "alice-holding.example", exact: true }).check();
  await page.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
  await expectAccessible(page, "wizard, product chosen");
  await page.getByRole("button", { name: "Transfer", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Warnings" })).toBeVisible();
  await expectAccessible(page, "wizard, warnings");
  await page.getByRole("button", { name: "Validate the warnings" }).click();
  const link = await page.getByRole("textbox", { name: "Transfer link" }).inputValue();
  await expectAccessible(page, "transfer page, in progress");

  const bob = await sessionOf(browser, "bob@example.com");
  await visit(bob, new URL(link).pathname);
  await expect(bob.getByRole("heading", { name: "Receive products" })).toBeVisible();
  await expectAccessible(bob, "receive page");
  const create = bob.getByRole("button", { name: "Create a new Organization" });
  await expect(create).toHaveAttribute("aria-expanded", "false");
  await create.click();
  await expect(create).toHaveAttribute("aria-expanded", "true");
  await expectAccessible(bob, "receive page, new Organization form open");

  await page.getByRole("button", { name: "Cancel the transfer" }).click();
  await expect(page.getByRole("button", { name: "Keep the transfer" })).toBeFocused();
  await expectAccessible(page, "transfer page, asked to confirm the cancel");
  await page.getByRole("button", { name: "Yes, cancel the transfer" }).click();
  await expect(page.getByText("Cancelled").first()).toBeVisible();
  await hydrated(page);
  await expectAccessible(page, "transfer page, cancelled");
});

test("on a phone's screen the pages pass axe-core and fit the width", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 412, height: 823 }, isMobile: true });
  const page = await context.newPage();
  await logIn(page, "alice@example.com");
  for (const [path, heading] of [["/products", "Products"], ["/transfers", "Product transfers"], ["/transfers/new", "Transfer products"]]) {
    await visit(page, path);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Alice Martin" })).toBeVisible();
    await expect(page.getByText("Loading…")).toHaveCount(0);
    await expectAccessible(page, `${path} on a phone`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} scrolls sideways`).toBeLessThanOrEqual(412);
  }
  // The wizard is the last page: a product that cannot move shows its whole name, and why
  // it cannot move below it.
  for (const [name, reason] of [["Alice my kSuite", "my kSuite cannot be transferred"], ["studio-env", "Jelastic Cloud has its own transfer procedure"]]) {
    for (const shown of [page.getByText(name, { exact: true }), page.getByText(reason, { exact: true })]) {
      await shown.scrollIntoViewIfNeeded();
      await expect(shown).toBeInViewport({ ratio: 1 });
      const whole = await shown.evaluate((element) => element.scrollWidth <= element.clientWidth && element.scrollHeight <= element.clientHeight);
      expect(whole, `${await shown.textContent()} is cut short`).toBe(true);
    }
  }
});

test("on a small phone, in every language, each page fits the width with its words whole and the header keeps to two rows", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  await logIn(page, "alice@example.com");
  const pages = ["/products", "/products/prd-studio-domain", "/transfers", "/transfers/new", "/users", "/billing", "/api-tokens", "/webhooks"];
  try {
    for (const language of ["de", "it", "fr", "en"]) {
      expect((await page.request.post("/api/save_language", { form: { language } })).ok()).toBe(true);
      for (const path of pages) {
        await visit(page, path);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
        await expect(page.getByText(/^(Loading|Chargement|Wird geladen|Caricamento)/)).toHaveCount(0);
        await onSmallPhone(page, `${path} in ${language}`, async () => {
          // The brand above; the Organization list and the user menu side by side below it.
          const switcher = (await page.getByRole("combobox", { name: /^Organi[sz]/ }).boundingBox())!;
          const user = (await page.getByRole("button", { name: "Alice Martin" }).boundingBox())!;
          expect(user.y, `the user menu below the Organization list in ${language}`).toBeLessThan(switcher.y + switcher.height);
          expect(user.y + user.height).toBeGreaterThan(switcher.y);
        });
      }
      // On a desktop, the sidebar's labels keep their words whole too.
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(await brokenWords(page, "nav"), `sidebar words cut in two in ${language}`).toEqual([]);
      await page.setViewportSize({ width: 360, height: 740 });
    }
    // The product's Manage menu opens within the screen.
    await visit(page, "/products/prd-studio-domain");
    await page.getByRole("button", { name: "Manage" }).click();
    await expect(page.getByRole("menu")).toBeInViewport({ ratio: 1 });
  } finally {
    await backToEnglish(page);
  }
});

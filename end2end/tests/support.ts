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

export type Browser = import("@playwright/test").Browser;

/** Saves English as the language of the page's user. A language chosen in the user menu
 * is saved and would follow them into the next journeys, which read English. */
export async function backToEnglish(page: Page) {
  const response = await page.request.post("/api/save_language", { form: { language: "en" } });
  expect(response.ok()).toBe(true);
}

/** A separate browser session (its own cookies), logged in as `email`. */
export async function sessionOf(browser: Browser, email: string, locale = "en-US") {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  await logIn(page, email);
  return page;
}

export async function switchOrganization(page: Page, name: string) {
  await page.getByRole("combobox", { name: "Organization" }).selectOption({ label: name });
}

/** Starts a transfer of the named products from the current Organization; returns its link. */
export async function startTransfer(
  page: Page,
  products: string[],
  checkWarnings: (page: Page) => Promise<void> = async () => {},
) {
  await page.getByRole("link", { name: "Product transfers" }).click();
  await page.getByRole("button", { name: "Transfer products" }).click();
  for (const product of products) {
    await page.getByRole("checkbox", { name: product, exact: true }).check();
  }
  await page.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
  await page.getByRole("button", { name: "Transfer", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Warnings" })).toBeVisible();
  await checkWarnings(page);
  await page.getByRole("button", { name: "Validate the warnings" }).click();
  const link = page.getByRole("textbox", { name: "Transfer link" });
  await expect(link).toBeVisible();
  return await link.inputValue();
}

/** The transfers table row listing exactly these products. */
export function transferRow(page: Page, products: string) {
  return page.getByRole("row").filter({ has: page.getByRole("link", { name: products, exact: true }) });
}

/** On a small phone (360 px wide) the page fits the width with its words whole; `more`
 * checks what else should hold at that width. The page's size is given back after. */
export async function onSmallPhone(page: Page, what: string, more: () => Promise<void> = async () => {}) {
  const before = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    await more();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${what} scrolls sideways`).toBeLessThanOrEqual(360);
    expect(await brokenWords(page), `words cut in two in ${what}`).toEqual([]);
  } finally {
    await page.setViewportSize(before);
  }
}

/** Where a word of the page's text runs onto a new line between two letters or digits: a
 * word may break at a space, a hyphen, a soft hyphen or a `<wbr>`, never elsewhere. Text
 * kept for screen readers only (clipped out of sight) is not drawn, so not read. */
export function brokenWords(page: Page, selector = "main, nav") {
  return page.evaluate((selector) => {
    const broken = new Set<string>();
    const within = (c: string) => /[\p{L}\p{N}]/u.test(c);
    const outOfSight = (element: Element | null) => {
      for (; element; element = element.parentElement) {
        const style = getComputedStyle(element);
        if (style.position === "absolute" && style.clip !== "auto") return true;
      }
      return false;
    };
    for (const root of document.querySelectorAll(selector)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (outOfSight(node.parentElement)) continue;
        const text = node.textContent ?? "";
        let top: number | null = null;
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          // A character after a soft hyphen also reports the hyphen drawn before the
          // break: its own box is the last one.
          const box = [...range.getClientRects()].filter((rect) => rect.width > 0).pop();
          if (!box) continue;
          if (top !== null && box.top > top + 2 && within(text[i - 1]) && within(text[i])) {
            broken.add(`${text.slice(0, i)}|${text.slice(i)}`);
          }
          top = box.top;
        }
      }
    }
    return [...broken];
  }, selector);
}

import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, visit } from "./support";

// The whole journey with the keyboard alone: Tab to reach things, Enter and Space to use
// them, the arrows and Escape in menus.

async function isFocused(target: Locator) {
  return target.evaluate((element) => element === document.activeElement);
}

/** Presses Tab until `target` has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator) {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < 80; presses++) {
    if (await isFocused(target)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

async function logInWithKeyboard(page: Page, email: string) {
  await visit(page, "/login");
  await tabTo(page, page.getByLabel("Email"));
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
}

test("bob transfers a product without a mouse", async ({ page }) => {
  await logInWithKeyboard(page, "bob@example.com");
  await expect(page.getByRole("heading", { name: "Products", level: 1 })).toBeVisible();
  await hydrated(page);

  // The first stop on a page skips the top bar and the navigation.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  expect(await isFocused(skip)).toBe(true);
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);

  await tabTo(page, page.getByRole("link", { name: "Product transfers" }));
  await page.keyboard.press("Enter");
  await tabTo(page, page.getByRole("button", { name: "Transfer products" }));
  await page.keyboard.press("Enter");
  const product = page.getByRole("checkbox", { name: "bob-consulting.example", exact: true });
  await tabTo(page, product);
  await page.keyboard.press("Space");
  await expect(product).toBeChecked();
  const conditions = page.getByRole("checkbox", { name: "I have read and accept the general conditions" });
  await tabTo(page, conditions);
  await page.keyboard.press("Space");
  await expect(conditions).toBeChecked();
  await tabTo(page, page.getByRole("button", { name: "Transfer", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Warnings" })).toBeVisible();
  await tabTo(page, page.getByRole("button", { name: "Validate the warnings" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("textbox", { name: "Transfer link" })).toHaveValue(/\/receive\//);
  await expect(page.getByRole("navigation").getByRole("status")).toHaveText(/^\d+ in progress$/);

  // Leave the product free for the other journeys.
  await tabTo(page, page.getByRole("button", { name: "Cancel the transfer" }));
  await page.keyboard.press("Enter");
  // Asked once more, the safe answer in focus: Enter again keeps the transfer.
  const question = page.getByRole("group", { name: /^Cancel this transfer\?/ });
  await expect(question.getByRole("button", { name: "Keep the transfer" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("In progress").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel the transfer" })).toBeVisible();
  await tabTo(page, page.getByRole("button", { name: "Cancel the transfer" }));
  await page.keyboard.press("Enter");
  await tabTo(page, question.getByRole("button", { name: "Yes, cancel the transfer" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Cancelled").first()).toBeVisible();
});

test("the Manage and user menus follow the menu button pattern", async ({ page }) => {
  await logInWithKeyboard(page, "bob@example.com");
  await tabTo(page, page.getByRole("link", { name: "bob-consulting.example" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "bob-consulting.example", level: 1 })).toBeVisible();

  const manage = page.getByRole("button", { name: "Manage" });
  const transfer = page.getByRole("menuitem", { name: "Transfer" });
  await expect(manage).toHaveAttribute("aria-expanded", "false");
  await tabTo(page, manage);
  await page.keyboard.press("Enter");
  await expect(manage).toHaveAttribute("aria-expanded", "true");
  await expect(transfer).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(transfer).toBeHidden();
  await expect(manage).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(transfer).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(transfer).toBeHidden();

  // A click anywhere else closes it too.
  await manage.click();
  await expect(transfer).toBeVisible();
  await page.getByRole("heading", { name: "bob-consulting.example", level: 1 }).click();
  await expect(transfer).toBeHidden();

  const account = page.getByRole("button", { name: "Bob Keller" });
  await tabTo(page, account);
  await page.keyboard.press("Space");
  const english = page.getByRole("menuitemradio", { name: "English" });
  const french = page.getByRole("menuitemradio", { name: "Français" });
  const german = page.getByRole("menuitemradio", { name: "Deutsch" });
  const italian = page.getByRole("menuitemradio", { name: "Italiano" });
  const logout = page.getByRole("menuitem", { name: "Log out" });
  await expect(english).toBeFocused();
  await expect(english).toHaveAttribute("aria-checked", "true");
  const moves: [string, Locator][] = [
    ["ArrowDown", french],
    ["ArrowDown", german],
    ["ArrowDown", italian],
    ["ArrowDown", logout],
    ["ArrowDown", english],
    ["End", logout],
    ["Home", english],
    ["ArrowUp", logout],
  ];
  for (const [key, focused] of moves) {
    await page.keyboard.press(key);
    await expect(focused, `after ${key}`).toBeFocused();
  }
  await page.keyboard.press("Escape");
  await expect(account).toBeFocused();
  await expect(logout).toBeHidden();
  await page.keyboard.press("ArrowUp");
  await expect(logout).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
});

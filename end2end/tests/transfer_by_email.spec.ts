import { expect, test } from "@playwright/test";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { hydrated, sessionOf, startTransfer } from "./support";

/** Messages the SMTP server received for `recipient`, newest last. */
function mailsTo(recipient: string): string[] {
  const dir = join(process.env.E2E_MAILDIR!, "new");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .filter((text) => new RegExp(`^To: .*${recipient}`, "mi").test(text));
}

test("the link sent by email reaches the recipient and works", async ({ browser }) => {
  const alice = await sessionOf(browser, "alice@example.com");
  const link = await startTransfer(alice, ["studio.example mail"]);
  await alice.getByRole("textbox", { name: "Email address" }).fill("bob@example.com");
  await alice.getByRole("button", { name: "Send by email" }).click();
  // Said beside the address field, not at the top of the page.
  const sending = alice.getByRole("region", { name: "Send the transfer" });
  await expect(sending.getByRole("status").filter({ hasText: "The link will be sent by email." })).toBeVisible();
  await expect(alice.getByText("Link sent by email to bob@example.com")).toBeVisible();

  let mail = "";
  await expect
    .poll(() => {
      mail = mailsTo("bob@example.com").find((text) => text.includes("/receive/")) ?? "";
      return mail;
    }, { timeout: 20_000 })
    .not.toBe("");
  const mailed = mail.replace(/=\r?\n/g, "").match(/https?:\/\/\S+\/receive\/[A-Za-z0-9_-]{43}/)?.[0];
  expect(mailed).toBe(link);

  const bob = await sessionOf(browser, "bob@example.com");
  await bob.goto(mailed!);
  await hydrated(bob);
  await bob.getByRole("checkbox", { name: "I have read and accept the general conditions" }).check();
  await bob.getByRole("button", { name: "Receive the products" }).click();
  await expect(bob.getByText("Completed").first()).toBeVisible();

  // The source's administrators hear that it completed.
  await expect.poll(() => mailsTo("alice@example.com").some((text) => text.includes("Transfer completed")), { timeout: 20_000 }).toBe(true);
});

import { expect, test, type Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import { createServer, IncomingHttpHeaders } from "node:http";
import { AddressInfo } from "node:net";
import { logIn, onSmallPhone, startTransfer, visit } from "./support";

// An Administrator registers an endpoint on the Webhooks page; a receiver on this machine
// verifies each event's Standard Webhooks signature with the secret the page showed once,
// and "Send again" repeats an event under the same id.

type Received = { headers: IncomingHttpHeaders; body: string };

function verifies(secret: string, { headers, body }: Received) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`;
  const expected = "v1," + createHmac("sha256", key).update(signed).digest("base64");
  return String(headers["webhook-signature"]).split(" ").includes(expected);
}

/** The deliveries' heading and its Refresh button stand clear of the endpoints above. */
async function deliveriesStandApart(page: Page) {
  const endpoints = (await page.getByRole("table").first().boundingBox())!;
  const bottom = endpoints.y + endpoints.height;
  for (const below of [
    page.getByRole("heading", { name: "Recent deliveries" }),
    page.getByRole("button", { name: "Refresh" }),
  ]) {
    expect((await below.boundingBox())!.y - bottom).toBeGreaterThanOrEqual(16);
  }
}

test("an endpoint added on the page gets signed events, logged and sent again", async ({ page }) => {
  const received: Received[] = [];
  const receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((ready) => receiver.listen(0, "127.0.0.1", ready));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  await logIn(page, "alice@example.com");
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await page.getByRole("textbox", { name: "Endpoint URL" }).fill(url);
  for (const other of ["created", "completed", "declined", "expired"]) {
    await page.getByRole("checkbox", { name: new RegExp(`^transfer\\.${other}`) }).uncheck();
  }
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByRole("heading", { name: "Endpoint added" })).toBeVisible();
  const secret = await page.getByRole("textbox", { name: "Signing secret" }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByRole("row", { name: new RegExp(url) })).toContainText("transfer.cancelled");

  await startTransfer(page, ["studio-backup"]);
  await page.getByRole("button", { name: "Cancel the transfer" }).click();
  await page.getByRole("button", { name: "Yes, cancel the transfer" }).click();
  await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
  expect(verifies(secret, received[0])).toBe(true);
  expect(JSON.parse(received[0].body).type).toBe("transfer.cancelled");

  await page.getByRole("link", { name: "Webhooks" }).click();
  const delivery = page.getByRole("row", { name: /transfer\.cancelled.*Delivered/ });
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(delivery).toBeVisible({ timeout: 1_000 });
  }).toPass();
  // On a small phone both lists become cards, each cell under its label.
  await onSmallPhone(page, "the webhook lists", async () => {
    await expect(delivery.getByText("Attempts")).toBeVisible();
    await deliveriesStandApart(page);
  });
  await expect(delivery.getByText("Attempts")).toBeHidden();
  await deliveriesStandApart(page);
  await delivery.getByRole("button", { name: /^Send again — transfer\.cancelled/ }).click();
  await expect.poll(() => received.length, { timeout: 15_000 }).toBe(2);
  expect(received[1].headers["webhook-id"]).toBe(received[0].headers["webhook-id"]);
  expect(verifies(secret, received[1])).toBe(true);

  // The secret was shown once; removing the endpoint stops the events.
  await page.reload();
  await expect(page.getByRole("textbox", { name: "Signing secret" })).toHaveCount(0);
  await page.getByRole("button", { name: `Remove — ${url}` }).click();
  await expect(page.getByText("This Organization has no webhook endpoints yet.")).toBeVisible();
  receiver.close();
});

test("an endpoint on the internet must use HTTPS", async ({ page }) => {
  await logIn(page, "alice@example.com");
  // Opened directly, not from the sidebar: the page's own code arrives before it reacts.
  await visit(page, "/webhooks");
  await page.getByRole("textbox", { name: "Endpoint URL" }).fill("http://93.184.215.14/hooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByRole("alert")).toHaveText("Enter an HTTPS address, such as https://example.com/hooks.");
  await expect(page.getByText("This Organization has no webhook endpoints yet.")).toBeVisible();
});

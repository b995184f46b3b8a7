import { expect, test, type Page } from "@playwright/test";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { logIn, sessionOf } from "./support";

// The command-line client against the release server: Alice's token starts a transfer of
// several products, Bob's token receives it, both list their side, all in --json.

const cli = resolve(__dirname, "../../target/debug/manager");

type Run = { code: number; stdout: string; stderr: string };

function manager(token: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      cli,
      args,
      { env: { PATH: process.env.PATH ?? "", MANAGER_URL: process.env.E2E_BASE_URL!, MANAGER_TOKEN: token } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function tokenOf(page: Page, organization: string): Promise<string> {
  const response = await page.request.post("/api/create_api_token", {
    data: { organization, name: "cli", scopes: ["products:read", "transfers:read", "transfers:send", "transfers:receive"], days: 7 },
  });
  expect(response.ok()).toBe(true);
  return (await response.json()).secret;
}

test("two tokens move products with the command-line client alone", async ({ browser, page, baseURL }) => {
  expect(existsSync(cli), `${cli} is built (scripts/test builds it)`).toBe(true);
  process.env.E2E_BASE_URL = baseURL;
  await logIn(page, "alice@example.com");
  const alice = await tokenOf(page, "org-alice-holding");
  const bobPage = await sessionOf(browser, "bob@example.com");
  const bob = await tokenOf(bobPage, "org-bob-consulting");

  const products = await manager(alice, ["products", "list", "--json"]);
  expect(products.code, products.stderr).toBe(0);
  const ids = JSON.parse(products.stdout).map((p: { id: string }) => p.id).sort();
  expect(ids).toEqual(["prd-holding-domain", "prd-holding-ssl"]);

  const refused = await manager(alice, ["transfers", "start", "--all-matching", "alice-holding", "--json"]);
  expect(refused.code, "a refusal exits with 3").toBe(3);
  expect(refused.stderr).toContain("conditions_not_accepted");

  const started = await manager(alice, ["transfers", "start", "--all-matching", "alice-holding", "--accept-conditions", "--json"]);
  expect(started.code, started.stderr).toBe(0);
  const transfer = JSON.parse(started.stdout);
  expect(transfer.status).toBe("in_progress");
  expect(transfer.kinds.map((k: { count: number }) => k.count).reduce((a: number, b: number) => a + b)).toBe(2);

  const link = await manager(alice, ["transfers", "link", transfer.id]);
  expect(link.code).toBe(0);
  expect(link.stdout.trim()).toBe(transfer.link);

  const wrongInto = await manager(bob, ["transfers", "receive", transfer.link, "--into", "org-alice-studio", "--accept-conditions", "--json"]);
  expect(wrongInto.code).toBe(3);
  const received = await manager(bob, ["transfers", "receive", link.stdout.trim(), "--into", "org-bob-consulting", "--accept-conditions", "--json"]);
  expect(received.code, received.stderr).toBe(0);
  expect(JSON.parse(received.stdout)).toEqual({ transfer: transfer.id, destination: "org-bob-consulting" });

  const sent = JSON.parse((await manager(alice, ["transfers", "list", "--json"])).stdout);
  expect(sent.find((t: { id: string }) => t.id === transfer.id)).toMatchObject({ direction: "outgoing", status: "completed", product_count: 2 });
  const got = JSON.parse((await manager(bob, ["transfers", "list", "--status", "completed", "--json"])).stdout);
  expect(got.find((t: { id: string }) => t.id === transfer.id)).toMatchObject({ direction: "incoming", status: "completed" });
  const shown = await manager(bob, ["transfers", "show", transfer.id]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(/status\s+completed/);

  const again = await manager(alice, ["transfers", "cancel", transfer.id]);
  expect(again.code).toBe(3);
  expect(again.stderr).toContain("transfer_closed");

  // The products are Bob's now: move them home so other journeys find the demo data intact.
  const back = await manager(bob, ["transfers", "start", "--product", "prd-holding-domain", "--product", "prd-holding-ssl", "--accept-conditions", "--json"]);
  expect(back.code, back.stderr).toBe(0);
  const home = await manager(alice, ["transfers", "receive", JSON.parse(back.stdout).link, "--accept-conditions", "--json"]);
  expect(home.code, home.stderr).toBe(0);
  await bobPage.context().close();
});

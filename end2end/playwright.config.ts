import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, managerServer } from "./launch";

// One fresh server per run, on a free-by-convention port and an empty temporary database,
// sending its email through a real SMTP server that writes what it receives to a maildir.
// Set in the environment so the test workers, which load this file again, share them.
const port = Number(process.env.E2E_PORT ?? 3107);
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2526);
const baseURL = `http://127.0.0.1:${port}`;
process.env.E2E_DATA_DIR ||= mkdtempSync(join(tmpdir(), "manager-e2e-"));
process.env.E2E_MAILDIR ||= join(process.env.E2E_DATA_DIR, "maildir");
const dataDir = process.env.E2E_DATA_DIR;
// A second server holds the scale data set (10,000 products), apart from the demo journeys.
const scalePort = Number(process.env.E2E_SCALE_PORT ?? 3108);
process.env.E2E_SCALE_URL ||= `http://127.0.0.1:${scalePort}`;
process.env.E2E_SCALE_DATA_DIR ||= mkdtempSync(join(tmpdir(), "manager-e2e-scale-"));

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // The journeys share one server and its demo data: one at a time keeps them independent.
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "en-US",
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  webServer: [
    {
      command: `python3 -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox ${process.env.E2E_MAILDIR}`,
      port: smtpPort,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    // Webhook receivers in the tests listen on this machine, which only this allows.
    managerServer(port, dataDir, { MANAGER_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MANAGER_WEBHOOK_ALLOW_PRIVATE: "1" }),
    managerServer(scalePort, process.env.E2E_SCALE_DATA_DIR!, { MANAGER_DEMO_SCALE: "10000" }),
  ],
});

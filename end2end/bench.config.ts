import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, managerServer } from "./launch";

// The bulk-flow benchmark (scripts/bench-scale): the release server on a fresh database
// seeded with the demo and a 10,000-product Organization, driven by Chromium.
const port = Number(process.env.BENCH_PORT ?? 3109);
const baseURL = `http://127.0.0.1:${port}`;
process.env.BENCH_DATA_DIR ||= mkdtempSync(join(tmpdir(), "manager-bench-"));

export default defineConfig({
  testDir: "./bench",
  testMatch: "*.bench.ts",
  timeout: 30 * 60_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "en-US",
    viewport: { width: 1280, height: 900 },
    launchOptions: chromium,
  },
  webServer: managerServer(port, process.env.BENCH_DATA_DIR!, { MANAGER_DEMO_SCALE: "10000" }),
});

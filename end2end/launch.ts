import { join, resolve } from "node:path";

// How every Playwright run here starts its browser and the Manager.

/** Debian's Chromium (no browser downloads on this machine). */
export const chromium = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

const root = resolve(__dirname, "..");

/** The release server with the demo data on a fresh database in `dataDir`. */
export function managerServer(port: number, dataDir: string, env: Record<string, string> = {}) {
  return {
    command: join(root, "target/release/server"),
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    // Seeding 10,000 products takes a few seconds more.
    timeout: 120_000,
    stdout: "pipe" as const,
    env: {
      MANAGER_ADDR: `127.0.0.1:${port}`,
      MANAGER_DATA_DIR: dataDir,
      MANAGER_DEMO: "1",
      LEPTOS_SITE_ROOT: join(root, "target/site"),
      RUST_LOG: "warn",
      ...env,
    },
  };
}

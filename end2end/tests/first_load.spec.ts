import { expect, test } from "@playwright/test";
import { hydrated, logIn } from "./support";

// The server sends each page whole; when the WASM takes it over, nothing on it moves.

test("no layout shift while the pages load and hydrate, on a phone and a desktop", async ({ browser }) => {
  for (const viewport of [{ width: 412, height: 823 }, { width: 1280, height: 800 }]) {
    const context = await browser.newContext({ locale: "en-US", viewport });
    await context.addInitScript(() => {
      (window as any).shifted = 0;
      new PerformanceObserver((entries) => {
        for (const entry of entries.getEntries() as any[]) {
          if (!entry.hadRecentInput) (window as any).shifted += entry.value;
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    const page = await context.newPage();
    await logIn(page, "alice@example.com");
    for (const path of ["/login", "/products", "/transfers", "/users", "/transfers/new"]) {
      await page.goto(path);
      await hydrated(page);
      await expect(page.getByText("Loading…")).toHaveCount(0);
      // Let the last frames settle.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const shifted = await page.evaluate(() => (window as any).shifted);
      expect(shifted, `${path} at ${viewport.width} px`).toBeLessThan(0.01);
    }
    await context.close();
  }
});

import { chromium } from 'playwright';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const base = 'http://127.0.0.1:3911';
const c = await b.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 }, isMobile: true });
const p = await c.newPage();
await p.goto(base + '/login'); await p.waitForFunction(() => document.body?.dataset.hydrated === 'true');
await p.getByLabel('Email').fill('alice@example.com'); await p.getByLabel('Password').fill('demo-password');
await p.getByRole('button', { name: 'Log in' }).click(); await p.waitForURL('**/products');
for (const lang of ['de', 'fr', 'it', 'en']) {
  await p.request.post(base + '/api/save_language', { form: { language: lang } });
  for (const u of ['/products', '/products/prd-studio-drive', '/users', '/billing', '/transfers', '/transfers/new', '/api-tokens', '/webhooks']) {
    await p.goto(base + u); await p.waitForFunction(() => document.body?.dataset.hydrated === 'true');
    console.log(lang, u, await p.evaluate(() => document.documentElement.scrollWidth));
  }
}
await b.close();

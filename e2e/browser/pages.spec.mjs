import { expect, test } from '@playwright/test';
import { signInConsole } from './support/helpers.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

// Every Agent Mode page, reached from the navigation rail, with the heading it must show.
const PAGES = [
  ['Queue', 'Queue'],
  ['Knowledge', 'Knowledge'],
  ['Notes', 'Notes'],
  ['History', 'History'],
  ['Search', 'Search'],
  ['Customers', 'Customers'],
  ['Phrases', 'My phrases'],
  ['Notifications', 'Notifications'],
  ['Personal info', 'Personal info'],
];

test('every Agent Mode page opens from the navigation and loads its data without an error', async ({ browser }) => {
  const { page } = await signInConsole(browser, 'chen@demo.example.com');
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on(
    'response',
    (r) => r.url().endsWith('/graphql') && r.status() >= 500 && errors.push(`${r.status()} ${r.url()}`),
  );
  const nav = page.getByRole('navigation', { name: 'Pages' });

  for (const [link, heading] of PAGES) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.locator('mat-progress-bar')).toHaveCount(0);
    // A refused or failed request shows in a snack bar.
    await expect(page.locator('mat-snack-bar-container')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}page-${link.toLowerCase().replace(/\s+/g, '-')}.png` });
  }
  // The demo content is there: the knowledge article and the public phrases.
  await nav.getByRole('link', { name: 'Knowledge', exact: true }).click();
  await page.getByRole('button', { name: /Refunds and returns/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Refunds and returns' })).toBeVisible();
  expect(errors).toEqual([]);
});

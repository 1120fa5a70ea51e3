import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { gql, signInConsole, tokenOf } from './support/helpers.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

const READ = `{ tenant { settings { showLastMessageTime crmFrame { enabled url params encrypt } } } }`;
const read = async (token) => (await gql(READ, {}, token)).tenant.settings;
const update = (token, input) =>
  gql(
    `mutation($i: TenantSettingsInput!) { updateTenantSettings(input: $i) { showLastMessageTime } }`,
    { i: input },
    token,
  );

/** Switches the console's language from the top bar (the choice is saved to the user). */
async function chooseLanguage(page, label) {
  const lang = label === 'English' ? 'en' : 'zh-CN';
  await expect(async () => {
    await page.getByRole('button', { name: /Language|语言/ }).click();
    await page.getByRole('menuitemradio', { name: label }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
}

let admin;
let before;

test.beforeAll(async () => {
  admin = await tokenOf('admin@demo.example.com');
  before = await read(admin);
});

test.afterAll(async () => {
  // Later tests expect the demo's settings and an English console.
  await update(admin, { showLastMessageTime: before.showLastMessageTime, crmFrame: before.crmFrame });
  await gql(`mutation { updateMyProfile(input: { language: EN }) { language } }`, {}, admin);
  expect(await read(admin)).toEqual(before);
});

test('an admin turns on the time of the last message in Settings, and sees the API refuse a bad CRM address', async ({
  browser,
}) => {
  // Off to start with, so that the admin has something to turn on.
  await update(admin, { showLastMessageTime: false });
  const { page } = await signInConsole(browser, 'admin@demo.example.com');
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await page.getByTestId('mode-admin').click();
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.waitForURL(/\/admin\/settings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  // The keyboard opens a section.
  const section = page.getByTestId('section-console');
  await section.getByRole('button', { name: /Agent console/ }).focus();
  await page.keyboard.press('Enter');
  const toggle = section.getByRole('switch', { name: 'Show the time of the last message' });
  await expect(toggle).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await section.getByTestId('save-console').click();
  await expect(section.getByTestId('saved-console')).toHaveText(/Saved/);
  expect((await read(admin)).showLastMessageTime).toBe(true);
  await page.screenshot({ path: `${SHOTS}admin-settings.png` });

  // Durations read in minutes or hours, with their unit beside them.
  const noReply = page.getByTestId('section-noReply');
  await noReply.getByRole('button', { name: /Agent has not replied/ }).click();
  await expect(noReply.getByTestId('setting-noReply-afterSeconds')).toHaveValue('3');
  await expect(noReply.getByTestId('setting-noReply-afterSeconds-unit')).toContainText('minutes');
  await noReply.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}admin-settings-durations.png` });

  // A bad CRM address: the API's error beside the section, with the field named; nothing saved.
  const crm = page.getByTestId('section-crmFrame');
  await crm.getByRole('button', { name: /CRM panel/ }).click();
  const url = crm.getByTestId('setting-crmFrame-url');
  await expect(url).toHaveValue(before.crmFrame.url ?? '');
  await url.fill('ftp://x');
  await crm.getByTestId('save-crmFrame').click();
  const error = crm.getByTestId('error-crmFrame');
  await expect(error).toContainText('CRM page address:');
  await expect(error).toContainText('must be an https:// address');
  expect((await read(admin)).crmFrame.url).toBe(before.crmFrame.url);
  await error.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}admin-settings-error.png` });

  await page.setViewportSize({ width: 400, height: 800 });
  await page.screenshot({ path: `${SHOTS}admin-settings-400.png` });

  await page.setViewportSize({ width: 1280, height: 800 });
  await chooseLanguage(page, '简体中文');
  await expect(page.getByRole('heading', { level: 1, name: '设置' })).toBeVisible();
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(error).toContainText('CRM 页面地址:');
  await page.screenshot({ path: `${SHOTS}admin-settings-zh.png` });
  await page.setViewportSize({ width: 400, height: 800 });
  await page.screenshot({ path: `${SHOTS}admin-settings-zh-400.png` });
  expect(errors).toEqual([]);
});

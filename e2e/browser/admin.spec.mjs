import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { gql, setStatus, signInConsole, tokenOf } from './support/helpers.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

test.describe.configure({ mode: 'serial' });

const setApproval = (token, on) =>
  gql(
    `mutation($on: Boolean!) { updateTenantSettings(input: { statusChangeNeedsApproval: $on }) { statusChangeNeedsApproval } }`,
    { on },
    token,
  );

const statusOf = async (token) => (await gql(`{ me { status } }`, {}, token)).me.status;

/** Switches the console's language from the top bar (the choice is saved to the user). */
async function chooseLanguage(page, label) {
  const lang = label === 'English' ? 'en' : 'zh-CN';
  // Once the menu is open and settled, one click switches; the page says so on <html lang>.
  await expect(async () => {
    await page.getByRole('button', { name: /Language|语言/ }).click();
    await page.getByRole('menuitemradio', { name: label }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
}

test.afterAll(async () => {
  // Later tests expect the demo's defaults: status changes without approval, Amy online, English.
  const admin = await tokenOf('admin@demo.example.com');
  await setApproval(admin, false);
  await gql(`mutation { updateMyProfile(input: { language: EN }) { language } }`, {}, admin);
  await setStatus(await tokenOf('amy@demo.example.com'), 'ONLINE');
});

test('an admin switches to Admin Mode, is alerted on another page and approves an agent going busy', async ({
  browser,
}) => {
  const { page } = await signInConsole(browser, 'admin@demo.example.com');
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const nav = page.getByRole('navigation', { name: 'Pages' });
  const modes = page.getByRole('navigation', { name: 'Mode' });

  // Agent Mode is where the admin starts; the switch opens Admin Mode's first page.
  await expect(modes.getByRole('link', { name: 'Agent Mode' })).toHaveAttribute('aria-current', 'true');
  await expect(nav.getByRole('link', { name: 'Queue', exact: true })).toBeVisible();
  await modes.getByRole('link', { name: 'Admin Mode' }).click();
  await page.waitForURL(/\/admin\/access$/);
  await expect(modes.getByRole('link', { name: 'Admin Mode' })).toHaveAttribute('aria-current', 'true');
  await expect(nav.getByRole('link', { name: 'Approvals', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Queue', exact: true })).toHaveCount(0);
  // The keyboard reaches the switch and works it.
  await modes.getByRole('link', { name: 'Agent Mode' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/conversations$/);
  // /admin opens Admin Mode's first page too.
  await page.goto(page.url().replace(/\/conversations$/, '/admin'));
  await page.waitForURL(/\/admin\/access$/);

  // The admin now sits on an Agent Mode page when the request comes in.
  await modes.getByRole('link', { name: 'Agent Mode' }).click();
  await nav.getByRole('link', { name: 'Knowledge', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Knowledge' })).toBeVisible();

  const admin = await tokenOf('admin@demo.example.com');
  await setApproval(admin, true);
  await signInConsole(browser, 'amy@demo.example.com');
  const amy = await tokenOf('amy@demo.example.com');
  const asked = await gql(
    `mutation { setMyStatus(status: BUSY, reason: "Lunch break, back at two") { pendingApproval { number } } }`,
    {},
    amy,
  );
  const number = asked.setMyStatus.pendingApproval.number;
  expect(await statusOf(amy)).toBe('ONLINE');

  // Live, on whatever page: the alert, and the count on the switch to Admin Mode.
  const alert = page.locator('mat-snack-bar-container');
  await expect(alert).toContainText(`Request #${number}: Amy asks to go Busy`);
  await expect(page.getByTestId('mode-badge-admin')).toHaveText('1');
  await page.screenshot({ path: `${SHOTS}admin-alert.png` });
  await alert.getByRole('button', { name: 'Open' }).click();
  await page.waitForURL(/\/admin\/approvals$/);
  await expect(page.getByTestId('badge-ADMIN_APPROVALS')).toBeVisible();

  const row = page
    .getByTestId('approvals-table')
    .getByRole('row')
    .filter({ hasText: `#${number}` });
  await expect(row).toContainText('Amy');
  await expect(row).toContainText('Status change');
  await expect(row).toContainText('Busy');
  await expect(row).toContainText('Lunch break, back at two');
  await page.screenshot({ path: `${SHOTS}admin-approvals.png` });

  await row.getByRole('button', { name: `Approve request #${number}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('decision-remark').fill('Enjoy your lunch');
  await page.screenshot({ path: `${SHOTS}admin-approve-dialog.png`, animations: 'disabled' });
  await dialog.getByTestId('decision-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveCount(0);
  await expect.poll(() => statusOf(amy)).toBe('BUSY');
  await expect(page.getByTestId('badge-ADMIN_APPROVALS')).toHaveCount(0);

  // The decided request is listed with who decided, and the remark.
  await page.getByTestId('approval-states').getByRole('radio', { name: 'Approved' }).click();
  const decided = page
    .getByTestId('approvals-table')
    .getByRole('row')
    .filter({ hasText: `#${number}` });
  await expect(decided).toContainText('Ada Admin');
  await expect(decided).toContainText('Enjoy your lunch');

  // While the page is open: a new request appears, and another admin's decision takes it away.
  await page
    .getByTestId('approval-states')
    .getByRole('radio', { name: /^Pending/ })
    .click();
  await setStatus(amy, 'ONLINE');
  const second = (
    await gql(`mutation { setMyStatus(status: AWAY, reason: "Dentist") { pendingApproval { id number } } }`, {}, amy)
  ).setMyStatus.pendingApproval;
  const live = page
    .getByTestId('approvals-table')
    .getByRole('row')
    .filter({ hasText: `#${second.number}` });
  await expect(live).toContainText('Away');
  await expect(live).toContainText('Dentist');
  await gql(
    `mutation($id: ID!) { decideApproval(id: $id, approve: false, remark: "Not today") { state } }`,
    { id: second.id },
    admin,
  );
  await expect(live).toHaveCount(0);
  expect(await statusOf(amy)).toBe('ONLINE');
  expect(errors).toEqual([]);
});

test('the Access page shows each widget’s snippet and links, and creates, edits and deletes one', async ({
  browser,
}) => {
  const { page, context } = await signInConsole(browser, 'admin@demo.example.com');
  await page.getByTestId('mode-admin').click();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Access', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Access' })).toBeVisible();

  const demo = page
    .getByTestId('widget-card')
    .filter({ has: page.getByTestId('embed-snippet') })
    .first();
  const snippet = await demo.getByTestId('embed-snippet').textContent();
  const key = snippet.match(/key=([\w-]+)/)[1];
  expect(snippet).toMatch(new RegExp(`^<script src="https?://[^"]+/widget\\.js\\?key=${key}" async></script>$`));
  await expect(demo.getByTestId('h5-link')).toHaveAttribute('href', new RegExp(`/widget/\\?key=${key}$`));
  // The copy button puts the snippet on the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await demo.getByTestId('copy-snippet').click();
  await expect(page.locator('mat-snack-bar-container')).toContainText('Copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
  await page.screenshot({ path: `${SHOTS}admin-access.png` });

  // The demo link opens the stand-in site with this widget on it.
  const [site] = await Promise.all([context.waitForEvent('page'), demo.getByTestId('demo-link').click()]);
  await site.waitForLoadState();
  expect(site.url()).toMatch(new RegExp(`/demo\\?key=${key}$`));
  await expect(site.getByRole('heading', { name: 'Acme Outdoor' })).toBeVisible();
  await site.waitForSelector('[data-parley-widget]', { state: 'attached' });
  await site.close();

  // A new configuration: bad input shows the API's error; fixed, it saves and gets its own snippet.
  await page.getByTestId('widget-create').click();
  const dialog = page.getByRole('dialog');
  // The dialog has opened (its first field takes the focus when the animation ends) before anyone
  // types, as a person would see it: typing earlier lands in whichever field has the focus then.
  await expect(dialog.getByTestId('widget-name')).toBeFocused();
  await expect(dialog.getByTestId('widget-color')).toHaveValue('#3f51b5');
  await dialog.getByTestId('widget-name').fill('Spring campaign');
  await dialog.getByTestId('widget-title').fill('Ask us anything');
  await dialog.getByTestId('widget-color').fill('teal');
  await dialog.getByTestId('widget-save').click();
  await expect(dialog.getByTestId('widget-error')).toContainText(/colou?r/i);
  await page.screenshot({ path: `${SHOTS}admin-access-error.png` });
  await dialog.getByTestId('widget-color').fill('#00897b');
  await dialog.getByRole('radio', { name: 'Bottom left' }).check();
  await dialog.getByTestId('widget-save').click();
  await expect(dialog).toHaveCount(0);
  const created = page.getByTestId('widget-card').filter({ hasText: 'Spring campaign' });
  await expect(created).toContainText('Ask us anything');
  await expect(created).toContainText('Bottom left');
  await expect(created.getByTestId('embed-snippet')).toContainText('/widget.js?key=wk_');

  await created.getByTestId('widget-edit').click();
  await expect(dialog.getByTestId('widget-name')).toBeFocused();
  await expect(dialog.getByTestId('widget-title')).toHaveValue('Ask us anything');
  await dialog.getByTestId('widget-title').fill('Talk to Acme');
  await dialog.getByTestId('widget-save').click();
  await expect(created).toContainText('Talk to Acme');

  await created.getByTestId('widget-delete').click();
  await expect(dialog).toContainText('Spring campaign');
  await dialog.getByTestId('widget-delete-confirm').click();
  await expect(created).toHaveCount(0);
});

test('Admin Mode on a narrow screen and in Chinese', async ({ browser }) => {
  const { page } = await signInConsole(browser, 'admin@demo.example.com');
  await page.setViewportSize({ width: 400, height: 800 });
  await page.getByTestId('mode-admin').click();
  await page.waitForURL(/\/admin\/access$/);
  await page.screenshot({ path: `${SHOTS}admin-access-narrow.png` });
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Approvals', exact: true }).click();
  await page.getByTestId('approval-states').getByRole('radio', { name: 'Approved' }).click();
  await expect(page.getByTestId('approvals-table')).toContainText('Amy');
  await page.screenshot({ path: `${SHOTS}admin-approvals-narrow.png` });

  await chooseLanguage(page, '简体中文');
  await expect(page.getByRole('heading', { level: 1, name: '审批' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}admin-approvals-narrow-zh.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByRole('link', { name: '管理模式' })).toHaveAttribute('aria-current', 'true');
  await page.screenshot({ path: `${SHOTS}admin-approvals-zh.png` });
  await page.getByRole('navigation', { name: '页面' }).getByRole('link', { name: '接入', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '接入' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}admin-access-zh.png` });
  await chooseLanguage(page, 'English');
  await expect(page.getByRole('heading', { level: 1, name: 'Access' })).toBeVisible();
});

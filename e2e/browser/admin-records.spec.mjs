import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { base, gql, signInConsole, tokenOf } from './support/helpers.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

test.describe.configure({ mode: 'serial' });

// Admin Mode's record pages, opened by URL, with the heading each must show (en, zh-CN).
const PAGES = [
  ['history', '/admin/history', 'History', '历史会话'],
  ['search', '/admin/search', 'Search', '搜索'],
  ['customers', '/admin/customers', 'Customers', '客户'],
  ['blacklist-log', '/admin/customers/blacklist-log', 'Customers', '客户'],
  ['notifications', '/admin/notifications', 'Notifications', '通知'],
];

/** Something for the pages to show: a closed conversation Amy served, its customer on the blacklist. */
async function seedRecords() {
  const admin = await tokenOf('admin@demo.example.com');
  const amy = await tokenOf('amy@demo.example.com');
  const { startVisitorSession } = await gql(
    'mutation ($i: StartVisitorSessionInput!) { startVisitorSession(input: $i) { token } }',
    { i: { widgetKey: 'demo-widget' } },
  );
  const { sendVisitorMessage } = await gql(
    'mutation ($i: MessageInput!) { sendVisitorMessage(input: $i) { conversation } }',
    { i: { type: 'TEXT', text: '你好，我想退款，订单 #2002' } },
    startVisitorSession.token,
  );
  const id = sendVisitorMessage.conversation;
  await gql('mutation ($id: ID!) { joinConversation(id: $id) { id } }', { id }, amy);
  await gql(
    'mutation ($id: ID!, $i: MessageInput!) { sendMessage(conversationId: $id, input: $i) { id } }',
    { id, i: { type: 'TEXT', text: 'The refund for #2002 is on its way.' } },
    amy,
  );
  await gql('mutation ($id: ID!) { closeConversation(id: $id) { id } }', { id }, amy);
  const { conversation } = await gql('query ($id: ID!) { conversation(id: $id) { customer { id } } }', { id }, admin);
  await gql(
    'mutation ($i: BlacklistCustomerInput!) { blacklistCustomer(input: $i) { customer { id } } }',
    { i: { customerId: conversation.customer.id, reason: 'Spam links in every message' } },
    admin,
  );
  return { admin };
}

/** Fails the test on console errors, server errors and error snack bars. */
function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('response', (r) => r.url().endsWith('/graphql') && r.status() >= 500 && errors.push(`${r.status()}`));
  return errors;
}

async function setLanguage(token, language) {
  await gql('mutation ($l: Language!) { updateMyProfile(input: { language: $l }) { id } }', { l: language }, token);
}

test('the admin opens History, Search, Customers, the blacklist log and Notifications by URL', async ({ browser }) => {
  const { admin } = await seedRecords();
  const { page } = await signInConsole(browser, 'admin@demo.example.com');
  const errors = watchErrors(page);
  const settled = async () => {
    await expect(page.locator('mat-progress-bar')).toHaveCount(0);
    await expect(page.locator('mat-snack-bar-container')).toHaveCount(0);
  };

  // History: every closed conversation in scope, filtered by the agent who served it.
  await page.goto(`${base()}/admin/history`);
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  await settled();
  const history = page.getByTestId('history-table');
  await expect(history.getByRole('columnheader', { name: 'Team' })).toBeVisible();
  await expect(history).toContainText('Amy');
  await page.getByTestId('history-agent').fill('Ben');
  await page.getByRole('option', { name: /Ben/ }).click();
  await page.getByTestId('history-search').click();
  await settled();
  await expect(history).toContainText('No conversations match.');
  await page.getByRole('button', { name: 'Remove Ben' }).click();
  await page.getByTestId('history-agent').fill('Amy');
  await page.getByRole('option', { name: /Amy/ }).click();
  await page.getByTestId('history-search').click();
  await settled();
  await expect(history.locator('tr.clickable')).toHaveCount(1);
  await history.locator('tr.clickable').first().press('Enter');
  await expect(page.getByRole('region', { name: 'Conversation' })).toContainText('The refund for #2002');

  // Search: messages of every conversation in scope, Chinese included.
  await page.goto(`${base()}/admin/search`);
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  await page.getByTestId('search-keyword').fill('退款');
  await page.getByTestId('search-submit').click();
  await settled();
  await expect(page.getByText('1 messages found')).toBeVisible();
  await expect(page.locator('mark')).toHaveText('退款');
  // A hit opens its conversation there, with what followed.
  await page.locator('button.hit').first().press('Enter');
  await expect(page.getByTestId('search-conversation')).toContainText('The refund for #2002 is on its way.');

  // Customers: the blacklisted customer, and the log of the addition.
  await page.goto(`${base()}/admin/customers`);
  await expect(page.getByRole('heading', { level: 1, name: 'Customers' })).toBeVisible();
  await settled();
  await page.getByTestId('blacklisted-only').click();
  await page.getByRole('button', { name: 'Search' }).click();
  await settled();
  await expect(page.getByTestId('customers-table')).toContainText('Spam links in every message');
  await page.getByRole('navigation', { name: 'Customer views' }).getByRole('link', { name: 'Blacklist log' }).click();
  await expect(page).toHaveURL(/\/admin\/customers\/blacklist-log$/);
  await settled();
  const log = page.getByTestId('blacklist-log-table');
  await expect(log).toContainText('Added');
  await expect(log).toContainText('Ada Admin');
  await expect(log).toContainText('Spam links in every message');

  // Notifications: the composer and the notices sent (none yet).
  await page.goto(`${base()}/admin/notifications`);
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await settled();
  await expect(page.getByTestId('notices-table')).toContainText('No notices have been sent yet.');

  // Screenshots: wide and narrow, English and Chinese.
  for (const [lang, language] of [
    ['en', 'EN'],
    ['zh', 'ZH_CN'],
  ]) {
    await setLanguage(admin, language);
    for (const [name, path, en, zh] of PAGES) {
      for (const width of [1280, 400]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${base()}${path}`);
        await expect(page.getByRole('heading', { level: 1, name: lang === 'en' ? en : zh })).toBeVisible();
        await settled();
        if (name === 'search') {
          await page.getByTestId('search-keyword').fill('退款');
          await page.getByTestId('search-submit').click();
          await settled();
          await expect(page.locator('mark')).toHaveCount(1);
          await page.locator('button.hit').first().click();
          await expect(page.getByTestId('search-conversation')).toBeVisible();
        }
        await page.screenshot({ path: `${SHOTS}admin-${name}-${width}-${lang}.png` });
      }
    }
  }
  await setLanguage(admin, 'EN');
  expect(errors).toEqual([]);
});

test('the admin sends a notice to everyone and Amy sees it on her Notifications page', async ({ browser }) => {
  const amy = await signInConsole(browser, 'amy@demo.example.com');
  const { page } = await signInConsole(browser, 'admin@demo.example.com');
  const errors = watchErrors(page);
  await page.goto(`${base()}/admin/notifications`);
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await page.getByTestId('notice-title').fill('Stocktaking on Friday');
  await page.getByTestId('notice-body').fill('The warehouse is closed on Friday; promise deliveries from Monday.');
  await expect(page.getByTestId('audience-everyone').locator('input')).toBeChecked();
  await page.getByTestId('notice-send').click();
  await expect(page.locator('mat-snack-bar-container')).toContainText(/Sent to \d+ people/);
  await expect(page.getByTestId('notices-table')).toContainText('Stocktaking on Friday');
  await page.screenshot({ path: `${SHOTS}admin-notifications-sent-1280-en.png` });

  await amy.page.goto(`${base()}/notifications`);
  await expect(amy.page.getByText('Stocktaking on Friday')).toBeVisible();
  await expect(amy.page.getByText('The warehouse is closed on Friday')).toBeVisible();
  expect(errors).toEqual([]);
});

test('an agent opening an Admin Mode page is sent back to her own pages', async ({ browser }) => {
  const { page } = await signInConsole(browser, 'amy@demo.example.com');
  for (const path of ['/admin/history', '/admin/customers', '/admin/notifications']) {
    await page.goto(`${base()}${path}`);
    await expect(page).toHaveURL(/\/conversations$/);
  }
});

import { writeFileSync, mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { base, gql, openWidget, percentile, setStatus, signInConsole, tokenOf } from './support/helpers.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

test.describe.configure({ mode: 'serial' });

test('a visitor on a site chats with an agent, who transfers, tags, invites a rating and closes; it is in History', async ({
  browser,
}) => {
  const admin = await tokenOf('admin@demo.example.com');
  // Transfers need the colleague's confirmation in this tenant.
  await gql(
    `mutation { updateTenantSettings(input: { transfer: { requireConfirmation: true, confirmationTimeoutSeconds: 120 } }) { transfer { requireConfirmation } } }`,
    {},
    admin,
  );
  const amy = await signInConsole(browser, 'amy@demo.example.com');
  const ben = await signInConsole(browser, 'ben@demo.example.com');
  // Ben is busy: new conversations go to Amy; busy agents still take transfers (PRE-1). Whoever an
  // earlier test left online (for the 30 s after their console closed) is made busy too.
  await setStatus(await tokenOf('ben@demo.example.com'), 'BUSY');
  for (const other of ['admin', 'chen', 'dara']) await setStatus(await tokenOf(`${other}@demo.example.com`), 'BUSY');

  const { site, widget } = await openWidget(browser);
  await widget.getByTestId('widget-input').fill('你好，我的订单 #1001 还没到');
  await widget.getByTestId('widget-send').click();

  // The conversation arrives live at the top of Amy's list.
  const row = amy.page.locator('[data-conversation].fresh').first();
  await expect(row).toBeVisible();
  await row.click();
  await expect(amy.page.getByTestId('messages')).toContainText('#1001');
  // The top bar counts it (served today, ongoing / max).
  await expect(amy.page.getByTestId('workload-ongoing')).toContainText('1 /');

  // Send-to-screen latency: each visitor message until it shows in the agent's chat.
  const times = [];
  for (let i = 1; i <= 20; i++) {
    const text = `latency probe ${i}`;
    await widget.getByTestId('widget-input').fill(text);
    const started = Date.now();
    await widget.getByTestId('widget-send').click();
    await amy.page.getByTestId('messages').getByText(text, { exact: true }).waitFor();
    times.push(Date.now() - started);
  }
  const p95 = percentile(times, 0.95);
  writeFileSync(
    new URL('./results-latency.json', import.meta.url),
    JSON.stringify({ samples: times, p50: percentile(times, 0.5), p95 }, null, 2),
  );
  console.log(
    `visitor send → agent screen: p50 ${percentile(times, 0.5)} ms, p95 ${p95} ms (${times.length} messages)`,
  );

  // The agent replies; the visitor sees it. What the visitor typed stays text.
  await amy.page.getByTestId('composer').fill('Hello! Let me check order #1001.');
  await amy.page.getByTestId('composer').press('Enter');
  await expect(widget.getByTestId('widget-messages')).toContainText('Let me check order #1001');
  // The profile follows the customer (CNV-1), and a customer tag goes on (CNV-2).
  await amy.page.getByLabel('Nickname').fill('Li Lei');
  await amy.page.getByRole('button', { name: 'Save' }).click();
  await amy.page.getByRole('option', { name: 'Returning customer' }).click();
  await expect(amy.page.getByRole('option', { name: 'Returning customer' })).toHaveAttribute('aria-selected', 'true');
  await expect(amy.page.locator('[data-conversation]').first()).toContainText('Li Lei');
  await amy.page.screenshot({ path: `${SHOTS}agent-chat.png` });
  await site.screenshot({ path: `${SHOTS}widget-chat.png` });

  // A word with a colleague first (MSG-5): Ben sees it live, with an unread mark until he opens it.
  await amy.page.getByTestId('colleague-tab').click();
  await amy.page.locator('[data-colleague="Ben"]').click();
  await amy.page.getByTestId('colleague-input').fill('Could you take an order question?');
  await amy.page.getByTestId('colleague-send').click();
  await ben.page.getByTestId('colleague-tab').click();
  await expect(ben.page.locator('[data-colleague="Amy"] .unread')).toHaveText('1');
  await ben.page.locator('[data-colleague="Amy"]').click();
  await expect(ben.page.getByText('Could you take an order question?')).toBeVisible();
  await ben.page.screenshot({ path: `${SHOTS}colleague-chat.png` });
  await amy.page.getByRole('tab', { name: /Ongoing/ }).click();
  await ben.page.getByRole('tab', { name: /Ongoing/ }).click();

  // Transfer to Ben, who accepts; the conversation moves to him and leaves Amy.
  await amy.page.getByTestId('transfer').click();
  await amy.page.locator('[data-agent="Ben"]').click();
  await expect(ben.page.getByTestId('transfer-offer')).toBeVisible();
  await ben.page.screenshot({ path: `${SHOTS}transfer-offer.png` });
  await ben.page.getByTestId('accept-transfer').click();
  await expect(ben.page.getByTestId('messages')).toContainText('#1001');
  await expect(amy.page.locator('[data-conversation]')).toHaveCount(0);

  // Ben tags it, invites a rating; the visitor rates.
  await ben.page.getByTestId('tags').click();
  await ben.page.getByTestId('tag-tree').getByText('Delivery', { exact: true }).click();
  await ben.page.getByTestId('save-tags').click();
  await ben.page.getByTestId('invite-rating').click();
  await expect(widget.getByTestId('rating-form')).toBeVisible();
  await widget.getByTestId('rating-form').getByRole('radio', { name: '4 ★' }).click();
  await widget.getByTestId('rate-submit').click();
  await expect(widget.getByTestId('widget-messages').locator('..')).toContainText(/Thank you for your rating/);

  // Ben closes; the conversation is in his History with its tag and rating.
  await ben.page.getByTestId('close-conversation').click();
  await expect(ben.page.locator('[data-conversation]')).toHaveCount(0);
  await ben.page.goto(`${base()}/history`);
  const entry = ben.page.getByTestId('history-table').locator('tr', { hasText: 'Li Lei' }).first();
  await expect(entry).toContainText('Delivery');
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('★★★★');
  await ben.page.screenshot({ path: `${SHOTS}history.png` });

  // Keyword search finds the Chinese message by a two-character word (HIS-2).
  await ben.page.goto(`${base()}/search`);
  await ben.page.getByTestId('search-keyword').fill('订单');
  await ben.page.getByTestId('search-keyword').press('Enter');
  await expect(ben.page.locator('mark', { hasText: '订单' }).first()).toBeVisible();
  await ben.page.screenshot({ path: `${SHOTS}search.png` });

  // The console speaks Chinese too.
  await ben.page.getByRole('button', { name: 'Language' }).click();
  await ben.page.getByRole('menuitemradio', { name: '简体中文' }).click();
  await expect(ben.page.getByRole('heading', { name: '搜索' })).toBeVisible();
  await ben.page.goto(`${base()}/history`);
  await expect(ben.page.getByRole('heading', { name: '历史会话' })).toBeVisible();
  await ben.page.screenshot({ path: `${SHOTS}history-zh.png` });

  expect(p95).toBeLessThan(1000);
});

test('the agent’s network drops during a burst of visitor messages: nothing is lost or doubled', async ({
  browser,
}) => {
  const dara = await signInConsole(browser, 'dara@demo.example.com');
  const visitor = await gql(`mutation { startVisitorSession(input: { widgetKey: "demo-widget" }) { token } }`);
  const say = (text) =>
    gql(
      `mutation($i: MessageInput!) { sendVisitorMessage(input: $i) { seq } }`,
      { i: { type: 'TEXT', text } },
      visitor.startVisitorSession.token,
    );
  await say('burst 0');
  const row = dara.page.locator('[data-conversation].fresh').first();
  await expect(row).toBeVisible();
  await row.click();
  await expect(dara.page.getByTestId('messages')).toContainText('burst 0');

  await dara.context.setOffline(true);
  for (let i = 1; i <= 30; i++) await say(`burst ${i}`);
  await dara.page.waitForTimeout(1500);
  await dara.context.setOffline(false);
  for (let i = 31; i <= 40; i++) await say(`burst ${i}`);

  const messages = dara.page.getByTestId('messages');
  await expect(messages.getByText('burst 40', { exact: true })).toBeVisible({ timeout: 30_000 });
  for (let i = 0; i <= 40; i++) await expect(messages.getByText(`burst ${i}`, { exact: true })).toHaveCount(1);
  const seqs = await messages.locator('[data-seq]').evaluateAll((els) => els.map((e) => e.getAttribute('data-seq')));
  expect(new Set(seqs).size).toBe(seqs.length);
});

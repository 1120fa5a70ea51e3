import { expect } from '@playwright/test';

export const PASSWORD = 'parley-demo-2026';
export const base = () => {
  const url = process.env.PARLEY_URL;
  if (!url) throw new Error('PARLEY_URL is not set: the global setup did not run');
  return url;
};

/** A GraphQL call as a test client (setup steps a person would do elsewhere, e.g. as admin). */
export async function gql(query, variables = {}, token) {
  const res = await fetch(`${base()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function tokenOf(email) {
  const data = await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
    i: { email, password: PASSWORD },
  });
  return data.login.accessToken;
}

/** Signs in to the console in a page of its own and waits for the live socket (the user is online). */
export async function signInConsole(browser, email) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base()}/`);
  await page.getByTestId('email').fill(email);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/conversations/);
  await expect(page.getByTestId('status-button')).toContainText(/Online|在线/);
  return { context, page };
}

/** Opens the demo site and its chat widget; returns the site page and the widget's frame. */
export async function openWidget(browser) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const site = await context.newPage();
  site.on('console', (m) => m.type() === 'error' && console.log('[widget console]', m.text()));
  site.on('requestfailed', (r) => console.log('[widget request failed]', r.url(), r.failure()?.errorText));
  await site.goto(`${base()}/demo`);
  await site.waitForSelector('[data-parley-widget]', { state: 'attached' });
  // The launcher lives in a closed shadow root: a visitor clicks it where it is drawn.
  await site.mouse.click(1100 - 20 - 28, 760 - 20 - 28);
  await expect.poll(() => site.frames().some((f) => f.url().includes('/widget/'))).toBe(true);
  const frame = site.frames().find((f) => f.url().includes('/widget/'));
  await frame.waitForSelector('[data-testid=widget-input]');
  return { context, site, widget: frame };
}

export async function setStatus(token, status) {
  await gql(`mutation($s: UserStatus!) { setMyStatus(status: $s) { user { status } } }`, { s: status }, token);
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

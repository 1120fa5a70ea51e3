import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { nowMs } from './delivery-ledger.mjs';
import { graphql, signIn } from './graphql.mjs';
import { jsonPoster, parseOk } from './http-post.mjs';
import { mapLimit, within } from './limit.mjs';

export const DEMO_ADMIN = { email: 'admin@demo.example.com', password: 'parley-demo-2026' };
const DEMO_WIDGET_KEY = 'demo-widget';
const AGENT_PASSWORD = 'bench-password-2026';
const SETUP_CONCURRENCY = 8;
const LOGIN_CONCURRENCY = 3; // each login and createUser hashes or verifies a password (argon2)
const CONNECT_TIMEOUT_MS = 15_000;

const SEND = 'mutation ($input: MessageInput!) { sendVisitorMessage(input: $input) { seq } }';
export const FEED =
  'subscription ($conversationId: ID!, $afterSeq: Int) { conversationMessages(conversationId: $conversationId, afterSeq: $afterSeq) { kind message { seq text } } }';

/**
 * The Parley side of the workload on a running server with the demo tenant: `agents` signed-in
 * agents, `conversations` ongoing conversations (a visitor's first message, then an agent joined,
 * round robin), and per agent one graphql-ws socket carrying a `conversationMessages` subscription
 * for each of its conversations, from its current lastSeq on. Deliveries go to `ledger`.
 * `send(conversation, text)` is the visitor's `sendVisitorMessage` over HTTP.
 */
export async function setupParley({ server, databaseUrl, agents, conversations, ledger, maxInFlight }) {
  const adminToken = await signIn(server.url, DEMO_ADMIN.email, DEMO_ADMIN.password);
  await raiseSeats(databaseUrl);
  const agentTokens = await createAgents(server.url, adminToken, agents);

  const opened = await mapLimit(Array.from({ length: conversations }), SETUP_CONCURRENCY, (_, i) =>
    openConversation(server.url, agentTokens[i % agents]),
  );
  const problems = [];
  const sockets = await mapLimit(agentTokens, SETUP_CONCURRENCY, (token, a) => {
    const mine = opened.map((c, i) => ({ ...c, index: i })).filter((c) => c.index % agents === a);
    return subscribeAgent(server.url, token, mine, ledger, problems);
  });

  const poster = jsonPoster(server.url, maxInFlight);
  return {
    name: 'Parley',
    pid: server.pid,
    conversations,
    agentTokens,
    adminToken,
    conversationIds: opened.map((c) => c.id),
    /** Errors and unexpected ends of the agents' subscriptions. */
    problems,
    send: async (conversation, text) => {
      const res = await poster.post(
        '/graphql',
        { query: SEND, variables: { input: { type: 'TEXT', text } } },
        { authorization: `Bearer ${opened[conversation].visitorToken}` },
      );
      const body = parseOk(res);
      if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
      return { seq: body.data.sendVisitorMessage.seq };
    },
    close: async () => {
      poster.close();
      await Promise.all(sockets.map((s) => s.close()));
    },
  };
}

// The demo tenant has 20 seats and 5 users; the benchmark's agents need seats of their own.
async function raiseSeats(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('update tenant set seats = 1000');
  } finally {
    await client.end();
  }
}

async function createAgents(url, adminToken, count) {
  const { data } = await graphql(url, 'query { roles(first: 100) { nodes { id builtIn } } }', { token: adminToken });
  const agentRole = data.roles.nodes.find((r) => r.builtIn === 'AGENT');
  if (!agentRole) throw new Error('the demo tenant has no built-in Agent role');
  const emails = Array.from({ length: count }, (_, i) => `msg-bench-agent-${i}@demo.example.com`);
  await mapLimit(emails, LOGIN_CONCURRENCY, (email, i) =>
    graphql(url, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      token: adminToken,
      variables: { input: { email, password: AGENT_PASSWORD, nickname: `Bench Agent ${i}`, roleId: agentRole.id } },
    }),
  );
  return mapLimit(emails, LOGIN_CONCURRENCY, (email) => signIn(url, email, AGENT_PASSWORD));
}

/** A visitor's first message opens a queued conversation; the agent joins it. */
async function openConversation(url, agentToken) {
  const started = await graphql(
    url,
    'mutation ($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { token } }',
    { variables: { input: { widgetKey: DEMO_WIDGET_KEY } } },
  );
  const visitorToken = started.data.startVisitorSession.token;
  const first = await graphql(
    url,
    'mutation ($input: MessageInput!) { sendVisitorMessage(input: $input) { conversation } }',
    {
      token: visitorToken,
      variables: { input: { type: 'TEXT', text: 'Hello, I have a question' } },
    },
  );
  const joined = await graphql(url, 'mutation ($id: ID!) { joinConversation(id: $id) { id lastSeq } }', {
    token: agentToken,
    variables: { id: first.data.sendVisitorMessage.conversation },
  });
  return { id: joined.data.joinConversation.id, lastSeq: joined.data.joinConversation.lastSeq, visitorToken };
}

/** One socket per agent, one subscription per conversation on it, each from the conversation's lastSeq on. */
async function subscribeAgent(url, token, conversations, ledger, problems) {
  let closing = false;
  const client = graphqlWsClient(url, token, {
    closed: (event) => {
      if (!closing) problems.push(`agent socket closed: ${event.code} ${event.reason}`);
    },
  });
  await within(
    new Promise((resolve, reject) => {
      client.on('connected', resolve);
      client.on('error', reject);
      client.on('closed', (e) => reject(new Error(`closed ${e.code} ${e.reason}`)));
    }),
    CONNECT_TIMEOUT_MS,
    'the agent socket was not acknowledged in time',
  );
  for (const c of conversations) {
    ledger.expectFrom(c.index, c.lastSeq + 1);
    client.subscribe(
      { query: FEED, variables: { conversationId: c.id, afterSeq: c.lastSeq } },
      {
        next: (result) => {
          if (result.errors?.length) problems.push(`subscription ${c.index}: ${result.errors[0].message}`);
          const message = result.data?.conversationMessages?.message;
          if (message) ledger.received(c.index, message.seq, message.text, nowMs());
        },
        error: (e) => problems.push(`subscription ${c.index}: ${describe(e)}`),
        complete: () => {
          if (!closing) problems.push(`subscription ${c.index} ended`);
        },
      },
    );
  }
  return {
    close: async () => {
      closing = true;
      await client.dispose();
    },
  };
}

export function graphqlWsClient(httpUrl, token, on = {}) {
  return createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0, // a dropped socket must show, not be papered over
    onNonLazyError: () => undefined, // reported through `on.closed` / `on.error`
    on,
  });
}

export function describe(e) {
  if (e instanceof Error) return e.message;
  if (Array.isArray(e)) return e.map((x) => x?.message ?? String(x)).join('; ');
  if (e && typeof e === 'object' && 'code' in e) return `socket closed ${e.code} ${e.reason ?? ''}`.trim();
  return String(e);
}

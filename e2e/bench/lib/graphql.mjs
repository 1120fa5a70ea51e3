export const ME = 'query { me { id email nickname } }';

export const usersQuery = (first) =>
  `query { users(first: ${first}) { totalCount nodes { id nickname email role { name } teams { name } } } }`;

const REQUEST_TIMEOUT_MS = 30_000;
const CREATE_CONCURRENCY = 3; // each createUser hashes a password (argon2): a few at a time is plenty

export function graphqlRequest(query, token, variables) {
  return {
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(variables ? { query, variables } : { query }),
  };
}

/** One GraphQL request; throws on an HTTP error or a response with `errors`. Returns the parsed body and its raw text. */
export async function graphql(baseUrl, query, { token, variables } = {}) {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    ...graphqlRequest(query, token, variables),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${baseUrl}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!res.ok || body.errors?.length) throw new Error(`${baseUrl}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return { data: body.data, extensions: body.extensions ?? {}, text };
}

export async function signIn(baseUrl, email, password) {
  const { data } = await graphql(baseUrl, 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }', {
    variables: { input: { email, password } },
  });
  return data.login.accessToken;
}

/**
 * Adds `count` agents to the signed-in admin's tenant through `createUser`. The demo tenant has
 * few seats and only enabled users take one, so users beyond the free seats are created disabled;
 * they still appear in the `users` list, which is what the page needs.
 */
export async function addAgents(baseUrl, token, count) {
  const { data } = await graphql(
    baseUrl,
    'query { roles(first: 100) { nodes { id builtIn } } tenant { license { seatsRemaining } } }',
    { token },
  );
  const agentRole = data.roles.nodes.find((r) => r.builtIn === 'AGENT');
  if (!agentRole) throw new Error('the tenant has no built-in Agent role');
  const seats = data.tenant.license.seatsRemaining;

  const create = (i) =>
    graphql(baseUrl, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      token,
      variables: {
        input: {
          email: `bench-agent-${String(i).padStart(2, '0')}@demo.example.com`,
          password: 'bench-password-2026',
          nickname: `Bench Agent ${String(i).padStart(2, '0')}`,
          roleId: agentRole.id,
          enabled: i < seats,
        },
      },
    });
  for (let start = 0; start < count; start += CREATE_CONCURRENCY) {
    const batch = [];
    for (let i = start; i < Math.min(start + CREATE_CONCURRENCY, count); i += 1) batch.push(create(i));
    await Promise.all(batch);
  }
  return { created: count, enabled: Math.min(seats, count) };
}

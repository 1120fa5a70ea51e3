// How fast are keyword search (HIS-2) and a filtered history page (HIS-1) over a realistic volume?
// 100,000 conversations and 1,000,000 messages in the demo tenant (plus noise tenants) are written
// with SQL, then the real GraphQL API is timed. Target: p95 < 200 ms. See README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Cleanup } from './lib/cleanup.mjs';
import { provisionDatabase } from './lib/database.mjs';
import { graphql, signIn } from './lib/graphql.mjs';
import { ensureApiBuilt, startServer } from './lib/servers.mjs';

const DEMO = { admin: 'admin@demo.example.com', agent: 'amy@demo.example.com', password: 'parley-demo-2026' };
const TARGET_P95_MS = 200;
const DAYS = 90;

const settings = {
  conversations: positiveInt('BENCH_CONVERSATIONS', 100_000),
  messagesPerConversation: positiveInt('BENCH_MESSAGES_PER_CONVERSATION', 10),
  customers: positiveInt('BENCH_CUSTOMERS', 20_000),
  noiseTenants: positiveInt('BENCH_NOISE_TENANTS', 3),
  noiseConversations: positiveInt('BENCH_NOISE_CONVERSATIONS', 10_000),
  samples: positiveInt('BENCH_SAMPLES', 40),
  warmup: positiveInt('BENCH_WARMUP_REQUESTS', 5),
};

// Customer and agent lines, mixed Chinese and English; 退款/refund/订单/order are common words.
const CUSTOMER_LINES = [
  '你好，请问在吗',
  '我要退款谢谢',
  '订单什么时候发货',
  '快递到哪里了？三天了还没到',
  '这个商品有优惠吗',
  '我想修改收货地址',
  '退款多久能到账',
  '商品质量有问题，屏幕有划痕',
  '能不能帮我查一下订单',
  '账号登录不了，提示密码错误',
  '会员积分怎么用',
  'Hello, is anyone there?',
  'I want a refund for my order',
  'When will my package arrive?',
  'Can I change the shipping address?',
  'The product arrived damaged',
  'How do I reset my password?',
  'Is there a discount for members?',
];
const AGENT_LINES = [
  '您好，很高兴为您服务',
  '请提供一下您的订单号',
  '好的，我帮您查询一下',
  '已经为您处理，请耐心等待',
  '退款会在3-5个工作日原路返回',
  '还有其他可以帮您的吗？',
  'Sure, let me check that for you.',
  'Please share your order number.',
  'Your refund has been processed.',
  'Thanks for contacting us, have a nice day!',
];
// Rare words, each in a small share of the messages.
const RARE = [
  ['发票抬头', 0.001],
  ['warranty', 0.0005],
];

const SEARCH = `query ($keyword: String!, $mode: ConsoleMode) {
  searchMessages(keyword: $keyword, mode: $mode, first: 20) {
    totalCount
    nodes { conversationId highlights { start length } message { id seq text createdAt senderKind } customer { id nickname } }
  }
}`;
const HISTORY = `query ($filter: HistoryFilter, $mode: ConsoleMode) {
  history(filter: $filter, mode: $mode, first: 20) {
    totalCount
    nodes { id startedAt closedAt channel transferred customer { id nickname } agents { id nickname } tags { id name } channelAccount { id name } }
  }
}`;

async function main() {
  const cleanup = new Cleanup();
  const interrupted = (signal) => {
    process.stderr.write(`\n${signal}: stopping everything the benchmark started ...\n`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const results = await bench(cleanup);
    process.stdout.write(`\n${formatReport(results)}`);
    process.stdout.write(`results: ${writeResults(results)}\n`);
  } catch (e) {
    process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}

async function bench(cleanup) {
  const startedAt = new Date().toISOString();
  const loadAvgStart = loadAverage();
  const build = ensureApiBuilt({ skip: process.env.BENCH_SKIP_BUILD === 'true' });
  const database = await provisionDatabase(cleanup);
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  cleanup.defer(`temporary directory ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));

  process.stdout.write('starting the server (migrates, seeds the demo tenant) ...\n');
  const server = await startServer('search', {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    ACCESS_TOKEN_TTL_SECONDS: '7200',
    SEED_DEMO: 'true',
    PERMISSIONS_DISABLED: 'false',
    DEBUG_SQL_COUNT: 'false',
    PUBLIC_URL: '',
    REDIS_URL: '',
  });
  cleanup.defer(`server (pid ${server.pid})`, () => server.stop());

  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanup.defer('database connection', () => db.end());

  const generated = await generate(db);
  const adminToken = await signIn(server.url, DEMO.admin, DEMO.password);
  const agentToken = await signIn(server.url, DEMO.agent, DEMO.password);

  const thirtyDaysAgo = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
  const operations = [
    ['search 退款 (Chinese, common)', SEARCH, { keyword: '退款' }, adminToken],
    ['search 发票抬头 (Chinese, rare)', SEARCH, { keyword: '发票抬头' }, adminToken],
    ['search refund (English, common)', SEARCH, { keyword: 'refund' }, adminToken],
    ['search warranty (English, rare)', SEARCH, { keyword: 'warranty' }, adminToken],
    ['search 订单 (Chinese, very common)', SEARCH, { keyword: '订单' }, adminToken],
    ['search 退款, Agent Mode (one agent)', SEARCH, { keyword: '退款', mode: 'AGENT' }, agentToken],
    [
      'history: channel + tag + 30 days',
      HISTORY,
      { filter: { channel: 'WEB', tagIds: [generated.tagIds[0]], startedFrom: thirtyDaysAgo } },
      adminToken,
    ],
    ['history: first page, no filter', HISTORY, {}, adminToken],
    ['history: Agent Mode (one agent)', HISTORY, { mode: 'AGENT' }, agentToken],
  ];
  const measured = [];
  for (const [name, query, variables, token] of operations) {
    process.stdout.write(`measuring ${name} ...\n`);
    measured.push({ name, variables, ...(await measure(server.url, query, variables, token)) });
  }

  const plans = {};
  for (const keyword of ['退款', '发票抬头']) plans[keyword] = await explainSearch(db, generated.tenantId, keyword);

  return {
    benchmark: 'search',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAvgStart,
      loadAvgEnd: loadAverage(),
    },
    settings,
    build,
    database: { source: database.source, name: database.name },
    generated,
    targetP95Ms: TARGET_P95_MS,
    operations: measured,
    plans,
  };
}

/** Writes the data with set-based SQL and returns what the measurements need. */
async function generate(db) {
  const t0 = performance.now();
  const { rows: admins } = await db.query(`select tenant_id from app_user where email = $1`, [DEMO.admin]);
  const tenantId = admins[0].tenant_id;
  const { rows: users } = await db.query(`select id from app_user where tenant_id = $1 order by email`, [tenantId]);
  const { rows: teams } = await db.query(`select id from team where tenant_id = $1 order by name`, [tenantId]);
  const agentIds = users.map((u) => u.id);
  const teamIds = teams.map((t) => t.id);

  const noise = [];
  for (let i = 0; i < settings.noiseTenants; i += 1) {
    const id = randomUUID();
    await db.query(
      `insert into tenant (id, name, seats, license_expires_at) values ($1, $2, 10, now() + interval '1 year')`,
      [id, `Noise ${i + 1}`],
    );
    noise.push(id);
  }
  // The GIN index is built once after the messages are in: much faster than row by row.
  await db.query('drop index message_text_grams');
  await db.query(`set maintenance_work_mem = '512MB'`);

  const big = await fill(db, tenantId, settings.conversations, settings.customers, agentIds, teamIds);
  for (const id of noise) {
    // Noise tenants need no users: conversations without agents are what search has to skip.
    await fill(db, id, settings.noiseConversations, settings.noiseConversations / 5, [], []);
  }
  process.stdout.write('building the GIN index message_text_grams ...\n');
  await db.query('create index "message_text_grams" on "message" using gin (parley_grams("text"))');
  await db.query('analyze');
  const { rows: counts } = await db.query(
    `select (select count(*)::int from conversation where tenant_id = $1) as conversations,
            (select count(*)::int from message where tenant_id = $1) as messages,
            (select count(*)::int from message) as "allMessages"`,
    [tenantId],
  );
  return { tenantId, tagIds: big.tagIds, ...counts[0], noiseTenants: noise.length, seconds: sec(t0) };
}

/** Customers, conversations (closed, spread over 90 days), agents, tags, transfers and messages of one tenant. */
async function fill(db, tenantId, conversations, customers, agentIds, teamIds) {
  const t0 = performance.now();
  const accounts = [];
  for (const [channel, name] of [
    ['WEB', 'Main site'],
    ['APP', 'iOS app'],
    ['WECHAT', 'Official account'],
  ]) {
    const id = randomUUID();
    await db.query(`insert into channel_account (id, tenant_id, channel, name) values ($1, $2, $3, $4)`, [
      id,
      tenantId,
      channel,
      name,
    ]);
    accounts.push({ id, channel });
  }
  const tagIds = [];
  for (const name of ['退款', '物流', '售后', 'Billing', 'Account', '投诉', 'Presale', '其他']) {
    const id = randomUUID();
    await db.query(`insert into conversation_tag (id, tenant_id, name, depth) values ($1, $2, $3, 1)`, [
      id,
      tenantId,
      name,
    ]);
    tagIds.push(id);
  }
  await db.query(
    `insert into customer (id, tenant_id, external_id, nickname, last_seen_at)
     select gen_random_uuid(), $1, 'bench-' || i,
            (array['张伟','王芳','李娜','刘洋','陈静','Alice','Bob','Carol'])[1 + i % 8] || i,
            now() - random() * interval '${DAYS} days'
       from generate_series(1, $2::int) i`,
    [tenantId, customers],
  );
  await db.query(`drop table if exists bench_customer`);
  await db.query(
    `create temporary table bench_customer as
     select id, row_number() over (order by id) as n from customer where tenant_id = $1`,
    [tenantId],
  );
  await db.query(
    `insert into conversation (id, tenant_id, customer_id, state, channel, channel_account_id, team_id, last_seq,
                               created_at, updated_at, assigned_at, closed_at, closed_by, close_reason, last_message_at)
     select gen_random_uuid(), $1, bc.id, 'CLOSED', a.channel, a.id,
            case when cardinality($4::uuid[]) > 0 then ($4::uuid[])[1 + g.i % cardinality($4::uuid[])] end,
            $5::int, g.start, g.start, g.start, g.start + interval '20 minutes', 'AGENT', 'AGENT', g.start + interval '19 minutes'
       from (select i, now() - random() * interval '${DAYS} days' as start from generate_series(1, $2::int) i) g
       join bench_customer bc on bc.n = 1 + g.i % $3::int
       join (select * from unnest($6::uuid[], $7::text[]) with ordinality as x(id, channel, k)) a
         on a.k = 1 + g.i % 3`,
    [
      tenantId,
      conversations,
      customers,
      teamIds,
      settings.messagesPerConversation,
      accounts.map((a) => a.id),
      accounts.map((a) => a.channel),
    ],
  );
  if (agentIds.length) {
    await db.query(
      `insert into conversation_agent (id, tenant_id, conversation_id, user_id, joined_at, joined_how, left_at, left_how)
       select gen_random_uuid(), c.tenant_id, c.id, ($2::uuid[])[1 + abs(hashtext(c.id::text)) % cardinality($2::uuid[])],
              c.created_at, 'ASSIGNED', c.closed_at, 'CLOSED'
         from conversation c where c.tenant_id = $1`,
      [tenantId, agentIds],
    );
    await db.query(
      `insert into transfer (id, tenant_id, conversation_id, requested_by_id, from_user_id, to_user_id, state, decided_at)
       select gen_random_uuid(), c.tenant_id, c.id, ca.user_id, ca.user_id, ca.user_id, 'COMPLETED', c.created_at + interval '5 minutes'
         from conversation c join conversation_agent ca on ca.conversation_id = c.id
        where c.tenant_id = $1 and abs(hashtext(c.id::text)) % 20 = 0`,
      [tenantId],
    );
  }
  await db.query(
    `insert into conversation_tagging (id, tenant_id, conversation_id, tag_id)
     select gen_random_uuid(), c.tenant_id, c.id, ($2::uuid[])[1 + abs(hashtext(c.id::text)) % cardinality($2::uuid[])]
       from conversation c where c.tenant_id = $1 and abs(hashtext(c.id::text || 't')) % 10 < 3`,
    [tenantId, tagIds],
  );
  await db.query(
    `insert into message (id, tenant_id, conversation_id, seq, sender_kind, type, text, created_at, updated_at)
     select gen_random_uuid(), c.tenant_id, c.id, s,
            case when s % 2 = 1 then 'CUSTOMER' else 'AGENT' end, 'TEXT',
            case when s % 2 = 1
                 then ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int]
                      || case when random() < 0.3 then ' ' || ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int] else '' end
                 else ($3::text[])[1 + floor(random() * cardinality($3::text[]))::int] end
              || case when random() < $5::float8 then ' ' || $4::text else '' end
              || case when random() < $7::float8 then ' ' || $6::text else '' end,
            c.created_at + s * interval '1 minute', c.created_at + s * interval '1 minute'
       from conversation c cross join generate_series(1, $8::int) s
      where c.tenant_id = $1`,
    [
      tenantId,
      CUSTOMER_LINES,
      AGENT_LINES,
      RARE[0][0],
      RARE[0][1],
      RARE[1][0],
      RARE[1][1],
      settings.messagesPerConversation,
    ],
  );
  process.stdout.write(`  tenant ${tenantId}: ${conversations} conversations written in ${sec(t0)} s\n`);
  return { tagIds };
}

/** Sequential requests after a warm-up; every response must be free of errors. */
async function measure(url, query, variables, token) {
  let last;
  for (let i = 0; i < settings.warmup; i += 1) last = await graphql(url, query, { token, variables });
  const times = [];
  for (let i = 0; i < settings.samples; i += 1) {
    const t0 = performance.now();
    last = await graphql(url, query, { token, variables });
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const root = Object.values(last.data)[0];
  return {
    p50Ms: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    maxMs: times.at(-1),
    totalCount: root.totalCount,
    rows: root.nodes.length,
    verdict: percentile(times, 0.95) < TARGET_P95_MS ? 'PASS' : 'FAIL',
  };
}

/**
 * The plan of the Admin Mode search page statement (the server's own SQL, values inlined as it
 * sends them). A common word is best found by reading the newest messages; a rare one through
 * the GIN index: the report says which the planner chose.
 */
async function explainSearch(db, tenantId, keyword) {
  const lit = (v) => db.escapeLiteral(v);
  const like = `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await db.query(
    `explain (analyze, buffers)
     select m.id, m.conversation_id as "conversationId"
       from message m
      where m.tenant_id = ${lit(tenantId)} and m.created_at >= now() - interval '30 days' and m.created_at < now()
        and m.recalled_at is null and parley_grams(m.text) @> parley_grams(${lit(keyword)})
        and m.text ilike ${lit(like)}
      order by m.created_at desc, m.id desc limit 20 offset 0`,
  );
  const lines = rows.map((r) => r['QUERY PLAN']);
  return { usesGinIndex: lines.some((l) => l.includes('message_text_grams')), lines };
}

function formatReport(r) {
  const g = r.generated;
  const rows = [['operation', 'p50 ms', 'p95 ms', 'max ms', 'totalCount', `p95 < ${r.targetP95Ms} ms`]];
  for (const op of r.operations) {
    rows.push([op.name, fmt(op.p50Ms), fmt(op.p95Ms), fmt(op.maxMs), String(op.totalCount), op.verdict]);
  }
  const plans = Object.entries(r.plans).map(
    ([keyword, plan]) =>
      `EXPLAIN ANALYZE of the search page for ${keyword}: ${plan.usesGinIndex ? 'through the GIN index message_text_grams' : 'newest messages first (message_tenant_id_created_at_index)'}\n` +
      plan.lines.map((l) => `    ${l}`).join('\n'),
  );
  return [
    `Parley search benchmark, ${r.startedAt}`,
    `node ${r.machine.node}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}), load average ${r.machine.loadAvgStart} -> ${r.machine.loadAvgEnd}`,
    `data: ${g.conversations} conversations and ${g.messages} messages in the demo tenant over ${DAYS} days, ` +
      `${g.allMessages} messages in all with ${g.noiseTenants} noise tenants (written and indexed in ${g.seconds} s)`,
    `requests: sequential, ${r.settings.warmup} warm-up then ${r.settings.samples} timed per operation, through GraphQL over HTTP`,
    '',
    table(rows, ['l', 'r', 'r', 'r', 'r', 'l']),
    '',
    ...plans,
    '',
  ].join('\n');
}

function writeResults(results) {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `search-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

function table(rows, align) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row) =>
    row
      .map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const fmt = (ms) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const sec = (t0) => ((performance.now() - t0) / 1000).toFixed(1);

function loadAverage() {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

await main();

import { orderConversations, timeSince } from './conversation-order';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

function row(
  id: string,
  times: { lastMessageAt?: number | null; lastAgentMessageAt?: number | null; assignedAt?: number | null } = {},
) {
  const iso = (m: number | null | undefined) => (m === null || m === undefined ? null : ago(m));
  return {
    id,
    createdAt: ago(120),
    lastMessageAt: iso(times.lastMessageAt),
    lastAgentMessageAt: iso(times.lastAgentMessageAt),
    assignedAt: iso(times.assignedAt),
  };
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe(orderConversations.name, () => {
  const list = [
    row('answered-long-ago', { lastMessageAt: 1, lastAgentMessageAt: 50, assignedAt: 90 }),
    row('answered-just-now', { lastMessageAt: 5, lastAgentMessageAt: 5, assignedAt: 90 }),
    row('customer-waiting', { lastMessageAt: 3, lastAgentMessageAt: 30, assignedAt: 90 }),
  ];

  it('puts the newest message first, whoever wrote it, when sorting by the agent is off', () => {
    expect(ids(orderConversations(list, false))).toEqual([
      'answered-long-ago',
      'customer-waiting',
      'answered-just-now',
    ]);
  });

  it('puts the conversation the agent wrote in last first when it is on; customer messages do not move rows', () => {
    expect(ids(orderConversations(list, true))).toEqual(['answered-just-now', 'customer-waiting', 'answered-long-ago']);
  });

  it('counts a conversation the agent has not answered from when it was assigned, else created', () => {
    const rows = [
      row('answered', { lastAgentMessageAt: 10 }),
      row('joined-now', { lastMessageAt: 0, assignedAt: 1 }),
      row('never-assigned', { lastMessageAt: 0 }),
    ];
    expect(ids(orderConversations(rows, true))).toEqual(['joined-now', 'answered', 'never-assigned']);
  });

  it('falls back to the creation time for a conversation without messages', () => {
    const rows = [row('quiet'), row('talking', { lastMessageAt: 119 })];
    expect(ids(orderConversations(rows, false))).toEqual(['talking', 'quiet']);
  });

  it('keeps a stable order for equal times and does not change its input', () => {
    const rows = [row('a', { lastMessageAt: 5 }), row('c', { lastMessageAt: 5 }), row('b', { lastMessageAt: 5 })];
    const copy = [...rows];
    expect(ids(orderConversations(rows, false))).toEqual(['c', 'b', 'a']);
    expect(ids(orderConversations([...rows].reverse(), false))).toEqual(['c', 'b', 'a']);
    expect(rows).toEqual(copy);
  });
});

describe(timeSince.name, () => {
  const since = (ms: number) => timeSince(new Date(NOW - ms).toISOString(), NOW);

  it('says "now" for under a minute, and for a clock slightly behind the server', () => {
    expect(since(0)).toEqual({ unit: 'now', count: 0 });
    expect(since(59_999)).toEqual({ unit: 'now', count: 0 });
    expect(since(-5_000)).toEqual({ unit: 'now', count: 0 });
  });

  it('counts whole minutes below an hour, never rounding up', () => {
    expect(since(60_000)).toEqual({ unit: 'minutes', count: 1 });
    expect(since(3 * 60_000 + 59_000)).toEqual({ unit: 'minutes', count: 3 });
    expect(since(59 * 60_000 + 59_999)).toEqual({ unit: 'minutes', count: 59 });
  });

  it('counts hours below a day, then days', () => {
    expect(since(60 * 60_000)).toEqual({ unit: 'hours', count: 1 });
    expect(since(23 * 3_600_000 + 59 * 60_000)).toEqual({ unit: 'hours', count: 23 });
    expect(since(24 * 3_600_000)).toEqual({ unit: 'days', count: 1 });
    expect(since(80 * 3_600_000)).toEqual({ unit: 'days', count: 3 });
  });
});

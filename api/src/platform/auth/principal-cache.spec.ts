import { InProcessEventBus, topics } from '../pubsub/event-bus';
import { DataScope, ScopedArea } from './pages';
import type { UserPrincipal } from './principal';
import { PrincipalCache } from './principal-cache';

const scopes = {
  [ScopedArea.CUSTOMERS]: DataScope.TEAM,
  [ScopedArea.HISTORY]: DataScope.TEAM,
  [ScopedArea.ONGOING]: DataScope.TEAM,
};

function user(overrides: Partial<UserPrincipal> = {}): UserPrincipal {
  return {
    kind: 'user',
    tenantId: 't1',
    userId: 'u1',
    sessionId: 's1',
    roleId: 'r1',
    isAdmin: false,
    pages: new Set(),
    scopes,
    teamIds: [],
    ...overrides,
  };
}

describe(PrincipalCache.name, () => {
  let bus: InProcessEventBus;
  let cache: PrincipalCache;

  beforeEach(() => {
    bus = new InProcessEventBus();
    cache = new PrincipalCache(bus, 10_000, 3);
  });
  afterEach(async () => {
    cache.close();
    await bus.close();
  });

  it('returns what was stored until it expires', () => {
    jest.useFakeTimers();
    try {
      cache.set('a', user());
      expect(cache.get('a')?.kind).toBe('user');
      jest.advanceTimersByTime(10_001);
      expect(cache.get('a')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('drops only the entries a change concerns', async () => {
    cache.set('a', user({ userId: 'u1' }));
    cache.set('b', user({ userId: 'u2', roleId: 'r2' }));
    cache.set('c', user({ userId: 'u3', tenantId: 't2' }));
    await cache.changed({ tenantId: 't1', userIds: ['u1'] });
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([false, true, true]);
    await cache.changed({ tenantId: 't1', roleId: 'r2' });
    expect(cache.get('b')).toBeUndefined();
    await cache.changed({ tenantId: 't2' });
    expect(cache.get('c')).toBeUndefined();
  });

  it('applies changes published by another process', async () => {
    cache.set('a', user());
    await bus.publish(topics.principalChanges, { tenantId: 't1', userIds: ['u1'] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most its capacity, forgetting the oldest first', () => {
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, user());
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBeDefined();
  });

  it('stores nothing with a zero lifetime', () => {
    const off = new PrincipalCache(bus, 0);
    off.set('a', user());
    expect(off.get('a')).toBeUndefined();
    off.close();
  });
});

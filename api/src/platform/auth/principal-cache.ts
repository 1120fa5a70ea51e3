import { type EventBus, topics } from '../pubsub/event-bus';
import type { ApiKeyPrincipal, UserPrincipal } from './principal';

type Cached = UserPrincipal | ApiKeyPrincipal;

/** What changed; an entry matches when it is of the tenant and of every narrower field given. */
export interface PrincipalChange {
  tenantId: string;
  userIds?: readonly string[];
  roleId?: string;
  apiKeyId?: string;
}

/**
 * Resolved principals by session (or API key), kept for a few seconds so that a busy client does
 * not cost a principal query per request. Entries are dropped as soon as something they depend on
 * changes (sessions ended, role edited, team membership changed, key revoked); the time limit bounds
 * what a missed change could leave behind.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Cached; expires: number }>();

  private readonly listening = new AbortController();
  private disabled = false;

  constructor(
    private readonly bus: EventBus,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {
    // Changes made by other processes arrive through the bus.
    void (async () => {
      for await (const change of bus.subscribe<PrincipalChange>(topics.principalChanges, this.listening.signal)) {
        this.invalidate(change);
      }
    })().catch(() => {
      // The feed failed (e.g. the bus closed): without it, entries may outlive a remote change, so
      // stop caching rather than serve stale principals.
      this.disabled = true;
      this.entries.clear();
    });
  }

  /** After a change is committed: drop what it affects here at once, and on every other process. */
  async changed(change: PrincipalChange): Promise<void> {
    this.invalidate(change);
    await this.bus.publish(topics.principalChanges, change);
  }

  get(key: string): Cached | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(key: string, principal: Cached): void {
    if (this.ttlMs <= 0 || this.disabled) return;
    // Maps iterate in insertion order: the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { principal, expires: Date.now() + this.ttlMs });
  }

  invalidate(change: PrincipalChange): void {
    for (const [key, { principal: p }] of this.entries) {
      if (p.tenantId !== change.tenantId) continue;
      if (change.userIds && !(p.kind === 'user' && change.userIds.includes(p.userId))) continue;
      if (change.roleId && p.roleId !== change.roleId) continue;
      if (change.apiKeyId && !(p.kind === 'apiKey' && p.apiKeyId === change.apiKeyId)) continue;
      this.entries.delete(key);
    }
  }

  close(): void {
    this.listening.abort();
    this.entries.clear();
  }
}

import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ServiceScope, tenantOf } from '../../platform/auth/scope';
import { notFound, raise } from '../../platform/errors/app-error';
import type { EventBus } from '../../platform/pubsub/event-bus';
import { User } from '../user/user.entity';
import { Tenant } from './tenant.entity';
import { TenantErrors } from './tenant.errors';
import type { UpdateTenantInput } from './tenant.inputs';
import type { License } from './tenant.types';
import { applySettings, type TenantSettings, type TenantSettingsInput, withDefaults } from './tenant-settings';

/** Runs after a tenant's settings changed and were committed, with the new and the previous values. */
export type SettingsListener = (tenantId: string, settings: TenantSettings, previous: TenantSettings) => Promise<void>;

/** Settings are read on every routing, assignment and timer decision: kept briefly, dropped on change. */
const SETTINGS_CACHE_MS = 5_000;
const SETTINGS_CHANGES = 'system:tenant-settings';

export class TenantService {
  private readonly settingsListeners: SettingsListener[] = [];
  private readonly cachedSettings = new Map<string, { settings: TenantSettings; expires: number }>();
  private readonly listening = new AbortController();

  constructor(private readonly bus: EventBus) {
    // Another process changed a tenant's settings: effective here at once too.
    void (async () => {
      for await (const { tenantId } of bus.subscribe<{ tenantId: string }>(SETTINGS_CHANGES, this.listening.signal)) {
        this.cachedSettings.delete(tenantId);
      }
    })().catch(() => undefined);
  }

  /** E.g. to re-plan timers under shortened timeouts: settings are effective immediately (SET-1). */
  onSettingsChanged(listener: SettingsListener): void {
    this.settingsListeners.push(listener);
  }

  async current(scope: ServiceScope): Promise<Tenant> {
    const tenant = await scope.em.findOne(Tenant, { id: tenantOf(scope) });
    if (!tenant) throw notFound('Tenant');
    return tenant;
  }

  async update(scope: ServiceScope, input: UpdateTenantInput): Promise<Tenant> {
    const tenant = await this.current(scope);
    scope.em.assign(tenant, { ...input, ...(input.name ? { name: input.name.trim() } : {}) });
    await scope.em.flush();
    return tenant;
  }

  /** The tenant's current settings (treat as read-only). */
  async settings(em: EntityManager, tenantId: string): Promise<TenantSettings> {
    const cached = this.cachedSettings.get(tenantId);
    if (cached && cached.expires > Date.now()) return cached.settings;
    const [row] = await em.execute<{ settings: Partial<TenantSettings> | null }[]>(
      'select settings from tenant where id = ?',
      [tenantId],
    );
    if (!row) throw notFound('Tenant');
    const settings = withDefaults(row.settings);
    this.cachedSettings.set(tenantId, { settings, expires: Date.now() + SETTINGS_CACHE_MS });
    return settings;
  }

  async updateSettings(scope: ServiceScope, input: TenantSettingsInput): Promise<TenantSettings> {
    const tenant = await this.current(scope);
    const previous = withDefaults(tenant.settings);
    tenant.settings = applySettings(previous, input);
    await scope.em.flush();
    const settings = withDefaults(tenant.settings);
    this.cachedSettings.delete(tenant.id);
    await this.bus.publish(SETTINGS_CHANGES, { tenantId: tenant.id });
    // The change is stored: a failing listener is logged, not reported as a failed update.
    for (const listener of this.settingsListeners) {
      await listener(tenant.id, settings, previous).catch((e: unknown) =>
        scope.log.error({ err: e, tenantId: tenant.id }, 'settings listener failed'),
      );
    }
    return settings;
  }

  close(): void {
    this.listening.abort();
    this.cachedSettings.clear();
  }

  async license(em: EntityManager, tenant: Tenant): Promise<License> {
    const seatsUsed = await this.enabledUsers(em, tenant.id);
    return {
      seats: tenant.seats,
      seatsUsed,
      seatsRemaining: Math.max(tenant.seats - seatsUsed, 0),
      expiresAt: tenant.licenseExpiresAt,
      expired: tenant.licenseExpiresAt.getTime() <= Date.now(),
    };
  }

  /**
   * Within a transaction: locks the tenant row so that concurrent enables are serialised, then
   * refuses when `adding` more enabled users would exceed the seats.
   */
  async reserveSeats(em: EntityManager, tenantId: string, adding: number): Promise<void> {
    const tenant = await this.lock(em, tenantId);
    const used = await this.enabledUsers(em, tenantId);
    if (used + adding > tenant.seats) {
      throw raise(
        TenantErrors,
        'SEAT_LIMIT',
        { seats: tenant.seats, seatsUsed: used },
        `Seat limit reached: the licence allows ${tenant.seats} enabled users and ${used} are enabled`,
      );
    }
  }

  /**
   * Within a transaction: serialises changes that must hold across the tenant's users
   * (seats in use, at least one enabled admin).
   */
  lock(em: EntityManager, tenantId: string): Promise<Tenant> {
    return em.findOneOrFail(Tenant, { id: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  private enabledUsers(em: EntityManager, tenantId: string): Promise<number> {
    return em.count(User, { tenant: tenantId, enabled: true, deletedAt: null });
  }
}

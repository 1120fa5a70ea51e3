import type { FilterQuery, QueryOrderKeys, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../../platform/auth/password';
import { type ServiceScope, staffOf, tenantOf, userOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { raise } from '../../platform/errors/app-error';
import { type Page, pageWindow } from '../../platform/graphql/connection';
import { likeContains } from '../../platform/database/like';
import type { SessionService } from '../auth/session.service';
import { NotificationKind, NotificationSubject } from '../notification/notification.entity';
import type { NotificationService } from '../notification/notification.service';
import { BuiltInRole, Role } from '../role/role.entity';
import type { RoleService } from '../role/role.service';
import type { TenantService } from '../tenant/tenant.service';
import { User } from './user.entity';
import { UserErrors } from './user.errors';
import {
  type CreateUserInput,
  SortDirection,
  type UpdateMyProfileInput,
  type UpdateUserInput,
  UserOrderField,
  type UsersArgs,
} from './user.inputs';

const EMAIL_INDEX = 'app_user_email_unique';

export class UserService {
  private readonly capacityListeners: ((tenantId: string, userId: string) => Promise<void>)[] = [];

  constructor(
    private readonly tenants: TenantService,
    private readonly roles: RoleService,
    private readonly sessions: SessionService,
    private readonly notifications: NotificationService,
  ) {}

  /** Runs after a change that may give a user room for more conversations (max raised, enabled). */
  onCapacityMayGrow(listener: (tenantId: string, userId: string) => Promise<void>): void {
    this.capacityListeners.push(listener);
  }

  private async capacityMayGrow(tenantId: string, userId: string): Promise<void> {
    for (const listener of this.capacityListeners) await listener(tenantId, userId);
  }

  /** Users by the args' filters and order; `except` leaves one out (the caller, say). */
  async list(scope: ServiceScope, args: UsersArgs, options: { except?: string } = {}): Promise<Page<User>> {
    const { offset, limit } = pageWindow(args);
    const where: FilterQuery<User> = { deletedAt: null };
    if (options.except) where.id = { $ne: options.except };
    if (args.search?.trim()) {
      const like = likeContains(args.search.trim());
      where.$or = [
        { nickname: { $ilike: like } },
        { email: { $ilike: like } },
        { realName: { $ilike: like } },
        { phone: { $ilike: like } },
        { employeeNo: { $ilike: like } },
      ];
    }
    if (args.enabled !== undefined && args.enabled !== null) where.enabled = args.enabled;
    if (args.status) where.status = args.status;
    if (args.roleId) where.role = args.roleId;
    const dir: QueryOrderKeys<unknown> = args.orderBy?.direction === SortDirection.DESC ? 'desc' : 'asc';
    const orderBy = ((): QueryOrderMap<User> => {
      switch (args.orderBy?.field) {
        case UserOrderField.CAPACITY:
          return { maxConversations: dir };
        case UserOrderField.ROLE:
          return { role: { name: dir } };
        case UserOrderField.CREATED_AT:
          return { createdAt: dir };
        case UserOrderField.NICKNAME:
        case undefined:
          return { nickname: dir };
      }
    })();
    const [items, totalCount] = await scope.em.findAndCount(User, where, {
      orderBy: [orderBy, { id: 'asc' }],
      offset,
      limit,
    });
    return { items, totalCount, offset, limit };
  }

  async get(scope: ServiceScope, id: string): Promise<User> {
    const user = await scope.em.findOne(User, { id, deletedAt: null });
    if (!user) throw raise(UserErrors, 'NOT_FOUND');
    return user;
  }

  me(scope: ServiceScope): Promise<User> {
    return this.get(scope, userOf(scope).userId);
  }

  async create(scope: ServiceScope, input: CreateUserInput): Promise<User> {
    const tenantId = tenantOf(scope);
    const role = await this.roles.get(scope, input.roleId);
    const passwordHash = await hashPassword(input.password);
    return this.writing(() =>
      scope.em.transactional(async (em) => {
        if (input.enabled) await this.tenants.reserveSeats(em, tenantId, 1);
        const { password: _password, roleId: _roleId, ...fields } = input;
        const user = em.create(User, {
          ...fields,
          email: normaliseEmail(input.email),
          nickname: input.nickname.trim(),
          passwordHash,
          role,
          tenant: tenantId,
        });
        await em.flush();
        return user;
      }),
    );
  }

  async update(scope: ServiceScope, id: string, input: UpdateUserInput): Promise<User> {
    const actor = staffOf(scope);
    const user = await this.get(scope, id);
    const { password, roleId, email, ...fields } = input;
    const previousRole = user.role.id;
    const newRole = roleId && roleId !== previousRole ? await this.roles.get(scope, roleId) : null;
    const passwordHash = password ? await hashPassword(password) : null;

    const capacityRaised = fields.maxConversations !== undefined && fields.maxConversations > user.maxConversations;
    const capacityChanged =
      fields.maxConversations !== undefined &&
      fields.maxConversations !== user.maxConversations &&
      !(actor.kind === 'user' && actor.userId === user.id);

    const staged = await this.writing(() =>
      scope.em.transactional(async (em) => {
        const txScope = { ...scope, em };
        const notes = [];
        em.assign(user, {
          ...fields,
          ...(fields.nickname ? { nickname: fields.nickname.trim() } : {}),
          ...(email ? { email: normaliseEmail(email) } : {}),
        });
        if (passwordHash) user.passwordHash = passwordHash;
        if (newRole) {
          if (newRole.builtIn !== BuiltInRole.ADMIN) await this.assertOtherAdmin(em, user);
          user.role = em.getReference(Role, newRole.id, { wrapped: true });
          notes.push(
            this.notifications.create(txScope, {
              recipient: user.id,
              kind: NotificationKind.ROLE_CHANGED,
              title: 'Your role has changed',
              body: `Your role is now “${newRole.name}”. It applies the next time you sign in.`,
              subjectType: NotificationSubject.USER,
              subjectId: user.id,
            }),
          );
        }
        if (capacityChanged) {
          notes.push(
            this.notifications.create(txScope, {
              recipient: user.id,
              kind: NotificationKind.CAPACITY_CHANGED,
              title: 'Your maximum conversations changed',
              body: `An admin set your maximum conversations to ${user.maxConversations}.`,
              subjectType: NotificationSubject.USER,
              subjectId: user.id,
            }),
          );
        }
        await em.flush();
        // A password set by an admin ends every session of the user.
        if (passwordHash) await this.sessions.revokeAllForUser(em, user.id, 'PASSWORD_RESET');
        return notes;
      }),
    );
    if (passwordHash) await this.sessions.announceRevoked(user.tenant, user.id);
    for (const note of staged) await this.notifications.publish(note);
    if (capacityRaised) await this.capacityMayGrow(user.tenant, user.id);
    return user;
  }

  async setEnabled(scope: ServiceScope, id: string, enabled: boolean): Promise<User> {
    const actor = staffOf(scope);
    const user = await this.get(scope, id);
    if (user.enabled === enabled) return user;
    if (!enabled && actor.kind === 'user' && actor.userId === user.id) throw raise(UserErrors, 'SELF_DISABLE');
    await scope.em.transactional(async (em) => {
      if (enabled) {
        await this.tenants.reserveSeats(em, user.tenant, 1);
      } else {
        await this.assertOtherAdmin(em, user);
        await this.sessions.revokeAllForUser(em, user.id, 'USER_DISABLED');
      }
      user.enabled = enabled;
      await em.flush();
    });
    if (!enabled) await this.sessions.announceRevoked(user.tenant, user.id);
    else await this.capacityMayGrow(user.tenant, user.id);
    return user;
  }

  /** Deletes a user: their records stay (attributed to them), they disappear from lists and cannot sign in. */
  async delete(scope: ServiceScope, id: string): Promise<string> {
    const actor = staffOf(scope);
    const user = await this.get(scope, id);
    if (actor.kind === 'user' && actor.userId === user.id) throw raise(UserErrors, 'SELF_DISABLE');
    await scope.em.transactional(async (em) => {
      await this.assertOtherAdmin(em, user);
      await this.sessions.revokeAllForUser(em, user.id, 'USER_DELETED');
      user.deletedAt = new Date();
      user.enabled = false;
      await em.flush();
    });
    await this.sessions.announceRevoked(user.tenant, user.id);
    return id;
  }

  async updateMyProfile(scope: ServiceScope, input: UpdateMyProfileInput): Promise<User> {
    const user = await this.me(scope);
    scope.em.assign(user, { ...input, ...(input.nickname ? { nickname: input.nickname.trim() } : {}) });
    await scope.em.flush();
    return user;
  }

  /** For sign-in: the user with this email in any tenant, with the password hash loaded. */
  findForLogin(systemEm: EntityManager, email: string): Promise<User | null> {
    return systemEm.findOne(
      User,
      { email: normaliseEmail(email), deletedAt: null },
      { populate: ['passwordHash'] as never },
    );
  }

  /** The first admin of a new tenant (registration and demo data). */
  async createFirstAdmin(
    em: EntityManager,
    args: { tenantId: string; role: Role; email: string; password: string; nickname: string },
  ): Promise<User> {
    return this.writing(async () =>
      em.create(User, {
        tenant: args.tenantId,
        email: normaliseEmail(args.email),
        nickname: args.nickname.trim(),
        passwordHash: await hashPassword(args.password),
        role: args.role,
      }),
    );
  }

  async setPassword(em: EntityManager, user: User, password: string): Promise<void> {
    user.passwordHash = await hashPassword(password);
    await em.flush();
  }

  // A tenant keeps at least one enabled admin, whatever happens to the others. Runs in the caller's
  // transaction under the tenant lock, so two admins cannot disable each other at the same time.
  private async assertOtherAdmin(em: EntityManager, user: User): Promise<void> {
    const role = await em.findOneOrFail(Role, { id: user.role.id });
    if (role.builtIn !== BuiltInRole.ADMIN || !user.enabled) return;
    await this.tenants.lock(em, user.tenant);
    const others = await em.count(User, {
      id: { $ne: user.id },
      enabled: true,
      deletedAt: null,
      role: { builtIn: BuiltInRole.ADMIN },
    });
    if (others === 0) throw raise(UserErrors, 'LAST_ADMIN');
  }

  private async writing<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isUniqueViolation(e, EMAIL_INDEX)) throw raise(UserErrors, 'EMAIL_TAKEN');
      throw e;
    }
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

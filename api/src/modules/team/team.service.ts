import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PrincipalCache } from '../../platform/auth/principal-cache';
import { type ServiceScope, staffOf, tenantOf } from '../../platform/auth/scope';
import { scopedSql } from '../../platform/database/scoped-query';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { likeContains } from '../../platform/database/like';
import { raise } from '../../platform/errors/app-error';
import { type Page, pageWindow } from '../../platform/graphql/connection';
import { v7 as uuidv7 } from 'uuid';
import { User } from '../user/user.entity';
import { Team, TeamMember } from './team.entity';
import { TeamErrors } from './team.errors';
import type { CreateTeamInput, TeamMembersArgs, TeamsArgs, UpdateTeamInput } from './team.inputs';

// Team membership is part of every member's principal (team data scope), so membership changes
// drop the cached principals they affect.
export class TeamService {
  constructor(private readonly principals: PrincipalCache) {}

  async list(scope: ServiceScope, args: TeamsArgs): Promise<Page<Team>> {
    const { offset, limit } = pageWindow(args);
    const where: FilterQuery<Team> = args.search?.trim() ? { name: { $ilike: likeContains(args.search.trim()) } } : {};
    const [items, totalCount] = await scope.em.findAndCount(Team, where, {
      orderBy: { name: 'asc', id: 'asc' },
      offset,
      limit,
    });
    return { items, totalCount, offset, limit };
  }

  async get(scope: ServiceScope, id: string): Promise<Team> {
    const team = await scope.em.findOne(Team, { id });
    if (!team) throw raise(TeamErrors, 'NOT_FOUND');
    return team;
  }

  async create(scope: ServiceScope, input: CreateTeamInput): Promise<Team> {
    const tenantId = tenantOf(scope);
    const team = await this.writing(() =>
      scope.em.transactional(async (em) => {
        const { memberIds, ...fields } = input;
        const created = em.create(Team, { ...fields, name: input.name.trim(), tenant: tenantId });
        await em.flush();
        await this.addMembersIn(em, tenantId, created.id, memberIds);
        return created;
      }),
    );
    if (input.memberIds.length) await this.principals.changed({ tenantId, userIds: input.memberIds });
    return team;
  }

  async update(scope: ServiceScope, id: string, input: UpdateTeamInput): Promise<Team> {
    const team = await this.get(scope, id);
    scope.em.assign(team, { ...input, ...(input.name ? { name: input.name.trim() } : {}) });
    await this.writing(() => scope.em.flush());
    return team;
  }

  async delete(scope: ServiceScope, id: string): Promise<string> {
    const team = await this.get(scope, id);
    const members = await this.memberIds(scope.em, team.id);
    await scope.em.remove(team).flush();
    await this.principals.changed({ tenantId: team.tenant, userIds: members });
    return id;
  }

  /** Adds users in one batch; those already members are left as they are. */
  async addMembers(scope: ServiceScope, teamId: string, userIds: string[]): Promise<Team> {
    const team = await this.get(scope, teamId);
    await scope.em.transactional(async (em) => {
      await this.addMembersIn(em, team.tenant, team.id, userIds);
    });
    await this.principals.changed({ tenantId: team.tenant, userIds });
    return team;
  }

  async removeMembers(scope: ServiceScope, teamId: string, userIds: string[]): Promise<Team> {
    const team = await this.get(scope, teamId);
    await scope.em.nativeDelete(TeamMember, { team: team.id, user: { $in: userIds } });
    await this.principals.changed({ tenantId: team.tenant, userIds });
    return team;
  }

  async members(scope: ServiceScope, teamId: string, args: TeamMembersArgs): Promise<Page<User>> {
    const { offset, limit } = pageWindow(args);
    const memberIds = await this.memberIds(scope.em, teamId);
    const filter: FilterQuery<User> = { id: { $in: memberIds }, deletedAt: null };
    if (args.status) filter.status = args.status;
    if (args.search?.trim()) {
      const like = likeContains(args.search.trim());
      filter.$or = [{ nickname: { $ilike: like } }, { email: { $ilike: like } }];
    }
    const [items, totalCount] = await scope.em.findAndCount(User, filter, {
      orderBy: { nickname: 'asc', id: 'asc' },
      offset,
      limit,
    });
    return { items, totalCount, offset, limit };
  }

  /** Member counts for many teams at once (DataLoader batch). */
  async memberCounts(scope: ServiceScope, teamIds: readonly string[]): Promise<number[]> {
    if (!teamIds.length) return [];
    const rows = await scopedSql<{ team: string; count: number }>(
      scope.em,
      staffOf(scope),
      `select tm.team_id as team, count(*)::int as count
         from team_member tm join app_user u on u.id = tm.user_id
        where tm.tenant_id = ? and tm.team_id in (?) and u.deleted_at is null
        group by tm.team_id`,
      [[...teamIds]],
    );
    const map = new Map(rows.map((r) => [r.team, r.count]));
    return teamIds.map((id) => map.get(id) ?? 0);
  }

  /** Team ids of many users at once (DataLoader batch). */
  async teamIdsOf(scope: ServiceScope, userIds: readonly string[]): Promise<string[][]> {
    const rows = await scope.em.find(TeamMember, { user: { $in: [...userIds] } }, { fields: ['team', 'user'] });
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.user, [...(map.get(r.user) ?? []), r.team]);
    return userIds.map((id) => map.get(id) ?? []);
  }

  private async memberIds(em: EntityManager, teamId: string): Promise<string[]> {
    return (await em.find(TeamMember, { team: teamId }, { fields: ['user'] })).map((m) => m.user);
  }

  private async addMembersIn(em: EntityManager, tenantId: string, teamId: string, userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    const found = await em.count(User, { id: { $in: userIds }, deletedAt: null });
    if (found !== userIds.length) throw raise(TeamErrors, 'USERS_NOT_FOUND');
    // Members already there (or added by a concurrent request) are left as they are.
    await em
      .createQueryBuilder(TeamMember)
      .insert(userIds.map((user) => ({ id: uuidv7(), tenant: tenantId, team: teamId, user })))
      .onConflict(['team', 'user'])
      .ignore()
      .execute();
  }

  private async writing<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isUniqueViolation(e)) throw raise(TeamErrors, 'NAME_TAKEN');
      throw e;
    }
  }
}

import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ServiceScope, tenantOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { badInput, raise } from '../../platform/errors/app-error';
import { Team } from '../team/team.entity';
import type { TenantService } from '../tenant/tenant.service';
import { RoutingRule } from './routing.entity';
import { normalizeSchedule, type ScheduleLike, scheduleProblem } from './schedule';
import { TimePlan } from './time-plan.entity';
import { TimePlanErrors } from './time-plan.errors';
import type { CreateTimePlanInput, UpdateTimePlanInput } from './time-plan.inputs';

/**
 * Time plans (QUE-8). A tenant with plans has exactly one default: the first plan becomes it, and
 * it moves only to another plan. Changes that touch the default run under the tenant's row lock,
 * so two concurrent requests cannot leave none or two.
 */
export class TimePlanService {
  constructor(private readonly tenants: TenantService) {}

  list(scope: ServiceScope): Promise<TimePlan[]> {
    return scope.em.find(TimePlan, {}, { orderBy: { name: 'asc', id: 'asc' } });
  }

  async get(scope: ServiceScope, id: string): Promise<TimePlan> {
    const plan = await scope.em.findOne(TimePlan, { id });
    if (!plan) throw raise(TimePlanErrors, 'NOT_FOUND');
    return plan;
  }

  async create(scope: ServiceScope, input: CreateTimePlanInput): Promise<TimePlan> {
    const tenantId = tenantOf(scope);
    const schedule = checked(input);
    return this.writing(() =>
      scope.em.transactional(async (em) => {
        await this.tenants.lock(em, tenantId);
        const first = (await em.count(TimePlan, { tenant: tenantId })) === 0;
        const isDefault = first || input.isDefault;
        if (isDefault) await this.clearDefault(em, tenantId);
        const plan = em.create(TimePlan, { tenant: tenantId, name: input.name.trim(), isDefault, ...schedule });
        await em.flush();
        return plan;
      }),
    );
  }

  async update(scope: ServiceScope, id: string, input: UpdateTimePlanInput): Promise<TimePlan> {
    const tenantId = tenantOf(scope);
    return this.writing(() =>
      scope.em.transactional(async (em) => {
        await this.tenants.lock(em, tenantId);
        const plan = await em.findOne(TimePlan, { id });
        if (!plan) throw raise(TimePlanErrors, 'NOT_FOUND');
        if (input.isDefault === false) throw raise(TimePlanErrors, 'DEFAULT_REQUIRED');
        const schedule = checked({
          timezone: input.timezone ?? plan.timezone,
          weekly: input.weekly ?? plan.weekly,
          holidays: input.holidays ?? plan.holidays,
          workdays: input.workdays ?? plan.workdays,
        });
        if (input.isDefault && !plan.isDefault) await this.clearDefault(em, tenantId);
        em.assign(plan, {
          ...schedule,
          ...(input.name ? { name: input.name.trim() } : {}),
          ...(input.isDefault ? { isDefault: true } : {}),
        });
        await em.flush();
        return plan;
      }),
    );
  }

  setDefault(scope: ServiceScope, id: string): Promise<TimePlan> {
    return this.update(scope, id, { isDefault: true });
  }

  /**
   * Deletes a plan. Teams bound to it fall back to the default plan; routing rules that used it
   * lose it together with their off-hours team, and route to their team all day.
   */
  async delete(scope: ServiceScope, id: string): Promise<string> {
    const tenantId = tenantOf(scope);
    await scope.em.transactional(async (em) => {
      await this.tenants.lock(em, tenantId);
      const plan = await em.findOne(TimePlan, { id });
      if (!plan) throw raise(TimePlanErrors, 'NOT_FOUND');
      if (plan.isDefault && (await em.count(TimePlan, { tenant: tenantId })) > 1) {
        throw raise(TimePlanErrors, 'DEFAULT_PLAN_IN_USE');
      }
      await em.nativeUpdate(
        RoutingRule,
        { tenant: tenantId, timePlan: plan.id },
        { timePlan: null, offHoursTeam: null },
      );
      em.remove(plan);
      await em.flush();
    });
    return id;
  }

  /** Binds a plan to a team (null: the team follows the default plan). */
  async setTeamPlan(scope: ServiceScope, teamId: string, timePlanId: string | null): Promise<Team> {
    const team = await scope.em.findOne(Team, { id: teamId });
    if (!team) throw raise(TimePlanErrors, 'TEAM_NOT_FOUND');
    const plan = timePlanId ? await scope.em.findOne(TimePlan, { id: timePlanId }) : null;
    if (timePlanId && !plan) throw raise(TimePlanErrors, 'BOUND_PLAN_NOT_FOUND');
    team.timePlan = plan ? ref(plan) : null;
    await scope.em.flush();
    return team;
  }

  private async clearDefault(em: EntityManager, tenantId: string): Promise<void> {
    for (const plan of await em.find(TimePlan, { tenant: tenantId, isDefault: true })) plan.isDefault = false;
  }

  private async writing<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isUniqueViolation(e)) throw raise(TimePlanErrors, 'NAME_TAKEN');
      throw e;
    }
  }
}

/** The schedule in its stored form, or BAD_USER_INPUT naming the field at fault. */
function checked(input: ScheduleLike): ScheduleLike {
  const schedule: ScheduleLike = {
    timezone: input.timezone.trim(),
    weekly: input.weekly,
    holidays: input.holidays,
    workdays: input.workdays,
  };
  const found = scheduleProblem(schedule);
  if (found) throw badInput(found.field, found.message, found.reason);
  return normalizeSchedule(schedule);
}

import { Page, ScopedArea } from '../../platform/auth/pages';
import { scopeOf, type StaffPrincipal } from '../../platform/auth/principal';
import { type ServiceScope, staffOf } from '../../platform/auth/scope';
import { likeContains } from '../../platform/database/like';
import { scopedSql } from '../../platform/database/scoped-query';
import { raise } from '../../platform/errors/app-error';
import { type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import { anyOf, modeOf, type Reach, SqlWhere } from '../history/history.service';
import { ConsoleMode } from '../history/history.types';
import { CustomerTag } from '../tag/tag.entity';
import { Customer } from './customer.entity';
import type { CustomersArgs } from './customer-list.inputs';
import { CustomerListErrors } from './customer-list.errors';

/** Monday 00:00 UTC of the week `now` is in. */
export function startOfWeek(now: Date): Date {
  const day = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day));
}

/**
 * The Customers pages (HIS-3). Agent Mode (AGENT_CUSTOMERS): the customers the user served.
 * Admin Mode (ADMIN_CUSTOMERS): every customer within the CUSTOMERS data scope (TEAM: customers
 * with a conversation of one of the user's teams). The same rules decide `customer(id)`.
 */
export class CustomerListService {
  async list(scope: ServiceScope, args: CustomersArgs): Promise<ResultPage<Customer>> {
    const staff = staffOf(scope);
    const mode = modeOf(staff, args.mode, Page.AGENT_CUSTOMERS, Page.ADMIN_CUSTOMERS);
    const { offset, limit } = pageWindow(args);
    const f = args.filter ?? {};
    const search = f.search?.trim();
    if (f.tagIds?.length) {
      const tags = [...new Set(f.tagIds)];
      if ((await scope.em.count(CustomerTag, { id: { $in: tags } })) !== tags.length) {
        throw raise(CustomerListErrors, 'TAG_NOT_FOUND');
      }
    }
    const where = new SqlWhere();
    const from = f.from ?? (f.to || search || f.blacklistedOnly ? null : startOfWeek(new Date()));
    if (from && f.to && from >= f.to) throw raise(CustomerListErrors, 'BAD_RANGE');
    if (from) where.add('cu.last_seen_at >= ?', from);
    if (f.to) where.add('cu.last_seen_at < ?', f.to);
    if (search) {
      const like = likeContains(search);
      where.add(
        '(cu.nickname ilike ? or cu.real_name ilike ? or cu.external_id ilike ? or cu.phone ilike ? or cu.email ilike ?)',
        like,
        like,
        like,
        like,
        like,
      );
    }
    if (f.blacklistedOnly) where.add('cu.blacklisted_at is not null');
    if (f.tagIds) {
      if (!f.tagIds.length) return { items: [], totalCount: 0, offset, limit };
      where.add(
        'exists (select 1 from customer_tagging ct where ct.tenant_id = cu.tenant_id and ct.customer_id = cu.id and ct.tag_id in (?))',
        [...f.tagIds],
      );
    }
    if (!where.reach(this.reach(staff, mode))) return { items: [], totalCount: 0, offset, limit };
    const rows = await scopedSql<{ id: string; total: number }>(
      scope.em,
      staff,
      `select cu.id, count(*) over ()::int as total from customer cu
        where cu.tenant_id = ? and ${where.sql}
        order by cu.last_seen_at desc, cu.id desc limit ? offset ?`,
      [...where.params, limit, offset],
    );
    let totalCount = rows[0]?.total ?? 0;
    if (!rows.length && offset > 0) {
      const [count] = await scopedSql<{ total: number }>(
        scope.em,
        staff,
        `select count(*)::int as total from customer cu where cu.tenant_id = ? and ${where.sql}`,
        where.params,
      );
      totalCount = count?.total ?? 0;
    }
    const found = await scope.em.find(Customer, { id: { $in: rows.map((r) => r.id) } });
    const byId = new Map(found.map((c) => [c.id, c]));
    return { items: rows.flatMap((r) => byId.get(r.id) ?? []), totalCount, offset, limit };
  }

  /** A customer the caller may see in any mode their role grants; NOT_FOUND otherwise. */
  async get(scope: ServiceScope, id: string): Promise<Customer> {
    const customer = (await this.canSee(scope, id)) ? await scope.em.findOne(Customer, { id }) : null;
    if (!customer) throw raise(CustomerListErrors, 'NOT_FOUND');
    return customer;
  }

  /** Whether the caller may see the customer on a Customers page (either mode). */
  async canSee(scope: ServiceScope, customerId: string): Promise<boolean> {
    const staff = staffOf(scope);
    const reaches: Reach[] = [];
    if (staff.pages.has(Page.AGENT_CUSTOMERS)) reaches.push(this.reach(staff, ConsoleMode.AGENT));
    if (staff.pages.has(Page.ADMIN_CUSTOMERS)) reaches.push(this.reach(staff, ConsoleMode.ADMIN));
    const where = new SqlWhere().add('cu.id = ?', customerId);
    if (!where.reach(anyOf(reaches))) return false;
    const rows = await scopedSql<{ id: string }>(
      scope.em,
      staff,
      `select cu.id from customer cu where cu.tenant_id = ? and ${where.sql}`,
      where.params,
    );
    return rows.length > 0;
  }

  /** Customers (alias `cu`) a mode shows. */
  private reach(p: StaffPrincipal, mode: ConsoleMode): Reach {
    if (mode === ConsoleMode.AGENT) {
      if (p.kind !== 'user') return null;
      return {
        sql:
          'exists (select 1 from conversation_agent ca join conversation v on v.tenant_id = ca.tenant_id and v.id = ca.conversation_id' +
          ' where ca.tenant_id = cu.tenant_id and ca.user_id = ? and v.customer_id = cu.id)',
        params: [p.userId],
      };
    }
    const scope = scopeOf(p, ScopedArea.CUSTOMERS);
    if (scope.tenantWide) return true;
    if (!scope.teamIds.length) return null;
    return {
      sql: 'exists (select 1 from conversation v where v.tenant_id = cu.tenant_id and v.customer_id = cu.id and v.team_id in (?))',
      params: [[...scope.teamIds]],
    };
  }
}

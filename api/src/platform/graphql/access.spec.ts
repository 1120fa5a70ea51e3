import type { GraphQLSchema } from 'graphql';
import { buildSchema, Mutation, Query, Resolver } from 'type-graphql';
import { AppError, ErrorCode } from '../errors/app-error';
import { Page } from '../auth/pages';
import {
  ANONYMOUS,
  type ApiKeyPrincipal,
  FULL_SCOPES,
  type Principal,
  type UserPrincipal,
  type VisitorPrincipal,
} from '../auth/principal';
import {
  type AccessRule,
  accessRuleOf,
  assertAccess,
  Public,
  RequirePage,
  SignedIn,
  undeclaredRootFields,
  VisitorOnly,
} from './access';

const TENANT = '0190a5b2-0000-7000-8000-000000000001';

const user = (pages: Page[] = []): UserPrincipal => ({
  kind: 'user',
  tenantId: TENANT,
  userId: '0190a5b2-0000-7000-8000-000000000002',
  sessionId: '0190a5b2-0000-7000-8000-000000000003',
  teamIds: [],
  roleId: '0190a5b2-0000-7000-8000-000000000004',
  isAdmin: false,
  pages: new Set(pages),
  scopes: FULL_SCOPES,
});

const apiKey = (pages: Page[] = []): ApiKeyPrincipal => ({
  kind: 'apiKey',
  tenantId: TENANT,
  apiKeyId: '0190a5b2-0000-7000-8000-000000000005',
  teamIds: [],
  roleId: '0190a5b2-0000-7000-8000-000000000004',
  isAdmin: false,
  pages: new Set(pages),
  scopes: FULL_SCOPES,
});

const visitor: VisitorPrincipal = {
  kind: 'visitor',
  widgetId: '0190a5b2-0000-7000-8000-000000000007',
  tenantId: TENANT,
  customerId: '0190a5b2-0000-7000-8000-000000000006',
};

function refusal(rule: AccessRule | undefined, principal: Principal, field = 'Query.thing'): AppError {
  try {
    assertAccess(rule, principal, field);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected access to be refused');
}

describe(assertAccess.name, () => {
  describe('a field with no rule', () => {
    it('is refused with FORBIDDEN naming the operation, even for a user with every page', () => {
      const error = refusal(undefined, user(Object.values(Page)), 'Mutation.deleteEverything');

      expect(error.code).toBe(ErrorCode.FORBIDDEN);
      expect(error.message).toBe('Operation Mutation.deleteEverything declares no permission');
    });

    it('is refused to anonymous callers with FORBIDDEN too', () => {
      expect(refusal(undefined, ANONYMOUS).code).toBe(ErrorCode.FORBIDDEN);
    });
  });

  describe('public rule', () => {
    const rule: AccessRule = { type: 'public' };

    it.each<[string, Principal]>([
      ['anonymous', ANONYMOUS],
      ['user', user()],
      ['apiKey', apiKey()],
      ['visitor', visitor],
    ])('lets %s through', (_kind, principal) => {
      expect(() => assertAccess(rule, principal, 'Query.thing')).not.toThrow();
    });
  });

  describe('signedIn rule', () => {
    const staff: AccessRule = { type: 'signedIn', kinds: ['user', 'apiKey'] };
    const usersOnly: AccessRule = { type: 'signedIn', kinds: ['user'] };
    const visitorsOnly: AccessRule = { type: 'signedIn', kinds: ['visitor'] };

    it('refuses anonymous callers with UNAUTHENTICATED', () => {
      expect(refusal(staff, ANONYMOUS).code).toBe(ErrorCode.UNAUTHENTICATED);
      expect(refusal(visitorsOnly, ANONYMOUS).code).toBe(ErrorCode.UNAUTHENTICATED);
    });

    it('lets users and API keys through when both kinds are allowed, whatever their pages', () => {
      expect(() => assertAccess(staff, user(), 'Query.thing')).not.toThrow();
      expect(() => assertAccess(staff, apiKey(), 'Query.thing')).not.toThrow();
    });

    it('refuses a visitor on a staff rule with FORBIDDEN', () => {
      expect(refusal(staff, visitor).code).toBe(ErrorCode.FORBIDDEN);
    });

    it('refuses an API key on a users-only rule with FORBIDDEN', () => {
      expect(() => assertAccess(usersOnly, user(), 'Query.thing')).not.toThrow();
      expect(refusal(usersOnly, apiKey([Page.ADMIN_HOME])).code).toBe(ErrorCode.FORBIDDEN);
    });

    it('lets only visitors through a visitors-only rule', () => {
      expect(() => assertAccess(visitorsOnly, visitor, 'Query.thing')).not.toThrow();
      expect(refusal(visitorsOnly, user(Object.values(Page))).code).toBe(ErrorCode.FORBIDDEN);
      expect(refusal(visitorsOnly, apiKey()).code).toBe(ErrorCode.FORBIDDEN);
    });
  });

  describe('page rule', () => {
    const rule: AccessRule = { type: 'page', pages: [Page.ADMIN_USERS, Page.ADMIN_TEAMS] };

    it('refuses anonymous callers with UNAUTHENTICATED', () => {
      expect(refusal(rule, ANONYMOUS).code).toBe(ErrorCode.UNAUTHENTICATED);
    });

    it('refuses visitors with FORBIDDEN', () => {
      expect(refusal(rule, visitor).code).toBe(ErrorCode.FORBIDDEN);
    });

    it('refuses a user without any of the pages with FORBIDDEN naming the pages', () => {
      const error = refusal(rule, user([Page.AGENT_CONVERSATIONS, Page.ADMIN_HOME]));

      expect(error.code).toBe(ErrorCode.FORBIDDEN);
      expect(error.message).toBe('Your role does not grant the ADMIN_USERS or ADMIN_TEAMS page');
    });

    it('names the single page when the rule has one', () => {
      const error = refusal({ type: 'page', pages: [Page.ADMIN_ROLES] }, user());

      expect(error.message).toBe('Your role does not grant the ADMIN_ROLES page');
    });

    it('lets a user with any one of the pages through', () => {
      expect(() => assertAccess(rule, user([Page.ADMIN_TEAMS]), 'Query.thing')).not.toThrow();
      expect(() => assertAccess(rule, user([Page.ADMIN_USERS]), 'Query.thing')).not.toThrow();
    });

    it('applies to API keys the same way as to users', () => {
      expect(() => assertAccess(rule, apiKey([Page.ADMIN_USERS]), 'Query.thing')).not.toThrow();
      expect(refusal(rule, apiKey([Page.ADMIN_HOME])).code).toBe(ErrorCode.FORBIDDEN);
    });
  });
});

@Resolver()
class SampleResolver {
  @Query(() => String)
  @Public()
  hello(): string {
    return 'hello';
  }

  @Query(() => String)
  @RequirePage(Page.ADMIN_USERS, Page.ADMIN_TEAMS)
  users(): string {
    return 'users';
  }

  @Query(() => String)
  forgotten(): string {
    return 'forgotten';
  }

  @Mutation(() => String)
  @SignedIn('user')
  rename(): string {
    return 'renamed';
  }

  @Mutation(() => String)
  @VisitorOnly()
  sendAsVisitor(): string {
    return 'sent';
  }

  @Mutation(() => String)
  alsoForgotten(): string {
    return 'forgotten';
  }
}

describe(undeclaredRootFields.name, () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await buildSchema({ resolvers: [SampleResolver] });
  });

  it('lists exactly the root fields without an access decorator', () => {
    expect(undeclaredRootFields(schema).sort()).toEqual(['Mutation.alsoForgotten', 'Query.forgotten']);
  });

  it('reads the rule each decorator declared from the schema', () => {
    const queries = schema.getQueryType()?.getFields() ?? {};
    const mutations = schema.getMutationType()?.getFields() ?? {};

    expect(queries.hello && accessRuleOf(queries.hello)).toEqual({ type: 'public' });
    expect(queries.users && accessRuleOf(queries.users)).toEqual({
      type: 'page',
      pages: [Page.ADMIN_USERS, Page.ADMIN_TEAMS],
    });
    expect(queries.forgotten && accessRuleOf(queries.forgotten)).toBeUndefined();
    expect(mutations.rename && accessRuleOf(mutations.rename)).toEqual({ type: 'signedIn', kinds: ['user'] });
    expect(mutations.sendAsVisitor && accessRuleOf(mutations.sendAsVisitor)).toEqual({
      type: 'signedIn',
      kinds: ['visitor'],
    });
  });

  it('lets SignedIn() with no kinds admit both users and API keys', async () => {
    @Resolver()
    class StaffResolver {
      @Query(() => String)
      @SignedIn()
      staffOnly(): string {
        return 'staff';
      }
    }
    const staffSchema = await buildSchema({ resolvers: [StaffResolver] });
    const field = staffSchema.getQueryType()?.getFields().staffOnly;

    expect(field && accessRuleOf(field)).toEqual({ type: 'signedIn', kinds: ['user', 'apiKey'] });
    expect(undeclaredRootFields(staffSchema)).toEqual([]);
  });
});

import { defaultFieldResolver, type GraphQLField, type GraphQLSchema } from 'graphql';
import { Extensions } from 'type-graphql';
import { forbidden, unauthenticated } from '../errors/app-error';
import type { Page } from '../auth/pages';
import type { Principal, PrincipalKind } from '../auth/principal';
import type { RequestContext } from './context';
import { assertIdArguments } from './id-args';

/**
 * What a root field requires. Declared on every Query, Mutation and Subscription field with one
 * of the decorators below; the rule lives in the field's schema extensions, so the same data
 * drives enforcement (the guard) and the build-time check (a test that walks the schema).
 */
export type AccessRule =
  | { type: 'public' }
  | { type: 'signedIn'; kinds: Exclude<PrincipalKind, 'anonymous'>[] }
  | { type: 'page'; pages: Page[] };

const declare = (rule: AccessRule) => Extensions({ access: rule });

/** Anyone, signed in or not (sign-in, registration, the widget's entry point). */
export const Public = () => declare({ type: 'public' });
/** Any signed-in user or API key; pass kinds to narrow (e.g. `SignedIn('user')`). */
export const SignedIn = (...kinds: Exclude<PrincipalKind, 'anonymous'>[]) =>
  declare({ type: 'signedIn', kinds: kinds.length ? kinds : ['user', 'apiKey'] });
/** A user or API key whose role grants at least one of the pages. */
export const RequirePage = (...pages: Page[]) => declare({ type: 'page', pages });
/** Visitors only (the widget), bound to their own customer. */
export const VisitorOnly = () => declare({ type: 'signedIn', kinds: ['visitor'] });

export function accessRuleOf(field: GraphQLField<unknown, unknown>): AccessRule | undefined {
  return field.extensions?.access as AccessRule | undefined;
}

export function assertAccess(rule: AccessRule | undefined, principal: Principal, field: string): void {
  // A field without a declaration is refused: the default is deny.
  if (!rule) throw forbidden(`Operation ${field} declares no permission`);
  switch (rule.type) {
    case 'public':
      return;
    case 'signedIn':
      if (principal.kind === 'anonymous') throw unauthenticated();
      if (!rule.kinds.includes(principal.kind)) throw forbidden();
      return;
    case 'page':
      if (principal.kind === 'anonymous') throw unauthenticated();
      if (principal.kind === 'visitor') throw forbidden();
      if (!rule.pages.some((p) => principal.pages.has(p))) {
        throw forbidden(`Your role does not grant the ${rule.pages.join(' or ')} page`);
      }
      return;
    default: {
      const unknownRule: never = rule;
      throw forbidden(`Unknown access rule ${JSON.stringify(unknownRule)}`);
    }
  }
}

/**
 * Puts the check in front of every root field (Query, Mutation, Subscription — `subscribe` and
 * each event's `resolve`): its access rule, and the shape of its id arguments. Only root fields
 * carry rules, so nested fields keep graphql's plain, synchronous resolvers.
 */
export function guardRootFields(schema: GraphQLSchema): void {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = accessRuleOf(field);
      const name = `${type.name}.${field.name}`;
      const check = (args: Record<string, unknown>, context: RequestContext): void => {
        if (!context.permissionsDisabled) assertAccess(rule, context.principal, name);
        assertIdArguments(field.args, args);
      };
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: RequestContext, info) => {
        check(args, context);
        return resolve(source, args, context, info);
      };
      const subscribe = field.subscribe;
      if (subscribe) {
        field.subscribe = (source, args, context: RequestContext, info) => {
          check(args, context);
          return subscribe(source, args, context, info);
        };
      }
    }
  }
}

/** Root fields (Query, Mutation, Subscription) with no access declaration. */
export function undeclaredRootFields(schema: GraphQLSchema): string[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  return roots.flatMap((type) =>
    type
      ? Object.values(type.getFields())
          .filter((f) => !accessRuleOf(f))
          .map((f) => `${type.name}.${f.name}`)
      : [],
  );
}

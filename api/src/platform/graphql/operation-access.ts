import { type DocumentNode, getOperationAST, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Principal } from '../auth/principal';
import { badInput } from '../errors/app-error';
import { accessRuleOf, assertAccess } from './access';
import { fieldsOf, fragmentsOf } from './document';

/**
 * Checks the access rules of an operation's root fields up front. Used where execution does not
 * pass through the resolver middleware first, e.g. a WebSocket subscribe.
 */
export function authorizeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  principal: Principal,
): OperationDefinitionNode {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) throw badInput('operationName', 'The document has no such operation');
  const root =
    operation.operation === 'subscription'
      ? schema.getSubscriptionType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getQueryType();
  const fields = root?.getFields() ?? {};
  for (const selection of fieldsOf(operation.selectionSet, fragmentsOf(document))) {
    if (selection.name.value.startsWith('__')) continue;
    const field = fields[selection.name.value];
    if (field) assertAccess(accessRuleOf(field), principal, `${root?.name}.${field.name}`);
  }
  return operation;
}

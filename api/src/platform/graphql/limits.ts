import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { AppError, ErrorCode, unauthenticated } from '../errors/app-error';
import { DEFAULT_PAGE_SIZE } from './connection';
import { fieldsOf, type Fragments, fragmentsOf } from './document';
import type { RequestContext } from './context';

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
}

export interface OperationCost {
  requested: number;
  limit: number;
}

/**
 * A list field's cost is its children's cost times the page it asks for, so that
 * `users(first: 100) { teams(first: 100) }` costs what it really costs.
 */
const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((a) => a.name === 'first')) return undefined;
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.max(first, 1);
};

/** Checks depth, aliases and cost of one operation; returns its cost or throws `BAD_USER_INPUT`. */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: OperationLimits,
): OperationCost {
  const fragments = fragmentsOf(document);
  const aliases = aliasesOf(operation.selectionSet, fragments, new Set());
  if (aliases > limits.maxAliases) {
    throw limitError(`The query uses ${aliases} aliases; the limit is ${limits.maxAliases}`, 'MAX_ALIASES');
  }
  const roots = fieldsOf(operation.selectionSet, fragments);
  const schemaReads = roots.filter((f) => f.name.value === '__schema' || f.name.value === '__type').length;
  if (schemaReads > MAX_INTROSPECTION_FIELDS) {
    throw limitError(
      `The query reads the schema ${schemaReads} times; the limit is ${MAX_INTROSPECTION_FIELDS}`,
      'MAX_INTROSPECTION',
    );
  }
  // Introspection alone has a fixed shape: aliases and schema reads are all there is to limit.
  if (roots.every((f) => isIntrospection(f.name.value))) return { requested: 0, limit: limits.maxCost };
  const depth = depthOf(operation.selectionSet, fragments, new Set());
  if (depth > limits.maxDepth) {
    throw limitError(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`, 'MAX_DEPTH');
  }
  let requested: number;
  try {
    requested = getComplexity({
      schema,
      query: { kind: Kind.DOCUMENT, definitions: [operation, ...fragments.values()] },
      variables,
      estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (e) {
    // Costing coerces the variables first; a variable of the wrong type is the client's error.
    throw limitError(e instanceof Error ? e.message : 'Invalid variables', 'INVALID_VARIABLES');
  }
  if (requested > limits.maxCost) {
    throw limitError(`Query cost ${requested} exceeds the budget of ${limits.maxCost}`, 'MAX_COST');
  }
  return { requested, limit: limits.maxCost };
}

function limitError(message: string, reason: string): AppError {
  const error = new AppError(ErrorCode.BAD_USER_INPUT, message, { reason });
  // Refused before execution: a client error, not a server failure.
  error.extensions.http = { status: 400 };
  return error;
}

// Introspection is left out of depth and cost: its own shape is deep but fixed.
const MAX_INTROSPECTION_FIELDS = 2;
const isIntrospection = (name: string): boolean => name.startsWith('__');

function depthOf(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (isIntrospection(sel.name.value)) continue;
      max = Math.max(max, 1 + (sel.selectionSet ? depthOf(sel.selectionSet, fragments, seen) : 0));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
    } else {
      const frag = fragments.get(sel.name.value);
      if (frag && !seen.has(frag.name.value)) {
        max = Math.max(max, depthOf(frag.selectionSet, fragments, new Set([...seen, frag.name.value])));
      }
    }
  }
  return max;
}

function aliasesOf(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let count = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.alias) count += 1;
      if (sel.selectionSet) count += aliasesOf(sel.selectionSet, fragments, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      count += aliasesOf(sel.selectionSet, fragments, seen);
    } else {
      const frag = fragments.get(sel.name.value);
      if (frag && !seen.has(frag.name.value)) {
        count += aliasesOf(frag.selectionSet, fragments, new Set([...seen, frag.name.value]));
      }
    }
  }
  return count;
}

export function isIntrospectionOnly(operation: OperationDefinitionNode, fragments: Fragments = new Map()): boolean {
  return fieldsOf(operation.selectionSet, fragments).every((f) => isIntrospection(f.name.value));
}

// `__schema` and `__type` exist only on the query root, so the root level (through fragments) is enough.
function readsSchema(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  return fieldsOf(operation.selectionSet, fragmentsOf(document)).some(
    (f) => f.name.value === '__schema' || f.name.value === '__type',
  );
}

/**
 * Apollo plugin: operation limits (cost reported in `extensions.cost`) and, when asked,
 * introspection only for signed-in callers.
 */
export function limitsPlugin(
  limits: OperationLimits,
  options: { introspectionRequiresAuth: boolean },
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let cost: OperationCost | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          if (
            options.introspectionRequiresAuth &&
            contextValue.principal.kind === 'anonymous' &&
            readsSchema(operation, document)
          ) {
            const error = unauthenticated('Sign in to introspect the schema');
            error.extensions.http = { status: 401 };
            throw error;
          }
          cost = checkOperation(schema, document, operation, request.variables ?? {}, limits);
        },
        async willSendResponse({ response }) {
          if (cost && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
        },
      };
    },
  };
}

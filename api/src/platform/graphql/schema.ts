import { writeFileSync } from 'node:fs';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { guardRootFields } from './access';

export async function buildAppSchema(resolvers: NonEmptyArray<Function>): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    // Null and missing values are validated too: optional fields say so (@IsOptional or @OptionalNotNull).
    validate: {
      forbidUnknownValues: false,
      skipMissingProperties: false,
      validationError: { target: false, value: false },
    },
    // Every subscription supplies its own `subscribe` over keyed topics (see EventBus);
    // type-graphql's topic-based PubSub is deliberately not used.
    pubSub: {
      publish: () => {
        throw new Error('Publish through the EventBus');
      },
      subscribe: () => {
        throw new Error('Subscriptions must declare their own subscribe function');
      },
    },
    emitSchemaFile: false,
  });
  guardRootFields(schema);
  return schema;
}

/** The committed SDL: sorted so that its diff shows only real changes. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export function writeSchemaFile(schema: GraphQLSchema, path: string): void {
  writeFileSync(path, printSortedSchema(schema));
}

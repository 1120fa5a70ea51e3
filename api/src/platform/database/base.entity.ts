import { OptionalProps } from '@mikro-orm/core';
import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { v7 as uuidv7 } from 'uuid';
import { Field, ID, ObjectType } from 'type-graphql';

/** Properties with defaults, optional in `em.create`; entities name theirs in the type parameter. */
export type EntityDefaults = 'createdAt' | 'updatedAt';

/** Every table's identity and timestamps. IDs are UUIDv7 (time-ordered). */
@ObjectType()
export abstract class BaseEntity<Defaults extends string = never> {
  [OptionalProps]?: EntityDefaults | Defaults;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Field()
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

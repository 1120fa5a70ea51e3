import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { User } from '../user/user.entity';

/**
 * A phrase category (CNT-2). Public categories (no owner) have two levels; an agent's personal
 * categories (owner set) have one.
 */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'owner', 'parent', 'position'] })
export class PhraseCategory extends TenantOwnedEntity<'position'> {
  @Field(() => ID, { nullable: true, description: 'The agent owning a personal category; null for public ones.' })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'cascade' })
  owner: string | null = null;

  @Field(() => ID, { nullable: true })
  @ManyToOne(() => PhraseCategory, { mapToPk: true, nullable: true, deleteRule: 'cascade' })
  parent: string | null = null;

  @Field()
  @Property({ length: 60 })
  name!: string;

  @Field(() => Int)
  @Property()
  position: number = 0;
}

/** A ready-made reply (CNT-2); `##dear##` is replaced by the customer's address when used. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'owner', 'category', 'position'] })
export class Phrase extends TenantOwnedEntity<'position'> {
  @Field(() => ID, { nullable: true, description: 'The agent owning a personal phrase; null for public ones.' })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'cascade' })
  owner: string | null = null;

  @Field(() => ID, { nullable: true })
  @ManyToOne(() => PhraseCategory, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  category: string | null = null;

  @Field()
  @Property({ length: 2000 })
  content!: string;

  @Field(() => Int)
  @Property()
  position: number = 0;
}

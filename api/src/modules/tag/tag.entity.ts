import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Conversation } from '../conversation/conversation.entity';
import { Customer } from '../customer/customer.entity';
import { User } from '../user/user.entity';

/** A label admins define and agents attach to customers (CNV-2). */
@ObjectType()
@Entity()
@Unique({ properties: ['tenant', 'name'] })
export class CustomerTag extends TenantOwnedEntity<'position'> {
  @Field()
  @Property({ length: 40 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'A `#rrggbb` colour for chips.' })
  @Property({ length: 7, nullable: true })
  color: string | null = null;

  @Field(() => Int)
  @Property()
  position: number = 0;
}

/** A customer tag attached to a customer. */
@Entity()
@Unique({ properties: ['tenant', 'customer', 'tag'] })
@Index({ properties: ['tenant', 'tag'] })
export class CustomerTagging extends TenantOwnedEntity {
  @ManyToOne(() => Customer, { mapToPk: true, deleteRule: 'cascade' })
  customer!: string;

  @ManyToOne(() => CustomerTag, { mapToPk: true, deleteRule: 'cascade' })
  tag!: string;

  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  taggedBy: string | null = null;
}

/** A node of the conversation-tag tree (CNV-3): at most 10 levels, 1,000 tags and 20 roots. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'parent', 'position'] })
export class ConversationTag extends TenantOwnedEntity<'position'> {
  @Field()
  @Property({ length: 60 })
  name!: string;

  @Field(() => ID, { nullable: true })
  @ManyToOne(() => ConversationTag, { mapToPk: true, nullable: true, deleteRule: 'cascade' })
  parent: string | null = null;

  @Field(() => Int, { description: '1 for a root, up to 10.' })
  @Property()
  depth!: number;

  @Field(() => Int)
  @Property()
  position: number = 0;
}

/** A conversation tag set on a conversation, during it or after it closed. */
@Entity()
@Unique({ properties: ['tenant', 'conversation', 'tag'] })
@Index({ properties: ['tenant', 'tag', 'createdAt'] })
export class ConversationTagging extends TenantOwnedEntity {
  @ManyToOne(() => Conversation, { mapToPk: true, deleteRule: 'cascade' })
  conversation!: string;

  @ManyToOne(() => ConversationTag, { mapToPk: true, deleteRule: 'cascade' })
  tag!: string;

  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  taggedBy: string | null = null;
}

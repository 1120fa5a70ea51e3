import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { CustomerGroup } from '../profile/profile.entity';
import { User } from '../user/user.entity';

/** The visitor being served (CHN-4, CNV-1). Identified per tenant by `externalId`. */
@ObjectType()
@Entity()
@Unique({ properties: ['tenant', 'externalId'] })
@Index({ properties: ['tenant', 'lastSeenAt'] })
export class Customer extends TenantOwnedEntity<'vip' | 'lastSeenAt' | 'customFields'> {
  @Field({
    description: 'The customer ID: `webim-visitor-…` for anonymous web visitors, or the id an app gave. Never changes.',
  })
  @Property({ length: 128 })
  externalId!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 60, nullable: true })
  nickname: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 60, nullable: true })
  realName: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 40, nullable: true })
  phone: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 40, nullable: true })
  qq: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 60, nullable: true })
  wechat: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 254, nullable: true })
  email: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 120, nullable: true })
  company: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 1000, nullable: true })
  description: string | null = null;

  @Field()
  @Property()
  vip: boolean = false;

  /** Values of the tenant's custom profile fields, by field key (HIS-4); exposed through `fields`. */
  @Property({ type: 'json', defaultRaw: `'{}'` })
  customFields: Record<string, string | number | null> = {};

  @Field(() => ID, { nullable: true, description: 'The customer group it belongs to.' })
  @ManyToOne(() => CustomerGroup, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  group: string | null = null;

  @Field(() => Date, { nullable: true, description: 'Set while the customer is on the blacklist.' })
  @Property({ type: 'timestamptz', nullable: true })
  blacklistedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Why the customer is on the blacklist.' })
  @Property({ length: 500, nullable: true })
  blacklistReason: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 64, nullable: true })
  lastIp: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 500, nullable: true })
  lastUserAgent: string | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  lastSeenAt: Date = new Date();
}

export enum BlacklistAction {
  ADDED = 'ADDED',
  REMOVED = 'REMOVED',
}

registerEnumType(BlacklistAction, { name: 'BlacklistAction' });

/** Every addition to and removal from the blacklist (CNV-8, HIS-5). */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'createdAt'] })
@Index({ properties: ['tenant', 'customer'] })
export class BlacklistLog extends TenantOwnedEntity {
  @Field(() => ID)
  @ManyToOne(() => Customer, { mapToPk: true, deleteRule: 'cascade' })
  customer!: string;

  @Field(() => BlacklistAction)
  @Enum({ items: () => BlacklistAction })
  action!: BlacklistAction;

  @Field(() => ID, { nullable: true, description: 'The user who did it (or approved it).' })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  operator: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 500, nullable: true })
  reason: string | null = null;
}

import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../platform/database/base.entity';
import type { TenantSettings } from './tenant-settings';

@ObjectType({ description: 'A customer company using Parley. Its id is the tenant ID.' })
@Entity()
export class Tenant extends BaseEntity {
  @Field()
  @Property({ length: 120 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  logoUrl: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 40, nullable: true })
  phone: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 300, nullable: true })
  address: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 2000, nullable: true })
  description: string | null = null;

  @Field(() => Int, { description: 'Seats bought: the most users that may be enabled at once.' })
  @Property()
  seats!: number;

  // Read through `settings` (the resolver fills in defaults).
  @Property({ type: 'json', nullable: true })
  settings: Partial<TenantSettings> | null = null;

  @Field({ description: 'When the licence ends; an expired tenant can sign in but receives no new conversations.' })
  @Property({ type: 'timestamptz' })
  licenseExpiresAt!: Date;
}

import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import type { Ref } from '@mikro-orm/core';
import { User } from '../user/user.entity';
import { TimePlan } from '../routing/time-plan.entity';

@ObjectType({ description: 'A group of users; conversations are routed to teams.' })
@Entity()
@Unique({ properties: ['tenant', 'name'] })
export class Team extends TenantOwnedEntity {
  @Field()
  @Property({ length: 60 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 500, nullable: true })
  description: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: "Sent when a conversation is assigned in this team; `##dear##` becomes the customer's name.",
  })
  @Property({ length: 500, nullable: true })
  greeting: string | null = null;

  // Business hours (QUE-8, QUE-10); without one, the tenant's default plan applies.
  @ManyToOne(() => TimePlan, { ref: true, nullable: true, deleteRule: 'set null' })
  timePlan: Ref<TimePlan> | null = null;
}

/** Membership of a user in a team; a user may be in several teams. */
@Entity()
@Unique({ properties: ['team', 'user'] })
@Index({ properties: ['tenant', 'user'] })
export class TeamMember extends TenantOwnedEntity {
  @ManyToOne(() => Team, { mapToPk: true, deleteRule: 'cascade' })
  team!: string;

  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  user!: string;
}

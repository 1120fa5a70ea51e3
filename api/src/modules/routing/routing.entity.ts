import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { ChannelAccount, ChannelType, WidgetConfig } from '../channel/channel.entity';
import { Conversation } from '../conversation/conversation.entity';
import { Team } from '../team/team.entity';
import { User } from '../user/user.entity';
import { TimePlan } from './time-plan.entity';

/** What a routing rule binds (QUE-7), from the most specific to the default. */
export enum RoutingRuleKind {
  CHANNEL = 'CHANNEL',
  CHANNEL_ACCOUNT = 'CHANNEL_ACCOUNT',
  ENTRY = 'ENTRY',
  CUSTOMER_PROFILE = 'CUSTOMER_PROFILE',
  DEFAULT = 'DEFAULT',
}

export enum ProfileOperator {
  EQUALS = 'EQUALS',
  NOT_EQUALS = 'NOT_EQUALS',
  CONTAINS = 'CONTAINS',
  IS_SET = 'IS_SET',
  IS_TRUE = 'IS_TRUE',
}

registerEnumType(RoutingRuleKind, { name: 'RoutingRuleKind' });
registerEnumType(ProfileOperator, { name: 'ProfileOperator' });

@ObjectType({ description: 'A condition on a customer profile field; all conditions of a rule must hold.' })
export class ProfileCondition {
  @Field({
    description:
      'A profile field: nickname, realName, phone, qq, wechat, email, company, description, vip, externalId.',
  })
  field!: string;

  @Field(() => ProfileOperator)
  operator!: ProfileOperator;

  @Field(() => String, { nullable: true })
  value!: string | null;
}

/**
 * Routes a new conversation to a team (QUE-7). Rules are tried by `priority` (ascending); the
 * DEFAULT rule comes last. With a time plan, `team` serves work hours and `offHoursTeam` the rest.
 */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'priority'] })
export class RoutingRule extends TenantOwnedEntity<'enabled' | 'conditions'> {
  @Field()
  @Property({ length: 60 })
  name!: string;

  @Field(() => RoutingRuleKind)
  @Enum({ items: () => RoutingRuleKind })
  kind!: RoutingRuleKind;

  @Field(() => Int, { description: 'Lower numbers are tried first.' })
  @Property()
  priority!: number;

  @Field()
  @Property()
  enabled: boolean = true;

  @Field(() => ChannelType, { nullable: true })
  @Enum({ items: () => ChannelType, nullable: true })
  channel: ChannelType | null = null;

  @ManyToOne(() => ChannelAccount, { ref: true, nullable: true, deleteRule: 'cascade' })
  channelAccount: Ref<ChannelAccount> | null = null;

  @ManyToOne(() => WidgetConfig, { ref: true, nullable: true, deleteRule: 'cascade' })
  widget: Ref<WidgetConfig> | null = null;

  @Field(() => [ProfileCondition])
  @Property({ type: 'json' })
  conditions: ProfileCondition[] = [];

  @ManyToOne(() => TimePlan, { ref: true, nullable: true, deleteRule: 'set null' })
  timePlan: Ref<TimePlan> | null = null;

  @ManyToOne(() => Team, { ref: true, deleteRule: 'cascade' })
  team!: Ref<Team>;

  @ManyToOne(() => Team, { ref: true, nullable: true, deleteRule: 'set null' })
  offHoursTeam: Ref<Team> | null = null;
}

export enum DecisionKind {
  /** Routed to a team (or to the whole tenant) when the conversation opened. */
  ROUTED = 'ROUTED',
  /** Given to an agent by the engine. */
  ASSIGNED = 'ASSIGNED',
  /** Left waiting: no eligible agent had room. */
  QUEUED = 'QUEUED',
  /** Joined by an agent from the queue, or assigned by an admin. */
  MANUAL = 'MANUAL',
  /** Moved by a transfer. */
  TRANSFERRED = 'TRANSFERRED',
}

registerEnumType(DecisionKind, { name: 'DecisionKind' });

@ObjectType({ description: 'An agent the engine considered, and how it stood at that moment.' })
export class DecisionCandidate {
  @Field(() => ID)
  userId!: string;

  @Field()
  nickname!: string;

  @Field(() => Int)
  ongoing!: number;

  @Field(() => Int)
  max!: number;

  @Field({ description: '1 - ongoing / max.' })
  idleRate!: number;

  @Field(() => Date, { nullable: true })
  lastAssignedAt!: Date | null;

  @Field({ description: 'Preferred because they served this customer before (familiarity).' })
  familiar!: boolean;
}

@ObjectType({ description: 'Agents left out, counted by why.' })
export class DecisionExclusions {
  @Field(() => Int, { description: 'Offline, or online but busy, away or invisible.' })
  notOnline!: number;

  @Field(() => Int, { description: 'At or above their max conversations (or max 0).' })
  full!: number;
}

/** Why a conversation went where it went (QUE-13). */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'conversation', 'createdAt'] })
export class AssignmentDecision extends TenantOwnedEntity<'candidates'> {
  @Field(() => ID)
  @ManyToOne(() => Conversation, { mapToPk: true, deleteRule: 'cascade' })
  conversation!: string;

  @Field(() => DecisionKind)
  @Enum({ items: () => DecisionKind })
  kind!: DecisionKind;

  @Field(() => ID, { nullable: true, description: 'The routing rule that matched.' })
  @Property({ type: 'uuid', nullable: true })
  ruleId: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 60, nullable: true })
  ruleName: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The team; none means every agent of the tenant.' })
  @ManyToOne(() => Team, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  team: string | null = null;

  @Field(() => [DecisionCandidate], { description: 'The eligible agents, best first (at most 10).' })
  @Property({ type: 'json' })
  candidates: DecisionCandidate[] = [];

  @Field(() => DecisionExclusions, { nullable: true })
  @Property({ type: 'json', nullable: true })
  excluded: DecisionExclusions | null = null;

  @Field(() => ID, { nullable: true })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  chosenUser: string | null = null;

  @Field({ description: 'The decision in words.' })
  @Property({ length: 500 })
  reason!: string;
}

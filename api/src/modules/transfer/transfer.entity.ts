import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Conversation } from '../conversation/conversation.entity';
import { Team } from '../team/team.entity';
import { User } from '../user/user.entity';

export enum TransferState {
  /** Waiting for the target agent to accept (transfer confirmation on). */
  OFFERED = 'OFFERED',
  /** Done: the target agent or a team member now serves the conversation. */
  COMPLETED = 'COMPLETED',
  /** Sent to a team in which no one had room: the conversation waits in that team's queue. */
  QUEUED = 'QUEUED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  /** Withdrawn by the sender, or void because the conversation closed first. */
  CANCELLED = 'CANCELLED',
}

registerEnumType(TransferState, { name: 'TransferState' });

/** One transfer of a conversation to an agent or a team (CNV-4). */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'conversation', 'createdAt'] })
@Index({ properties: ['tenant', 'toUser', 'state'] })
@Index({
  name: 'transfer_one_offer_per_conversation',
  expression:
    'create unique index "transfer_one_offer_per_conversation" on "transfer" ("conversation_id") where "state" = \'OFFERED\'',
})
export class Transfer extends TenantOwnedEntity<'state'> {
  @Field(() => ID)
  @ManyToOne(() => Conversation, { mapToPk: true, deleteRule: 'cascade' })
  conversation!: string;

  @Field(() => ID, { nullable: true, description: 'The agent who transferred it (none when an admin moved it).' })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  fromUser: string | null = null;

  @Field(() => ID, { description: 'Who asked for the transfer.' })
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  requestedBy!: string;

  @Field(() => ID, { nullable: true, description: 'The target agent, or the team member who got it.' })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  toUser: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The target team, for a transfer to a team.' })
  @ManyToOne(() => Team, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  toTeam: string | null = null;

  @Field(() => TransferState)
  @Enum({ items: () => TransferState })
  state: TransferState = TransferState.OFFERED;

  @Field(() => String, { nullable: true })
  @Property({ length: 500, nullable: true })
  remark: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When an offer expires unless accepted.' })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;
}

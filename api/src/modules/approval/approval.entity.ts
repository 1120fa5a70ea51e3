import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { User } from '../user/user.entity';

export enum ApprovalKind {
  /** An agent asks to go from online to busy, away or invisible (PRE-3). */
  STATUS_CHANGE = 'STATUS_CHANGE',
  /** An agent asks to blacklist a customer (CNV-8). */
  BLACKLIST = 'BLACKLIST',
  /** An agent proposes a personal phrase for the public set (CNT-3). */
  PUBLIC_PHRASE = 'PUBLIC_PHRASE',
}

export enum ApprovalState {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  /** Withdrawn by the requester, or superseded by a newer request of the same kind. */
  CANCELLED = 'CANCELLED',
}

registerEnumType(ApprovalKind, { name: 'ApprovalKind' });
registerEnumType(ApprovalState, { name: 'ApprovalState' });

/** A request that waits for an admin's decision. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'state', 'createdAt'] })
@Index({ properties: ['tenant', 'requester', 'kind', 'state'] })
@Unique({ properties: ['tenant', 'number'] })
export class Approval extends TenantOwnedEntity<'state'> {
  @Field(() => Int, { description: 'The request number, counted per tenant from 1 (APR-1).' })
  @Property()
  number!: number;

  @Field(() => ApprovalKind)
  @Enum({ items: () => ApprovalKind })
  kind!: ApprovalKind;

  @Field(() => ApprovalState)
  @Enum({ items: () => ApprovalState })
  state: ApprovalState = ApprovalState.PENDING;

  @Field(() => ID)
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  requester!: string;

  /** What is asked for, by kind: `{ status }` or `{ customerId, conversationId?, reason }`. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: "The requester's explanation." })
  @Property({ length: 500, nullable: true })
  reason: string | null = null;

  @Field(() => ID, { nullable: true })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  decidedBy: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: "The admin's remark on the decision." })
  @Property({ length: 500, nullable: true })
  remark: string | null = null;
}

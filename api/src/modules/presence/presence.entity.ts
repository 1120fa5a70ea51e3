import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { User, UserStatus } from '../user/user.entity';

/** Why a status changed (PRE-4). */
export enum StatusChangeReason {
  /** The user chose it. */
  MANUAL = 'MANUAL',
  /** An admin approved the user's request (PRE-3). */
  APPROVED = 'APPROVED',
  /** An admin set it. */
  ADMIN = 'ADMIN',
  /** The user's first live connection opened. */
  CONNECTED = 'CONNECTED',
  /** The user's last live connection closed and did not come back within the grace period. */
  DISCONNECTED = 'DISCONNECTED',
  /** The user signed out. */
  SIGNED_OUT = 'SIGNED_OUT',
}

registerEnumType(StatusChangeReason, { name: 'StatusChangeReason' });

/** One change of a user's status, kept for worktime statistics (PRE-4). */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'user', 'createdAt'] })
export class StatusLog extends TenantOwnedEntity {
  @Field(() => ID)
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  user!: string;

  @Field(() => UserStatus)
  @Enum({ items: () => UserStatus })
  fromStatus!: UserStatus;

  @Field(() => UserStatus)
  @Enum({ items: () => UserStatus })
  toStatus!: UserStatus;

  @Field(() => StatusChangeReason)
  @Enum({ items: () => StatusChangeReason })
  reason!: StatusChangeReason;

  @Field(() => ID, { nullable: true, description: 'Who made the change when it was not the user (an admin).' })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  changedBy: string | null = null;
}

/**
 * A live WebSocket of a user on one API process. Presence follows these rows: the last one going
 * away starts the offline grace timer. `seenAt` is refreshed by its process, so the rows of a
 * process that died are recognised as stale.
 */
@Entity()
@Index({ properties: ['user'] })
@Index({ properties: ['processId'] })
export class UserConnection extends TenantOwnedEntity<'seenAt'> {
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  user!: string;

  @Property({ length: 64 })
  processId!: string;

  @Property({ type: 'timestamptz' })
  seenAt: Date = new Date();
}

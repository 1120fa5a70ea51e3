import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { User } from '../user/user.entity';

export enum NotificationKind {
  ROLE_CHANGED = 'ROLE_CHANGED',
  CAPACITY_CHANGED = 'CAPACITY_CHANGED',
  SYSTEM = 'SYSTEM',
  NOTICE = 'NOTICE',
}

export enum NotificationSubject {
  USER = 'USER',
  CUSTOMER = 'CUSTOMER',
  CONVERSATION = 'CONVERSATION',
  NOTE = 'NOTE',
  APPROVAL = 'APPROVAL',
  NOTICE = 'NOTICE',
}

registerEnumType(NotificationKind, { name: 'NotificationKind' });
registerEnumType(NotificationSubject, { name: 'NotificationSubject' });

@ObjectType({ description: 'A message to one user from the system or an admin; kept permanently.' })
@Entity()
@Index({ properties: ['tenant', 'recipient', 'createdAt'] })
export class Notification extends TenantOwnedEntity {
  // The recipient user's id; notifications are read only by their recipient.
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  recipient!: string;

  @Field(() => NotificationKind)
  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  @Field()
  @Property({ length: 200 })
  title!: string;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field(() => NotificationSubject, { nullable: true })
  @Enum({ items: () => NotificationSubject, nullable: true })
  subjectType: NotificationSubject | null = null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  subjectId: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;
}

/** A notice an admin broadcast (NTF-1); each recipient gets a NOTICE notification pointing here. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'createdAt'] })
export class Notice extends TenantOwnedEntity {
  @Field()
  @Property({ length: 200 })
  title!: string;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field(() => ID, { nullable: true })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  sender: string | null = null;

  @Field(() => Int, { description: 'How many users received it.' })
  @Property()
  recipientCount!: number;
}

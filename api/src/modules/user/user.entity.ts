import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { HiddenProps, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Role } from '../role/role.entity';

/** Presence status (PRE-1); kept up to date by the presence engine. */
export enum UserStatus {
  ONLINE = 'ONLINE',
  BUSY = 'BUSY',
  AWAY = 'AWAY',
  INVISIBLE = 'INVISIBLE',
  OFFLINE = 'OFFLINE',
}

export enum Language {
  EN = 'en',
  ZH_CN = 'zh-CN',
}

/** Which key sends a message in the console's chat box; the other one inserts a new line (MSG-8). */
export enum SendKey {
  ENTER = 'ENTER',
  SHIFT_ENTER = 'SHIFT_ENTER',
}

registerEnumType(UserStatus, { name: 'UserStatus' });
registerEnumType(SendKey, {
  name: 'SendKey',
  valuesConfig: {
    ENTER: { description: 'Enter sends; Shift+Enter inserts a new line.' },
    SHIFT_ENTER: { description: 'Shift+Enter sends; Enter inserts a new line.' },
  },
});
registerEnumType(Language, {
  name: 'Language',
  valuesConfig: { EN: { description: 'English' }, ZH_CN: { description: 'Simplified Chinese' } },
});

@ObjectType({ description: 'An agent or admin of a tenant.' })
@Entity({ tableName: 'app_user' })
// Sign-in is by email alone, so an email is unique across tenants (among users not deleted).
@Index({
  name: 'app_user_email_unique',
  expression: 'create unique index "app_user_email_unique" on "app_user" (lower("email")) where "deleted_at" is null',
})
@Index({ properties: ['tenant', 'role'] })
export class User extends TenantOwnedEntity<'enabled' | 'maxConversations' | 'language' | 'sendKey' | 'status'> {
  [HiddenProps]?: 'passwordHash';

  @Field()
  @Property({ length: 254 })
  email!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Field()
  @Property({ length: 60 })
  nickname!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 60, nullable: true })
  realName: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 40, nullable: true })
  phone: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 40, nullable: true })
  employeeNo: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  avatarUrl: string | null = null;

  @ManyToOne(() => Role, { ref: true, deleteRule: 'restrict' })
  role!: Ref<Role>;

  @Field()
  @Property()
  enabled: boolean = true;

  @Field(() => Int, { description: 'Max conversations (capacity); 0 means no automatic assignment.' })
  @Property()
  maxConversations: number = 5;

  @Field(() => Language)
  @Enum({ items: () => Language })
  language: Language = Language.EN;

  @Field(() => SendKey, { description: 'Which key sends in the chat box (MSG-8).' })
  @Enum({ items: () => SendKey, default: SendKey.ENTER })
  sendKey: SendKey = SendKey.ENTER;

  @Field(() => String, { nullable: true, description: "Personal greeting; `##dear##` becomes the customer's name." })
  @Property({ length: 500, nullable: true })
  greeting: string | null = null;

  @Field(() => UserStatus)
  @Enum({ items: () => UserStatus })
  status: UserStatus = UserStatus.OFFLINE;

  @Field(() => Date, {
    nullable: true,
    description: 'When the engine last gave this user a conversation (ties go to the longest waiting).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastAssignedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;
}

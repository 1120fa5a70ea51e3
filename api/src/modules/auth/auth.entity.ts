import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../platform/database/base.entity';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Role } from '../role/role.entity';
import { User } from '../user/user.entity';

/**
 * One sign-in: the family of refresh tokens it issues. The role is fixed at sign-in, so a
 * role change applies at the user's next sign-in.
 */
@Entity()
@Index({ properties: ['tenant', 'user'] })
export class AuthSession extends TenantOwnedEntity {
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  user!: string;

  @ManyToOne(() => Role, { mapToPk: true, deleteRule: 'cascade' })
  role!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ length: 40, nullable: true })
  revokedReason: string | null = null;

  @Property({ length: 64 })
  ip!: string;

  @Property({ length: 500 })
  userAgent!: string;
}

/** A refresh token of a session; each use rotates it, and reusing a rotated one revokes the session. */
@Entity()
@Index({ properties: ['tenant', 'session'] })
export class RefreshToken extends TenantOwnedEntity {
  @ManyToOne(() => AuthSession, { mapToPk: true, deleteRule: 'cascade' })
  session!: string;

  @Property({ length: 64 })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;
}

export enum LoginEvent {
  LOGIN = 'LOGIN',
  LOGOUT = 'LOGOUT',
}

registerEnumType(LoginEvent, { name: 'LoginEvent' });

@ObjectType({ description: 'A sign-in or sign-out, kept for worktime statistics (PRE-4).' })
@Entity()
@Index({ properties: ['tenant', 'user', 'createdAt'] })
export class LoginRecord extends TenantOwnedEntity {
  @Field(() => ID)
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  user!: string;

  @Field(() => LoginEvent)
  @Enum({ items: () => LoginEvent })
  event!: LoginEvent;

  @Field()
  @Property({ length: 64 })
  ip!: string;

  @Field()
  @Property({ length: 500 })
  userAgent!: string;
}

/** Failed sign-ins, by email and IP, for throttling. Not tenant-owned: the email may match no one. */
@Entity()
@Index({ properties: ['email', 'createdAt'] })
@Index({ properties: ['ip', 'createdAt'] })
export class LoginFailure extends BaseEntity {
  @Property({ length: 254 })
  email!: string;

  @Property({ length: 64 })
  ip!: string;
}

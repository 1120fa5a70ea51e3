import type { Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Role } from '../role/role.entity';

@ObjectType({
  description: 'A key for integrations (CRMs): acts with its role through the same permission layer as users.',
})
@Entity()
export class ApiKey extends TenantOwnedEntity {
  @Field()
  @Property({ length: 100 })
  name!: string;

  @ManyToOne(() => Role, { ref: true, deleteRule: 'restrict' })
  role!: Ref<Role>;

  @Property({ length: 64, hidden: true })
  tokenHash!: string;

  @Field({ description: 'The last characters of the key, to tell keys apart.' })
  @Property({ length: 8 })
  hint!: string;

  @Property({ type: 'uuid', nullable: true })
  createdBy: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}

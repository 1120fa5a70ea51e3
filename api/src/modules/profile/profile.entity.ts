import { Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';

export enum ProfileFieldType {
  TEXT = 'TEXT',
  MULTILINE = 'MULTILINE',
  NUMBER = 'NUMBER',
  DATE = 'DATE',
  SELECT = 'SELECT',
}

registerEnumType(ProfileFieldType, { name: 'ProfileFieldType' });

/**
 * One field of the customer profile (HIS-4): a system field (nickname, phone, …, stored in the
 * customer's own columns) or a custom field (stored in `Customer.customFields` under `key`).
 */
@ObjectType()
@Entity()
@Unique({ properties: ['tenant', 'key'] })
export class ProfileField extends TenantOwnedEntity<'enabled' | 'readOnly' | 'system' | 'options' | 'position'> {
  @Field({ description: 'The system field name (e.g. `phone`), or the generated key of a custom field.' })
  @Property({ length: 40 })
  key!: string;

  @Field()
  @Property({ length: 60 })
  label!: string;

  @Field(() => ProfileFieldType)
  @Enum({ items: () => ProfileFieldType })
  type!: ProfileFieldType;

  @Field({ description: 'System fields cannot be deleted or retyped.' })
  @Property()
  system: boolean = false;

  @Field({ description: 'Off: hidden from the profile and refused on edit.' })
  @Property()
  enabled: boolean = true;

  @Field({ description: 'Shown but not editable by agents.' })
  @Property()
  readOnly: boolean = false;

  @Field(() => [String], { description: 'The choices of a SELECT field.' })
  @Property({ type: 'json' })
  options: string[] = [];

  @Field(() => Int)
  @Property()
  position: number = 0;
}

/** A named group customers can be put in (the "customer grouping" of the visitor settings). */
@ObjectType()
@Entity()
@Unique({ properties: ['tenant', 'name'] })
export class CustomerGroup extends TenantOwnedEntity {
  @Field()
  @Property({ length: 60 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 200, nullable: true })
  description: string | null = null;
}

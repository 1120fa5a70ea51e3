import { Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DataScope, Page } from '../../platform/auth/pages';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';

export enum BuiltInRole {
  ADMIN = 'ADMIN',
  AGENT = 'AGENT',
}

registerEnumType(BuiltInRole, { name: 'BuiltInRole' });

@ObjectType({ description: 'A set of page permissions plus data scopes; users and API keys hold one.' })
@Entity()
@Unique({ properties: ['tenant', 'name'] })
export class Role extends TenantOwnedEntity<'builtIn' | 'customersScope' | 'historyScope' | 'ongoingScope'> {
  @Field()
  @Property({ length: 60 })
  name!: string;

  @Field(() => BuiltInRole, {
    nullable: true,
    description: 'Set for the built-in admin and agent roles, which cannot be edited.',
  })
  @Enum({ items: () => BuiltInRole, nullable: true })
  builtIn: BuiltInRole | null = null;

  @Field(() => [Page])
  @Enum({ items: () => Page, array: true })
  pages: Page[] = [];

  @Field(() => DataScope, { description: 'Scope of the Customers pages.' })
  @Enum({ items: () => DataScope })
  customersScope: DataScope = DataScope.TEAM;

  @Field(() => DataScope, { description: 'Scope of the History pages.' })
  @Enum({ items: () => DataScope })
  historyScope: DataScope = DataScope.TEAM;

  @Field(() => DataScope, { description: 'Scope of ongoing conversations (Current sessions).' })
  @Enum({ items: () => DataScope })
  ongoingScope: DataScope = DataScope.TEAM;
}

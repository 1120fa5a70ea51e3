import { ManyToOne } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
// The tenant is the root every tenant-owned row hangs from (and the one entity the platform knows).
import { Tenant } from '../../modules/tenant/tenant.entity';
import { BaseEntity } from './base.entity';

/**
 * A row that belongs to one tenant. Reads through the EntityManager are narrowed to the
 * request's tenant by the `tenant` filter (see `tenant-filter.ts`); writes set `tenant`
 * from the Principal, never from client input.
 */
@ObjectType()
export abstract class TenantOwnedEntity<Defaults extends string = never> extends BaseEntity<Defaults> {
  @ManyToOne(() => Tenant, { mapToPk: true, deleteRule: 'cascade', index: true })
  tenant!: string;
}

import { ObjectType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import { CustomerTag } from './tag.entity';

@ObjectType()
export class CustomerTagConnection extends Connection(CustomerTag) {}

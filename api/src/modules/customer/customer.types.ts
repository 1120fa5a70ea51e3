import { ObjectType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import { Customer } from './customer.entity';

@ObjectType()
export class CustomerConnection extends Connection(Customer) {}

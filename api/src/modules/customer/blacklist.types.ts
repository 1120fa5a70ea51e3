import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import { Approval } from '../approval/approval.entity';
import { BlacklistLog, Customer } from './customer.entity';

@ObjectType({
  description:
    'The outcome of a blacklist request: done at once (`pendingApproval` empty), or waiting for an admin (the customer is not blacklisted yet).',
})
export class BlacklistResult {
  @Field(() => Customer)
  customer!: Customer;

  @Field(() => Approval, { nullable: true })
  pendingApproval!: Approval | null;
}

@ObjectType()
export class BlacklistLogConnection extends Connection(BlacklistLog) {}

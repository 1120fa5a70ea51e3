import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Approval } from '../approval/approval.entity';
import { User, UserStatus } from '../user/user.entity';

@ObjectType({ description: 'A user’s presence as it changes: status and capacity.' })
export class UserPresence {
  @Field(() => ID)
  userId!: string;

  @Field(() => UserStatus)
  status!: UserStatus;

  @Field(() => Int)
  maxConversations!: number;
}

/** What travels on the bus (plain JSON). */
export interface UserPresenceDto extends UserPresence {
  tenantId: string;
}

@ObjectType({ description: 'The outcome of a status change: applied at once, or waiting for an admin.' })
export class SetStatusResult {
  @Field(() => User, { description: 'The user, with the status now in force.' })
  user!: User;

  @Field(() => Approval, {
    nullable: true,
    description: 'Set when the change needs an admin’s approval (PRE-3); the status then stays as it was.',
  })
  pendingApproval!: Approval | null;
}

@ObjectType({ description: 'The top bar’s counters for the signed-in agent.' })
export class MyWorkload {
  @Field(() => Int, { description: 'Conversations the agent serves now.' })
  ongoing!: number;

  @Field(() => Int, { description: 'Conversations the agent started serving since `since`.' })
  served!: number;

  @Field(() => Int, { description: 'Conversations the agent served that closed since `since`.' })
  closed!: number;
}

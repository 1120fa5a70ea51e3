import { IsDate, IsEnum, IsInt, IsOptional, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, Int } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { UserStatus } from '../user/user.entity';
import { MAX_CAPACITY } from '../user/user.inputs';

@ArgsType()
export class SetMyStatusArgs {
  @Field(() => UserStatus, { description: 'ONLINE, BUSY, AWAY or INVISIBLE; OFFLINE comes from signing out.' })
  @IsEnum(UserStatus)
  status!: UserStatus;

  @Field(() => String, { nullable: true, description: 'Shown to the admins when the change needs approval.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@ArgsType()
export class SetMaxConversationsArgs {
  @Field(() => ID)
  @IsUUID()
  userId!: string;

  @Field(() => Int, { description: `0 to ${MAX_CAPACITY}; 0 means no automatic assignment.` })
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  max!: number;
}

@ArgsType()
export class MyStatusLogsArgs extends ConnectionArgs {
  @Field(() => Date, { nullable: true, description: 'Changes at or after this time.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Changes at or before this time.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class StatusLogsArgs extends MyStatusLogsArgs {
  @Field(() => ID, { nullable: true, description: "One user's changes; all users' when omitted." })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

import { IsBoolean, IsEnum, IsInt, IsOptional, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { NotBlank } from '../../platform/graphql/validators';
import { UserStatus } from '../user/user.entity';

@InputType()
export class ColleagueMessageInput {
  @Field(() => ID)
  @IsUUID()
  toUserId!: string;

  @Field()
  @NotBlank()
  @Length(1, 5000)
  text!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Your id for this message; resending with the same id is a no-op.',
  })
  @IsOptional()
  @Matches(/^[\w-]{1,64}$/, { message: 'clientMessageId must be 1 to 64 letters, digits, - or _' })
  clientMessageId?: string | null;
}

@ArgsType()
export class ColleagueMessagesArgs {
  @Field(() => ID)
  @IsUUID()
  userId!: string;

  @Field(() => ID, { nullable: true, description: 'Messages older than this one, for scrolling up.' })
  @IsOptional()
  @IsUUID()
  before?: string;

  @Field(() => Int, { defaultValue: 50 })
  @IsInt()
  @Min(1)
  @Max(200)
  first!: number;
}

@ArgsType()
export class ColleaguesArgs extends ConnectionArgs {
  @Field({ nullable: true, description: 'Matches nickname, email, real name, phone or employee no. (substring).' })
  @IsOptional()
  @MaxLength(100)
  search?: string;

  @Field(() => UserStatus, { nullable: true })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus;

  @Field({
    nullable: true,
    description: 'Leave out the signed-in user (lists and counts), as the Colleague tab and transfers need.',
  })
  @IsOptional()
  @IsBoolean()
  excludeSelf?: boolean;
}

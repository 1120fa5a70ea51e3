import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsEnum,
  IsOptional,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { UserStatus } from '../user/user.entity';

@InputType()
export class CreateTeamInput {
  @Field()
  @NotBlank()
  @Length(1, 60)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  greeting?: string | null;

  @Field(() => [ID], { defaultValue: [] })
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  memberIds!: string[];
}

@InputType()
export class UpdateTeamInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 60)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  greeting?: string | null;
}

@InputType()
export class TeamMembersInput {
  @Field(() => ID)
  @IsUUID()
  teamId!: string;

  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds!: string[];
}

@ArgsType()
export class TeamMembersArgs extends ConnectionArgs {
  @Field({ nullable: true, description: 'Matches nickname or email (substring).' })
  @IsOptional()
  @MaxLength(100)
  search?: string;

  @Field(() => UserStatus, { nullable: true })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus;
}

@ArgsType()
export class TeamsArgs extends ConnectionArgs {
  @Field({ nullable: true, description: 'Matches the team name (substring).' })
  @IsOptional()
  @MaxLength(100)
  search?: string;
}

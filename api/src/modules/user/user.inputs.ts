import { IsEmail, IsEnum, IsInt, IsOptional, IsUrl, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { Language, SendKey, UserStatus } from './user.entity';

export const MAX_CAPACITY = 100;

@InputType()
export class CreateUserInput {
  @Field()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @Field()
  @Length(10, 200, { message: 'password must be 10 to 200 characters long' })
  password!: string;

  @Field()
  @NotBlank()
  @Length(1, 60)
  nickname!: string;

  @Field(() => ID)
  @IsUUID()
  roleId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(60)
  realName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  employeeNo?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  avatarUrl?: string | null;

  @Field({ defaultValue: true })
  enabled!: boolean;

  @Field(() => Int, { defaultValue: 5 })
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  maxConversations!: number;

  @Field(() => Language, { defaultValue: Language.EN })
  @IsEnum(Language)
  language!: Language;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  greeting?: string | null;
}

@InputType()
export class UpdateUserInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @Field({ nullable: true, description: 'Sets a new password and signs the user out everywhere.' })
  @OptionalNotNull()
  @Length(10, 200, { message: 'password must be 10 to 200 characters long' })
  password?: string;

  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 60)
  nickname?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A role change notifies the user and applies at their next sign-in.',
  })
  @OptionalNotNull()
  @IsUUID()
  roleId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(60)
  realName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  employeeNo?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  avatarUrl?: string | null;

  @Field(() => Int, { nullable: true })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  maxConversations?: number;

  @Field(() => Language, { nullable: true })
  @OptionalNotNull()
  @IsEnum(Language)
  language?: Language;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  greeting?: string | null;
}

@InputType({ description: 'What every user may change about themselves (Personal info).' })
export class UpdateMyProfileInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 60)
  nickname?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(60)
  realName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  employeeNo?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  avatarUrl?: string | null;

  @Field(() => Language, { nullable: true })
  @OptionalNotNull()
  @IsEnum(Language)
  language?: Language;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  greeting?: string | null;

  @Field(() => SendKey, { nullable: true })
  @OptionalNotNull()
  @IsEnum(SendKey)
  sendKey?: SendKey;
}

export enum UserOrderField {
  NICKNAME = 'NICKNAME',
  CAPACITY = 'CAPACITY',
  ROLE = 'ROLE',
  CREATED_AT = 'CREATED_AT',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(UserOrderField, { name: 'UserOrderField' });
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType()
export class UserOrder {
  @Field(() => UserOrderField)
  @IsEnum(UserOrderField)
  field!: UserOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction!: SortDirection;
}

@ArgsType()
export class UsersArgs extends ConnectionArgs {
  @Field({ nullable: true, description: 'Matches nickname, email, real name, phone or employee no. (substring).' })
  @IsOptional()
  @MaxLength(100)
  search?: string;

  @Field(() => UserOrder, { nullable: true })
  @IsOptional()
  orderBy?: UserOrder;

  @Field({ nullable: true })
  @IsOptional()
  enabled?: boolean;

  @Field(() => UserStatus, { nullable: true })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  roleId?: string;
}

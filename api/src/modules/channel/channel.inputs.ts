import { IsEnum, IsIn, IsOptional, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';
import { ChannelType } from './channel.entity';

@InputType()
export class WidgetStyleInput {
  @Field()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'color must be a #rrggbb colour' })
  color!: string;

  @Field()
  @Length(1, 60)
  title!: string;

  @Field()
  @IsIn(['BOTTOM_RIGHT', 'BOTTOM_LEFT'])
  position!: string;
}

@InputType()
export class WidgetFunctionsInput {
  @Field()
  noteWhenOffline!: boolean;

  @Field()
  attachments!: boolean;
}

@InputType()
export class CreateWidgetConfigInput {
  @Field()
  @NotBlank()
  @Length(1, 100)
  name!: string;

  @Field(() => ChannelType, { defaultValue: ChannelType.WEB })
  @IsIn([ChannelType.WEB, ChannelType.APP], { message: 'channel must be WEB or APP (the live connectors)' })
  channel!: ChannelType;

  @Field(() => WidgetStyleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  style?: WidgetStyleInput;

  @Field(() => WidgetFunctionsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  functions?: WidgetFunctionsInput;

  @Field(() => ID, { nullable: true, description: 'Conversations from this entry go to this team (entry binding).' })
  @IsOptional()
  @IsUUID()
  entryTeamId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  channelAccountId?: string | null;
}

@InputType()
export class UpdateWidgetConfigInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 100)
  name?: string;

  @Field(() => WidgetStyleInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  style?: WidgetStyleInput;

  @Field(() => WidgetFunctionsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  functions?: WidgetFunctionsInput;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  entryTeamId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  channelAccountId?: string | null;
}

@InputType()
export class CreateChannelAccountInput {
  @Field(() => ChannelType)
  @IsEnum(ChannelType)
  channel!: ChannelType;

  @Field()
  @NotBlank()
  @Length(1, 100)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  externalId?: string | null;

  @Field({ defaultValue: true })
  enabled!: boolean;
}

@InputType()
export class UpdateChannelAccountInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 100)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  externalId?: string | null;

  @Field({ nullable: true })
  @OptionalNotNull()
  enabled?: boolean;
}

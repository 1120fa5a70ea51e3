import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';
import { ChannelType } from '../channel/channel.entity';
import { ProfileOperator, RoutingRuleKind } from './routing.entity';

@InputType()
export class ProfileConditionInput {
  @Field({
    description:
      'A profile field: nickname, realName, phone, qq, wechat, email, company, description, vip, externalId.',
  })
  @IsString()
  @MaxLength(40)
  field!: string;

  @Field(() => ProfileOperator)
  @IsEnum(ProfileOperator)
  operator!: ProfileOperator;

  @Field(() => String, {
    nullable: true,
    description: 'Compared without regard to case; required except for IS_SET and IS_TRUE. For vip: true or false.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  value?: string | null;
}

@InputType()
export class CreateRoutingRuleInput {
  @Field()
  @NotBlank()
  @Length(1, 60)
  name!: string;

  @Field(() => RoutingRuleKind)
  @IsEnum(RoutingRuleKind)
  kind!: RoutingRuleKind;

  @Field({ defaultValue: true })
  @IsBoolean()
  enabled!: boolean;

  @Field(() => ChannelType, { nullable: true, description: 'CHANNEL rules: the channel they bind.' })
  @IsOptional()
  @IsEnum(ChannelType)
  channel?: ChannelType | null;

  @Field(() => ID, { nullable: true, description: 'CHANNEL_ACCOUNT rules: the account they bind.' })
  @IsOptional()
  @IsUUID()
  channelAccountId?: string | null;

  @Field(() => ID, { nullable: true, description: 'ENTRY rules: the widget (entry) they bind.' })
  @IsOptional()
  @IsUUID()
  widgetId?: string | null;

  @Field(() => [ProfileConditionInput], {
    defaultValue: [],
    description: 'CUSTOMER_PROFILE rules: conditions that must all hold.',
  })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  conditions!: ProfileConditionInput[];

  @Field(() => ID, { description: 'The team served all day, or in work hours when a time plan is set.' })
  @IsUUID()
  teamId!: string;

  @Field(() => ID, { nullable: true, description: 'Splits the day into work hours and off hours.' })
  @IsOptional()
  @IsUUID()
  timePlanId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The team served outside the work hours of the time plan; without one, the team serves then too.',
  })
  @IsOptional()
  @IsUUID()
  offHoursTeamId?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears an optional field.' })
export class UpdateRoutingRuleInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 60)
  name?: string;

  @Field(() => RoutingRuleKind, {
    nullable: true,
    description: 'A rule may change kind, but not to or from DEFAULT. Bindings of the old kind are dropped.',
  })
  @OptionalNotNull()
  @IsEnum(RoutingRuleKind)
  kind?: RoutingRuleKind;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => ChannelType, { nullable: true })
  @IsOptional()
  @IsEnum(ChannelType)
  channel?: ChannelType | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  channelAccountId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  widgetId?: string | null;

  @Field(() => [ProfileConditionInput], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  conditions?: ProfileConditionInput[];

  @Field(() => ID, { nullable: true })
  @OptionalNotNull()
  @IsUUID()
  teamId?: string;

  @Field(() => ID, { nullable: true, description: 'null removes the time plan (and with it the off-hours team).' })
  @IsOptional()
  @IsUUID()
  timePlanId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  offHoursTeamId?: string | null;
}

import { ArrayMaxSize, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { ChannelType } from '../channel/channel.entity';
import { ConsoleMode, HistoryOrder } from './history.types';

@InputType({ description: 'History filters (HIS-1); all of them apply together.' })
export class HistoryFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the customer ID, nickname or real name.' })
  @IsOptional()
  @MaxLength(100)
  customer?: string | null;

  @Field(() => ID, { nullable: true, description: 'Served by this user.' })
  @IsOptional()
  agentId?: string | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  startedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive.' })
  @IsOptional()
  startedTo?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  closedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive.' })
  @IsOptional()
  closedTo?: Date | null;

  @Field(() => [ID], { nullable: true, description: 'Carries any of these conversation tags.' })
  @IsOptional()
  @ArrayMaxSize(100)
  tagIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: moved to another agent or team at least once (a completed or queued transfer); false: never.',
  })
  @IsOptional()
  transferred?: boolean | null;

  @Field(() => ChannelType, { nullable: true })
  @IsOptional()
  channel?: ChannelType | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  channelAccountId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  teamId?: string | null;
}

@ArgsType()
export class HistoryArgs extends ConnectionArgs {
  @Field(() => HistoryFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: HistoryFilter | null;

  @Field(() => ConsoleMode, {
    nullable: true,
    description: 'Default: ADMIN when the role grants ADMIN_HISTORY, else AGENT.',
  })
  @IsOptional()
  mode?: ConsoleMode | null;

  @Field(() => HistoryOrder, { nullable: true, description: 'Default: STARTED.' })
  @IsOptional()
  orderBy?: HistoryOrder | null;
}

@InputType({ description: 'Keyword search filters (HIS-2).' })
export class SearchFilter {
  @Field(() => Date, { nullable: true, description: 'Default: 30 days before `to`.' })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive. Default: now. At most 366 days after `from`.' })
  @IsOptional()
  to?: Date | null;

  @Field(() => ChannelType, { nullable: true })
  @IsOptional()
  channel?: ChannelType | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  channelAccountId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'The conversation carries any of these tags.' })
  @IsOptional()
  @ArrayMaxSize(100)
  tagIds?: string[] | null;
}

@ArgsType()
export class SearchMessagesArgs extends ConnectionArgs {
  @Field({ description: '1 to 100 characters, matched anywhere in the message text, case-insensitive.' })
  @Length(1, 100)
  keyword!: string;

  @Field(() => SearchFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: SearchFilter | null;

  @Field(() => ConsoleMode, {
    nullable: true,
    description: 'AGENT needs AGENT_SEARCH, ADMIN needs ADMIN_HISTORY. Default: ADMIN when granted, else AGENT.',
  })
  @IsOptional()
  mode?: ConsoleMode | null;
}

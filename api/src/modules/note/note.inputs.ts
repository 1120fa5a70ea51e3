import { IsDate, IsEmail, IsEnum, IsOptional, IsUUID, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { NotBlank } from '../../platform/graphql/validators';
import { ChannelType } from '../channel/channel.entity';
import { NoteState } from './note.entity';
import { NoteAssignee } from './note.types';

@InputType({ description: 'A note a visitor leaves when no one can serve them (CNT-4).' })
export class LeaveNoteInput {
  @Field({ description: '1 to 2,000 characters.' })
  @Length(1, 2000)
  @NotBlank()
  content!: string;

  @Field(() => String, { nullable: true, description: 'At most 60 characters.' })
  @IsOptional()
  @MaxLength(60)
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 40 characters.' })
  @IsOptional()
  @MaxLength(40)
  contactPhone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(254)
  @IsEmail()
  contactEmail?: string | null;
}

@ArgsType()
export class NoteFilterArgs {
  @Field(() => NoteState, { nullable: true })
  @IsOptional()
  @IsEnum(NoteState)
  state?: NoteState | null;

  @Field(() => NoteAssignee, { nullable: true, description: "MINE: the signed-in user's; UNASSIGNED: nobody's." })
  @IsOptional()
  @IsEnum(NoteAssignee)
  assignee?: NoteAssignee | null;

  @Field(() => ID, { nullable: true, description: "One user's notes." })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;

  @Field(() => ChannelType, { nullable: true })
  @IsOptional()
  @IsEnum(ChannelType)
  channel?: ChannelType | null;

  @Field(() => Date, { nullable: true, description: 'Left at or after this time.' })
  @IsOptional()
  @IsDate()
  createdFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Left before this time.' })
  @IsOptional()
  @IsDate()
  createdTo?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Text found in the content or the contact name, phone or email (at most 100 characters).',
  })
  @IsOptional()
  @MaxLength(100)
  keyword?: string | null;
}

@ArgsType()
export class SetNoteStateArgs {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => NoteState)
  @IsEnum(NoteState)
  state!: NoteState;
}

@ArgsType()
export class AssignNoteArgs {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => ID, { nullable: true, description: 'An enabled user of the tenant; null leaves the note unassigned.' })
  @IsOptional()
  @IsUUID()
  userId?: string | null;
}

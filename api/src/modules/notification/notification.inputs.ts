import { ArrayMaxSize, IsBoolean, IsEnum, IsOptional, IsUUID, Length } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { NotBlank } from '../../platform/graphql/validators';
import { NotificationGroup } from './notification.types';

export const MAX_NOTICE_TEAMS = 200;
export const MAX_NOTICE_USERS = 2000;

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field({ defaultValue: false })
  @IsBoolean()
  unreadOnly!: boolean;

  @Field(() => NotificationGroup, { nullable: true, description: 'Only notices, or only system messages.' })
  @IsOptional()
  @IsEnum(NotificationGroup)
  group?: NotificationGroup | null;
}

@InputType({ description: 'A notice to everyone in the tenant, or to the members of teams and to users (NTF-1).' })
export class SendNoticeInput {
  @Field({ description: '1 to 200 characters.' })
  @Length(1, 200)
  @NotBlank()
  title!: string;

  @Field({ description: 'Plain text, 1 to 5,000 characters.' })
  @Length(1, 5000)
  @NotBlank()
  body!: string;

  @Field({ defaultValue: false, description: 'Every enabled user of the tenant; then give no teams or users.' })
  @IsBoolean()
  everyone!: boolean;

  @Field(() => [ID], {
    nullable: true,
    description: `The enabled members of these teams (at most ${MAX_NOTICE_TEAMS}).`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_NOTICE_TEAMS)
  @IsUUID(undefined, { each: true })
  teamIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: `These users, each enabled (at most ${MAX_NOTICE_USERS}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_NOTICE_USERS)
  @IsUUID(undefined, { each: true })
  userIds?: string[] | null;
}

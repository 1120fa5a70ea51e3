import { IsEnum, IsInt, IsObject, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { MessageType } from './conversation.entity';

export const MAX_TEXT = 5000;

@InputType()
export class MessageInput {
  @Field(() => MessageType, { defaultValue: MessageType.TEXT })
  @IsEnum(MessageType)
  type!: MessageType;

  @Field(() => String, { nullable: true, description: `Text, emoji or caption (at most ${MAX_TEXT} characters).` })
  @IsOptional()
  @MaxLength(MAX_TEXT)
  text?: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'LOCATION {lat, lng, label?}, URL {url, title?}, CUSTOM {kind, title?, fields?, url?} (cards such as orders), IMAGE/FILE/VOICE/VIDEO {attachmentId}.',
  })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown> | null;

  @Field(() => String, {
    nullable: true,
    description: 'Your id for this message; resending with the same id is a no-op.',
  })
  @IsOptional()
  @Matches(/^[\w-]{1,64}$/, { message: 'clientMessageId must be 1 to 64 letters, digits, - or _' })
  clientMessageId?: string | null;
}

@ArgsType()
export class MessagesArgs {
  @Field(() => Int, { nullable: true, description: 'Messages with a seq greater than this (newer), oldest first.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  afterSeq?: number;

  @Field(() => Int, { nullable: true, description: 'Messages with a seq less than this (older), for scrolling up.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  beforeSeq?: number;

  @Field(() => Int, { defaultValue: 50, description: 'At most 200.' })
  @IsInt()
  @Min(1)
  @Max(200)
  first!: number;
}

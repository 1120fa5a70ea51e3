import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';

const COLOR = /^#[0-9a-fA-F]{6}$/;

@InputType({ description: 'A customer tag (CNV-2).' })
export class CustomerTagInput {
  @Field({ description: '1 to 40 characters, unique in the tenant.' })
  @NotBlank()
  @Length(1, 40)
  name!: string;

  @Field(() => String, { nullable: true, description: 'A `#rrggbb` colour.' })
  @IsOptional()
  @Matches(COLOR, { message: 'color must be a #rrggbb colour' })
  color?: string | null;
}

@ArgsType()
export class CustomerTagsArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Part of the name.' })
  @IsOptional()
  @MaxLength(40)
  search?: string | null;
}

@InputType({ description: 'A new conversation tag (CNV-3): a root, or under a parent.' })
export class CreateConversationTagInput {
  @Field({ description: '1 to 60 characters, unique among its siblings.' })
  @NotBlank()
  @Length(1, 60)
  name!: string;

  @Field(() => ID, { nullable: true, description: 'Empty for a root tag.' })
  @IsOptional()
  parentId?: string | null;
}

@InputType({ description: 'Where a conversation tag goes: under a parent (or to the roots), at a position.' })
export class MoveConversationTagInput {
  @Field(() => ID, { nullable: true, description: 'Empty to make it a root tag.' })
  @IsOptional()
  parentId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Its place among the new siblings, from 0; last when left out.' })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  position?: number;
}

@ArgsType()
export class TagConversationArgs {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => [ID], { description: 'The tags the conversation has afterwards (at most 50).' })
  @ArrayMaxSize(50)
  tagIds!: string[];

  @Field(() => String, {
    nullable: true,
    description: 'At most 1,000 characters; empty clears it, left out keeps the current remark.',
  })
  @IsOptional()
  @MaxLength(1000)
  remark?: string | null;
}

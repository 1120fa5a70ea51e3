import { ArrayMaxSize, IsBoolean, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

export const MAX_LABELS = 10;

@InputType({ description: "The customer's answer to a rating invitation (CNV-5)." })
export class RateConversationInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => Int, { description: '1 to 5.' })
  @IsInt()
  @Min(1)
  @Max(5)
  stars!: number;

  @Field(() => [String], {
    defaultValue: [],
    description: `Labels chosen for the star level, at most ${MAX_LABELS} of 1 to 40 characters.`,
  })
  @ArrayMaxSize(MAX_LABELS)
  @Matches(/\S/, { each: true, message: 'labels must not be blank' })
  @Length(1, 40, { each: true })
  labels!: string[];

  @Field(() => String, { nullable: true, description: 'At most 500 characters.' })
  @IsOptional()
  @MaxLength(500)
  remark?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Was the problem resolved? Leave out to not answer.' })
  @IsOptional()
  @IsBoolean()
  resolved?: boolean | null;
}

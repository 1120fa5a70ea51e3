import { IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { OptionalNotNull } from '../../platform/graphql/validators';

@InputType({ description: 'A transfer to an agent (toUserId) or to a team (toTeamId): exactly one of them.' })
export class TransferInput {
  @Field(() => ID)
  @IsUUID()
  conversationId!: string;

  @Field(() => ID, { nullable: true })
  @OptionalNotNull()
  @IsUUID()
  toUserId?: string;

  @Field(() => ID, { nullable: true })
  @OptionalNotNull()
  @IsUUID()
  toTeamId?: string;

  @Field(() => String, { nullable: true, description: 'A note for the receiving agent; at most 500 characters.' })
  @IsOptional()
  @MaxLength(500)
  remark?: string | null;
}

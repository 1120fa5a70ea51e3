import { IsBoolean, IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { ApprovalKind, ApprovalState } from './approval.entity';

@ArgsType()
export class ApprovalsArgs extends ConnectionArgs {
  @Field(() => ApprovalState, { nullable: true })
  @IsOptional()
  @IsEnum(ApprovalState)
  state?: ApprovalState;

  @Field(() => ApprovalKind, { nullable: true })
  @IsOptional()
  @IsEnum(ApprovalKind)
  kind?: ApprovalKind;
}

@ArgsType()
export class DecideApprovalArgs {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field({ description: 'true approves, false rejects.' })
  @IsBoolean()
  approve!: boolean;

  @Field(() => String, { nullable: true, description: 'Shown to the requester with the outcome.' })
  @IsOptional()
  @MaxLength(500)
  remark?: string | null;
}

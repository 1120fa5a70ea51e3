import { IsOptional, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { NotBlank } from '../../platform/graphql/validators';

@InputType({ description: 'Puts a customer on the blacklist (CNV-8).' })
export class BlacklistCustomerInput {
  @Field(() => ID)
  customerId!: string;

  @Field({ description: 'Why: 1 to 500 characters, kept in the blacklist log.' })
  @NotBlank()
  @Length(1, 500)
  reason!: string;

  @Field(() => ID, { nullable: true, description: 'The conversation it happens in, if any.' })
  @IsOptional()
  conversationId?: string | null;
}

@ArgsType()
export class BlacklistedCustomersArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Part of the customer ID, nickname or real name.' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;
}

@ArgsType()
export class BlacklistLogArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only the entries of this customer.' })
  @IsOptional()
  customerId?: string | null;
}

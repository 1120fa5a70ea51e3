import { ArrayMaxSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { ConsoleMode } from '../history/history.types';

@InputType({ description: 'Customers list filters (HIS-3); all of them apply together.' })
export class CustomerListFilter {
  @Field(() => Date, {
    nullable: true,
    description:
      'Last seen at or after. Without `from` and `to` the list shows customers seen this week (since Monday 00:00 UTC), unless `search` or `blacklistedOnly` is given, which look at all time.',
  })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last seen before (exclusive).' })
  @IsOptional()
  to?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Part of the nickname, real name, customer ID, phone or email (case-insensitive).',
  })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Carries any of these customer tags.' })
  @IsOptional()
  @ArrayMaxSize(100)
  tagIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only customers on the blacklist.' })
  @IsOptional()
  blacklistedOnly?: boolean | null;
}

@ArgsType()
export class CustomersArgs extends ConnectionArgs {
  @Field(() => CustomerListFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: CustomerListFilter | null;

  @Field(() => ConsoleMode, {
    nullable: true,
    description:
      'AGENT (AGENT_CUSTOMERS): customers you served. ADMIN (ADMIN_CUSTOMERS): all within your customer data scope. Default: ADMIN when granted, else AGENT.',
  })
  @IsOptional()
  mode?: ConsoleMode | null;
}

import { ArrayMaxSize, IsEmail, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { CustomFieldValueInput } from '../profile/profile.inputs';

@InputType({ description: 'Profile fields an agent may edit (CNV-1). The customer ID never changes.' })
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(60)
  nickname?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(60)
  realName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  qq?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(60)
  wechat?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(120)
  company?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  vip?: boolean;

  @Field(() => [CustomFieldValueInput], {
    nullable: true,
    description: 'Values of custom profile fields (HIS-4) by key; the fields not listed keep their values.',
  })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  fields?: CustomFieldValueInput[] | null;

  @Field(() => ID, { nullable: true, description: 'The customer group; null takes the customer out of their group.' })
  @IsOptional()
  groupId?: string | null;
}

import { IsEmail, IsOptional, IsUrl, Length, MaxLength } from 'class-validator';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';
import { Field, InputType } from 'type-graphql';

@InputType()
export class RegisterTenantInput {
  @Field()
  @NotBlank()
  @Length(1, 120)
  tenantName!: string;

  @Field()
  @IsEmail()
  @MaxLength(254)
  adminEmail!: string;

  @Field()
  @Length(10, 200, { message: 'adminPassword must be 10 to 200 characters long' })
  adminPassword!: string;

  @Field()
  @NotBlank()
  @Length(1, 60)
  adminNickname!: string;
}

@InputType()
export class UpdateTenantInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 120)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  @MaxLength(2000)
  logoUrl?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(300)
  address?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;
}

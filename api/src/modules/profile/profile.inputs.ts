import { ArrayMaxSize, IsBoolean, IsEnum, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';
import { ProfileFieldType } from './profile.entity';

export const MAX_CUSTOM_FIELDS = 50;
export const MAX_OPTIONS = 50;

@InputType({ description: 'A custom profile field (HIS-4).' })
export class CreateProfileFieldInput {
  @Field({ description: '1 to 60 characters.' })
  @NotBlank()
  @Length(1, 60)
  label!: string;

  @Field(() => ProfileFieldType)
  @IsEnum(ProfileFieldType)
  type!: ProfileFieldType;

  @Field(() => [String], {
    nullable: true,
    description: 'The choices of a SELECT field: 1 to 50, each 1 to 60 characters.',
  })
  @IsOptional()
  @ArrayMaxSize(MAX_OPTIONS, { message: `A SELECT field has at most ${MAX_OPTIONS} options` })
  @IsString({ each: true })
  @Matches(/\S/, { each: true, message: 'Options must not be blank' })
  @Length(1, 60, { each: true, message: 'Each option has 1 to 60 characters' })
  options?: string[] | null;

  @Field({ defaultValue: true })
  @IsBoolean()
  enabled!: boolean;

  @Field({ defaultValue: false })
  @IsBoolean()
  readOnly!: boolean;
}

@InputType({ description: 'Changes to a profile field. System fields take only label, enabled and readOnly.' })
export class UpdateProfileFieldInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 60)
  label?: string;

  @Field(() => ProfileFieldType, {
    nullable: true,
    description: "Custom fields only. Retyping clears the field's stored values.",
  })
  @OptionalNotNull()
  @IsEnum(ProfileFieldType)
  type?: ProfileFieldType;

  @Field(() => [String], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(MAX_OPTIONS, { message: `A SELECT field has at most ${MAX_OPTIONS} options` })
  @IsString({ each: true })
  @Matches(/\S/, { each: true, message: 'Options must not be blank' })
  @Length(1, 60, { each: true, message: 'Each option has 1 to 60 characters' })
  options?: string[];

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  readOnly?: boolean;
}

@InputType({ description: 'The value of one profile field, as text (empty or null clears it).' })
export class CustomFieldValueInput {
  @Field({ description: 'The field key (see `profileFields`).' })
  @IsString()
  @MaxLength(40)
  key!: string;

  @Field(() => String, {
    nullable: true,
    description: 'NUMBER: a number; DATE: YYYY-MM-DD; SELECT: one of the options.',
  })
  @IsOptional()
  @IsString()
  // The field's own type limits it further (TEXT 200, MULTILINE 2,000).
  @MaxLength(10000)
  value?: string | null;
}

@InputType()
export class CustomerGroupInput {
  @Field({ description: '1 to 60 characters, unique in the tenant.' })
  @NotBlank()
  @Length(1, 60)
  name!: string;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  @IsOptional()
  @MaxLength(200)
  description?: string | null;
}

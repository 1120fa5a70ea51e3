import { ArrayUnique, IsEnum, Length } from 'class-validator';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';
import { Field, InputType } from 'type-graphql';
import { DataScope, Page } from '../../platform/auth/pages';

@InputType()
export class CreateRoleInput {
  @Field()
  @NotBlank()
  @Length(1, 60)
  name!: string;

  @Field(() => [Page])
  @ArrayUnique()
  @IsEnum(Page, { each: true })
  pages!: Page[];

  @Field(() => DataScope, { defaultValue: DataScope.TEAM })
  @IsEnum(DataScope)
  customersScope!: DataScope;

  @Field(() => DataScope, { defaultValue: DataScope.TEAM })
  @IsEnum(DataScope)
  historyScope!: DataScope;

  @Field(() => DataScope, { defaultValue: DataScope.TEAM })
  @IsEnum(DataScope)
  ongoingScope!: DataScope;
}

@InputType()
export class UpdateRoleInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 60)
  name?: string;

  @Field(() => [Page], { nullable: true })
  @OptionalNotNull()
  @ArrayUnique()
  @IsEnum(Page, { each: true })
  pages?: Page[];

  @Field(() => DataScope, { nullable: true })
  @OptionalNotNull()
  @IsEnum(DataScope)
  customersScope?: DataScope;

  @Field(() => DataScope, { nullable: true })
  @OptionalNotNull()
  @IsEnum(DataScope)
  historyScope?: DataScope;

  @Field(() => DataScope, { nullable: true })
  @OptionalNotNull()
  @IsEnum(DataScope)
  ongoingScope?: DataScope;
}

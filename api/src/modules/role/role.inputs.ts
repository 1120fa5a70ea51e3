import { ArrayUnique, IsEnum, IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { DataScope, Page } from '../../platform/auth/pages';

@InputType()
export class CreateRoleInput {
  @Field()
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
  @IsOptional()
  @Length(1, 60)
  name?: string;

  @Field(() => [Page], { nullable: true })
  @IsOptional()
  @ArrayUnique()
  @IsEnum(Page, { each: true })
  pages?: Page[];

  @Field(() => DataScope, { nullable: true })
  @IsOptional()
  @IsEnum(DataScope)
  customersScope?: DataScope;

  @Field(() => DataScope, { nullable: true })
  @IsOptional()
  @IsEnum(DataScope)
  historyScope?: DataScope;

  @Field(() => DataScope, { nullable: true })
  @IsOptional()
  @IsEnum(DataScope)
  ongoingScope?: DataScope;
}

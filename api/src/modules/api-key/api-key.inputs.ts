import { IsUUID, Length } from 'class-validator';
import { NotBlank } from '../../platform/graphql/validators';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateApiKeyInput {
  @Field()
  @NotBlank()
  @Length(1, 100)
  name!: string;

  @Field(() => ID)
  @IsUUID()
  roleId!: string;
}

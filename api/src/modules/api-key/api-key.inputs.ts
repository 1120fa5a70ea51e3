import { IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateApiKeyInput {
  @Field()
  @Length(1, 100)
  name!: string;

  @Field(() => ID)
  @IsUUID()
  roleId!: string;
}

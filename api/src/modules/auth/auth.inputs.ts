import { IsEmail, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType()
export class LoginInput {
  @Field()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @Field()
  @Length(1, 200)
  password!: string;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @Length(1, 200)
  currentPassword!: string;

  @Field()
  @Length(10, 200, { message: 'newPassword must be 10 to 200 characters long' })
  newPassword!: string;
}

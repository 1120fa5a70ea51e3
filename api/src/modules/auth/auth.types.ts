import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.entity';

@ObjectType({ description: 'Tokens of a signed-in session. Send the access token as `Authorization: Bearer <token>`.' })
export class AuthPayload {
  @Field()
  accessToken!: string;

  @Field()
  accessTokenExpiresAt!: Date;

  @Field({ description: 'Exchange with refreshSession before the access token expires; each use returns a new one.' })
  refreshToken!: string;

  @Field()
  refreshTokenExpiresAt!: Date;

  @Field(() => User)
  user!: User;
}

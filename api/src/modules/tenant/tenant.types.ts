import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The licence and how much of it is in use.' })
export class License {
  @Field(() => Int)
  seats!: number;

  @Field(() => Int)
  seatsUsed!: number;

  @Field(() => Int)
  seatsRemaining!: number;

  @Field()
  expiresAt!: Date;

  @Field()
  expired!: boolean;
}

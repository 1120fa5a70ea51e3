import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import { CustomerGroup, ProfileFieldType } from './profile.entity';

@ObjectType({ description: "One enabled field of a customer's profile with its value (HIS-4, CNV-1)." })
export class CustomerFieldValue {
  @Field()
  key!: string;

  @Field()
  label!: string;

  @Field(() => ProfileFieldType)
  type!: ProfileFieldType;

  @Field(() => String, { nullable: true, description: 'As text: numbers in decimal, dates as YYYY-MM-DD.' })
  value!: string | null;

  @Field()
  readOnly!: boolean;

  @Field()
  system!: boolean;
}

@ObjectType()
export class CustomerGroupConnection extends Connection(CustomerGroup) {}

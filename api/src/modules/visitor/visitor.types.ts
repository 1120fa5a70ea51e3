import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { WidgetFunctions, WidgetStyle } from '../channel/channel.entity';
import { Customer } from '../customer/customer.entity';

@InputType()
export class StartVisitorSessionInput {
  @Field({ description: 'The public key of a widget configuration.' })
  @Length(1, 40)
  widgetKey!: string;

  @Field(() => String, {
    nullable: true,
    description: "An app's own customer id. Needs `customerIdSignature`; leave both out for an anonymous web visitor.",
  })
  @IsOptional()
  @Matches(/^[\w.@:-]{1,128}$/, { message: 'customerId must be 1 to 128 letters, digits or . @ : - _' })
  customerId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Hex HMAC-SHA256 of customerId with the widget's identity secret.",
  })
  @IsOptional()
  @IsString()
  customerIdSignature?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A visitor token from an earlier visit, to continue as the same customer.',
  })
  @IsOptional()
  @IsString()
  resumeToken?: string | null;
}

@ObjectType({ description: 'What the widget shows about itself.' })
export class VisitorWidget {
  @Field()
  name!: string;

  @Field(() => WidgetStyle)
  style!: WidgetStyle;

  @Field(() => WidgetFunctions)
  functions!: WidgetFunctions;
}

@ObjectType({
  description: 'A visitor session: send the token as `Authorization: Bearer <token>` (HTTP and WebSocket).',
})
export class VisitorSession {
  @Field()
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => Customer)
  customer!: Customer;

  @Field(() => VisitorWidget)
  widget!: VisitorWidget;
}

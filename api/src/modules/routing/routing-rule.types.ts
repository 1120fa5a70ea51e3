import { Field, ID, ObjectType } from 'type-graphql';
import { ChannelType } from '../channel/channel.entity';

// Routing settings show which entry a rule binds without the widget's secrets (those stay behind ADMIN_ACCESS).
@ObjectType({ description: 'The widget (entry) an entry rule binds.' })
export class RoutingEntry {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => ChannelType)
  channel!: ChannelType;
}

import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Team } from '../team/team.entity';

/** Where a conversation comes from (CHN-1). Only web and app have live connectors today. */
export enum ChannelType {
  WEB = 'WEB',
  APP = 'APP',
  WECHAT = 'WECHAT',
  WEIBO = 'WEIBO',
}

registerEnumType(ChannelType, { name: 'ChannelType' });

@ObjectType({ description: 'An account on a channel, e.g. an app IM account (CHN-3).' })
@Entity()
@Unique({ properties: ['tenant', 'channel', 'name'] })
export class ChannelAccount extends TenantOwnedEntity<'enabled'> {
  @Field(() => ChannelType)
  @Enum({ items: () => ChannelType })
  channel!: ChannelType;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The account id on the channel (e.g. an app key).' })
  @Property({ length: 200, nullable: true })
  externalId: string | null = null;

  @Field()
  @Property()
  enabled: boolean = true;
}

@ObjectType()
export class WidgetStyle {
  @Field({ description: 'Main colour, #rrggbb.' })
  color!: string;

  @Field()
  title!: string;

  @Field({ description: 'BOTTOM_RIGHT or BOTTOM_LEFT.' })
  position!: string;
}

@ObjectType()
export class WidgetFunctions {
  @Field({ description: 'Offer the note form when no one can serve.' })
  noteWhenOffline!: boolean;

  @Field({ description: 'Let visitors send images and files.' })
  attachments!: boolean;
}

@ObjectType({ description: 'A web widget (or app entry) configuration with its public key (CHN-2).' })
@Entity()
export class WidgetConfig extends TenantOwnedEntity<'style' | 'functions' | 'channel'> {
  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field({ description: 'The public key used by `widget.js?key=…` and `startVisitorSession`.' })
  @Property({ length: 40, unique: true })
  publicKey!: string;

  // Signs app customer ids (identity verification); shown to admins only.
  @Property({ length: 64, hidden: true })
  identitySecret!: string;

  @Field(() => ChannelType)
  @Enum({ items: () => ChannelType })
  channel: ChannelType = ChannelType.WEB;

  @Field(() => WidgetStyle)
  @Property({ type: 'json' })
  style: WidgetStyle = { color: '#3f51b5', title: 'Chat with us', position: 'BOTTOM_RIGHT' };

  @Field(() => WidgetFunctions)
  @Property({ type: 'json' })
  functions: WidgetFunctions = { noteWhenOffline: true, attachments: true };

  @ManyToOne(() => Team, { ref: true, nullable: true, deleteRule: 'set null' })
  entryTeam: Ref<Team> | null = null;

  @ManyToOne(() => ChannelAccount, { ref: true, nullable: true, deleteRule: 'set null' })
  channelAccount: Ref<ChannelAccount> | null = null;
}

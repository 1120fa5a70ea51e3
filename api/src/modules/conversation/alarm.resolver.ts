import type { FilterQuery } from '@mikro-orm/core';
import { IsEnum, IsOptional } from 'class-validator';
import { Args, ArgsType, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Page, ScopedArea } from '../../platform/auth/pages';
import { teamScopeWhere } from '../../platform/auth/principal';
import { staffOf } from '../../platform/auth/scope';
import { RequirePage } from '../../platform/graphql/access';
import {
  Connection,
  ConnectionArgs,
  type ConnectionShape,
  pageWindow,
  toConnection,
} from '../../platform/graphql/connection';
import type { AppContext } from '../services';
import { AlarmLevel, AlarmRecord } from './conversation.entity';

@ObjectType()
export class AlarmRecordConnection extends Connection(AlarmRecord) {}

@ArgsType()
export class AlarmRecordsArgs extends ConnectionArgs {
  @Field(() => AlarmLevel, { nullable: true })
  @IsOptional()
  @IsEnum(AlarmLevel)
  level?: AlarmLevel;

  @Field(() => Date, { nullable: true, description: 'Only alarms at or after this moment.' })
  @IsOptional()
  from?: Date;
}

@Resolver(() => AlarmRecord)
export class AlarmRecordResolver {
  @Query(() => AlarmRecordConnection, {
    description:
      'No-reply alarms (CNV-9): an agent had not answered a waiting customer in time. Newest first, within the caller’s scope of ongoing conversations.',
  })
  @RequirePage(Page.ADMIN_MONITOR)
  async alarmRecords(@Args() args: AlarmRecordsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<AlarmRecord>> {
    const staff = staffOf(ctx);
    const { offset, limit } = pageWindow(args);
    const scope = teamScopeWhere(staff, ScopedArea.ONGOING);
    const where: FilterQuery<AlarmRecord> = {
      ...(args.level ? { level: args.level } : {}),
      ...(args.from ? { createdAt: { $gte: args.from } } : {}),
      ...(Object.keys(scope).length ? { conversation: scope } : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(AlarmRecord, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      offset,
      limit,
    });
    return toConnection({ items, totalCount, offset, limit });
  }
}

import { Entity, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';

@ObjectType({ description: 'A period of one day, `HH:MM` to `HH:MM` (end exclusive; `24:00` ends the day).' })
export class TimeRange {
  @Field()
  start!: string;

  @Field()
  end!: string;
}

@ObjectType({ description: 'Working hours of one weekday (1 = Monday … 7 = Sunday).' })
export class WeekdayHours {
  @Field(() => Int)
  weekday!: number;

  @Field(() => [TimeRange])
  ranges!: TimeRange[];
}

@ObjectType({ description: 'A date (YYYY-MM-DD) that is a working day with these hours, even on a weekend.' })
export class CustomWorkday {
  @Field()
  date!: string;

  @Field(() => [TimeRange])
  ranges!: TimeRange[];
}

/** Business hours (QUE-8): weekday hours, holidays and custom workdays, in one time zone. */
@ObjectType()
@Entity()
@Unique({ properties: ['tenant', 'name'] })
export class TimePlan extends TenantOwnedEntity<'timezone' | 'isDefault' | 'holidays' | 'workdays'> {
  @Field()
  @Property({ length: 60 })
  name!: string;

  @Field({ description: 'An IANA time zone, e.g. Asia/Shanghai.' })
  @Property({ length: 64 })
  timezone: string = 'UTC';

  @Field({ description: "The tenant's default plan, used where no other plan is bound." })
  @Property()
  isDefault: boolean = false;

  @Field(() => [WeekdayHours])
  @Property({ type: 'json' })
  weekly!: WeekdayHours[];

  @Field(() => [String], { description: 'Dates (YYYY-MM-DD) that are not working days.' })
  @Property({ type: 'json' })
  holidays: string[] = [];

  @Field(() => [CustomWorkday])
  @Property({ type: 'json' })
  workdays: CustomWorkday[] = [];
}

import {
  ArrayMaxSize,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';

// Shapes and sizes are checked here; times, dates, zones and overlaps in `schedule.ts`, which
// names the exact field at fault.

@InputType()
export class TimeRangeInput {
  @Field({ description: 'HH:MM, 00:00 to 23:59.' })
  @IsString()
  @MaxLength(5)
  start!: string;

  @Field({ description: 'HH:MM, after start; 24:00 ends the day.' })
  @IsString()
  @MaxLength(5)
  end!: string;
}

@InputType()
export class WeekdayHoursInput {
  @Field(() => Int, { description: '1 = Monday … 7 = Sunday.' })
  @IsInt()
  weekday!: number;

  @Field(() => [TimeRangeInput], { description: 'Empty: closed all day.' })
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  ranges!: TimeRangeInput[];
}

@InputType()
export class CustomWorkdayInput {
  @Field({ description: 'YYYY-MM-DD' })
  @IsString()
  @MaxLength(10)
  date!: string;

  @Field(() => [TimeRangeInput])
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  ranges!: TimeRangeInput[];
}

@InputType()
export class CreateTimePlanInput {
  @Field()
  @NotBlank()
  @Length(1, 60)
  name!: string;

  @Field({ description: 'An IANA time zone, e.g. Asia/Shanghai; hours are read on its clock.' })
  @IsString()
  @MaxLength(64)
  timezone!: string;

  @Field(() => [WeekdayHoursInput], { description: 'Hours per weekday; a weekday left out is closed.' })
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  weekly!: WeekdayHoursInput[];

  @Field(() => [String], { defaultValue: [], description: 'Dates (YYYY-MM-DD) that are never working time.' })
  @ArrayMaxSize(400)
  @IsString({ each: true })
  @MaxLength(10, { each: true })
  holidays!: string[];

  @Field(() => [CustomWorkdayInput], {
    defaultValue: [],
    description: 'Dates with hours of their own, e.g. a Saturday worked in place of a holiday.',
  })
  @ArrayMaxSize(400)
  @ValidateNested({ each: true })
  workdays!: CustomWorkdayInput[];

  @Field({
    defaultValue: false,
    description: "Make this the tenant's default plan. The first plan of a tenant is always the default.",
  })
  @IsBoolean()
  isDefault!: boolean;
}

@InputType()
export class UpdateTimePlanInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @NotBlank()
  @Length(1, 60)
  name?: string;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @Field(() => [WeekdayHoursInput], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  weekly?: WeekdayHoursInput[];

  @Field(() => [String], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(400)
  @IsString({ each: true })
  @MaxLength(10, { each: true })
  holidays?: string[];

  @Field(() => [CustomWorkdayInput], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(400)
  @ValidateNested({ each: true })
  workdays?: CustomWorkdayInput[];

  @Field({
    nullable: true,
    description: 'true makes this the default plan (the previous default stops being it); false is refused.',
  })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

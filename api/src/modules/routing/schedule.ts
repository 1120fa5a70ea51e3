// Business hours (QUE-8) as pure functions: evaluation in a plan's time zone, and the checks a plan
// must pass before it is stored. Times are wall-clock times of the plan's zone, so a range keeps
// meaning "09:00 to 18:00 local" across daylight-saving changes.

export interface TimeRangeLike {
  start: string;
  end: string;
}

export interface ScheduleLike {
  timezone: string;
  weekly: { weekday: number; ranges: TimeRangeLike[] }[];
  holidays: string[];
  workdays: { date: string; ranges: TimeRangeLike[] }[];
}

/** A moment as read on a clock in some time zone. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  /** Minutes since local midnight, 0 … 1439. */
  minute: number;
}

export interface ScheduleProblem {
  /** The input field at fault, as a dotted path (`weekly.0.ranges.1.end`). */
  field: string;
  message: string;
  reason: string;
}

const DAY_MINUTES = 24 * 60;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// One formatter per zone: building them is the costly part of a conversion.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function localTime(timezone: string, at: Date): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timezone).formatToParts(at)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const sunday0 = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return {
    date: `${String(year).padStart(4, '0')}-${parts.month}-${parts.day}`,
    weekday: sunday0 === 0 ? 7 : sunday0,
    minute: (Number(parts.hour) % 24) * 60 + Number(parts.minute),
  };
}

/** The working ranges of one local day: none on a holiday, a custom workday's own, else the weekday's. */
export function rangesOn(plan: ScheduleLike, day: Pick<LocalTime, 'date' | 'weekday'>): TimeRangeLike[] {
  if (plan.holidays.includes(day.date)) return [];
  const workday = plan.workdays.find((w) => w.date === day.date);
  if (workday) return workday.ranges;
  return plan.weekly.find((w) => w.weekday === day.weekday)?.ranges ?? [];
}

/** Whether `at` falls in the plan's working time, read in the plan's time zone; ranges are [start, end). */
export function isWorkingTime(plan: ScheduleLike, at: Date): boolean {
  const local = localTime(plan.timezone, at);
  return rangesOn(plan, local).some((r) => {
    const start = minutesOf(r.start);
    const end = minutesOf(r.end, true);
    return start !== null && end !== null && local.minute >= start && local.minute < end;
  });
}

/** `HH:MM` as minutes since midnight; `24:00` only where a range ends. Null when malformed. */
export function minutesOf(time: string, asEnd = false): number | null {
  if (asEnd && time === '24:00') return DAY_MINUTES;
  const m = TIME.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** The canonical IANA name of a time zone (`asia/shanghai` → `Asia/Shanghai`), or null when unknown. */
export function canonicalTimeZone(timezone: string): string | null {
  if (!/^[A-Za-z]/.test(timezone)) return null; // offsets such as +08:00 are not IANA zones
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A real calendar date written YYYY-MM-DD. */
export function isValidDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The first problem of one day's ranges: format, start before end, no overlaps. */
export function rangesProblem(ranges: TimeRangeLike[], field: string): ScheduleProblem | null {
  const parsed: { start: number; end: number; index: number }[] = [];
  for (const [index, r] of ranges.entries()) {
    const start = minutesOf(r.start);
    if (start === null) {
      return problem(`${field}.${index}.start`, 'must be a time HH:MM from 00:00 to 23:59', 'INVALID_TIME');
    }
    const end = minutesOf(r.end, true);
    if (end === null) {
      return problem(`${field}.${index}.end`, 'must be a time HH:MM from 00:01 to 24:00', 'INVALID_TIME');
    }
    if (start >= end) {
      return problem(`${field}.${index}`, `starts at ${r.start}, which is not before its end ${r.end}`, 'EMPTY_RANGE');
    }
    parsed.push({ start, end, index });
  }
  parsed.sort((a, b) => a.start - b.start);
  for (let i = 1; i < parsed.length; i++) {
    const [prev, cur] = [parsed[i - 1]!, parsed[i]!];
    if (cur.start < prev.end) {
      const [a, b] = [ranges[prev.index]!, ranges[cur.index]!];
      return problem(
        `${field}.${cur.index}`,
        `${a.start}–${a.end} and ${b.start}–${b.end} overlap`,
        'OVERLAPPING_RANGES',
      );
    }
  }
  return null;
}

/** The first problem of a schedule, or null when it can be stored. */
export function scheduleProblem(plan: ScheduleLike): ScheduleProblem | null {
  if (!canonicalTimeZone(plan.timezone)) {
    return problem(
      'timezone',
      `${plan.timezone} is not a known IANA time zone (e.g. Asia/Shanghai)`,
      'INVALID_TIMEZONE',
    );
  }
  const weekdays = new Set<number>();
  for (const [i, day] of plan.weekly.entries()) {
    if (!Number.isInteger(day.weekday) || day.weekday < 1 || day.weekday > 7) {
      return problem(`weekly.${i}.weekday`, 'must be 1 (Monday) to 7 (Sunday)', 'INVALID_WEEKDAY');
    }
    if (weekdays.has(day.weekday)) {
      return problem(`weekly.${i}.weekday`, `weekday ${day.weekday} is listed twice`, 'DUPLICATE_WEEKDAY');
    }
    weekdays.add(day.weekday);
    const bad = rangesProblem(day.ranges, `weekly.${i}.ranges`);
    if (bad) return bad;
  }
  const holidays = new Set<string>();
  for (const [i, date] of plan.holidays.entries()) {
    if (!isValidDate(date)) return problem(`holidays.${i}`, `${date} is not a date YYYY-MM-DD`, 'INVALID_DATE');
    if (holidays.has(date)) return problem(`holidays.${i}`, `${date} is listed twice`, 'DUPLICATE_DATE');
    holidays.add(date);
  }
  const workdays = new Set<string>();
  for (const [i, day] of plan.workdays.entries()) {
    const field = `workdays.${i}`;
    if (!isValidDate(day.date)) {
      return problem(`${field}.date`, `${day.date} is not a date YYYY-MM-DD`, 'INVALID_DATE');
    }
    if (workdays.has(day.date)) return problem(`${field}.date`, `${day.date} is listed twice`, 'DUPLICATE_DATE');
    if (holidays.has(day.date)) {
      return problem(
        `${field}.date`,
        `${day.date} is also a holiday; a day is one or the other`,
        'HOLIDAY_AND_WORKDAY',
      );
    }
    workdays.add(day.date);
    if (!day.ranges.length) return problem(`${field}.ranges`, 'a custom workday needs working hours', 'NO_RANGES');
    const bad = rangesProblem(day.ranges, `${field}.ranges`);
    if (bad) return bad;
  }
  return null;
}

/** A valid schedule in its stored form: canonical zone, everything sorted. */
export function normalizeSchedule<T extends ScheduleLike>(plan: T): T {
  const byStart = (ranges: TimeRangeLike[]) =>
    [...ranges].map((r) => ({ start: r.start, end: r.end })).sort((a, b) => a.start.localeCompare(b.start));
  return {
    ...plan,
    timezone: canonicalTimeZone(plan.timezone) ?? plan.timezone,
    weekly: plan.weekly
      .map((d) => ({ weekday: d.weekday, ranges: byStart(d.ranges) }))
      .sort((a, b) => a.weekday - b.weekday),
    holidays: [...plan.holidays].sort(),
    workdays: plan.workdays
      .map((d) => ({ date: d.date, ranges: byStart(d.ranges) }))
      .sort((a, b) => a.date.localeCompare(b.date)),
  };
}

function problem(field: string, message: string, reason: string): ScheduleProblem {
  return { field, message: `${field} ${message}`, reason };
}

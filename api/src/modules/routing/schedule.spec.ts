import {
  canonicalTimeZone,
  isValidDate,
  isWorkingTime,
  localTime,
  normalizeSchedule,
  rangesProblem,
  type ScheduleLike,
  scheduleProblem,
} from './schedule';

const officeHours = (timezone: string, extra: Partial<ScheduleLike> = {}): ScheduleLike => ({
  timezone,
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, ranges: [{ start: '09:00', end: '18:00' }] })),
  holidays: [],
  workdays: [],
  ...extra,
});

describe('schedule', () => {
  describe(localTime.name, () => {
    it('reads the clock of a zone far from UTC: 23:30 UTC is 07:30 the next day in Shanghai', () => {
      expect(localTime('Asia/Shanghai', new Date('2026-03-10T23:30:00Z'))).toEqual({
        date: '2026-03-11',
        weekday: 3,
        minute: 7 * 60 + 30,
      });
    });

    it('reads midnight as minute 0 and Sunday as weekday 7', () => {
      expect(localTime('UTC', new Date('2026-03-15T00:00:00Z'))).toEqual({ date: '2026-03-15', weekday: 7, minute: 0 });
    });

    it('goes back a day west of UTC', () => {
      expect(localTime('America/Los_Angeles', new Date('2026-01-05T03:00:00Z'))).toEqual({
        date: '2026-01-04',
        weekday: 7,
        minute: 19 * 60,
      });
    });
  });

  describe(isWorkingTime.name, () => {
    const shanghai = officeHours('Asia/Shanghai');

    it('is open within the weekday hours of the plan zone, even when UTC says another day', () => {
      // Tuesday 23:30 UTC = Wednesday 07:30 in Shanghai: before opening.
      expect(isWorkingTime(shanghai, new Date('2026-03-10T23:30:00Z'))).toBe(false);
      // Wednesday 01:30 UTC = Wednesday 09:30 in Shanghai.
      expect(isWorkingTime(shanghai, new Date('2026-03-11T01:30:00Z'))).toBe(true);
      // Friday 10:30 UTC = Friday 18:30 in Shanghai: after closing.
      expect(isWorkingTime(shanghai, new Date('2026-03-13T10:30:00Z'))).toBe(false);
    });

    it('treats ranges as [start, end): open at the start minute, closed at the end minute', () => {
      const utc = officeHours('UTC');
      expect(isWorkingTime(utc, new Date('2026-03-10T08:59:59Z'))).toBe(false);
      expect(isWorkingTime(utc, new Date('2026-03-10T09:00:00Z'))).toBe(true);
      expect(isWorkingTime(utc, new Date('2026-03-10T17:59:59Z'))).toBe(true);
      expect(isWorkingTime(utc, new Date('2026-03-10T18:00:00Z'))).toBe(false);
    });

    it('is closed on a weekday without ranges (the weekend of an office plan)', () => {
      expect(isWorkingTime(shanghai, new Date('2026-03-14T03:00:00Z'))).toBe(false);
    });

    it('lets 24:00 end a day and a following day start at 00:00', () => {
      const nights = officeHours('UTC', {
        weekly: [
          { weekday: 1, ranges: [{ start: '22:00', end: '24:00' }] },
          { weekday: 2, ranges: [{ start: '00:00', end: '06:00' }] },
        ],
      });
      expect(isWorkingTime(nights, new Date('2026-03-09T23:59:00Z'))).toBe(true);
      expect(isWorkingTime(nights, new Date('2026-03-10T00:00:00Z'))).toBe(true);
      expect(isWorkingTime(nights, new Date('2026-03-10T06:00:00Z'))).toBe(false);
      expect(isWorkingTime(nights, new Date('2026-03-09T21:59:00Z'))).toBe(false);
    });

    it('uses several ranges of one day (a lunch break)', () => {
      const split = officeHours('UTC', {
        weekly: [
          {
            weekday: 2,
            ranges: [
              { start: '13:00', end: '18:00' },
              { start: '09:00', end: '12:00' },
            ],
          },
        ],
      });
      expect(isWorkingTime(split, new Date('2026-03-10T11:00:00Z'))).toBe(true);
      expect(isWorkingTime(split, new Date('2026-03-10T12:30:00Z'))).toBe(false);
      expect(isWorkingTime(split, new Date('2026-03-10T14:00:00Z'))).toBe(true);
    });

    it('is never working time on a holiday, whatever the weekday says', () => {
      const plan = officeHours('Asia/Shanghai', { holidays: ['2026-10-01'] });
      // Thursday 1 October, 10:00 in Shanghai.
      expect(isWorkingTime(plan, new Date('2026-10-01T02:00:00Z'))).toBe(false);
      expect(isWorkingTime(plan, new Date('2026-10-02T02:00:00Z'))).toBe(true);
    });

    it('takes a holiday by the local date: 23:30 UTC the day before is already the holiday in Shanghai', () => {
      const plan = officeHours('Asia/Shanghai', {
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, ranges: [{ start: '00:00', end: '24:00' }] })),
        holidays: ['2026-10-01'],
      });
      expect(isWorkingTime(plan, new Date('2026-09-30T15:59:00Z'))).toBe(true);
      expect(isWorkingTime(plan, new Date('2026-09-30T16:00:00Z'))).toBe(false);
      expect(isWorkingTime(plan, new Date('2026-09-30T23:30:00Z'))).toBe(false);
    });

    it('opens a custom workday with its own hours, even on a weekend', () => {
      const plan = officeHours('Asia/Shanghai', {
        workdays: [{ date: '2026-10-10', ranges: [{ start: '10:00', end: '15:00' }] }],
      });
      // Saturday 10 October.
      expect(isWorkingTime(plan, new Date('2026-10-10T01:00:00Z'))).toBe(false); // 09:00 local
      expect(isWorkingTime(plan, new Date('2026-10-10T02:30:00Z'))).toBe(true); // 10:30 local
      expect(isWorkingTime(plan, new Date('2026-10-10T07:00:00Z'))).toBe(false); // 15:00 local
      // The Saturday after is an ordinary weekend day.
      expect(isWorkingTime(plan, new Date('2026-10-17T02:30:00Z'))).toBe(false);
    });

    it('lets a custom workday replace the hours of an ordinary weekday', () => {
      const plan = officeHours('UTC', {
        workdays: [{ date: '2026-03-10', ranges: [{ start: '14:00', end: '16:00' }] }],
      });
      expect(isWorkingTime(plan, new Date('2026-03-10T10:00:00Z'))).toBe(false);
      expect(isWorkingTime(plan, new Date('2026-03-10T15:00:00Z'))).toBe(true);
    });

    describe('across daylight-saving changes (wall-clock hours stay put)', () => {
      const newYork = officeHours('America/New_York');

      it('opens at 09:00 local in winter (14:00 UTC) and in summer (13:00 UTC)', () => {
        // Friday 6 March 2026, EST (UTC-5).
        expect(isWorkingTime(newYork, new Date('2026-03-06T13:30:00Z'))).toBe(false);
        expect(isWorkingTime(newYork, new Date('2026-03-06T14:00:00Z'))).toBe(true);
        // Monday 9 March 2026, the day after the change to EDT (UTC-4).
        expect(isWorkingTime(newYork, new Date('2026-03-09T12:59:00Z'))).toBe(false);
        expect(isWorkingTime(newYork, new Date('2026-03-09T13:00:00Z'))).toBe(true);
        expect(isWorkingTime(newYork, new Date('2026-03-09T21:59:00Z'))).toBe(true);
        expect(isWorkingTime(newYork, new Date('2026-03-09T22:00:00Z'))).toBe(false);
      });

      it('handles the skipped hour of the spring change on the day itself', () => {
        // Sunday 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        const early = officeHours('America/New_York', {
          weekly: [{ weekday: 7, ranges: [{ start: '01:00', end: '04:00' }] }],
        });
        expect(localTime('America/New_York', new Date('2026-03-08T06:59:00Z')).minute).toBe(60 + 59);
        expect(localTime('America/New_York', new Date('2026-03-08T07:00:00Z')).minute).toBe(3 * 60);
        expect(isWorkingTime(early, new Date('2026-03-08T07:30:00Z'))).toBe(true); // 03:30 EDT
        expect(isWorkingTime(early, new Date('2026-03-08T08:00:00Z'))).toBe(false); // 04:00 EDT
      });

      it('counts both passes of the repeated hour in autumn', () => {
        // Sunday 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:00–02:00 happens twice.
        const plan = officeHours('America/New_York', {
          weekly: [{ weekday: 7, ranges: [{ start: '01:00', end: '02:00' }] }],
        });
        expect(isWorkingTime(plan, new Date('2026-11-01T05:30:00Z'))).toBe(true); // 01:30 EDT
        expect(isWorkingTime(plan, new Date('2026-11-01T06:30:00Z'))).toBe(true); // 01:30 EST
        expect(isWorkingTime(plan, new Date('2026-11-01T07:00:00Z'))).toBe(false); // 02:00 EST
      });

      it('follows a southern-hemisphere zone (Sydney) through its April change', () => {
        const sydney = officeHours('Australia/Sydney');
        // Thursday 2 April 2026, AEDT (UTC+11): 09:00 local is 22:00 UTC the day before.
        expect(isWorkingTime(sydney, new Date('2026-04-01T22:00:00Z'))).toBe(true);
        // Tuesday 7 April 2026, AEST (UTC+10): 09:00 local is 23:00 UTC the day before.
        expect(isWorkingTime(sydney, new Date('2026-04-06T22:00:00Z'))).toBe(false);
        expect(isWorkingTime(sydney, new Date('2026-04-06T23:00:00Z'))).toBe(true);
      });
    });
  });

  describe(canonicalTimeZone.name, () => {
    it('accepts IANA names in any case and returns the canonical spelling', () => {
      expect(canonicalTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
      expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
      expect(canonicalTimeZone('UTC')).toBe('UTC');
    });

    it('refuses unknown names and bare offsets', () => {
      expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
      expect(canonicalTimeZone('+08:00')).toBeNull();
      expect(canonicalTimeZone('')).toBeNull();
    });
  });

  describe(isValidDate.name, () => {
    it('accepts real dates only', () => {
      expect(isValidDate('2028-02-29')).toBe(true);
      expect(isValidDate('2026-02-29')).toBe(false);
      expect(isValidDate('2026-13-01')).toBe(false);
      expect(isValidDate('2026-1-01')).toBe(false);
      expect(isValidDate('01/10/2026')).toBe(false);
    });
  });

  describe(rangesProblem.name, () => {
    it('accepts ordered, touching and unordered ranges', () => {
      expect(
        rangesProblem(
          [
            { start: '13:00', end: '24:00' },
            { start: '00:00', end: '13:00' },
          ],
          'r',
        ),
      ).toBeNull();
    });

    it.each([
      [[{ start: '9:00', end: '18:00' }], 'r.0.start', 'INVALID_TIME'],
      [[{ start: '24:00', end: '24:00' }], 'r.0.start', 'INVALID_TIME'],
      [[{ start: '09:00', end: '18:60' }], 'r.0.end', 'INVALID_TIME'],
      [[{ start: '09:00', end: '24:01' }], 'r.0.end', 'INVALID_TIME'],
      [[{ start: '18:00', end: '09:00' }], 'r.0', 'EMPTY_RANGE'],
      [[{ start: '09:00', end: '09:00' }], 'r.0', 'EMPTY_RANGE'],
      [
        [
          { start: '12:00', end: '18:00' },
          { start: '09:00', end: '12:30' },
        ],
        'r.0',
        'OVERLAPPING_RANGES',
      ],
    ])('refuses %j at %s (%s)', (ranges, field, reason) => {
      expect(rangesProblem(ranges, 'r')).toMatchObject({ field, reason });
    });
  });

  describe(scheduleProblem.name, () => {
    it('accepts a full plan', () => {
      expect(
        scheduleProblem(
          officeHours('Asia/Shanghai', {
            holidays: ['2026-10-01', '2026-10-02'],
            workdays: [{ date: '2026-10-10', ranges: [{ start: '09:00', end: '18:00' }] }],
          }),
        ),
      ).toBeNull();
    });

    it.each<[Partial<ScheduleLike>, string, string]>([
      [{ timezone: 'Nowhere/City' }, 'timezone', 'INVALID_TIMEZONE'],
      [{ weekly: [{ weekday: 8, ranges: [] }] }, 'weekly.0.weekday', 'INVALID_WEEKDAY'],
      [{ weekly: [{ weekday: 0, ranges: [] }] }, 'weekly.0.weekday', 'INVALID_WEEKDAY'],
      [
        {
          weekly: [
            { weekday: 1, ranges: [] },
            { weekday: 1, ranges: [] },
          ],
        },
        'weekly.1.weekday',
        'DUPLICATE_WEEKDAY',
      ],
      [{ weekly: [{ weekday: 3, ranges: [{ start: '10:00', end: '09:00' }] }] }, 'weekly.0.ranges.0', 'EMPTY_RANGE'],
      [{ holidays: ['2026-02-30'] }, 'holidays.0', 'INVALID_DATE'],
      [{ holidays: ['2026-10-01', '2026-10-01'] }, 'holidays.1', 'DUPLICATE_DATE'],
      [
        { workdays: [{ date: 'tomorrow', ranges: [{ start: '09:00', end: '10:00' }] }] },
        'workdays.0.date',
        'INVALID_DATE',
      ],
      [{ workdays: [{ date: '2026-10-10', ranges: [] }] }, 'workdays.0.ranges', 'NO_RANGES'],
      [
        {
          holidays: ['2026-10-10'],
          workdays: [{ date: '2026-10-10', ranges: [{ start: '09:00', end: '10:00' }] }],
        },
        'workdays.0.date',
        'HOLIDAY_AND_WORKDAY',
      ],
      [
        {
          workdays: [
            { date: '2026-10-10', ranges: [{ start: '09:00', end: '10:00' }] },
            { date: '2026-10-10', ranges: [{ start: '11:00', end: '12:00' }] },
          ],
        },
        'workdays.1.date',
        'DUPLICATE_DATE',
      ],
    ])('refuses %j at %s (%s)', (change, field, reason) => {
      const found = scheduleProblem({ ...officeHours('UTC'), ...change });
      expect(found).toMatchObject({ field, reason });
      expect(found?.message.startsWith(field)).toBe(true);
    });
  });

  describe(normalizeSchedule.name, () => {
    it('stores the canonical zone and sorts days, ranges and dates', () => {
      expect(
        normalizeSchedule({
          timezone: 'asia/shanghai',
          weekly: [
            { weekday: 5, ranges: [{ start: '09:00', end: '12:00' }] },
            {
              weekday: 1,
              ranges: [
                { start: '13:00', end: '18:00' },
                { start: '09:00', end: '12:00' },
              ],
            },
          ],
          holidays: ['2026-10-02', '2026-10-01'],
          workdays: [
            { date: '2026-10-11', ranges: [{ start: '09:00', end: '12:00' }] },
            { date: '2026-09-27', ranges: [{ start: '09:00', end: '12:00' }] },
          ],
        }),
      ).toEqual({
        timezone: 'Asia/Shanghai',
        weekly: [
          {
            weekday: 1,
            ranges: [
              { start: '09:00', end: '12:00' },
              { start: '13:00', end: '18:00' },
            ],
          },
          { weekday: 5, ranges: [{ start: '09:00', end: '12:00' }] },
        ],
        holidays: ['2026-10-01', '2026-10-02'],
        workdays: [
          { date: '2026-09-27', ranges: [{ start: '09:00', end: '12:00' }] },
          { date: '2026-10-11', ranges: [{ start: '09:00', end: '12:00' }] },
        ],
      });
    });
  });
});

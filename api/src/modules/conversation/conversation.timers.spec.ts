import { DEFAULT_SETTINGS, type TenantSettings } from '../tenant/tenant-settings';
import { CloseReason, ConversationState } from './conversation.entity';
import {
  ConversationTimers,
  dueRules,
  MAX_SLEEP_SECONDS,
  MIN_SLEEP_SECONDS,
  nextWake,
  pendingRules,
  type TimerFacts,
  watchSeconds,
} from './conversation.timers';

const T0 = new Date('2026-01-01T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const facts = (over: Partial<TimerFacts> = {}): TimerFacts => ({
  state: ConversationState.ONGOING,
  createdAt: T0,
  assignedAt: null,
  lastCustomerMessageAt: null,
  lastAgentMessageAt: null,
  waitingSince: null,
  noReplyAlertAt: null,
  customerRemindedAt: null,
  queueRemindersSent: 0,
  ...over,
});

const settings = (over: Partial<Record<keyof TenantSettings, object>> = {}): TenantSettings => {
  const s = structuredClone(DEFAULT_SETTINGS);
  for (const [group, values] of Object.entries(over))
    Object.assign((s as unknown as Record<string, object>)[group]!, values);
  return s;
};

const onlyInactivityOff = { inactivity: { enabled: false } };

describe(ConversationTimers.name, () => {
  describe('inactivity (CNV-7 b)', () => {
    it('closes after the timeout since the last message from either side, in any open state', () => {
      const s = settings({ inactivity: { enabled: true, afterSeconds: 60 } });
      const f = facts({ lastCustomerMessageAt: at(10), lastAgentMessageAt: at(30) });
      expect(pendingRules(f, s)).toEqual([{ kind: 'CLOSE', reason: CloseReason.INACTIVE, at: at(90) }]);
      expect(pendingRules({ ...f, state: ConversationState.QUEUED }, s)).toEqual([
        { kind: 'CLOSE', reason: CloseReason.INACTIVE, at: at(90) },
      ]);
      expect(pendingRules(facts(), s)).toEqual([{ kind: 'CLOSE', reason: CloseReason.INACTIVE, at: at(60) }]);
      expect(pendingRules({ ...f, state: ConversationState.CLOSED }, s)).toEqual([]);
      expect(pendingRules(f, settings(onlyInactivityOff))).toEqual([]);
    });
  });

  describe('queue reminders (QUE-11)', () => {
    const s = settings({
      ...onlyInactivityOff,
      queueReminder: { enabled: true, delaySeconds: 30, intervalSeconds: 60, repeat: 2 },
    });
    const queued = (sent: number) => facts({ state: ConversationState.QUEUED, queueRemindersSent: sent });

    it('reminds after the delay, then at the interval, at most `repeat` times', () => {
      expect(pendingRules(queued(0), s)).toEqual([{ kind: 'QUEUE_REMINDER', at: at(30) }]);
      expect(pendingRules(queued(1), s)).toEqual([{ kind: 'QUEUE_REMINDER', at: at(90) }]);
      expect(pendingRules(queued(2), s)).toEqual([]);
    });

    it('stops once an agent serves the conversation', () => {
      expect(pendingRules({ ...queued(0), state: ConversationState.ONGOING }, s)).toEqual([]);
    });
  });

  describe('no reply from the agent (CNV-9)', () => {
    const s = settings({ ...onlyInactivityOff, noReply: { enabled: true, afterSeconds: 60 } });

    it('counts from the first unanswered customer message, but not from before an agent had the conversation', () => {
      const waiting = facts({ lastCustomerMessageAt: at(50), waitingSince: at(20), assignedAt: at(5) });
      expect(pendingRules(waiting, s)).toEqual([{ kind: 'NO_REPLY', at: at(80) }]);
      expect(pendingRules({ ...waiting, assignedAt: at(40) }, s)).toEqual([{ kind: 'NO_REPLY', at: at(100) }]);
    });

    it('alerts once per wait, and not while the agent has the last word', () => {
      const waiting = facts({ lastCustomerMessageAt: at(50), waitingSince: at(20) });
      expect(pendingRules({ ...waiting, noReplyAlertAt: at(80) }, s)).toEqual([]);
      // An alert of an earlier wait does not count for this one.
      expect(pendingRules({ ...waiting, noReplyAlertAt: at(10) }, s)).toHaveLength(1);
      expect(pendingRules(facts({ lastCustomerMessageAt: at(50), lastAgentMessageAt: at(60) }), s)).toEqual([]);
    });
  });

  describe('no reply from the customer (CNV-7 a)', () => {
    const s = settings({
      ...onlyInactivityOff,
      customerNoReply: { enabled: true, reminderAfterSeconds: 60, closeAfterSeconds: 120 },
    });

    it('reminds after the agent’s message, then closes after the reminder', () => {
      const agentLast = facts({ lastCustomerMessageAt: at(10), lastAgentMessageAt: at(20) });
      expect(pendingRules(agentLast, s)).toEqual([{ kind: 'REMIND_CUSTOMER', at: at(80) }]);
      expect(pendingRules({ ...agentLast, customerRemindedAt: at(81) }, s)).toEqual([
        { kind: 'CLOSE', reason: CloseReason.CUSTOMER_NO_REPLY, at: at(201) },
      ]);
    });

    it('starts again when the agent writes after the reminder, and stops when the customer answers', () => {
      const remindedThenAgain = facts({ lastAgentMessageAt: at(100), customerRemindedAt: at(81) });
      expect(pendingRules(remindedThenAgain, s)).toEqual([{ kind: 'REMIND_CUSTOMER', at: at(160) }]);
      expect(pendingRules(facts({ lastAgentMessageAt: at(20), lastCustomerMessageAt: at(30) }), s)).toEqual([]);
    });
  });

  describe('when to look next', () => {
    it('acts on the rules due now, earliest first', () => {
      const s = settings({
        inactivity: { enabled: true, afterSeconds: 100 },
        customerNoReply: { enabled: true, reminderAfterSeconds: 60, closeAfterSeconds: 120 },
      });
      const f = facts({ lastAgentMessageAt: at(0) });
      expect(dueRules(f, s, at(59))).toEqual([]);
      expect(dueRules(f, s, at(60)).map((r) => r.kind)).toEqual(['REMIND_CUSTOMER']);
      expect(dueRules(f, s, at(100)).map((r) => r.kind)).toEqual(['REMIND_CUSTOMER', 'CLOSE']);
    });

    it('sleeps until the next rule, no longer than a new message could need, and between 1 s and an hour', () => {
      const quiet = settings();
      expect(watchSeconds(quiet)).toBe(MAX_SLEEP_SECONDS);
      expect(nextWake(facts(), quiet, T0)).toEqual(at(MAX_SLEEP_SECONDS));
      const noReply = settings({ noReply: { enabled: true, afterSeconds: 180 } });
      expect(watchSeconds(noReply)).toBe(180);
      expect(nextWake(facts(), noReply, T0)).toEqual(at(180));
      const soon = settings({ inactivity: { enabled: true, afterSeconds: 30 } });
      expect(nextWake(facts(), soon, T0)).toEqual(at(30));
      expect(nextWake(facts(), soon, at(500))).toEqual(at(500 + MIN_SLEEP_SECONDS));
    });
  });
});

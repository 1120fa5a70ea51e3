import { NotificationKind, NotificationSubject } from './notification.entity';
import { linkOf } from './notification.service';
import { kindsOf, NotificationGroup } from './notification.types';

describe('notification links and groups', () => {
  it('links each subject to its console route, and nothing without a subject', () => {
    const id = '0190a000-0000-7000-8000-000000000001';
    expect(linkOf({ subjectType: NotificationSubject.CONVERSATION, subjectId: id })).toBe(`/conversations/${id}`);
    expect(linkOf({ subjectType: NotificationSubject.NOTE, subjectId: id })).toBe(`/notes/${id}`);
    expect(linkOf({ subjectType: NotificationSubject.CUSTOMER, subjectId: id })).toBe(`/customers/${id}`);
    expect(linkOf({ subjectType: NotificationSubject.USER, subjectId: id })).toBe(`/users/${id}`);
    expect(linkOf({ subjectType: null, subjectId: null })).toBeNull();
    expect(linkOf({ subjectType: NotificationSubject.NOTE, subjectId: null })).toBeNull();
  });

  it('puts every kind in exactly one group', () => {
    const notices = kindsOf(NotificationGroup.NOTICES);
    const system = kindsOf(NotificationGroup.SYSTEM);
    expect(notices).toEqual([NotificationKind.NOTICE]);
    expect([...notices, ...system].sort()).toEqual(Object.values(NotificationKind).sort());
  });
});

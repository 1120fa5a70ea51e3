import { ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import { Notice, Notification, NotificationKind } from './notification.entity';

@ObjectType()
export class NotificationConnection extends Connection(Notification) {}

@ObjectType()
export class NoticeConnection extends Connection(Notice) {}

/** The console's two tabs: notices broadcast by admins, and messages from the system. */
export enum NotificationGroup {
  NOTICES = 'NOTICES',
  SYSTEM = 'SYSTEM',
}

registerEnumType(NotificationGroup, {
  name: 'NotificationGroup',
  description: "NOTICES: admins' notices. SYSTEM: everything the system sends (role, capacity, assignments, closes…).",
});

export const kindsOf = (group: NotificationGroup): NotificationKind[] =>
  group === NotificationGroup.NOTICES
    ? [NotificationKind.NOTICE]
    : Object.values(NotificationKind).filter((k) => k !== NotificationKind.NOTICE);

import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import type { ChannelType } from '../channel/channel.entity';
import { Note, type NoteState } from './note.entity';

@ObjectType()
export class NoteConnection extends Connection(Note) {}

/** Whose notes a list shows, besides one given user's (`assigneeId`). */
export enum NoteAssignee {
  MINE = 'MINE',
  UNASSIGNED = 'UNASSIGNED',
}

export enum NoteChangeKind {
  ADDED = 'ADDED',
  UPDATED = 'UPDATED',
}

registerEnumType(NoteAssignee, { name: 'NoteAssignee' });
registerEnumType(NoteChangeKind, { name: 'NoteChangeKind' });

@ObjectType({ description: 'A note was left (ADDED), or its state or assignee changed (UPDATED).' })
export class NoteChange {
  @Field(() => NoteChangeKind)
  kind!: NoteChangeKind;

  @Field(() => Note)
  note!: Note;
}

/** What travels on the bus (plain JSON: it may cross processes through Redis). */
export interface NoteDto {
  id: string;
  tenant: string;
  number: number;
  customer: string;
  conversation: string | null;
  channel: ChannelType;
  content: string;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  state: NoteState;
  assignee: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NoteChangeDto {
  kind: NoteChangeKind;
  note: NoteDto;
}

export function toNoteDto(n: Note): NoteDto {
  return {
    id: n.id,
    tenant: n.tenant,
    number: n.number,
    customer: n.customer,
    conversation: n.conversation,
    channel: n.channel,
    content: n.content,
    contactName: n.contactName,
    contactPhone: n.contactPhone,
    contactEmail: n.contactEmail,
    state: n.state,
    assignee: n.assignee,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

export function fromNoteDto(dto: NoteDto): Note {
  // Not `new Note()`: its initialisers (a fresh id, timestamps) are wasted work per delivery.
  return Object.assign(Object.create(Note.prototype) as Note, {
    ...dto,
    createdAt: new Date(dto.createdAt),
    updatedAt: new Date(dto.updatedAt),
  });
}

import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { VisitorOnly } from '../../platform/graphql/access';
import type { AppContext } from '../services';
import { Note } from './note.entity';
import { LeaveNoteInput } from './note.inputs';

@Resolver(() => Note)
export class NoteResolver {
  @Mutation(() => Note, {
    description:
      'The visitor leaves a note instead of waiting (CNT-4, QUE-11). A conversation waiting in the queue becomes the note and is closed; while an agent is serving the visitor, it is refused.',
  })
  @VisitorOnly()
  leaveNote(@Arg('input') input: LeaveNoteInput, @Ctx() ctx: AppContext): Promise<Note> {
    return ctx.services.notes.leaveNote(ctx, input);
  }
}

import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage, VisitorOnly } from '../../platform/graphql/access';
import { ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { cancellable } from '../../platform/pubsub/cancellable';
import { ExportedFile } from '../attachment/data-file.types';
import { Customer } from '../customer/customer.entity';
import type { AppContext } from '../services';
import { User } from '../user/user.entity';
import { Note } from './note.entity';
import { AssignNoteArgs, LeaveNoteInput, NoteFilterArgs, SetNoteStateArgs } from './note.inputs';
import { fromNoteDto, NoteChange, type NoteChangeDto, NoteConnection } from './note.types';

@Resolver(() => Note)
export class NoteResolver {
  @Mutation(() => Note, {
    description:
      'The visitor leaves a note instead of waiting (CNT-4, QUE-11), with or without a conversation. A conversation waiting in the queue becomes the note and is closed; while an agent is serving the visitor, it is refused.',
  })
  @VisitorOnly()
  leaveNote(@Arg('input') input: LeaveNoteInput, @Ctx() ctx: AppContext): Promise<Note> {
    return ctx.services.notes.leaveNote(ctx, input);
  }

  @Query(() => NoteConnection, { description: "The tenant's notes that match the filters, newest first (CNT-4)." })
  @RequirePage(Page.AGENT_NOTES)
  async notes(
    @Args() page: ConnectionArgs,
    @Args() filter: NoteFilterArgs,
    @Ctx() ctx: AppContext,
  ): Promise<ConnectionShape<Note>> {
    return toConnection(await ctx.services.notes.list(ctx, page, filter));
  }

  @Query(() => Note)
  @RequirePage(Page.AGENT_NOTES)
  note(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Note> {
    return ctx.services.notes.get(ctx, id);
  }

  @Mutation(() => Note, { description: 'Moves a note to OPEN, PENDING or SOLVED (in any direction).' })
  @RequirePage(Page.AGENT_NOTES)
  setNoteState(@Args() args: SetNoteStateArgs, @Ctx() ctx: AppContext): Promise<Note> {
    return ctx.services.notes.setState(ctx, args.id, args.state);
  }

  @Mutation(() => Note, {
    description:
      'Assigns a note to an enabled user of the tenant (who is notified unless they took it themselves), or unassigns it with `userId: null`.',
  })
  @RequirePage(Page.AGENT_NOTES)
  assignNote(@Args() args: AssignNoteArgs, @Ctx() ctx: AppContext): Promise<Note> {
    return ctx.services.notes.assign(ctx, args.id, args.userId ?? null);
  }

  @Mutation(() => ExportedFile, {
    description: 'The notes that match the filters as a CSV file, newest first; at most 50,000 notes.',
  })
  @RequirePage(Page.AGENT_NOTES)
  exportNotes(@Args() filter: NoteFilterArgs, @Ctx() ctx: AppContext): Promise<ExportedFile> {
    return ctx.services.notes.export(ctx, filter);
  }

  @Subscription(() => NoteChange, {
    description: "The tenant's notes as they are left, assigned or change state. Refetch the list after a reconnect.",
    subscribe: ({ context }) => {
      const ctx = context as AppContext;
      return cancellable((signal) => ctx.services.notes.subscribe(ctx, signal));
    },
  })
  @RequirePage(Page.AGENT_NOTES)
  noteChanged(@Root() event: NoteChangeDto): NoteChange {
    return { kind: event.kind, note: fromNoteDto(event.note) };
  }

  @FieldResolver(() => Customer, { description: 'The customer who left the note.' })
  async customerProfile(@Root() note: Note, @Ctx() ctx: AppContext): Promise<Customer> {
    const customer = await ctx.loaders.byId(Customer).load(note.customer);
    if (!customer) throw new Error(`Customer of note ${note.id} is missing`);
    return customer;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The user the note is assigned to.' })
  async assigneeUser(@Root() note: Note, @Ctx() ctx: AppContext): Promise<User | null> {
    return note.assignee ? ((await ctx.loaders.byId(User).load(note.assignee)) ?? null) : null;
  }
}

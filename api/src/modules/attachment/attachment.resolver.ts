import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Message } from '../conversation/conversation.entity';
import type { AppContext } from '../services';
import { Attachment } from './attachment.entity';

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => String, {
    description: 'A signed link that shows the file (expires; fetch again for a fresh one).',
  })
  url(@Root() attachment: Attachment, @Ctx() ctx: AppContext): string {
    return ctx.services.attachments.url(attachment);
  }

  @FieldResolver(() => String, { description: 'A signed link that downloads the file.' })
  downloadUrl(@Root() attachment: Attachment, @Ctx() ctx: AppContext): string {
    return ctx.services.attachments.url(attachment, 'attachment');
  }
}

@Resolver(() => Message)
export class MessageAttachmentResolver {
  @FieldResolver(() => Attachment, {
    nullable: true,
    description: 'The file of an image, voice, video or file message.',
  })
  async attachment(@Root() message: Message, @Ctx() ctx: AppContext): Promise<Attachment | null> {
    const id = message.recalledAt ? null : message.payload?.attachmentId;
    return typeof id === 'string' ? ((await ctx.loaders.byId(Attachment).load(id)) ?? null) : null;
  }
}

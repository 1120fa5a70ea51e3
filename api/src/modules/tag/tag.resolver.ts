import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { isStaff } from '../../platform/auth/principal';
import { RequirePage, SignedIn } from '../../platform/graphql/access';
import { type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { ExportedFile, ImportReport } from '../attachment/data-file.types';
import { Conversation } from '../conversation/conversation.entity';
import { Customer } from '../customer/customer.entity';
import type { AppContext } from '../services';
import { ConversationTag, CustomerTag } from './tag.entity';
import {
  CreateConversationTagInput,
  CustomerTagInput,
  CustomerTagsArgs,
  MoveConversationTagInput,
  TagConversationArgs,
} from './tag.inputs';
import { CustomerTagConnection } from './tag.types';

@Resolver(() => CustomerTag)
export class CustomerTagResolver {
  @Query(() => CustomerTagConnection, { description: 'Customer tags (CNV-2) in their order.' })
  @SignedIn()
  async customerTags(@Args() args: CustomerTagsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<CustomerTag>> {
    return toConnection(await ctx.services.customerTags.list(ctx, args));
  }

  @Mutation(() => CustomerTag)
  @RequirePage(Page.ADMIN_SETTINGS)
  createCustomerTag(@Arg('input') input: CustomerTagInput, @Ctx() ctx: AppContext): Promise<CustomerTag> {
    return ctx.services.customerTags.create(ctx, input);
  }

  @Mutation(() => CustomerTag)
  @RequirePage(Page.ADMIN_SETTINGS)
  updateCustomerTag(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: CustomerTagInput,
    @Ctx() ctx: AppContext,
  ): Promise<CustomerTag> {
    return ctx.services.customerTags.update(ctx, id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a customer tag (it comes off every customer); returns the id.' })
  @RequirePage(Page.ADMIN_SETTINGS)
  deleteCustomerTag(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.customerTags.delete(ctx, id);
  }

  @Mutation(() => Customer, {
    description:
      "Sets a customer's tags: by the agent serving one of the customer's open conversations, or a customer admin.",
  })
  @RequirePage(Page.AGENT_CONVERSATIONS, Page.ADMIN_CUSTOMERS)
  setCustomerTags(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('tagIds', () => [ID]) tagIds: string[],
    @Ctx() ctx: AppContext,
  ): Promise<Customer> {
    return ctx.services.customerTags.setForCustomer(ctx, customerId, tagIds);
  }

  @Mutation(() => ExportedFile, { description: 'An empty CSV file with the columns an import takes (name, color).' })
  @RequirePage(Page.ADMIN_SETTINGS)
  customerTagTemplate(@Ctx() ctx: AppContext): Promise<ExportedFile> {
    return ctx.services.customerTags.template(ctx);
  }

  @Mutation(() => ExportedFile, { description: 'Every customer tag as CSV (name, color).' })
  @RequirePage(Page.ADMIN_SETTINGS)
  exportCustomerTags(@Ctx() ctx: AppContext): Promise<ExportedFile> {
    return ctx.services.customerTags.export(ctx);
  }

  @Mutation(() => ImportReport, {
    description:
      'Imports customer tags from an uploaded CSV file (columns name, color). Only new tags: existing names are skipped.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  importCustomerTags(@Arg('fileId', () => ID) fileId: string, @Ctx() ctx: AppContext): Promise<ImportReport> {
    return ctx.services.customerTags.import(ctx, fileId);
  }
}

@Resolver(() => Customer)
export class CustomerTagsFieldResolver {
  @FieldResolver(() => [CustomerTag], { description: "The customer's tags (staff only; empty for visitors)." })
  async tags(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<CustomerTag[]> {
    if (!isStaff(ctx.principal)) return [];
    return ctx.loaders
      .get<string, CustomerTag[]>('tagsOfCustomer', (ids) => ctx.services.customerTags.tagsOf(ctx.em, ids))
      .load(customer.id);
  }
}

@Resolver(() => ConversationTag)
export class ConversationTagResolver {
  @Query(() => [ConversationTag], {
    description: 'The whole conversation-tag tree (CNV-3), depth first, each level in its order.',
  })
  @SignedIn()
  conversationTags(@Ctx() ctx: AppContext): Promise<ConversationTag[]> {
    return ctx.services.conversationTags.tree(ctx);
  }

  @Mutation(() => ConversationTag, {
    description: 'Adds a tag at the end of its level. Limits: 10 levels, 1,000 tags, 20 root tags.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  createConversationTag(
    @Arg('input') input: CreateConversationTagInput,
    @Ctx() ctx: AppContext,
  ): Promise<ConversationTag> {
    return ctx.services.conversationTags.create(ctx, input);
  }

  @Mutation(() => ConversationTag)
  @RequirePage(Page.ADMIN_SETTINGS)
  renameConversationTag(
    @Arg('id', () => ID) id: string,
    @Arg('name', { description: '1 to 60 characters, unique among its siblings.' }) name: string,
    @Ctx() ctx: AppContext,
  ): Promise<ConversationTag> {
    return ctx.services.conversationTags.rename(ctx, id, name);
  }

  @Mutation(() => ConversationTag, {
    description: 'Moves a tag and everything under it to another parent (or the roots) and/or position.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  moveConversationTag(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: MoveConversationTagInput,
    @Ctx() ctx: AppContext,
  ): Promise<ConversationTag> {
    return ctx.services.conversationTags.move(ctx, id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a tag and every tag under it; returns the id.' })
  @RequirePage(Page.ADMIN_SETTINGS)
  deleteConversationTag(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.conversationTags.delete(ctx, id);
  }

  @Mutation(() => Conversation, {
    description:
      "Sets a conversation's tags and remark: during it (its agent or a supervisor) or after close (History).",
  })
  @RequirePage(Page.AGENT_CONVERSATIONS, Page.AGENT_HISTORY, Page.ADMIN_MONITOR, Page.ADMIN_HISTORY)
  tagConversation(@Args() args: TagConversationArgs, @Ctx() ctx: AppContext): Promise<Conversation> {
    return ctx.services.conversationTags.tag(ctx, args);
  }

  @Mutation(() => ExportedFile, {
    description: 'The tree as CSV: one row per tag, its path in the columns level1 … level10.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  exportConversationTags(@Ctx() ctx: AppContext): Promise<ExportedFile> {
    return ctx.services.conversationTags.export(ctx);
  }

  @Mutation(() => ImportReport, {
    description: 'Adds the paths of an uploaded CSV file (columns level1 … level10) that do not exist yet.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  importConversationTags(@Arg('fileId', () => ID) fileId: string, @Ctx() ctx: AppContext): Promise<ImportReport> {
    return ctx.services.conversationTags.import(ctx, fileId);
  }
}

@Resolver(() => Conversation)
export class ConversationTagsFieldResolver {
  @FieldResolver(() => [ConversationTag], { description: "The conversation's tags (staff only; empty for visitors)." })
  async tags(@Root() conversation: Conversation, @Ctx() ctx: AppContext): Promise<ConversationTag[]> {
    if (!isStaff(ctx.principal)) return [];
    return ctx.loaders
      .get<string, ConversationTag[]>('tagsOfConversation', (ids) => ctx.services.conversationTags.tagsOf(ctx.em, ids))
      .load(conversation.id);
  }
}

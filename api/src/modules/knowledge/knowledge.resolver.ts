import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { Attachment } from '../attachment/attachment.entity';
import { ExportedFile, ImportReport } from '../attachment/data-file.types';
import type { AppContext } from '../services';
import { Article, ArticleState, KnowledgeCategory } from './knowledge.entity';
import {
  ArticlesArgs,
  CreateArticleInput,
  CreateKnowledgeCategoryInput,
  KnowledgeCategoryIdsArgs,
  UpdateArticleInput,
} from './knowledge.inputs';
import { ArticleConnection } from './knowledge.types';

// Agents read in the chat's side panel or on the Knowledge page; content admins read and edit.
const READERS = [Page.AGENT_KNOWLEDGE, Page.AGENT_CONVERSATIONS, Page.ADMIN_CONTENT] as const;

@Resolver(() => KnowledgeCategory)
export class KnowledgeCategoryResolver {
  @Query(() => [KnowledgeCategory], {
    description: 'The knowledge-base categories in order (up to 3 levels, linked by `parent`) (CNT-1).',
  })
  @RequirePage(...READERS)
  knowledgeCategories(@Ctx() ctx: AppContext): Promise<KnowledgeCategory[]> {
    return ctx.services.knowledge.categories(ctx);
  }

  @Mutation(() => KnowledgeCategory, { description: 'Adds a category at the end of its parent (at most 3 levels).' })
  @RequirePage(Page.ADMIN_CONTENT)
  createKnowledgeCategory(
    @Arg('input') input: CreateKnowledgeCategoryInput,
    @Ctx() ctx: AppContext,
  ): Promise<KnowledgeCategory> {
    return ctx.services.knowledge.createCategory(ctx, input);
  }

  @Mutation(() => KnowledgeCategory, { description: 'Renames a category (1 to 60 characters, no "/").' })
  @RequirePage(Page.ADMIN_CONTENT)
  renameKnowledgeCategory(
    @Arg('id', () => ID) id: string,
    @Arg('name') name: string,
    @Ctx() ctx: AppContext,
  ): Promise<KnowledgeCategory> {
    return ctx.services.knowledge.renameCategory(ctx, id, name);
  }

  @Mutation(() => ID, {
    description: 'Deletes an empty category; one that still has articles or subcategories is refused (CONFLICT).',
  })
  @RequirePage(Page.ADMIN_CONTENT)
  deleteKnowledgeCategory(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.knowledge.deleteCategory(ctx, id);
  }

  @Mutation(() => [KnowledgeCategory], {
    description: 'Sets the order of sibling categories: every category under the same parent, each once.',
  })
  @RequirePage(Page.ADMIN_CONTENT)
  reorderKnowledgeCategories(
    @Args() args: KnowledgeCategoryIdsArgs,
    @Ctx() ctx: AppContext,
  ): Promise<KnowledgeCategory[]> {
    return ctx.services.knowledge.reorderCategories(ctx, args.ids);
  }
}

@Resolver(() => Article)
export class ArticleResolver {
  @Query(() => ArticleConnection, {
    description:
      'Articles, most recently changed first: content admins see drafts too, everyone else published ones only. Search is a case-insensitive substring of the title or text.',
  })
  @RequirePage(...READERS)
  async articles(@Args() args: ArticlesArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Article>> {
    return toConnection(await ctx.services.knowledge.list(ctx, args));
  }

  @Query(() => Article, { description: 'One article; a draft is NOT_FOUND except for content admins.' })
  @RequirePage(...READERS)
  article(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Article> {
    return ctx.services.knowledge.get(ctx, id);
  }

  @Mutation(() => Article, {
    description: 'A new draft; the body is sanitised (title ≤ 200 characters, body ≤ 200 KB).',
  })
  @RequirePage(Page.ADMIN_CONTENT)
  createArticle(@Arg('input') input: CreateArticleInput, @Ctx() ctx: AppContext): Promise<Article> {
    return ctx.services.knowledge.create(ctx, input);
  }

  @Mutation(() => Article, { description: 'Changes the fields given; a published article stays published.' })
  @RequirePage(Page.ADMIN_CONTENT)
  updateArticle(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateArticleInput,
    @Ctx() ctx: AppContext,
  ): Promise<Article> {
    return ctx.services.knowledge.update(ctx, id, input);
  }

  @Mutation(() => Article, { description: 'Makes the article visible to agents.' })
  @RequirePage(Page.ADMIN_CONTENT)
  publishArticle(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Article> {
    return ctx.services.knowledge.setState(ctx, id, ArticleState.PUBLISHED);
  }

  @Mutation(() => Article, { description: 'Turns the article back into a draft, hidden from agents.' })
  @RequirePage(Page.ADMIN_CONTENT)
  unpublishArticle(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Article> {
    return ctx.services.knowledge.setState(ctx, id, ArticleState.DRAFT);
  }

  @Mutation(() => ID)
  @RequirePage(Page.ADMIN_CONTENT)
  deleteArticle(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.knowledge.delete(ctx, id);
  }

  @Mutation(() => ExportedFile, {
    description: 'Every article as CSV: category (path "Level 1/Level 2"), title, body (HTML), state.',
  })
  @RequirePage(Page.ADMIN_CONTENT)
  exportArticles(@Ctx() ctx: AppContext): Promise<ExportedFile> {
    return ctx.services.knowledge.export(ctx);
  }

  @Mutation(() => ImportReport, {
    description:
      'Imports articles from an uploaded CSV (the export format) in one transaction: bodies are sanitised, unknown categories created, bad rows reported by line; a malformed file is refused whole.',
  })
  @RequirePage(Page.ADMIN_CONTENT)
  importArticles(@Arg('fileId', () => ID) fileId: string, @Ctx() ctx: AppContext): Promise<ImportReport> {
    return ctx.services.knowledge.import(ctx, fileId);
  }

  @FieldResolver(() => [Attachment], { description: 'Attached files, in order; each has a signed `url`.' })
  attachments(@Root() article: Article, @Ctx() ctx: AppContext): Promise<Attachment[]> {
    return ctx.loaders
      .get<string, Attachment[]>('articleAttachments', (ids) => ctx.services.knowledge.attachmentsOf(ctx.em, ids))
      .load(article.id);
  }
}

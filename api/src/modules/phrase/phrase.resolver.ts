import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { Approval } from '../approval/approval.entity';
import { ExportedFile, ImportReport } from '../attachment/data-file.types';
import type { AppContext } from '../services';
import { Phrase, PhraseCategory } from './phrase.entity';
import {
  CreatePhraseCategoryInput,
  CreatePhraseInput,
  ImportPhrasesArgs,
  MovePhrasesArgs,
  PhraseFileArgs,
  PhraseIdsArgs,
  PhrasesArgs,
  RequestPublicPhraseInput,
} from './phrase.inputs';
import { PhraseConnection, PhraseScope } from './phrase.types';

// Readers of the public set: agents (phrases page or the chat) and content admins.
const READERS = [Page.AGENT_PHRASES, Page.AGENT_CONVERSATIONS, Page.ADMIN_CONTENT] as const;
// Writers: content admins (public set) and agents (their personal set); the service checks which.
const WRITERS = [Page.ADMIN_CONTENT, Page.AGENT_PHRASES] as const;

@Resolver(() => PhraseCategory)
export class PhraseCategoryResolver {
  @Query(() => [PhraseCategory], {
    description:
      'The categories of a set, in order: public (level-1 and level-2, linked by `parent`) or your personal ones (CNT-2).',
  })
  @RequirePage(...READERS)
  phraseCategories(
    @Arg('scope', () => PhraseScope) scope: PhraseScope,
    @Ctx() ctx: AppContext,
  ): Promise<PhraseCategory[]> {
    return ctx.services.phrases.categories(ctx, scope);
  }

  @Mutation(() => PhraseCategory, {
    description: 'Adds a category at the end: public ones need ADMIN_CONTENT, personal ones AGENT_PHRASES.',
  })
  @RequirePage(...WRITERS)
  createPhraseCategory(
    @Arg('input') input: CreatePhraseCategoryInput,
    @Ctx() ctx: AppContext,
  ): Promise<PhraseCategory> {
    return ctx.services.phrases.createCategory(ctx, input);
  }

  @Mutation(() => PhraseCategory, {
    description: 'Renames a category (1 to 60 characters, unique among its siblings).',
  })
  @RequirePage(...WRITERS)
  renamePhraseCategory(
    @Arg('id', () => ID) id: string,
    @Arg('name') name: string,
    @Ctx() ctx: AppContext,
  ): Promise<PhraseCategory> {
    return ctx.services.phrases.renameCategory(ctx, id, name);
  }

  @Mutation(() => ID, {
    description: 'Deletes an empty category; one that still has phrases or subcategories is refused (CONFLICT).',
  })
  @RequirePage(...WRITERS)
  deletePhraseCategory(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.phrases.deleteCategory(ctx, id);
  }

  @Mutation(() => [PhraseCategory], {
    description: 'Sets the order of sibling categories: every category under the same parent, each once.',
  })
  @RequirePage(...WRITERS)
  reorderPhraseCategories(@Args() args: PhraseIdsArgs, @Ctx() ctx: AppContext): Promise<PhraseCategory[]> {
    return ctx.services.phrases.reorderCategories(ctx, args.ids);
  }

  @FieldResolver(() => PhraseScope)
  scope(@Root() category: PhraseCategory): PhraseScope {
    return category.owner === null ? PhraseScope.PUBLIC : PhraseScope.PERSONAL;
  }
}

@Resolver(() => Phrase)
export class PhraseResolver {
  @Query(() => PhraseConnection, {
    description:
      'Phrases: the public ones and your own, public first, each category in its order. Search is a case-insensitive substring of the content.',
  })
  @RequirePage(...READERS)
  async phrases(@Args() args: PhrasesArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Phrase>> {
    return toConnection(await ctx.services.phrases.list(ctx, args));
  }

  @Query(() => String, {
    description:
      "The phrase as it would be sent in this conversation: `##dear##` becomes the customer's nickname, or the tenant's default address (TEN-6).",
  })
  @RequirePage(Page.AGENT_PHRASES, Page.AGENT_CONVERSATIONS)
  renderPhrase(
    @Arg('phraseId', () => ID) phraseId: string,
    @Arg('conversationId', () => ID) conversationId: string,
    @Ctx() ctx: AppContext,
  ): Promise<string> {
    return ctx.services.phrases.render(ctx, phraseId, conversationId);
  }

  @Mutation(() => Phrase, { description: 'Adds a phrase at the end of its category (at most 5,000 per set).' })
  @RequirePage(...WRITERS)
  createPhrase(@Arg('input') input: CreatePhraseInput, @Ctx() ctx: AppContext): Promise<Phrase> {
    return ctx.services.phrases.create(ctx, input);
  }

  @Mutation(() => Phrase, { description: "Changes a phrase's content (1 to 2,000 characters)." })
  @RequirePage(...WRITERS)
  updatePhrase(
    @Arg('id', () => ID) id: string,
    @Arg('content') content: string,
    @Ctx() ctx: AppContext,
  ): Promise<Phrase> {
    return ctx.services.phrases.update(ctx, id, content);
  }

  @Mutation(() => Int, { description: 'Deletes phrases; returns how many.' })
  @RequirePage(...WRITERS)
  deletePhrases(@Args() args: PhraseIdsArgs, @Ctx() ctx: AppContext): Promise<number> {
    return ctx.services.phrases.delete(ctx, args.ids);
  }

  @Mutation(() => [Phrase], {
    description: 'Moves phrases of one set to a category of that set (none: uncategorised), at its end.',
  })
  @RequirePage(...WRITERS)
  movePhrases(@Args() args: MovePhrasesArgs, @Ctx() ctx: AppContext): Promise<Phrase[]> {
    return ctx.services.phrases.move(ctx, args.ids, args.categoryId);
  }

  @Mutation(() => [Phrase], {
    description: 'Sets the order of the phrases of one category (or the uncategorised ones): all of them, each once.',
  })
  @RequirePage(...WRITERS)
  reorderPhrases(@Args() args: PhraseIdsArgs, @Ctx() ctx: AppContext): Promise<Phrase[]> {
    return ctx.services.phrases.reorder(ctx, args.ids);
  }

  @Mutation(() => ExportedFile, {
    description: 'A CSV template (columns category, subcategory, content) with one example row.',
  })
  @RequirePage(...WRITERS)
  phraseImportTemplate(@Args() args: PhraseFileArgs, @Ctx() ctx: AppContext): Promise<ExportedFile> {
    return ctx.services.phrases.template(ctx, args.scope);
  }

  @Mutation(() => ExportedFile, { description: 'The whole set as CSV, in the import format.' })
  @RequirePage(...WRITERS)
  exportPhrases(@Args() args: PhraseFileArgs, @Ctx() ctx: AppContext): Promise<ExportedFile> {
    return ctx.services.phrases.export(ctx, args.scope);
  }

  @Mutation(() => ImportReport, {
    description:
      'Imports an uploaded CSV into a set in one transaction: valid rows are added (unknown categories created, repeats skipped), bad rows are reported by line; a malformed file is refused whole.',
  })
  @RequirePage(...WRITERS)
  importPhrases(@Args() args: ImportPhrasesArgs, @Ctx() ctx: AppContext): Promise<ImportReport> {
    return ctx.services.phrases.import(ctx, args.scope, args.fileId);
  }

  @Mutation(() => Approval, {
    description:
      'Proposes one of your personal phrases (or a text) for the public set (CNT-3); on approval it is added to the chosen public category.',
  })
  @RequirePage(Page.AGENT_PHRASES)
  requestPublicPhrase(@Arg('input') input: RequestPublicPhraseInput, @Ctx() ctx: AppContext): Promise<Approval> {
    return ctx.services.phrases.requestPublic(ctx, input);
  }

  @FieldResolver(() => PhraseScope)
  scope(@Root() phrase: Phrase): PhraseScope {
    return phrase.owner === null ? PhraseScope.PUBLIC : PhraseScope.PERSONAL;
  }
}

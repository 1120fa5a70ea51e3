import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Page } from '../../platform/auth/pages';
import { type ServiceScope, staffOf } from '../../platform/auth/scope';
import { CsvSyntaxError, formatCsv, parseCsv, recordsByHeader } from '../../platform/csv/csv';
import { likeContains } from '../../platform/database/like';
import { badInput, raise } from '../../platform/errors/app-error';
import { type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import { advisoryXactLock } from '../../platform/database/advisory-lock';
import { Attachment } from '../attachment/attachment.entity';
import type { AttachmentService } from '../attachment/attachment.service';
import type { ExportedFile, ImportReport, ImportRowError } from '../attachment/data-file.types';
import { Article, ArticleAttachment, ArticleState, KnowledgeCategory } from './knowledge.entity';
import { KnowledgeErrors } from './knowledge.errors';
import type {
  ArticlesArgs,
  CreateArticleInput,
  CreateKnowledgeCategoryInput,
  UpdateArticleInput,
} from './knowledge.inputs';
import { sanitizeArticleHtml, textOf } from './rich-text';

export const MAX_TITLE = 200;
export const MAX_BODY_BYTES = 200 * 1024;
export const MAX_DEPTH = 3;
const MAX_NAME = 60;
const MAX_CATEGORIES = 500;
const MAX_ATTACHMENTS = 20;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const PATH_SEPARATOR = '/';

const COLUMNS = {
  category: { aliases: ['分类'] },
  title: { aliases: ['标题'], required: true },
  body: { aliases: ['正文', '内容'] },
  state: { aliases: ['状态'] },
} as const;

/**
 * The knowledge base (CNT-1): a category tree of at most three levels and articles with sanitised
 * HTML bodies, drafts and attachments. Content admins (ADMIN_CONTENT) see and edit everything;
 * other readers see published articles only — a draft reads as missing.
 */
export class KnowledgeService {
  constructor(private readonly attachments: AttachmentService) {}

  // ── Categories ───────────────────────────────────────────────────────────────

  async categories(scope: ServiceScope): Promise<KnowledgeCategory[]> {
    return scope.em.find(KnowledgeCategory, {}, { orderBy: { position: 'asc', name: 'asc', id: 'asc' } });
  }

  async createCategory(scope: ServiceScope, input: CreateKnowledgeCategoryInput): Promise<KnowledgeCategory> {
    const name = checkName(input.name);
    return scope.em.transactional(async (tx) => {
      await this.lock(tx, scope);
      const all = await tx.find(KnowledgeCategory, {});
      let parent: string | null = null;
      if (input.parentId) {
        const found = all.find((c) => c.id === input.parentId);
        if (!found) throw raise(KnowledgeErrors, 'CATEGORY_NOT_FOUND', undefined, 'Parent category not found');
        if (depthOf(found, all) >= MAX_DEPTH) throw raise(KnowledgeErrors, 'TOO_DEEP');
        parent = found.id;
      }
      if (all.length >= MAX_CATEGORIES) throw raise(KnowledgeErrors, 'TOO_MANY_CATEGORIES');
      const siblings = all.filter((c) => c.parent === parent);
      if (siblings.some((s) => sameName(s.name, name))) throw raise(KnowledgeErrors, 'NAME_TAKEN');
      return tx.create(KnowledgeCategory, {
        tenant: staffOf(scope).tenantId,
        parent,
        name,
        position: nextPosition(siblings),
      });
    });
  }

  async renameCategory(scope: ServiceScope, id: string, name: string): Promise<KnowledgeCategory> {
    const category = await this.category(scope.em, id);
    const trimmed = checkName(name);
    return scope.em.transactional(async (tx) => {
      await this.lock(tx, scope);
      const siblings = await tx.find(KnowledgeCategory, { parent: category.parent });
      if (siblings.some((s) => s.id !== id && sameName(s.name, trimmed))) throw raise(KnowledgeErrors, 'NAME_TAKEN');
      const row = siblings.find((s) => s.id === id)!;
      row.name = trimmed;
      return row;
    });
  }

  /** Deletes an empty category; one with articles or subcategories is refused (CONFLICT). */
  async deleteCategory(scope: ServiceScope, id: string): Promise<string> {
    const category = await this.category(scope.em, id);
    await scope.em.transactional(async (tx) => {
      await this.lock(tx, scope);
      const used =
        (await tx.count(Article, { category: category.id })) +
        (await tx.count(KnowledgeCategory, { parent: category.id }));
      if (used > 0) throw raise(KnowledgeErrors, 'CATEGORY_NOT_EMPTY');
      await tx.nativeDelete(KnowledgeCategory, { id: category.id });
    });
    return category.id;
  }

  /** Sets the order of sibling categories: every category under the same parent, each once. */
  async reorderCategories(scope: ServiceScope, ids: string[]): Promise<KnowledgeCategory[]> {
    return scope.em.transactional(async (tx) => {
      await this.lock(tx, scope);
      const unique = [...new Set(ids)];
      const rows = await tx.find(KnowledgeCategory, { id: { $in: unique } });
      if (rows.length !== unique.length) throw raise(KnowledgeErrors, 'CATEGORY_NOT_FOUND');
      const siblings = await tx.find(KnowledgeCategory, { parent: rows[0]!.parent });
      const byId = new Map(siblings.map((s) => [s.id, s]));
      if (ids.length !== siblings.length || unique.length !== ids.length || ids.some((i) => !byId.has(i))) {
        throw raise(KnowledgeErrors, 'REORDER_INCOMPLETE');
      }
      return ids.map((i, position) => Object.assign(byId.get(i)!, { position }));
    });
  }

  // ── Articles ─────────────────────────────────────────────────────────────────

  /** Articles the caller may read (content admins: all, with a state filter; others: published), newest change first. */
  async list(scope: ServiceScope, args: ArticlesArgs): Promise<ResultPage<Article>> {
    const { offset, limit } = pageWindow(args);
    const where: FilterQuery<Article>[] = [];
    if (!this.isEditor(scope)) where.push({ state: ArticleState.PUBLISHED });
    if (args.state) where.push({ state: args.state });
    if (args.categoryId) {
      const all = await scope.em.find(KnowledgeCategory, {});
      if (!all.some((c) => c.id === args.categoryId)) throw raise(KnowledgeErrors, 'CATEGORY_NOT_FOUND');
      where.push({ category: { $in: subtree(args.categoryId, all) } });
    }
    const search = args.search?.trim();
    if (search) {
      const like = likeContains(search);
      where.push({ $or: [{ title: { $ilike: like } }, { bodyText: { $ilike: like } }] });
    }
    const [items, totalCount] = await scope.em.findAndCount(
      Article,
      { $and: where },
      { orderBy: { updatedAt: 'desc', id: 'desc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  async get(scope: ServiceScope, id: string): Promise<Article> {
    const article = await scope.em.findOne(Article, { id });
    if (!article || (article.state !== ArticleState.PUBLISHED && !this.isEditor(scope))) {
      throw raise(KnowledgeErrors, 'ARTICLE_NOT_FOUND');
    }
    return article;
  }

  /** A new draft. */
  async create(scope: ServiceScope, input: CreateArticleInput): Promise<Article> {
    const staff = staffOf(scope);
    const title = checkTitle(input.title);
    const body = checkBody(input.body);
    const category = input.categoryId ? (await this.category(scope.em, input.categoryId)).id : null;
    const attachmentIds = await this.checkAttachments(scope.em, input.attachmentIds ?? []);
    return scope.em.transactional(async (tx) => {
      const article = tx.create(Article, {
        tenant: staff.tenantId,
        category,
        title,
        body,
        bodyText: textOf(body),
        author: staff.kind === 'user' ? staff.userId : null,
      });
      this.link(tx, article, attachmentIds);
      return article;
    });
  }

  async update(scope: ServiceScope, id: string, input: UpdateArticleInput): Promise<Article> {
    const article = await this.get(scope, id);
    const title = input.title !== undefined ? checkTitle(input.title) : undefined;
    const body = input.body !== undefined ? checkBody(input.body) : undefined;
    const category =
      input.categoryId === undefined
        ? undefined
        : input.categoryId === null
          ? null
          : (await this.category(scope.em, input.categoryId)).id;
    const attachmentIds =
      input.attachmentIds !== undefined ? await this.checkAttachments(scope.em, input.attachmentIds) : undefined;
    return scope.em.transactional(async (tx) => {
      const row = await tx.findOneOrFail(Article, { id: article.id });
      if (title !== undefined) row.title = title;
      if (body !== undefined) {
        row.body = body;
        row.bodyText = textOf(body);
      }
      if (category !== undefined) row.category = category;
      if (attachmentIds !== undefined) {
        await tx.nativeDelete(ArticleAttachment, { article: row.id });
        this.link(tx, row, attachmentIds);
      }
      return row;
    });
  }

  async setState(scope: ServiceScope, id: string, state: ArticleState): Promise<Article> {
    const article = await this.get(scope, id);
    if (article.state !== state) {
      article.state = state;
      article.publishedAt = state === ArticleState.PUBLISHED ? new Date() : null;
      await scope.em.flush();
    }
    return article;
  }

  async delete(scope: ServiceScope, id: string): Promise<string> {
    const article = await this.get(scope, id);
    await scope.em.nativeDelete(Article, { id: article.id });
    return article.id;
  }

  /** The attachments of each article, in order (for a DataLoader). */
  async attachmentsOf(em: EntityManager, articleIds: readonly string[]): Promise<Attachment[][]> {
    const links = await em.find(
      ArticleAttachment,
      { article: { $in: [...articleIds] } },
      { orderBy: { position: 'asc' } },
    );
    const files = await em.find(Attachment, { id: { $in: links.map((l) => l.attachment) } });
    const byId = new Map(files.map((f) => [f.id, f]));
    return articleIds.map((id) =>
      links.filter((l) => l.article === id).flatMap((l) => (byId.has(l.attachment) ? [byId.get(l.attachment)!] : [])),
    );
  }

  // ── CSV ──────────────────────────────────────────────────────────────────────

  /** Every article as CSV: category (path "Level 1/Level 2"), title, body (HTML), state. Import reads it back. */
  async export(scope: ServiceScope): Promise<ExportedFile> {
    const all = await scope.em.find(KnowledgeCategory, {});
    const articles = await scope.em.find(Article, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const rows = articles.map((a) => [pathOf(a.category, all), a.title, a.body, a.state]);
    const { attachment, url } = await this.attachments.storeGenerated(scope.em, scope.principal, {
      filename: 'knowledge.csv',
      mime: 'text/csv',
      content: formatCsv([Object.keys(COLUMNS), ...rows]),
    });
    return { fileId: attachment.id, filename: attachment.filename, url, count: rows.length };
  }

  /**
   * Imports articles from CSV in one transaction: each valid row becomes an article (body
   * sanitised, unknown categories created); bad rows are reported by line; a malformed file is
   * refused whole.
   */
  async import(scope: ServiceScope, fileId: string): Promise<ImportReport> {
    const staff = staffOf(scope);
    const text = await this.attachments.readUploadedText(scope.em, scope.principal, fileId, {
      maxBytes: MAX_FILE_BYTES,
    });
    let records: { line: number; values: Record<keyof typeof COLUMNS, string> }[];
    try {
      records = recordsByHeader(parseCsv(text), COLUMNS);
    } catch (e) {
      if (e instanceof CsvSyntaxError)
        throw badInput('fileId', `The file is not valid CSV. ${e.message}`, 'CSV_SYNTAX');
      throw e;
    }
    return scope.em.transactional(async (tx) => {
      await this.lock(tx, scope);
      const all = await tx.find(KnowledgeCategory, {});
      const errors: ImportRowError[] = [];
      let imported = 0;
      const resolve = (names: string[]): string | null | 'full' => {
        let parent: string | null = null;
        for (const name of names) {
          let found = all.find((c) => c.parent === parent && sameName(c.name, name));
          if (!found) {
            if (all.length >= MAX_CATEGORIES) return 'full';
            const siblings = all.filter((c) => c.parent === parent);
            found = tx.create(KnowledgeCategory, {
              tenant: staff.tenantId,
              parent,
              name,
              position: nextPosition(siblings),
            });
            all.push(found);
          }
          parent = found.id;
        }
        return parent;
      };
      for (const { line, values } of records) {
        const fail = (column: string | null, message: string) => errors.push({ line, column, message });
        const title = values.title;
        if (!title || title.length > MAX_TITLE) {
          fail(
            'title',
            title ? `The title has ${title.length} characters; at most ${MAX_TITLE}` : 'The title is missing',
          );
          continue;
        }
        if (Buffer.byteLength(values.body) > MAX_BODY_BYTES) {
          fail('body', 'The body is larger than 200 KB');
          continue;
        }
        const state = values.state ? values.state.toUpperCase() : ArticleState.DRAFT;
        if (state !== ArticleState.DRAFT && state !== ArticleState.PUBLISHED) {
          fail('state', 'The state is DRAFT or PUBLISHED');
          continue;
        }
        const names = values.category ? values.category.split(PATH_SEPARATOR).map((n) => n.trim()) : [];
        if (names.length > MAX_DEPTH || names.some((n) => !n || n.length > MAX_NAME)) {
          fail(
            'category',
            `A category path has 1 to ${MAX_DEPTH} names of 1 to ${MAX_NAME} characters, separated by "/"`,
          );
          continue;
        }
        const category = resolve(names);
        if (category === 'full') {
          fail('category', `At most ${MAX_CATEGORIES} categories`);
          continue;
        }
        const body = sanitizeArticleHtml(values.body);
        tx.create(Article, {
          tenant: staff.tenantId,
          category,
          title,
          body,
          bodyText: textOf(body),
          state,
          author: staff.kind === 'user' ? staff.userId : null,
          publishedAt: state === ArticleState.PUBLISHED ? new Date() : null,
        });
        imported++;
      }
      return { imported, skipped: 0, errors };
    });
  }

  // ── Internals ────────────────────────────────────────────────────────────────

  private isEditor(scope: ServiceScope): boolean {
    return staffOf(scope).pages.has(Page.ADMIN_CONTENT);
  }

  private async category(em: EntityManager, id: string): Promise<KnowledgeCategory> {
    const category = await em.findOne(KnowledgeCategory, { id });
    if (!category) throw raise(KnowledgeErrors, 'CATEGORY_NOT_FOUND');
    return category;
  }

  /** Files uploaded by staff of this tenant (a visitor's upload reads as missing). */
  private async checkAttachments(em: EntityManager, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length > MAX_ATTACHMENTS) throw raise(KnowledgeErrors, 'TOO_MANY_ATTACHMENTS');
    if (!unique.length) return [];
    const found = await em.count(Attachment, { id: { $in: unique }, uploadedByCustomer: null });
    if (found !== unique.length) throw raise(KnowledgeErrors, 'ATTACHMENT_NOT_FOUND');
    return unique;
  }

  private link(em: EntityManager, article: Article, attachmentIds: string[]): void {
    attachmentIds.forEach((attachment, position) =>
      em.create(ArticleAttachment, { tenant: article.tenant, article: article.id, attachment, position }),
    );
  }

  private async lock(em: EntityManager, scope: ServiceScope): Promise<void> {
    await advisoryXactLock(em, `knowledge:${staffOf(scope).tenantId}`);
  }
}

function checkName(text: string): string {
  const name = text.trim();
  if (!name || name.length > MAX_NAME || name.includes(PATH_SEPARATOR)) throw raise(KnowledgeErrors, 'NAME_INVALID');
  return name;
}

function checkTitle(text: string): string {
  const title = text.trim();
  if (!title || title.length > MAX_TITLE) throw raise(KnowledgeErrors, 'TITLE_INVALID');
  return title;
}

/** The sanitised body; the size limit applies to what the client sent. */
function checkBody(html: string): string {
  if (Buffer.byteLength(html) > MAX_BODY_BYTES) throw raise(KnowledgeErrors, 'BODY_TOO_LARGE');
  return sanitizeArticleHtml(html);
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function nextPosition(rows: { position: number }[]): number {
  return rows.reduce((max, r) => Math.max(max, r.position), -1) + 1;
}

function depthOf(category: KnowledgeCategory, all: KnowledgeCategory[]): number {
  let depth = 1;
  let parent = category.parent;
  while (parent && depth <= MAX_DEPTH) {
    depth++;
    parent = all.find((c) => c.id === parent)?.parent ?? null;
  }
  return depth;
}

function subtree(id: string, all: KnowledgeCategory[]): string[] {
  const ids = [id];
  for (let i = 0; i < ids.length; i++) for (const c of all) if (c.parent === ids[i]) ids.push(c.id);
  return ids;
}

function pathOf(id: string | null, all: KnowledgeCategory[]): string {
  const names: string[] = [];
  let at = id ? all.find((c) => c.id === id) : undefined;
  while (at && names.length < MAX_DEPTH) {
    names.unshift(at.name);
    at = at.parent ? all.find((c) => c.id === at!.parent) : undefined;
  }
  return names.join(PATH_SEPARATOR);
}

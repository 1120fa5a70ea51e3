import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Attachment } from '../attachment/attachment.entity';
import { User } from '../user/user.entity';

export enum ArticleState {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
}

registerEnumType(ArticleState, { name: 'ArticleState' });

/** A knowledge-base category (CNT-1). */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'parent', 'position'] })
export class KnowledgeCategory extends TenantOwnedEntity<'position'> {
  @Field(() => ID, { nullable: true })
  @ManyToOne(() => KnowledgeCategory, { mapToPk: true, nullable: true, deleteRule: 'cascade' })
  parent: string | null = null;

  @Field()
  @Property({ length: 60 })
  name!: string;

  @Field(() => Int)
  @Property()
  position: number = 0;
}

/** A knowledge-base article: admins write it, agents read the published ones. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'state', 'updatedAt'] })
@Index({ properties: ['tenant', 'category'] })
export class Article extends TenantOwnedEntity<'state'> {
  @Field(() => ID, { nullable: true })
  @ManyToOne(() => KnowledgeCategory, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  category: string | null = null;

  @Field()
  @Property({ length: 200 })
  title!: string;

  @Field({ description: 'Rich text as HTML, sanitised on the server.' })
  @Property({ type: 'text' })
  body!: string;

  /** The body's text without markup, for search. */
  @Property({ type: 'text', hidden: true })
  bodyText!: string;

  @Field(() => ArticleState)
  @Enum({ items: () => ArticleState })
  state: ArticleState = ArticleState.DRAFT;

  @Field(() => ID, { nullable: true })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  author: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;
}

/** A file attached to an article. */
@Entity()
@Unique({ properties: ['article', 'attachment'] })
export class ArticleAttachment extends TenantOwnedEntity<'position'> {
  @ManyToOne(() => Article, { mapToPk: true, deleteRule: 'cascade' })
  article!: string;

  @ManyToOne(() => Attachment, { mapToPk: true, deleteRule: 'cascade' })
  attachment!: string;

  @Property()
  position: number = 0;
}

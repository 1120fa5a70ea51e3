import { ArrayMaxSize, ArrayMinSize, IsEnum, IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { OptionalNotNull } from '../../platform/graphql/validators';
import { ArticleState } from './knowledge.entity';

// Lengths are checked in the service (after trimming and sanitising), with `knowledge.errors.ts`.

@InputType()
export class CreateKnowledgeCategoryInput {
  @Field({ description: '1 to 60 characters, no "/", unique among its siblings.' })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'The parent category; categories have at most 3 levels.' })
  @IsOptional()
  parentId?: string | null;
}

@InputType()
export class CreateArticleInput {
  @Field({ description: '1 to 200 characters.' })
  title!: string;

  @Field({ description: 'HTML, at most 200 KB; sanitised on the server.' })
  body!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  categoryId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Files uploaded by staff (POST /uploads), at most 20.' })
  @IsOptional()
  attachmentIds?: string[] | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateArticleInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  title?: string;

  @Field({ nullable: true })
  @OptionalNotNull()
  body?: string;

  @Field(() => ID, { nullable: true, description: 'null: uncategorised.' })
  categoryId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the attachments, in this order.' })
  @OptionalNotNull()
  attachmentIds?: string[];
}

@ArgsType()
export class ArticlesArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Articles of this category and its subcategories.' })
  @IsOptional()
  categoryId?: string | null;

  @Field(() => ArticleState, { nullable: true, description: 'Content admins only; others see published articles.' })
  @IsOptional()
  @IsEnum(ArticleState)
  state?: ArticleState | null;

  @Field(() => String, { nullable: true, description: 'A part of the title or the text, any case.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;
}

@ArgsType()
export class KnowledgeCategoryIdsArgs {
  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  ids!: string[];
}

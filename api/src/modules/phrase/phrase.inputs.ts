import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsEnum, IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../platform/graphql/connection';
import { PhraseScope } from './phrase.types';

// Lengths are checked in the service (after trimming), with the errors of `phrase.errors.ts`.

@InputType()
export class CreatePhraseCategoryInput {
  @Field(() => PhraseScope)
  @IsEnum(PhraseScope)
  scope!: PhraseScope;

  @Field({ description: '1 to 60 characters, unique among its siblings.' })
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A public level-1 category, to make a level-2 one. Personal categories have one level.',
  })
  @IsOptional()
  parentId?: string | null;
}

@InputType()
export class CreatePhraseInput {
  @Field(() => PhraseScope)
  @IsEnum(PhraseScope)
  scope!: PhraseScope;

  @Field({ description: '1 to 2,000 characters; `##dear##` becomes the customer’s address when rendered.' })
  content!: string;

  @Field(() => ID, { nullable: true, description: 'A category of the same set; none: uncategorised.' })
  @IsOptional()
  categoryId?: string | null;
}

@ArgsType()
export class PhrasesArgs extends ConnectionArgs {
  @Field(() => PhraseScope, { nullable: true, description: 'One set only; by default the public and your own.' })
  @IsOptional()
  @IsEnum(PhraseScope)
  scope?: PhraseScope | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Phrases of this category (a level-1 one includes its level-2 ones).',
  })
  @IsOptional()
  categoryId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only phrases without a category.' })
  @IsOptional()
  @IsBoolean()
  uncategorised?: boolean | null;

  @Field(() => String, { nullable: true, description: 'A part of the content, any case (works for Chinese).' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;
}

@ArgsType()
export class PhraseIdsArgs {
  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  ids!: string[];
}

@ArgsType()
export class MovePhrasesArgs extends PhraseIdsArgs {
  @Field(() => ID, { nullable: true, description: 'The target category of the same set; none: uncategorised.' })
  @IsOptional()
  categoryId?: string | null;
}

@InputType({ description: 'Proposes a phrase for the public set (CNT-3): one of your personal phrases, or a text.' })
export class RequestPublicPhraseInput {
  @Field(() => ID, { nullable: true, description: 'One of your personal phrases.' })
  @IsOptional()
  phraseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Or a text (1 to 2,000 characters).' })
  @IsOptional()
  content?: string | null;

  @Field(() => ID, { nullable: true, description: 'The public category it should go to; none: uncategorised.' })
  @IsOptional()
  categoryId?: string | null;

  @Field(() => String, { nullable: true, description: 'Why, for the deciding admin (at most 500 characters).' })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@ArgsType()
export class PhraseFileArgs {
  @Field(() => PhraseScope)
  @IsEnum(PhraseScope)
  scope!: PhraseScope;
}

@ArgsType()
export class ImportPhrasesArgs extends PhraseFileArgs {
  @Field(() => ID, { description: 'A CSV file uploaded with POST /uploads.' })
  fileId!: string;
}

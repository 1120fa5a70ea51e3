import { Field, ID, Int, ObjectType } from 'type-graphql';

/** A generated file (an export), ready to download. */
@ObjectType()
export class ExportedFile {
  @Field(() => ID)
  fileId!: string;

  @Field()
  filename!: string;

  @Field({ description: 'A signed download link, valid for a limited time.' })
  url!: string;

  @Field(() => Int, { description: 'How many records the file holds.' })
  count!: number;
}

@ObjectType({ description: 'A row of an import file that was not imported, and why.' })
export class ImportRowError {
  @Field(() => Int, { description: 'The line of the file (1 is the header).' })
  line!: number;

  @Field(() => String, { nullable: true, description: 'The column at fault, if one is.' })
  column!: string | null;

  @Field()
  message!: string;
}

@ObjectType({ description: 'What an import did: valid rows are kept, the others are reported.' })
export class ImportReport {
  @Field(() => Int)
  imported!: number;

  @Field(() => Int, { description: 'Rows left out on purpose (e.g. a customer tag that already exists).' })
  skipped!: number;

  @Field(() => [ImportRowError])
  errors!: ImportRowError[];
}

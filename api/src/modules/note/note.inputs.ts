import { IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { NotBlank } from '../../platform/graphql/validators';

@InputType({ description: 'A note a visitor leaves when no one can serve them (CNT-4).' })
export class LeaveNoteInput {
  @Field({ description: '1 to 2,000 characters.' })
  @Length(1, 2000)
  @NotBlank()
  content!: string;

  @Field(() => String, { nullable: true, description: 'At most 60 characters.' })
  @IsOptional()
  @MaxLength(60)
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 40 characters.' })
  @IsOptional()
  @MaxLength(40)
  contactPhone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(254)
  @IsEmail()
  contactEmail?: string | null;
}

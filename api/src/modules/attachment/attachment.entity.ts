import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Customer } from '../customer/customer.entity';
import { User } from '../user/user.entity';

export enum AttachmentKind {
  IMAGE = 'IMAGE',
  AUDIO = 'AUDIO',
  VIDEO = 'VIDEO',
  DOCUMENT = 'DOCUMENT',
  ARCHIVE = 'ARCHIVE',
  TEXT = 'TEXT',
  OTHER = 'OTHER',
}

registerEnumType(AttachmentKind, { name: 'AttachmentKind' });

/** An uploaded file (MSG-2): stored under FILES_DIR, typed by its content, served by signed URL. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'createdAt'] })
export class Attachment extends TenantOwnedEntity {
  @Property({ length: 200, hidden: true })
  storageKey!: string;

  @Field({ description: 'The sanitised original name.' })
  @Property({ length: 200 })
  filename!: string;

  @Field({ description: 'The type found in the content (never the one the client claimed).' })
  @Property({ length: 100 })
  mime!: string;

  @Field(() => AttachmentKind)
  @Enum({ items: () => AttachmentKind })
  kind!: AttachmentKind;

  @Field(() => Float, { description: 'Size in bytes.' })
  @Property({ type: 'bigint' })
  size!: number;

  @Property({ length: 64 })
  sha256!: string;

  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  uploadedByUser: string | null = null;

  @ManyToOne(() => Customer, { mapToPk: true, nullable: true, deleteRule: 'cascade' })
  uploadedByCustomer: string | null = null;
}

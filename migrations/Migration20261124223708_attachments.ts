import { Migration } from '@mikro-orm/migrations';

export class Migration20261124223708_attachments extends Migration {

  override name = 'Migration20261124223708_attachments';

  override up(): void | Promise<void> {
    this.addSql(`create table "attachment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "storage_key" varchar(200) not null, "filename" varchar(200) not null, "mime" varchar(100) not null, "kind" text not null, "size" bigint not null, "sha256" varchar(64) not null, "uploaded_by_user_id" uuid null, "uploaded_by_customer_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "attachment_tenant_id_index" on "attachment" ("tenant_id");`);
    this.addSql(`create index "attachment_tenant_id_created_at_index" on "attachment" ("tenant_id", "created_at");`);

    this.addSql(`alter table "attachment" add constraint "attachment_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "attachment" add constraint "attachment_uploaded_by_user_id_foreign" foreign key ("uploaded_by_user_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "attachment" add constraint "attachment_uploaded_by_customer_id_foreign" foreign key ("uploaded_by_customer_id") references "customer" ("id") on delete cascade;`);
    this.addSql(`alter table "attachment" add constraint "attachment_kind_check" check ("kind" in ('IMAGE', 'AUDIO', 'VIDEO', 'DOCUMENT', 'ARCHIVE', 'TEXT', 'OTHER'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "attachment" cascade;`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261124222510_colleague_chat extends Migration {

  override name = 'Migration20261124222510_colleague_chat';

  override up(): void | Promise<void> {
    this.addSql(`create table "direct_message" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "sender_id" uuid not null, "recipient_id" uuid not null, "text" text not null, "client_message_id" varchar(64) null, "read_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "direct_message_tenant_id_index" on "direct_message" ("tenant_id");`);
    this.addSql(`create index "direct_message_tenant_id_sender_id_recipient_id_cr_1377c_index" on "direct_message" ("tenant_id", "sender_id", "recipient_id", "created_at");`);
    this.addSql(`create index "direct_message_tenant_id_recipient_id_read_at_index" on "direct_message" ("tenant_id", "recipient_id", "read_at");`);
    this.addSql(`alter table "direct_message" add constraint "direct_message_sender_id_client_message_id_unique" unique ("sender_id", "client_message_id");`);

    this.addSql(`alter table "direct_message" add constraint "direct_message_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "direct_message" add constraint "direct_message_sender_id_foreign" foreign key ("sender_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "direct_message" add constraint "direct_message_recipient_id_foreign" foreign key ("recipient_id") references "app_user" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "direct_message" cascade;`);
  }

}

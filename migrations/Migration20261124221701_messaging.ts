import { Migration } from '@mikro-orm/migrations';

export class Migration20261124221701_messaging extends Migration {

  override name = 'Migration20261124221701_messaging';

  override up(): void | Promise<void> {
    this.addSql(`create table "customer" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "external_id" varchar(128) not null, "nickname" varchar(60) null, "real_name" varchar(60) null, "phone" varchar(40) null, "qq" varchar(40) null, "wechat" varchar(60) null, "email" varchar(254) null, "company" varchar(120) null, "description" varchar(1000) null, "vip" boolean not null default false, "blacklisted_at" timestamptz null, "last_ip" varchar(64) null, "last_user_agent" varchar(500) null, "last_seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "customer_tenant_id_index" on "customer" ("tenant_id");`);
    this.addSql(`create index "customer_tenant_id_last_seen_at_index" on "customer" ("tenant_id", "last_seen_at");`);
    this.addSql(`alter table "customer" add constraint "customer_tenant_id_external_id_unique" unique ("tenant_id", "external_id");`);

    this.addSql(`create table "channel_account" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "channel" text not null, "name" varchar(100) not null, "external_id" varchar(200) null, "enabled" boolean not null default true, primary key ("id"));`);
    this.addSql(`create index "channel_account_tenant_id_index" on "channel_account" ("tenant_id");`);
    this.addSql(`alter table "channel_account" add constraint "channel_account_tenant_id_channel_name_unique" unique ("tenant_id", "channel", "name");`);

    this.addSql(`create table "widget_config" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(100) not null, "public_key" varchar(40) not null, "identity_secret" varchar(64) not null, "channel" text not null default 'WEB', "style" jsonb not null, "functions" jsonb not null, "entry_team_id" uuid null, "channel_account_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "widget_config_tenant_id_index" on "widget_config" ("tenant_id");`);
    this.addSql(`alter table "widget_config" add constraint "widget_config_public_key_unique" unique ("public_key");`);

    this.addSql(`create table "conversation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "customer_id" uuid not null, "state" text not null default 'QUEUED', "channel" text not null, "channel_account_id" uuid null, "widget_id" uuid null, "team_id" uuid null, "vip" boolean not null default false, "last_seq" int not null default 0, "customer_read_seq" int not null default 0, "last_message_at" timestamptz null, "last_message_preview" varchar(200) null, "closed_at" timestamptz null, "closed_by" text null, primary key ("id"));`);
    this.addSql(`create index "conversation_tenant_id_index" on "conversation" ("tenant_id");`);
    this.addSql(`create index "conversation_tenant_id_customer_id_created_at_index" on "conversation" ("tenant_id", "customer_id", "created_at");`);
    this.addSql(`create index "conversation_tenant_id_state_created_at_index" on "conversation" ("tenant_id", "state", "created_at");`);
    this.addSql(`create unique index "conversation_one_open_per_customer" on "conversation" ("tenant_id", "customer_id") where "state" <> 'CLOSED';`);

    this.addSql(`create table "message" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "seq" int not null, "sender_kind" text not null, "sender_user_id" uuid null, "type" text not null, "text" text null, "payload" jsonb null, "client_message_id" varchar(64) null, "recalled_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "message_tenant_id_index" on "message" ("tenant_id");`);
    this.addSql(`create unique index "message_client_id_unique" on "message" ("conversation_id", "client_message_id") where "client_message_id" is not null;`);
    this.addSql(`alter table "message" add constraint "message_conversation_id_seq_unique" unique ("conversation_id", "seq");`);

    this.addSql(`create table "conversation_agent" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "user_id" uuid not null, "joined_at" timestamptz not null, "joined_how" text not null, "left_at" timestamptz null, "left_how" text null, "read_seq" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "conversation_agent_tenant_id_index" on "conversation_agent" ("tenant_id");`);
    this.addSql(`create index "conversation_agent_tenant_id_conversation_id_index" on "conversation_agent" ("tenant_id", "conversation_id");`);
    this.addSql(`create index "conversation_agent_tenant_id_user_id_left_at_index" on "conversation_agent" ("tenant_id", "user_id", "left_at");`);

    this.addSql(`alter table "tenant" add "settings" jsonb null;`);

    this.addSql(`alter table "customer" add constraint "customer_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);

    this.addSql(`alter table "channel_account" add constraint "channel_account_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "channel_account" add constraint "channel_account_channel_check" check ("channel" in ('WEB', 'APP', 'WECHAT', 'WEIBO'));`);

    this.addSql(`alter table "widget_config" add constraint "widget_config_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "widget_config" add constraint "widget_config_entry_team_id_foreign" foreign key ("entry_team_id") references "team" ("id") on delete set null;`);
    this.addSql(`alter table "widget_config" add constraint "widget_config_channel_account_id_foreign" foreign key ("channel_account_id") references "channel_account" ("id") on delete set null;`);
    this.addSql(`alter table "widget_config" add constraint "widget_config_channel_check" check ("channel" in ('WEB', 'APP', 'WECHAT', 'WEIBO'));`);

    this.addSql(`alter table "conversation" add constraint "conversation_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation" add constraint "conversation_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation" add constraint "conversation_channel_account_id_foreign" foreign key ("channel_account_id") references "channel_account" ("id") on delete set null;`);
    this.addSql(`alter table "conversation" add constraint "conversation_widget_id_foreign" foreign key ("widget_id") references "widget_config" ("id") on delete set null;`);
    this.addSql(`alter table "conversation" add constraint "conversation_team_id_foreign" foreign key ("team_id") references "team" ("id") on delete set null;`);
    this.addSql(`alter table "conversation" add constraint "conversation_state_check" check ("state" in ('QUEUED', 'ONGOING', 'CLOSED'));`);
    this.addSql(`alter table "conversation" add constraint "conversation_channel_check" check ("channel" in ('WEB', 'APP', 'WECHAT', 'WEIBO'));`);
    this.addSql(`alter table "conversation" add constraint "conversation_closed_by_check" check ("closed_by" in ('CUSTOMER', 'AGENT', 'SYSTEM'));`);

    this.addSql(`alter table "message" add constraint "message_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "message" add constraint "message_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete cascade;`);
    this.addSql(`alter table "message" add constraint "message_sender_user_id_foreign" foreign key ("sender_user_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "message" add constraint "message_sender_kind_check" check ("sender_kind" in ('CUSTOMER', 'AGENT', 'SYSTEM'));`);
    this.addSql(`alter table "message" add constraint "message_type_check" check ("type" in ('TEXT', 'EMOJI', 'IMAGE', 'VOICE', 'VIDEO', 'FILE', 'LOCATION', 'URL', 'CUSTOM'));`);

    this.addSql(`alter table "conversation_agent" add constraint "conversation_agent_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_agent" add constraint "conversation_agent_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_agent" add constraint "conversation_agent_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_agent" add constraint "conversation_agent_joined_how_check" check ("joined_how" in ('MANUAL', 'ASSIGNED', 'TRANSFERRED'));`);
    this.addSql(`alter table "conversation_agent" add constraint "conversation_agent_left_how_check" check ("left_how" in ('CLOSED', 'TRANSFERRED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "conversation" drop constraint "conversation_customer_id_foreign";`);
    this.addSql(`alter table "widget_config" drop constraint "widget_config_channel_account_id_foreign";`);
    this.addSql(`alter table "conversation" drop constraint "conversation_channel_account_id_foreign";`);
    this.addSql(`alter table "conversation" drop constraint "conversation_widget_id_foreign";`);
    this.addSql(`alter table "message" drop constraint "message_conversation_id_foreign";`);
    this.addSql(`alter table "conversation_agent" drop constraint "conversation_agent_conversation_id_foreign";`);

    this.addSql(`drop table if exists "customer" cascade;`);
    this.addSql(`drop table if exists "channel_account" cascade;`);
    this.addSql(`drop table if exists "widget_config" cascade;`);
    this.addSql(`drop table if exists "conversation" cascade;`);
    this.addSql(`drop table if exists "message" cascade;`);
    this.addSql(`drop table if exists "conversation_agent" cascade;`);

    this.addSql(`alter table "tenant" drop column "settings";`);
  }

}

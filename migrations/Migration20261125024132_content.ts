import { Migration } from '@mikro-orm/migrations';

export class Migration20261125024132_content extends Migration {

  override name = 'Migration20261125024132_content';

  override up(): void | Promise<void> {
    this.addSql(`create table "profile_field" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "key" varchar(40) not null, "label" varchar(60) not null, "type" text not null, "system" boolean not null default false, "enabled" boolean not null default true, "read_only" boolean not null default false, "options" jsonb not null, "position" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "profile_field_tenant_id_index" on "profile_field" ("tenant_id");`);
    this.addSql(`alter table "profile_field" add constraint "profile_field_tenant_id_key_unique" unique ("tenant_id", "key");`);

    this.addSql(`create table "knowledge_category" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "parent_id" uuid null, "name" varchar(60) not null, "position" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "knowledge_category_tenant_id_index" on "knowledge_category" ("tenant_id");`);
    this.addSql(`create index "knowledge_category_tenant_id_parent_id_position_index" on "knowledge_category" ("tenant_id", "parent_id", "position");`);

    this.addSql(`create table "customer_tag" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(40) not null, "color" varchar(7) null, "position" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "customer_tag_tenant_id_index" on "customer_tag" ("tenant_id");`);
    this.addSql(`alter table "customer_tag" add constraint "customer_tag_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "customer_group" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(60) not null, "description" varchar(200) null, primary key ("id"));`);
    this.addSql(`create index "customer_group_tenant_id_index" on "customer_group" ("tenant_id");`);
    this.addSql(`alter table "customer_group" add constraint "customer_group_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "conversation_tag" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(60) not null, "parent_id" uuid null, "depth" int not null, "position" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "conversation_tag_tenant_id_index" on "conversation_tag" ("tenant_id");`);
    this.addSql(`create index "conversation_tag_tenant_id_parent_id_position_index" on "conversation_tag" ("tenant_id", "parent_id", "position");`);

    this.addSql(`create table "phrase_category" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "owner_id" uuid null, "parent_id" uuid null, "name" varchar(60) not null, "position" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "phrase_category_tenant_id_index" on "phrase_category" ("tenant_id");`);
    this.addSql(`create index "phrase_category_tenant_id_owner_id_parent_id_position_index" on "phrase_category" ("tenant_id", "owner_id", "parent_id", "position");`);

    this.addSql(`create table "phrase" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "owner_id" uuid null, "category_id" uuid null, "content" varchar(2000) not null, "position" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "phrase_tenant_id_index" on "phrase" ("tenant_id");`);
    this.addSql(`create index "phrase_tenant_id_owner_id_category_id_position_index" on "phrase" ("tenant_id", "owner_id", "category_id", "position");`);

    this.addSql(`create table "notice" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "title" varchar(200) not null, "body" text not null, "sender_id" uuid null, "recipient_count" int not null, primary key ("id"));`);
    this.addSql(`create index "notice_tenant_id_index" on "notice" ("tenant_id");`);
    this.addSql(`create index "notice_tenant_id_created_at_index" on "notice" ("tenant_id", "created_at");`);

    this.addSql(`create table "customer_tagging" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "customer_id" uuid not null, "tag_id" uuid not null, "tagged_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "customer_tagging_tenant_id_index" on "customer_tagging" ("tenant_id");`);
    this.addSql(`create index "customer_tagging_tenant_id_tag_id_index" on "customer_tagging" ("tenant_id", "tag_id");`);
    this.addSql(`alter table "customer_tagging" add constraint "customer_tagging_tenant_id_customer_id_tag_id_unique" unique ("tenant_id", "customer_id", "tag_id");`);

    this.addSql(`create table "article" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "category_id" uuid null, "title" varchar(200) not null, "body" text not null, "body_text" text not null, "state" text not null default 'DRAFT', "author_id" uuid null, "published_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "article_tenant_id_index" on "article" ("tenant_id");`);
    this.addSql(`create index "article_tenant_id_category_id_index" on "article" ("tenant_id", "category_id");`);
    this.addSql(`create index "article_tenant_id_state_updated_at_index" on "article" ("tenant_id", "state", "updated_at");`);

    this.addSql(`create table "article_attachment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "article_id" uuid not null, "attachment_id" uuid not null, "position" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "article_attachment_tenant_id_index" on "article_attachment" ("tenant_id");`);
    this.addSql(`alter table "article_attachment" add constraint "article_attachment_article_id_attachment_id_unique" unique ("article_id", "attachment_id");`);

    this.addSql(`create table "conversation_tagging" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "tag_id" uuid not null, "tagged_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "conversation_tagging_tenant_id_index" on "conversation_tagging" ("tenant_id");`);
    this.addSql(`create index "conversation_tagging_tenant_id_tag_id_created_at_index" on "conversation_tagging" ("tenant_id", "tag_id", "created_at");`);
    this.addSql(`alter table "conversation_tagging" add constraint "conversation_tagging_tenant_id_conversation_id_tag_id_unique" unique ("tenant_id", "conversation_id", "tag_id");`);

    this.addSql(`alter table "customer" add "custom_fields" jsonb not null default '{}', add "group_id" uuid null;`);
    this.addSql(`alter table "customer" add constraint "customer_group_id_foreign" foreign key ("group_id") references "customer_group" ("id") on delete set null;`);

    this.addSql(`alter table "notification" drop constraint "notification_subject_type_check";`);
    this.addSql(`alter table "notification" add constraint "notification_subject_type_check" check ("subject_type" in ('USER', 'CUSTOMER', 'CONVERSATION', 'NOTE', 'APPROVAL', 'NOTICE'));`);

    this.addSql(`alter table "approval" drop constraint "approval_kind_check";`);
    this.addSql(`alter table "approval" add constraint "approval_kind_check" check ("kind" in ('STATUS_CHANGE', 'BLACKLIST', 'PUBLIC_PHRASE'));`);

    this.addSql(`alter table "conversation" add "tag_remark" varchar(1000) null;`);

    this.addSql(`alter table "note" add "channel" text not null default 'WEB';`);
    this.addSql(`create index "note_tenant_id_assignee_id_created_at_index" on "note" ("tenant_id", "assignee_id", "created_at");`);
    this.addSql(`alter table "note" add constraint "note_channel_check" check ("channel" in ('WEB', 'APP', 'WECHAT', 'WEIBO'));`);

    // Keyword search (HIS-2): the distinct lower-case character pairs of a text, so that a GIN index
    // narrows a substring search to candidate rows in any script, Chinese included (two-character
    // words like 退款 are common there, which rules out trigrams).
    this.addSql(`create or replace function parley_grams(t text) returns text[] language sql immutable strict parallel safe as $$
      select coalesce(array_agg(distinct g), '{}'::text[])
      from (select substr(l, i, 2) as g
            from (select lower(t) as l) s, generate_series(1, char_length(l) - 1) as i) pairs
      where g !~ '\\s'
    $$;`);

    this.addSql(`create index "message_text_grams" on "message" using gin (parley_grams("text"));`);

    this.addSql(`alter table "profile_field" add constraint "profile_field_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "profile_field" add constraint "profile_field_type_check" check ("type" in ('TEXT', 'MULTILINE', 'NUMBER', 'DATE', 'SELECT'));`);

    this.addSql(`alter table "knowledge_category" add constraint "knowledge_category_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "knowledge_category" add constraint "knowledge_category_parent_id_foreign" foreign key ("parent_id") references "knowledge_category" ("id") on delete cascade;`);

    this.addSql(`alter table "customer_tag" add constraint "customer_tag_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);

    this.addSql(`alter table "customer_group" add constraint "customer_group_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);

    this.addSql(`alter table "conversation_tag" add constraint "conversation_tag_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_tag" add constraint "conversation_tag_parent_id_foreign" foreign key ("parent_id") references "conversation_tag" ("id") on delete cascade;`);

    this.addSql(`alter table "phrase_category" add constraint "phrase_category_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "phrase_category" add constraint "phrase_category_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "phrase_category" add constraint "phrase_category_parent_id_foreign" foreign key ("parent_id") references "phrase_category" ("id") on delete cascade;`);

    this.addSql(`alter table "phrase" add constraint "phrase_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "phrase" add constraint "phrase_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "phrase" add constraint "phrase_category_id_foreign" foreign key ("category_id") references "phrase_category" ("id") on delete set null;`);

    this.addSql(`alter table "notice" add constraint "notice_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "notice" add constraint "notice_sender_id_foreign" foreign key ("sender_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "customer_tagging" add constraint "customer_tagging_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "customer_tagging" add constraint "customer_tagging_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete cascade;`);
    this.addSql(`alter table "customer_tagging" add constraint "customer_tagging_tag_id_foreign" foreign key ("tag_id") references "customer_tag" ("id") on delete cascade;`);
    this.addSql(`alter table "customer_tagging" add constraint "customer_tagging_tagged_by_id_foreign" foreign key ("tagged_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "article" add constraint "article_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "article" add constraint "article_category_id_foreign" foreign key ("category_id") references "knowledge_category" ("id") on delete set null;`);
    this.addSql(`alter table "article" add constraint "article_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "article" add constraint "article_state_check" check ("state" in ('DRAFT', 'PUBLISHED'));`);

    this.addSql(`alter table "article_attachment" add constraint "article_attachment_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "article_attachment" add constraint "article_attachment_article_id_foreign" foreign key ("article_id") references "article" ("id") on delete cascade;`);
    this.addSql(`alter table "article_attachment" add constraint "article_attachment_attachment_id_foreign" foreign key ("attachment_id") references "attachment" ("id") on delete cascade;`);

    this.addSql(`alter table "conversation_tagging" add constraint "conversation_tagging_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_tagging" add constraint "conversation_tagging_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_tagging" add constraint "conversation_tagging_tag_id_foreign" foreign key ("tag_id") references "conversation_tag" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_tagging" add constraint "conversation_tagging_tagged_by_id_foreign" foreign key ("tagged_by_id") references "app_user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "knowledge_category" drop constraint "knowledge_category_parent_id_foreign";`);
    this.addSql(`alter table "article" drop constraint "article_category_id_foreign";`);
    this.addSql(`alter table "customer_tagging" drop constraint "customer_tagging_tag_id_foreign";`);
    this.addSql(`alter table "customer" drop constraint "customer_group_id_foreign";`);
    this.addSql(`alter table "conversation_tag" drop constraint "conversation_tag_parent_id_foreign";`);
    this.addSql(`alter table "conversation_tagging" drop constraint "conversation_tagging_tag_id_foreign";`);
    this.addSql(`alter table "phrase_category" drop constraint "phrase_category_parent_id_foreign";`);
    this.addSql(`alter table "phrase" drop constraint "phrase_category_id_foreign";`);
    this.addSql(`alter table "article_attachment" drop constraint "article_attachment_article_id_foreign";`);

    this.addSql(`drop table if exists "profile_field" cascade;`);
    this.addSql(`drop table if exists "knowledge_category" cascade;`);
    this.addSql(`drop table if exists "customer_tag" cascade;`);
    this.addSql(`drop table if exists "customer_group" cascade;`);
    this.addSql(`drop table if exists "conversation_tag" cascade;`);
    this.addSql(`drop table if exists "phrase_category" cascade;`);
    this.addSql(`drop table if exists "phrase" cascade;`);
    this.addSql(`drop table if exists "notice" cascade;`);
    this.addSql(`drop table if exists "customer_tagging" cascade;`);
    this.addSql(`drop table if exists "article" cascade;`);
    this.addSql(`drop table if exists "article_attachment" cascade;`);
    this.addSql(`drop table if exists "conversation_tagging" cascade;`);

    this.addSql(`alter table "approval" drop constraint "approval_kind_check";`);
    this.addSql(`alter table "approval" add constraint "approval_kind_check" check ("kind" in ('STATUS_CHANGE', 'BLACKLIST'));`);

    this.addSql(`alter table "conversation" drop column "tag_remark";`);

    this.addSql(`alter table "customer" drop column "custom_fields", drop column "group_id";`);

    this.addSql(`drop index "message_text_grams";`);
    this.addSql(`drop function if exists parley_grams(text);`);

    this.addSql(`drop index "note_tenant_id_assignee_id_created_at_index";`);
    this.addSql(`alter table "note" drop constraint "note_channel_check";`);
    this.addSql(`alter table "note" drop column "channel";`);

    this.addSql(`alter table "notification" drop constraint "notification_subject_type_check";`);
    this.addSql(`alter table "notification" add constraint "notification_subject_type_check" check ("subject_type" in ('USER', 'CUSTOMER', 'CONVERSATION'));`);
  }

}

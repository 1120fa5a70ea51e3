import { Migration } from '@mikro-orm/migrations';

export class Migration20261124212646_initial extends Migration {

  override name = 'Migration20261124212646_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "login_failure" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "email" varchar(254) not null, "ip" varchar(64) not null, primary key ("id"));`);
    this.addSql(`create index "login_failure_ip_created_at_index" on "login_failure" ("ip", "created_at");`);
    this.addSql(`create index "login_failure_email_created_at_index" on "login_failure" ("email", "created_at");`);

    this.addSql(`create table "tenant" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(120) not null, "logo_url" text null, "phone" varchar(40) null, "address" varchar(300) null, "description" varchar(2000) null, "seats" int not null, "license_expires_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "team" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(60) not null, "description" varchar(500) null, "greeting" varchar(500) null, primary key ("id"));`);
    this.addSql(`create index "team_tenant_id_index" on "team" ("tenant_id");`);
    this.addSql(`alter table "team" add constraint "team_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "role" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(60) not null, "built_in" text null, "pages" text[] not null, "customers_scope" text not null default 'TEAM', "history_scope" text not null default 'TEAM', "ongoing_scope" text not null default 'TEAM', primary key ("id"));`);
    this.addSql(`create index "role_tenant_id_index" on "role" ("tenant_id");`);
    this.addSql(`alter table "role" add constraint "role_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "api_key" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(100) not null, "role_id" uuid not null, "token_hash" varchar(64) not null, "hint" varchar(8) not null, "created_by" uuid null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "api_key_tenant_id_index" on "api_key" ("tenant_id");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "email" varchar(254) not null, "password_hash" text not null, "nickname" varchar(60) not null, "real_name" varchar(60) null, "phone" varchar(40) null, "employee_no" varchar(40) null, "avatar_url" text null, "role_id" uuid not null, "enabled" boolean not null default true, "max_conversations" int not null default 5, "language" text not null default 'en', "greeting" varchar(500) null, "status" text not null default 'OFFLINE', "last_login_at" timestamptz null, "deleted_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "app_user_tenant_id_index" on "app_user" ("tenant_id");`);
    this.addSql(`create index "app_user_tenant_id_role_id_index" on "app_user" ("tenant_id", "role_id");`);
    this.addSql(`create unique index "app_user_email_unique" on "app_user" (lower("email")) where "deleted_at" is null;`);

    this.addSql(`create table "team_member" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "team_id" uuid not null, "user_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "team_member_tenant_id_index" on "team_member" ("tenant_id");`);
    this.addSql(`create index "team_member_tenant_id_user_id_index" on "team_member" ("tenant_id", "user_id");`);
    this.addSql(`alter table "team_member" add constraint "team_member_team_id_user_id_unique" unique ("team_id", "user_id");`);

    this.addSql(`create table "notification" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "recipient_id" uuid not null, "kind" text not null, "title" varchar(200) not null, "body" text not null, "subject_type" text null, "subject_id" uuid null, "read_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "notification_tenant_id_index" on "notification" ("tenant_id");`);
    this.addSql(`create index "notification_tenant_id_recipient_id_created_at_index" on "notification" ("tenant_id", "recipient_id", "created_at");`);

    this.addSql(`create table "login_record" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "user_id" uuid not null, "event" text not null, "ip" varchar(64) not null, "user_agent" varchar(500) not null, primary key ("id"));`);
    this.addSql(`create index "login_record_tenant_id_index" on "login_record" ("tenant_id");`);
    this.addSql(`create index "login_record_tenant_id_user_id_created_at_index" on "login_record" ("tenant_id", "user_id", "created_at");`);

    this.addSql(`create table "auth_session" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "user_id" uuid not null, "role_id" uuid not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" varchar(40) null, "ip" varchar(64) not null, "user_agent" varchar(500) not null, primary key ("id"));`);
    this.addSql(`create index "auth_session_tenant_id_index" on "auth_session" ("tenant_id");`);
    this.addSql(`create index "auth_session_tenant_id_user_id_index" on "auth_session" ("tenant_id", "user_id");`);

    this.addSql(`create table "refresh_token" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "session_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "refresh_token_tenant_id_index" on "refresh_token" ("tenant_id");`);
    this.addSql(`create index "refresh_token_tenant_id_session_id_index" on "refresh_token" ("tenant_id", "session_id");`);

    this.addSql(`alter table "team" add constraint "team_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);

    this.addSql(`alter table "role" add constraint "role_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "role" add constraint "role_built_in_check" check ("built_in" in ('ADMIN', 'AGENT'));`);
    this.addSql(`alter table "role" add constraint "role_pages_check" check ("pages" <@ array['AGENT_CONVERSATIONS'::text, 'AGENT_QUEUE'::text, 'AGENT_KNOWLEDGE'::text, 'AGENT_NOTES'::text, 'AGENT_HISTORY'::text, 'AGENT_REVIEW'::text, 'AGENT_SEARCH'::text, 'AGENT_CUSTOMERS'::text, 'AGENT_EXPORT'::text, 'AGENT_PHRASES'::text, 'AGENT_NOTIFICATIONS'::text, 'AGENT_STATISTICS'::text, 'AGENT_PROFILE'::text, 'ADMIN_HOME'::text, 'ADMIN_ACCESS'::text, 'ADMIN_CONTENT'::text, 'ADMIN_HISTORY'::text, 'ADMIN_CUSTOMERS'::text, 'ADMIN_MONITOR'::text, 'ADMIN_APPROVALS'::text, 'ADMIN_STATISTICS'::text, 'ADMIN_QUALITY'::text, 'ADMIN_USERS'::text, 'ADMIN_TEAMS'::text, 'ADMIN_ROLES'::text, 'ADMIN_EXPORT'::text, 'ADMIN_NOTIFICATIONS'::text, 'ADMIN_SETTINGS'::text, 'ADMIN_ACCOUNT'::text]);`);
    this.addSql(`alter table "role" add constraint "role_customers_scope_check" check ("customers_scope" in ('TENANT', 'TEAM'));`);
    this.addSql(`alter table "role" add constraint "role_history_scope_check" check ("history_scope" in ('TENANT', 'TEAM'));`);
    this.addSql(`alter table "role" add constraint "role_ongoing_scope_check" check ("ongoing_scope" in ('TENANT', 'TEAM'));`);

    this.addSql(`alter table "api_key" add constraint "api_key_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "api_key" add constraint "api_key_role_id_foreign" foreign key ("role_id") references "role" ("id") on delete restrict;`);

    this.addSql(`alter table "app_user" add constraint "app_user_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "app_user" add constraint "app_user_role_id_foreign" foreign key ("role_id") references "role" ("id") on delete restrict;`);
    this.addSql(`alter table "app_user" add constraint "app_user_language_check" check ("language" in ('en', 'zh-CN'));`);
    this.addSql(`alter table "app_user" add constraint "app_user_status_check" check ("status" in ('ONLINE', 'BUSY', 'AWAY', 'INVISIBLE', 'OFFLINE'));`);

    this.addSql(`alter table "team_member" add constraint "team_member_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "team_member" add constraint "team_member_team_id_foreign" foreign key ("team_id") references "team" ("id") on delete cascade;`);
    this.addSql(`alter table "team_member" add constraint "team_member_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);

    this.addSql(`alter table "notification" add constraint "notification_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_recipient_id_foreign" foreign key ("recipient_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in ('ROLE_CHANGED', 'CAPACITY_CHANGED', 'SYSTEM', 'NOTICE'));`);
    this.addSql(`alter table "notification" add constraint "notification_subject_type_check" check ("subject_type" in ('USER', 'CUSTOMER', 'CONVERSATION'));`);

    this.addSql(`alter table "login_record" add constraint "login_record_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "login_record" add constraint "login_record_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "login_record" add constraint "login_record_event_check" check ("event" in ('LOGIN', 'LOGOUT'));`);

    this.addSql(`alter table "auth_session" add constraint "auth_session_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "auth_session" add constraint "auth_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "auth_session" add constraint "auth_session_role_id_foreign" foreign key ("role_id") references "role" ("id") on delete cascade;`);

    this.addSql(`alter table "refresh_token" add constraint "refresh_token_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_session_id_foreign" foreign key ("session_id") references "auth_session" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "team" drop constraint "team_tenant_id_foreign";`);
    this.addSql(`alter table "role" drop constraint "role_tenant_id_foreign";`);
    this.addSql(`alter table "api_key" drop constraint "api_key_tenant_id_foreign";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_tenant_id_foreign";`);
    this.addSql(`alter table "team_member" drop constraint "team_member_tenant_id_foreign";`);
    this.addSql(`alter table "notification" drop constraint "notification_tenant_id_foreign";`);
    this.addSql(`alter table "login_record" drop constraint "login_record_tenant_id_foreign";`);
    this.addSql(`alter table "auth_session" drop constraint "auth_session_tenant_id_foreign";`);
    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_tenant_id_foreign";`);
    this.addSql(`alter table "team_member" drop constraint "team_member_team_id_foreign";`);
    this.addSql(`alter table "api_key" drop constraint "api_key_role_id_foreign";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_role_id_foreign";`);
    this.addSql(`alter table "auth_session" drop constraint "auth_session_role_id_foreign";`);
    this.addSql(`alter table "team_member" drop constraint "team_member_user_id_foreign";`);
    this.addSql(`alter table "notification" drop constraint "notification_recipient_id_foreign";`);
    this.addSql(`alter table "login_record" drop constraint "login_record_user_id_foreign";`);
    this.addSql(`alter table "auth_session" drop constraint "auth_session_user_id_foreign";`);
    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_session_id_foreign";`);

    this.addSql(`drop table if exists "login_failure" cascade;`);
    this.addSql(`drop table if exists "tenant" cascade;`);
    this.addSql(`drop table if exists "team" cascade;`);
    this.addSql(`drop table if exists "role" cascade;`);
    this.addSql(`drop table if exists "api_key" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "team_member" cascade;`);
    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "login_record" cascade;`);
    this.addSql(`drop table if exists "auth_session" cascade;`);
    this.addSql(`drop table if exists "refresh_token" cascade;`);
  }

}

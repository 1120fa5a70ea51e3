import { Migration } from '@mikro-orm/migrations';

export class Migration20261124234851_routing extends Migration {

  override name = 'Migration20261124234851_routing';

  override up(): void | Promise<void> {
    this.addSql(`create table "time_plan" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(60) not null, "timezone" varchar(64) not null default 'UTC', "is_default" boolean not null default false, "weekly" jsonb not null, "holidays" jsonb not null, "workdays" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "time_plan_tenant_id_index" on "time_plan" ("tenant_id");`);
    this.addSql(`alter table "time_plan" add constraint "time_plan_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "status_log" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "user_id" uuid not null, "from_status" text not null, "to_status" text not null, "reason" text not null, "changed_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "status_log_tenant_id_index" on "status_log" ("tenant_id");`);
    this.addSql(`create index "status_log_tenant_id_user_id_created_at_index" on "status_log" ("tenant_id", "user_id", "created_at");`);

    this.addSql(`create table "blacklist_log" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "customer_id" uuid not null, "action" text not null, "operator_id" uuid null, "reason" varchar(500) null, primary key ("id"));`);
    this.addSql(`create index "blacklist_log_tenant_id_index" on "blacklist_log" ("tenant_id");`);
    this.addSql(`create index "blacklist_log_tenant_id_customer_id_index" on "blacklist_log" ("tenant_id", "customer_id");`);
    this.addSql(`create index "blacklist_log_tenant_id_created_at_index" on "blacklist_log" ("tenant_id", "created_at");`);

    this.addSql(`create table "approval" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "kind" text not null, "state" text not null default 'PENDING', "requester_id" uuid not null, "payload" jsonb not null, "reason" varchar(500) null, "decided_by_id" uuid null, "decided_at" timestamptz null, "remark" varchar(500) null, primary key ("id"));`);
    this.addSql(`create index "approval_tenant_id_index" on "approval" ("tenant_id");`);
    this.addSql(`create index "approval_tenant_id_requester_id_kind_state_index" on "approval" ("tenant_id", "requester_id", "kind", "state");`);
    this.addSql(`create index "approval_tenant_id_state_created_at_index" on "approval" ("tenant_id", "state", "created_at");`);

    this.addSql(`create table "user_connection" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "user_id" uuid not null, "process_id" varchar(64) not null, "seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "user_connection_tenant_id_index" on "user_connection" ("tenant_id");`);
    this.addSql(`create index "user_connection_process_id_index" on "user_connection" ("process_id");`);
    this.addSql(`create index "user_connection_user_id_index" on "user_connection" ("user_id");`);

    this.addSql(`create table "routing_rule" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(60) not null, "kind" text not null, "priority" int not null, "enabled" boolean not null default true, "channel" text null, "channel_account_id" uuid null, "widget_id" uuid null, "conditions" jsonb not null, "time_plan_id" uuid null, "team_id" uuid not null, "off_hours_team_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "routing_rule_tenant_id_index" on "routing_rule" ("tenant_id");`);
    this.addSql(`create index "routing_rule_tenant_id_priority_index" on "routing_rule" ("tenant_id", "priority");`);

    this.addSql(`create table "transfer" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "from_user_id" uuid null, "requested_by_id" uuid not null, "to_user_id" uuid null, "to_team_id" uuid null, "state" text not null default 'OFFERED', "remark" varchar(500) null, "expires_at" timestamptz null, "decided_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "transfer_tenant_id_index" on "transfer" ("tenant_id");`);
    this.addSql(`create unique index "transfer_one_offer_per_conversation" on "transfer" ("conversation_id") where "state" = 'OFFERED';`);
    this.addSql(`create index "transfer_tenant_id_to_user_id_state_index" on "transfer" ("tenant_id", "to_user_id", "state");`);
    this.addSql(`create index "transfer_tenant_id_conversation_id_created_at_index" on "transfer" ("tenant_id", "conversation_id", "created_at");`);

    this.addSql(`create table "rating" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "invited_by_id" uuid null, "invited_at" timestamptz not null, "stars" smallint null, "labels" jsonb not null, "remark" varchar(500) null, "resolved" boolean null, "rated_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "rating_tenant_id_index" on "rating" ("tenant_id");`);
    this.addSql(`alter table "rating" add constraint "rating_conversation_id_unique" unique ("conversation_id");`);

    this.addSql(`create table "note" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "number" int not null, "customer_id" uuid not null, "conversation_id" uuid null, "content" text not null, "contact_name" varchar(60) null, "contact_phone" varchar(40) null, "contact_email" varchar(254) null, "state" text not null default 'OPEN', "assignee_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "note_tenant_id_index" on "note" ("tenant_id");`);
    this.addSql(`create index "note_tenant_id_state_created_at_index" on "note" ("tenant_id", "state", "created_at");`);
    this.addSql(`alter table "note" add constraint "note_tenant_id_number_unique" unique ("tenant_id", "number");`);

    this.addSql(`create table "assignment_decision" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "kind" text not null, "rule_id" uuid null, "rule_name" varchar(60) null, "team_id" uuid null, "candidates" jsonb not null, "excluded" jsonb null, "chosen_user_id" uuid null, "reason" varchar(500) not null, primary key ("id"));`);
    this.addSql(`create index "assignment_decision_tenant_id_index" on "assignment_decision" ("tenant_id");`);
    this.addSql(`create index "assignment_decision_tenant_id_conversation_id_created_at_index" on "assignment_decision" ("tenant_id", "conversation_id", "created_at");`);

    this.addSql(`create table "alarm_record" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "user_id" uuid null, "level" text not null, "waited_seconds" int not null, primary key ("id"));`);
    this.addSql(`create index "alarm_record_tenant_id_index" on "alarm_record" ("tenant_id");`);
    this.addSql(`create index "alarm_record_tenant_id_created_at_index" on "alarm_record" ("tenant_id", "created_at");`);

    this.addSql(`alter table "customer" add "blacklist_reason" varchar(500) null;`);

    this.addSql(`alter table "team" add "time_plan_id" uuid null;`);
    this.addSql(`alter table "team" add constraint "team_time_plan_id_foreign" foreign key ("time_plan_id") references "time_plan" ("id") on delete set null;`);

    this.addSql(`alter table "app_user" add "last_assigned_at" timestamptz null;`);

    this.addSql(`alter table "conversation" add "close_reason" text null, add "assigned_at" timestamptz null, add "last_customer_message_at" timestamptz null, add "last_agent_message_at" timestamptz null, add "no_reply_alert_at" timestamptz null, add "customer_reminded_at" timestamptz null, add "queue_reminders_sent" int not null default 0, add "timer_job_id" uuid null;`);
    this.addSql(`create index "conversation_tenant_id_team_id_state_vip_created_at_index" on "conversation" ("tenant_id", "team_id", "state", "vip", "created_at");`);
    this.addSql(`alter table "conversation" add constraint "conversation_close_reason_check" check ("close_reason" in ('AGENT', 'ADMIN', 'CUSTOMER_NO_REPLY', 'INACTIVE', 'BLACKLISTED', 'NOTE_LEFT'));`);

    this.addSql(`alter table "time_plan" add constraint "time_plan_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);

    this.addSql(`alter table "status_log" add constraint "status_log_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "status_log" add constraint "status_log_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "status_log" add constraint "status_log_changed_by_id_foreign" foreign key ("changed_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "status_log" add constraint "status_log_from_status_check" check ("from_status" in ('ONLINE', 'BUSY', 'AWAY', 'INVISIBLE', 'OFFLINE'));`);
    this.addSql(`alter table "status_log" add constraint "status_log_to_status_check" check ("to_status" in ('ONLINE', 'BUSY', 'AWAY', 'INVISIBLE', 'OFFLINE'));`);
    this.addSql(`alter table "status_log" add constraint "status_log_reason_check" check ("reason" in ('MANUAL', 'APPROVED', 'ADMIN', 'CONNECTED', 'DISCONNECTED', 'SIGNED_OUT'));`);

    this.addSql(`alter table "blacklist_log" add constraint "blacklist_log_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "blacklist_log" add constraint "blacklist_log_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete cascade;`);
    this.addSql(`alter table "blacklist_log" add constraint "blacklist_log_operator_id_foreign" foreign key ("operator_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "blacklist_log" add constraint "blacklist_log_action_check" check ("action" in ('ADDED', 'REMOVED'));`);

    this.addSql(`alter table "approval" add constraint "approval_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "approval" add constraint "approval_requester_id_foreign" foreign key ("requester_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "approval" add constraint "approval_decided_by_id_foreign" foreign key ("decided_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "approval" add constraint "approval_kind_check" check ("kind" in ('STATUS_CHANGE', 'BLACKLIST'));`);
    this.addSql(`alter table "approval" add constraint "approval_state_check" check ("state" in ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED'));`);

    this.addSql(`alter table "user_connection" add constraint "user_connection_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "user_connection" add constraint "user_connection_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);

    this.addSql(`alter table "routing_rule" add constraint "routing_rule_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "routing_rule" add constraint "routing_rule_channel_account_id_foreign" foreign key ("channel_account_id") references "channel_account" ("id") on delete cascade;`);
    this.addSql(`alter table "routing_rule" add constraint "routing_rule_widget_id_foreign" foreign key ("widget_id") references "widget_config" ("id") on delete cascade;`);
    this.addSql(`alter table "routing_rule" add constraint "routing_rule_time_plan_id_foreign" foreign key ("time_plan_id") references "time_plan" ("id") on delete set null;`);
    this.addSql(`alter table "routing_rule" add constraint "routing_rule_team_id_foreign" foreign key ("team_id") references "team" ("id") on delete cascade;`);
    this.addSql(`alter table "routing_rule" add constraint "routing_rule_off_hours_team_id_foreign" foreign key ("off_hours_team_id") references "team" ("id") on delete set null;`);
    this.addSql(`alter table "routing_rule" add constraint "routing_rule_kind_check" check ("kind" in ('CHANNEL', 'CHANNEL_ACCOUNT', 'ENTRY', 'CUSTOMER_PROFILE', 'DEFAULT'));`);
    this.addSql(`alter table "routing_rule" add constraint "routing_rule_channel_check" check ("channel" in ('WEB', 'APP', 'WECHAT', 'WEIBO'));`);

    this.addSql(`alter table "transfer" add constraint "transfer_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "transfer" add constraint "transfer_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete cascade;`);
    this.addSql(`alter table "transfer" add constraint "transfer_from_user_id_foreign" foreign key ("from_user_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "transfer" add constraint "transfer_requested_by_id_foreign" foreign key ("requested_by_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "transfer" add constraint "transfer_to_user_id_foreign" foreign key ("to_user_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "transfer" add constraint "transfer_to_team_id_foreign" foreign key ("to_team_id") references "team" ("id") on delete set null;`);
    this.addSql(`alter table "transfer" add constraint "transfer_state_check" check ("state" in ('OFFERED', 'COMPLETED', 'QUEUED', 'DECLINED', 'EXPIRED', 'CANCELLED'));`);

    this.addSql(`alter table "rating" add constraint "rating_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "rating" add constraint "rating_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete cascade;`);
    this.addSql(`alter table "rating" add constraint "rating_invited_by_id_foreign" foreign key ("invited_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "note" add constraint "note_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "note" add constraint "note_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete cascade;`);
    this.addSql(`alter table "note" add constraint "note_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete set null;`);
    this.addSql(`alter table "note" add constraint "note_assignee_id_foreign" foreign key ("assignee_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "note" add constraint "note_state_check" check ("state" in ('OPEN', 'PENDING', 'SOLVED'));`);

    this.addSql(`alter table "assignment_decision" add constraint "assignment_decision_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "assignment_decision" add constraint "assignment_decision_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete cascade;`);
    this.addSql(`alter table "assignment_decision" add constraint "assignment_decision_team_id_foreign" foreign key ("team_id") references "team" ("id") on delete set null;`);
    this.addSql(`alter table "assignment_decision" add constraint "assignment_decision_chosen_user_id_foreign" foreign key ("chosen_user_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "assignment_decision" add constraint "assignment_decision_kind_check" check ("kind" in ('ROUTED', 'ASSIGNED', 'QUEUED', 'MANUAL', 'TRANSFERRED'));`);

    this.addSql(`alter table "alarm_record" add constraint "alarm_record_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "alarm_record" add constraint "alarm_record_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete cascade;`);
    this.addSql(`alter table "alarm_record" add constraint "alarm_record_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "alarm_record" add constraint "alarm_record_level_check" check ("level" in ('INFO', 'WARNING', 'CRITICAL'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "team" drop constraint "team_time_plan_id_foreign";`);
    this.addSql(`alter table "routing_rule" drop constraint "routing_rule_time_plan_id_foreign";`);

    this.addSql(`drop table if exists "time_plan" cascade;`);
    this.addSql(`drop table if exists "status_log" cascade;`);
    this.addSql(`drop table if exists "blacklist_log" cascade;`);
    this.addSql(`drop table if exists "approval" cascade;`);
    this.addSql(`drop table if exists "user_connection" cascade;`);
    this.addSql(`drop table if exists "routing_rule" cascade;`);
    this.addSql(`drop table if exists "transfer" cascade;`);
    this.addSql(`drop table if exists "rating" cascade;`);
    this.addSql(`drop table if exists "note" cascade;`);
    this.addSql(`drop table if exists "assignment_decision" cascade;`);
    this.addSql(`drop table if exists "alarm_record" cascade;`);

    this.addSql(`alter table "app_user" drop column "last_assigned_at";`);

    this.addSql(`drop index "conversation_tenant_id_team_id_state_vip_created_at_index";`);
    this.addSql(`alter table "conversation" drop constraint "conversation_close_reason_check";`);
    this.addSql(`alter table "conversation" drop column "close_reason", drop column "assigned_at", drop column "last_customer_message_at", drop column "last_agent_message_at", drop column "no_reply_alert_at", drop column "customer_reminded_at", drop column "queue_reminders_sent", drop column "timer_job_id";`);

    this.addSql(`alter table "customer" drop column "blacklist_reason";`);

    this.addSql(`alter table "team" drop column "time_plan_id";`);
  }

}

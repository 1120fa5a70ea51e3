import { Migration } from '@mikro-orm/migrations';

export class Migration20261125050943_approval_numbers_send_key extends Migration {

  override name = 'Migration20261125050943_approval_numbers_send_key';

  override up(): void | Promise<void> {
    this.addSql(`alter table "app_user" add "send_key" text not null default 'ENTER';`);
    this.addSql(`alter table "app_user" add constraint "app_user_send_key_check" check ("send_key" in ('ENTER', 'SHIFT_ENTER'));`);

    // Existing requests are numbered in the order they were filed.
    this.addSql(`alter table "approval" add "number" int null;`);
    this.addSql(`update "approval" a set "number" = n.rn from (select "id", row_number() over (partition by "tenant_id" order by "created_at", "id") as rn from "approval") n where n."id" = a."id";`);
    this.addSql(`alter table "approval" alter column "number" set not null;`);
    this.addSql(`alter table "approval" add constraint "approval_tenant_id_number_unique" unique ("tenant_id", "number");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "app_user" drop constraint "app_user_send_key_check";`);
    this.addSql(`alter table "app_user" drop column "send_key";`);

    this.addSql(`alter table "approval" drop constraint "approval_tenant_id_number_unique";`);
    this.addSql(`alter table "approval" drop column "number";`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261125031808_search_window extends Migration {

  override name = 'Migration20261125031808_search_window';

  override up(): void | Promise<void> {
    this.addSql(`create index "message_tenant_id_created_at_index" on "message" ("tenant_id", "created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "message_tenant_id_created_at_index";`);

  }

}

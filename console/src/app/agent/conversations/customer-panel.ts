import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import {
  ConversationCustomerDocument,
  type ConversationCustomerQuery,
  SetConversationCustomerTagsDocument,
  type UpdateCustomerInput,
  UpdateConversationCustomerDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { ChatStore } from './chat-store';

type Field = ConversationCustomerQuery['conversation']['customer']['fields'][number];
type Tag = ConversationCustomerQuery['customerTags']['nodes'][number];

// System fields are the customer's own columns; every other key is a custom field (HIS-4).
const SYSTEM_INPUTS = ['nickname', 'realName', 'phone', 'qq', 'wechat', 'email', 'company', 'description'] as const;
type SystemInput = (typeof SYSTEM_INPUTS)[number];
const isSystemInput = (key: string): key is SystemInput => (SYSTEM_INPUTS as readonly string[]).includes(key);

/**
 * CNV-1, CNV-2: the customer's profile beside the chat — the tenant's fields in their order and
 * types, read-only ones shown but locked — and the customer's tags.
 */
@Component({
  selector: 'app-customer-panel',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslocoDirective,
  ],
  templateUrl: './customer-panel.html',
  styleUrl: './customer-panel.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CustomerPanel {
  readonly conversationId = input.required<string>();
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly store = inject(ChatStore);

  protected readonly busy = signal(false);
  protected readonly dirty = signal(false);
  protected readonly customerId = signal<string | null>(null);
  protected readonly lastIp = signal<string | null>(null);
  protected readonly fields = signal<Field[]>([]);
  protected readonly options = signal<ReadonlyMap<string, string[]>>(new Map());
  protected readonly allTags = signal<Tag[]>([]);
  protected readonly tagIds = signal<string[]>([]);
  protected values: Record<string, string> = {};
  protected vip = false;

  constructor() {
    effect(() => void this.load(this.conversationId()));
  }

  private async load(id: string): Promise<void> {
    this.busy.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: ConversationCustomerDocument, variables: { id }, fetchPolicy: 'network-only' }),
      );
      const data = res.data!;
      const c = data.conversation.customer;
      this.customerId.set(c.id);
      this.lastIp.set(c.lastIp);
      this.fields.set(c.fields);
      this.values = Object.fromEntries(c.fields.map((f) => [f.key, f.value ?? '']));
      this.vip = c.vip;
      this.options.set(new Map(data.profileFields.map((f) => [f.key, f.options])));
      this.allTags.set(data.customerTags.nodes);
      this.tagIds.set(c.tags.map((t) => t.id));
      this.dirty.set(false);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.busy.set(false);
    }
  }

  protected changed(): void {
    this.dirty.set(true);
  }

  protected async save(): Promise<void> {
    const id = this.customerId();
    if (!id) return;
    const input: UpdateCustomerInput = { vip: this.vip, fields: [] };
    for (const f of this.fields()) {
      if (f.readOnly || f.key === 'externalId') continue;
      const value = (this.values[f.key] ?? '').trim() || null;
      if (isSystemInput(f.key)) input[f.key] = value;
      else if (!f.system) input.fields!.push({ key: f.key, value });
    }
    this.busy.set(true);
    try {
      await firstValueFrom(
        this.apollo.mutate({ mutation: UpdateConversationCustomerDocument, variables: { id, input } }),
      );
      // The list and the chat header show the new name at once.
      this.store.customerRenamed(id, input.nickname ?? null, input.realName ?? null);
      this.dirty.set(false);
      this.snack.open(this.transloco.translate('profile.saved'), undefined, { duration: 2000 });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.busy.set(false);
    }
  }

  protected async setTags(tagIds: string[]): Promise<void> {
    const customerId = this.customerId();
    if (!customerId) return;
    const before = this.tagIds();
    this.tagIds.set(tagIds);
    try {
      await firstValueFrom(
        this.apollo.mutate({ mutation: SetConversationCustomerTagsDocument, variables: { customerId, tagIds } }),
      );
    } catch (e) {
      this.tagIds.set(before);
      this.snack.open(errorMessage(e), 'OK');
    }
  }
}

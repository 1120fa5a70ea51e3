import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { ConversationCustomerDocument, UpdateConversationCustomerDocument } from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

const FIELDS = ['nickname', 'realName', 'phone', 'qq', 'wechat', 'email', 'company', 'description'] as const;
type FieldName = (typeof FIELDS)[number];

/** CNV-1: the customer's profile beside the chat; it follows the customer to later conversations. */
@Component({
  selector: 'app-customer-panel',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
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

  protected readonly fields = FIELDS;
  protected readonly busy = signal(false);
  protected readonly customerId = signal<string | null>(null);
  protected readonly externalId = signal('');
  protected readonly lastIp = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    nickname: ['', Validators.maxLength(60)],
    realName: ['', Validators.maxLength(60)],
    phone: ['', Validators.maxLength(40)],
    qq: ['', Validators.maxLength(40)],
    wechat: ['', Validators.maxLength(60)],
    email: ['', [Validators.email, Validators.maxLength(254)]],
    company: ['', Validators.maxLength(120)],
    description: ['', Validators.maxLength(1000)],
    vip: [false],
  });

  constructor() {
    effect(() => void this.load(this.conversationId()));
  }

  private async load(id: string): Promise<void> {
    this.busy.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: ConversationCustomerDocument, variables: { id }, fetchPolicy: 'network-only' }),
      );
      const c = res.data!.conversation.customer;
      this.customerId.set(c.id);
      this.externalId.set(c.externalId);
      this.lastIp.set(c.lastIp);
      const values = Object.fromEntries(FIELDS.map((f) => [f, c[f] ?? ''])) as Record<FieldName, string>;
      this.form.reset({ ...values, vip: c.vip });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.busy.set(false);
    }
  }

  protected async save(): Promise<void> {
    const id = this.customerId();
    if (!id || this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    try {
      const v = this.form.getRawValue();
      const input = Object.fromEntries(FIELDS.map((f) => [f, v[f].trim() || null]));
      await firstValueFrom(
        this.apollo.mutate({
          mutation: UpdateConversationCustomerDocument,
          variables: { id, input: { ...input, vip: v.vip } },
        }),
      );
      this.form.markAsPristine();
      this.snack.open(this.transloco.translate('profile.saved'), undefined, { duration: 2000 });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.busy.set(false);
    }
  }
}

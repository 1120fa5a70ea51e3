import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { BlacklistFromChatDocument } from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

/** CNV-8: blacklist the customer with a reason (through approval when the tenant requires it). */
@Component({
  selector: 'app-blacklist-dialog',
  imports: [FormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, TranslocoDirective],
  template: `
    <ng-container *transloco="let t">
      <h2 mat-dialog-title>{{ t('blacklist.title') }}</h2>
      <mat-dialog-content>
        <p>{{ t('blacklist.explain') }}</p>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ t('blacklist.reason') }}</mat-label>
          <textarea matInput rows="3" maxlength="500" required [(ngModel)]="reason" cdkFocusInitial></textarea>
        </mat-form-field>
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button mat-dialog-close>{{ t('common.cancel') }}</button>
        <button mat-flat-button (click)="save()" [disabled]="!reason.trim() || busy()">
          {{ t('blacklist.confirm') }}
        </button>
      </mat-dialog-actions>
    </ng-container>
  `,
  styleUrl: './dialogs.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BlacklistDialog {
  private readonly apollo = inject(Apollo);
  private readonly ref = inject(MatDialogRef<BlacklistDialog>);
  private readonly data = inject<{ conversationId: string; customerId: string }>(MAT_DIALOG_DATA);
  protected reason = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async save(): Promise<void> {
    this.busy.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.mutate({
          mutation: BlacklistFromChatDocument,
          variables: {
            input: {
              customerId: this.data.customerId,
              conversationId: this.data.conversationId,
              reason: this.reason.trim(),
            },
          },
        }),
      );
      this.ref.close({ pending: !!res.data!.blacklistCustomer.pendingApproval });
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}

import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { RemoveFromBlacklistPageDocument } from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

/** Takes a customer off the blacklist, with an optional reason for the blacklist log (HIS-5). */
@Component({
  selector: 'app-unblock-dialog',
  imports: [FormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, TranslocoDirective],
  template: `
    <ng-container *transloco="let t">
      <h2 mat-dialog-title>{{ t('customers.unblock') }}</h2>
      <mat-dialog-content>
        <p>{{ t('records.unblockExplain', { name: data.name }) }}</p>
        @if (data.reason) {
          <p class="muted">{{ t('records.blacklistedFor', { reason: data.reason }) }}</p>
        }
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ t('records.unblockReason') }}</mat-label>
          <textarea matInput rows="2" maxlength="500" [(ngModel)]="reason" cdkFocusInitial></textarea>
        </mat-form-field>
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button mat-dialog-close>{{ t('common.cancel') }}</button>
        <button mat-flat-button (click)="save()" [disabled]="busy()" data-testid="unblock-confirm">
          {{ t('customers.unblock') }}
        </button>
      </mat-dialog-actions>
    </ng-container>
  `,
  styleUrl: '../conversations/dialogs.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UnblockDialog {
  private readonly apollo = inject(Apollo);
  private readonly ref = inject(MatDialogRef<UnblockDialog, boolean>);
  protected readonly data = inject<{ customerId: string; name: string; reason: string | null }>(MAT_DIALOG_DATA);
  protected reason = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async save(): Promise<void> {
    this.busy.set(true);
    try {
      await firstValueFrom(
        this.apollo.mutate({
          mutation: RemoveFromBlacklistPageDocument,
          variables: { customerId: this.data.customerId, reason: this.reason.trim() || null },
        }),
      );
      this.ref.close(true);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}

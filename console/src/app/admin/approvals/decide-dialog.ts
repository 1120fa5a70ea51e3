import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { type ApprovalRowFragment, DecideApprovalDocument } from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

export interface DecideData {
  approval: ApprovalRowFragment;
  approve: boolean;
  /** "Request #12: Amy asks to go Busy". */
  headline: string;
}

/** APR-1: approve or reject a request, with an optional remark the requester sees. */
@Component({
  selector: 'app-decide-dialog',
  imports: [FormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, TranslocoDirective],
  template: `
    <ng-container *transloco="let t">
      <h2 mat-dialog-title>
        {{ t(data.approve ? 'approvals.approveTitle' : 'approvals.rejectTitle', { number: data.approval.number }) }}
      </h2>
      <mat-dialog-content>
        <p>{{ data.headline }}</p>
        @if (data.approval.reason) {
          <p class="reason">{{ t('approvals.reason') }}: {{ data.approval.reason }}</p>
        }
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ t('approvals.remarkOptional') }}</mat-label>
          <textarea
            matInput
            rows="3"
            maxlength="500"
            [(ngModel)]="remark"
            cdkFocusInitial
            data-testid="decision-remark"
          ></textarea>
          <mat-hint>{{ t('approvals.remarkHint') }}</mat-hint>
        </mat-form-field>
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button mat-dialog-close>{{ t('common.cancel') }}</button>
        <button mat-flat-button (click)="save()" [disabled]="busy()" data-testid="decision-confirm">
          {{ t(data.approve ? 'approvals.approve' : 'approvals.reject') }}
        </button>
      </mat-dialog-actions>
    </ng-container>
  `,
  styles: `
    .wide {
      width: 100%;
      margin-top: 8px;
    }
    .reason {
      color: var(--mat-sys-on-surface-variant);
      white-space: pre-wrap;
    }
    .error {
      color: var(--mat-sys-error);
      white-space: pre-wrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DecideDialog {
  private readonly apollo = inject(Apollo);
  private readonly ref = inject(MatDialogRef<DecideDialog, ApprovalRowFragment>);
  protected readonly data = inject<DecideData>(MAT_DIALOG_DATA);
  protected remark = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async save(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const res = await firstValueFrom(
        this.apollo.mutate({
          mutation: DecideApprovalDocument,
          variables: { id: this.data.approval.id, approve: this.data.approve, remark: this.remark.trim() || null },
        }),
      );
      this.ref.close(res.data!.decideApproval);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}

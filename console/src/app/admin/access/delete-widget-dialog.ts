import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { DeleteWidgetConfigDocument, type WidgetConfigRowFragment } from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

/** Deleting a configuration takes the chat off every site that embeds its key: the admin confirms. */
@Component({
  selector: 'app-delete-widget-dialog',
  imports: [MatButtonModule, MatDialogModule, TranslocoDirective],
  template: `
    <ng-container *transloco="let t">
      <h2 mat-dialog-title>{{ t('access.deleteTitle', { name: widget.name }) }}</h2>
      <mat-dialog-content>
        <p>{{ t('access.deleteExplain') }}</p>
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button mat-dialog-close cdkFocusInitial>{{ t('common.cancel') }}</button>
        <button
          mat-flat-button
          class="danger"
          (click)="remove()"
          [disabled]="busy()"
          data-testid="widget-delete-confirm"
        >
          {{ t('access.delete') }}
        </button>
      </mat-dialog-actions>
    </ng-container>
  `,
  styles: `
    .error {
      color: var(--mat-sys-error);
    }
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteWidgetDialog {
  private readonly apollo = inject(Apollo);
  private readonly ref = inject(MatDialogRef<DeleteWidgetDialog, boolean>);
  protected readonly widget = inject<WidgetConfigRowFragment>(MAT_DIALOG_DATA);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async remove(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(
        this.apollo.mutate({ mutation: DeleteWidgetConfigDocument, variables: { id: this.widget.id } }),
      );
      this.ref.close(true);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}

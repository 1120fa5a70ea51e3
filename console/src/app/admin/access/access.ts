import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { type WidgetConfigRowFragment, WidgetConfigsDocument } from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { DeleteWidgetDialog } from './delete-widget-dialog';
import { WidgetDialog, type WidgetDialogData } from './widget-dialog';

const PAGE = 50;

/** The demo host page for a key: a stand-in for a customer's site with the widget embedded. */
export function demoUrl(widget: Pick<WidgetConfigRowFragment, 'h5Url' | 'publicKey'>): string {
  return `${new URL(widget.h5Url).origin}/demo?key=${encodeURIComponent(widget.publicKey)}`;
}

/** CHN-1, CHN-2 (Admin Mode): the web widget configurations, with their embed snippet and H5 link. */
@Component({
  selector: 'app-access',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, MatTooltipModule, TranslocoDirective],
  templateUrl: './access.html',
  styleUrl: './access.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Access {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  private readonly clipboard = inject(Clipboard);
  private readonly transloco = inject(TranslocoService);

  protected readonly widgets = signal<WidgetConfigRowFragment[]>([]);
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly more = signal<string | null>(null);
  protected readonly demoUrl = demoUrl;

  constructor() {
    void this.load();
  }

  /** Reads the first page again, or appends the next one. */
  protected async load(next = false): Promise<void> {
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: WidgetConfigsDocument,
          variables: { first: PAGE, after: next ? this.more() : null },
          fetchPolicy: 'network-only',
        }),
      );
      const conn = res.data!.widgetConfigs;
      this.widgets.update((list) => (next ? [...list, ...conn.nodes] : conn.nodes));
      this.total.set(conn.totalCount);
      this.more.set(conn.pageInfo.hasNextPage ? (conn.pageInfo.endCursor ?? null) : null);
    } catch (e) {
      this.snack.open(errorMessage(e), this.transloco.translate('common.close'));
    } finally {
      this.loading.set(false);
    }
  }

  protected edit(widget: WidgetConfigRowFragment | null): void {
    this.dialog
      .open<WidgetDialog, WidgetDialogData, WidgetConfigRowFragment>(WidgetDialog, {
        data: { widget },
        width: '560px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((saved) => {
        if (!saved) return;
        this.snack.open(this.transloco.translate('access.saved', { name: saved.name }), undefined, { duration: 3000 });
        void this.load();
      });
  }

  protected remove(widget: WidgetConfigRowFragment): void {
    this.dialog
      .open<DeleteWidgetDialog, WidgetConfigRowFragment, boolean>(DeleteWidgetDialog, {
        data: widget,
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((deleted) => {
        if (!deleted) return;
        this.snack.open(this.transloco.translate('access.deleted', { name: widget.name }), undefined, {
          duration: 3000,
        });
        void this.load();
      });
  }

  protected copy(text: string): void {
    const done = this.clipboard.copy(text);
    this.snack.open(this.transloco.translate(done ? 'access.copied' : 'access.copyFailed'), undefined, {
      duration: 2000,
    });
  }
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoDirective } from '@jsverse/transloco';
import type { PagedList } from './paged-list';

/** What the pager reads and moves: any paged list. */
export type Paging = Pick<PagedList<unknown>, 'total' | 'page' | 'pages' | 'go'>;

/** The footer of a server-paged table: the total, and previous / next with "page of pages". */
@Component({
  selector: 'app-pager',
  imports: [MatButtonModule, MatIconModule, TranslocoDirective],
  template: `
    <ng-container *transloco="let t">
      @if (showTotal()) {
        <span>{{ t('common.total', { count: list().total() }) }}</span>
      }
      <button
        mat-icon-button
        (click)="list().go(-1)"
        [disabled]="list().page() === 0"
        [attr.aria-label]="t('common.previous')"
        data-testid="pager-previous"
      >
        <mat-icon>chevron_left</mat-icon>
      </button>
      <span>{{ list().page() + 1 }} / {{ list().pages() }}</span>
      <button
        mat-icon-button
        (click)="list().go(1)"
        [disabled]="list().page() + 1 >= list().pages()"
        [attr.aria-label]="t('common.next')"
        data-testid="pager-next"
      >
        <mat-icon>chevron_right</mat-icon>
      </button>
    </ng-container>
  `,
  styles: `
    :host {
      display: flex;
      align-items: center;
      justify-content: flex-end;
      gap: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Pager {
  readonly list = input.required<Paging>();
  /** Whether to say how many there are in all (off where a tab's label already does). */
  readonly showTotal = input(true);
}

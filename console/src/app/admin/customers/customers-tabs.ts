import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';
import { TranslocoDirective } from '@jsverse/transloco';

/** Admin Mode's Customers area: the list (HIS-3) and the blacklist log (HIS-5), as links between two pages. */
@Component({
  selector: 'app-customers-tabs',
  imports: [RouterLink, RouterLinkActive, TranslocoDirective],
  template: `
    <nav *transloco="let t" [attr.aria-label]="t('records.customerViews')">
      @for (tab of tabs; track tab.link) {
        <a
          [routerLink]="tab.link"
          routerLinkActive="active"
          [routerLinkActiveOptions]="{ exact: true }"
          ariaCurrentWhenActive="page"
          >{{ t(tab.label) }}</a
        >
      }
    </nav>
  `,
  styles: `
    nav {
      display: flex;
      gap: 4px;
      margin-bottom: 12px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      overflow-x: auto;
    }
    a {
      padding: 10px 16px;
      border-bottom: 2px solid transparent;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-title-small);
      text-decoration: none;
      white-space: nowrap;
      &:hover,
      &:focus-visible {
        background: var(--mat-sys-surface-container-high);
      }
      &.active {
        border-bottom-color: var(--mat-sys-primary);
        color: var(--mat-sys-primary);
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CustomersTabs {
  protected readonly tabs = [
    { link: '/admin/customers', label: 'customers.title' },
    { link: '/admin/customers/blacklist-log', label: 'records.blacklistLog' },
  ];
}

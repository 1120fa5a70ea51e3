import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import type { Signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { DomSanitizer, type SafeResourceUrl } from '@angular/platform-browser';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { CrmPanelFrameDocument, CrmPanelSettingsDocument } from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

/**
 * How to frame a CRM address: only http(s) pages; one served from the console's own origin gets
 * no `allow-same-origin`, so that it cannot reach into the console (scripts plus same origin
 * would undo the sandbox).
 */
export function crmFrameTarget(url: string, consoleOrigin: string): { sameOrigin: boolean } | null {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return null;
  return { sameOrigin: new URL(url).origin === consoleOrigin };
}

/**
 * Whether the tenant has the CRM tab on (CNV-12), read once when called; call in an injection
 * context (a component's field). Off until known and when it cannot be read.
 */
export function crmPanelEnabled(): Signal<boolean> {
  const apollo = inject(Apollo);
  const enabled = signal(false);
  // Not cached: a partial `settings` object would replace the one other queries keep.
  firstValueFrom(apollo.query({ query: CrmPanelSettingsDocument, fetchPolicy: 'no-cache' })).then(
    (res) => enabled.set(res.data?.tenant.settings.crmFrame.enabled ?? false),
    () => enabled.set(false),
  );
  return enabled.asReadonly();
}

interface Frame {
  url: string;
  src: SafeResourceUrl;
  sameOrigin: boolean;
  /** A new element per load: the page reloads even when its address is the same. */
  serial: number;
}

/** CNV-12: the tenant's CRM page for the open conversation, loaded again when it changes. */
@Component({
  selector: 'app-crm-panel',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, TranslocoDirective],
  template: `
    <ng-container *transloco="let t">
      <div class="bar">
        <span class="muted">{{ t('tools.crm') }}</span>
        <span class="spacer"></span>
        <button
          mat-icon-button
          type="button"
          (click)="reload()"
          [title]="t('tools.crmReload')"
          [attr.aria-label]="t('tools.crmReload')"
        >
          <mat-icon>refresh</mat-icon>
        </button>
        @if (frame(); as f) {
          <a
            mat-icon-button
            [href]="f.url"
            target="_blank"
            rel="noopener noreferrer"
            [title]="t('tools.crmOpen')"
            [attr.aria-label]="t('tools.crmOpen')"
            data-testid="crm-open"
          >
            <mat-icon>open_in_new</mat-icon>
          </a>
        }
      </div>
      @if (loading()) {
        <mat-progress-bar mode="indeterminate" [attr.aria-label]="t('tools.crmLoading')" />
      }
      @if (frame(); as f) {
        @for (one of [f]; track one.serial) {
          <!-- The sandbox must be a static attribute: two elements rather than a binding. -->
          @if (one.sameOrigin) {
            <iframe
              class="crm"
              [src]="one.src"
              sandbox="allow-scripts allow-forms allow-popups"
              referrerpolicy="no-referrer"
              [title]="t('tools.crm')"
              (load)="loading.set(false)"
            ></iframe>
          } @else {
            <iframe
              class="crm"
              [src]="one.src"
              sandbox="allow-scripts allow-forms allow-same-origin allow-popups"
              referrerpolicy="no-referrer"
              [title]="t('tools.crm')"
              (load)="loading.set(false)"
            ></iframe>
          }
        }
      } @else if (!loading()) {
        <p class="muted">{{ error() ?? t('tools.crmOff') }}</p>
      }
    </ng-container>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      padding: 4px 0 0;
    }
    .bar {
      display: flex;
      align-items: center;
      padding: 0 4px 0 12px;
    }
    .spacer {
      flex: 1;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    p.muted {
      padding: 0 12px;
    }
    .crm {
      width: 100%;
      height: calc(100vh - 180px);
      min-height: 360px;
      border: 0;
      border-top: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CrmPanel {
  readonly conversationId = input.required<string>();
  private readonly apollo = inject(Apollo);
  private readonly sanitizer = inject(DomSanitizer);
  protected readonly frame = signal<Frame | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  private serial = 0;

  constructor() {
    effect(() => {
      const id = this.conversationId();
      untracked(() => void this.load(id));
    });
  }

  protected reload(): void {
    void this.load(this.conversationId());
  }

  private async load(conversationId: string): Promise<void> {
    const serial = ++this.serial;
    this.loading.set(true);
    this.frame.set(null);
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: CrmPanelFrameDocument, variables: { conversationId }, fetchPolicy: 'no-cache' }),
      );
      // Another conversation was opened meanwhile: its own load decides.
      if (serial !== this.serial) return;
      const url = res.data?.crmFrame?.url ?? null;
      const target = url ? crmFrameTarget(url, location.origin) : null;
      this.error.set(null);
      if (!url || !target) {
        this.loading.set(false);
        return;
      }
      // The address comes from the API, which accepts only https (http for localhost) pages.
      const src = this.sanitizer.bypassSecurityTrustResourceUrl(url);
      this.frame.set({ url, src, sameOrigin: target.sameOrigin, serial });
    } catch (e) {
      if (serial !== this.serial) return;
      this.error.set(errorMessage(e));
      this.loading.set(false);
    }
  }
}

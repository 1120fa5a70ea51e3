import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { debounceTime, firstValueFrom, Subject } from 'rxjs';
import {
  PanelArticleDocument,
  type PanelArticleQuery,
  PanelArticlesDocument,
  type PanelArticlesQuery,
  PanelInteractionsDocument,
  type PanelInteractionsQuery,
  PanelPhrasesDocument,
  type PanelPhrasesQuery,
  RenderPhraseDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { LatestRead } from '../../shared/latest-read';
import { ChatStore } from './chat-store';

/** CNT-2: phrases with search; a click puts the phrase, `##dear##` filled in, into the composer. */
@Component({
  selector: 'app-phrase-panel',
  imports: [MatFormFieldModule, MatInputModule, MatIconModule, MatProgressBarModule, TranslocoDirective],
  template: `
    <ng-container *transloco="let t">
      <mat-form-field appearance="outline" subscriptSizing="dynamic" class="search">
        <mat-icon matPrefix>search</mat-icon>
        <mat-label>{{ t('tools.searchPhrases') }}</mat-label>
        <input matInput (input)="query$.next($any($event.target).value)" />
      </mat-form-field>
      @if (phrases.loading()) {
        <mat-progress-bar mode="indeterminate" />
      }
      @for (p of phrases.value(); track p.id) {
        <button type="button" class="item" (click)="use(p.id)" [title]="t('tools.usePhrase')">
          <span class="badge">{{ t('tools.' + p.scope) }}</span>{{ p.content }}
        </button>
      } @empty {
        <p class="muted">{{ phrases.error() ?? t('tools.noPhrases') }}</p>
      }
    </ng-container>
  `,
  styleUrl: './side-tools.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PhrasePanel {
  readonly conversationId = input.required<string>();
  private readonly apollo = inject(Apollo);
  private readonly store = inject(ChatStore);
  protected readonly phrases = new LatestRead<PanelPhrasesQuery['phrases']['nodes']>([]);
  protected readonly query$ = new Subject<string>();

  constructor() {
    this.query$.pipe(debounceTime(250), takeUntilDestroyed()).subscribe((q) => void this.load(q));
    void this.load('');
  }

  private load(search: string): Promise<void> {
    return this.phrases.run(async () => {
      const res = await firstValueFrom(
        this.apollo.query({
          query: PanelPhrasesDocument,
          variables: { search: search.trim() || null, first: 50 },
          fetchPolicy: 'network-only',
        }),
      );
      return res.data!.phrases.nodes;
    });
  }

  protected async use(phraseId: string): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: RenderPhraseDocument,
          variables: { phraseId, conversationId: this.conversationId() },
          fetchPolicy: 'network-only',
        }),
      );
      this.store.insertDraft(res.data!.renderPhrase);
    } catch (e) {
      this.phrases.error.set(errorMessage(e));
    }
  }
}

/** CNT-1: published articles with search, read beside the chat. */
@Component({
  selector: 'app-knowledge-panel',
  imports: [
    MatFormFieldModule,
    MatInputModule,
    MatIconModule,
    MatButtonModule,
    MatProgressBarModule,
    TranslocoDirective,
  ],
  template: `
    <ng-container *transloco="let t">
      @if (article(); as a) {
        <button mat-button (click)="article.set(null)"><mat-icon>arrow_back</mat-icon>{{ t('tools.back') }}</button>
        <h3>{{ a.title }}</h3>
        <div class="article" [innerHTML]="a.body"></div>
        @for (f of a.attachments; track f.id) {
          <a class="file" [href]="f.downloadUrl" download rel="noopener"
            ><mat-icon>attach_file</mat-icon>{{ f.filename }}</a
          >
        }
      } @else {
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="search">
          <mat-icon matPrefix>search</mat-icon>
          <mat-label>{{ t('tools.searchKnowledge') }}</mat-label>
          <input matInput (input)="query$.next($any($event.target).value)" />
        </mat-form-field>
        @if (articles.loading()) {
          <mat-progress-bar mode="indeterminate" />
        }
        @for (a of articles.value(); track a.id) {
          <button type="button" class="item" (click)="open(a.id)">{{ a.title }}</button>
        } @empty {
          <p class="muted">{{ articles.error() ?? t('tools.noArticles') }}</p>
        }
      }
    </ng-container>
  `,
  styleUrl: './side-tools.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KnowledgePanel {
  private readonly apollo = inject(Apollo);
  protected readonly articles = new LatestRead<PanelArticlesQuery['articles']['nodes']>([]);
  protected readonly article = signal<PanelArticleQuery['article'] | null>(null);
  protected readonly query$ = new Subject<string>();

  constructor() {
    this.query$.pipe(debounceTime(250), takeUntilDestroyed()).subscribe((q) => void this.load(q));
    void this.load('');
  }

  private load(search: string): Promise<void> {
    return this.articles.run(async () => {
      const res = await firstValueFrom(
        this.apollo.query({
          query: PanelArticlesDocument,
          variables: { search: search.trim() || null, first: 30 },
          fetchPolicy: 'network-only',
        }),
      );
      return res.data!.articles.nodes;
    });
  }

  protected async open(id: string): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: PanelArticleDocument, variables: { id }, fetchPolicy: 'network-only' }),
      );
      this.article.set(res.data!.article);
    } catch (e) {
      this.articles.error.set(errorMessage(e));
    }
  }
}

/** CNV-11: the customer's earlier conversations and ratings. */
@Component({
  selector: 'app-interactions-panel',
  imports: [DatePipe, MatIconModule, MatProgressBarModule, TranslocoDirective],
  template: `
    <ng-container *transloco="let t">
      @if (entries.loading()) {
        <mat-progress-bar mode="indeterminate" />
      }
      @for (h of entries.value(); track h.id) {
        <div class="entry">
          <div class="line">
            <strong>{{ h.startedAt | date: 'yyyy-MM-dd HH:mm' }}</strong>
            <span class="muted">{{ t('channel.' + h.channel) }}</span>
            @if (h.rating?.stars; as stars) {
              <span class="stars" [attr.aria-label]="stars + ' / 5'">{{ '★'.repeat(stars) }}</span>
            }
          </div>
          <div class="muted">
            {{ agentNames(h) }}
            @if (h.transferred) {
              · {{ t('tools.transferred') }}
            }
          </div>
          @if (h.tags.length) {
            <div class="tags">
              @for (tag of h.tags; track tag.id) {
                <span class="tag">{{ tag.name }}</span>
              }
            </div>
          }
        </div>
      } @empty {
        <p class="muted">{{ entries.error() ?? t('tools.noInteractions') }}</p>
      }
    </ng-container>
  `,
  styleUrl: './side-tools.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InteractionsPanel {
  readonly customerId = input.required<string>();
  private readonly apollo = inject(Apollo);
  protected readonly entries = new LatestRead<PanelInteractionsQuery['customerInteractions']['nodes']>([]);

  constructor() {
    // Another customer opened before the last one's record arrived: only the newest counts.
    effect(() => void this.load(this.customerId()));
  }

  private load(customerId: string): Promise<void> {
    return this.entries.run(async () => {
      const res = await firstValueFrom(
        this.apollo.query({
          query: PanelInteractionsDocument,
          variables: { customerId, first: 20 },
          fetchPolicy: 'network-only',
        }),
      );
      return res.data!.customerInteractions.nodes;
    });
  }

  protected agentNames(h: PanelInteractionsQuery['customerInteractions']['nodes'][number]): string {
    return h.agents.map((a) => a.nickname).join(', ');
  }
}

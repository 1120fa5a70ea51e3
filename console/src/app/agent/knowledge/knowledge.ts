import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import {
  KnowledgePageDocument,
  type KnowledgePageQuery,
  PanelArticleDocument,
  type PanelArticleQuery,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

/** CNT-1 (Agent Mode): published articles by category, searchable, read in place. */
@Component({
  selector: 'app-knowledge',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoDirective,
  ],
  templateUrl: './knowledge.html',
  styleUrl: './knowledge.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Knowledge {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);

  protected readonly categories = signal<KnowledgePageQuery['knowledgeCategories']>([]);
  protected readonly articles = signal<KnowledgePageQuery['articles']['nodes']>([]);
  protected readonly article = signal<PanelArticleQuery['article'] | null>(null);
  protected readonly category = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly hasMore = signal(false);
  protected search = '';
  private cursor: string | null = null;

  constructor() {
    void this.load(true);
  }

  protected pick(id: string | null): void {
    this.category.set(id);
    void this.load(true);
  }

  protected async load(reset: boolean): Promise<void> {
    if (reset) this.cursor = null;
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: KnowledgePageDocument,
          variables: { categoryId: this.category(), search: this.search.trim() || null, first: 30, after: this.cursor },
          fetchPolicy: 'network-only',
        }),
      );
      this.categories.set(res.data!.knowledgeCategories);
      const conn = res.data!.articles;
      this.articles.update((list) => (reset ? conn.nodes : [...list, ...conn.nodes]));
      this.cursor = conn.pageInfo.endCursor ?? null;
      this.hasMore.set(conn.pageInfo.hasNextPage);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.loading.set(false);
    }
  }

  protected async open(id: string): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: PanelArticleDocument, variables: { id }, fetchPolicy: 'network-only' }),
      );
      this.article.set(res.data!.article);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }
}
